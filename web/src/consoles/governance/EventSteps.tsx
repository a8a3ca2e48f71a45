// The next life-cycle steps an event allows (the server's own transition table), each a button,
// with notes (required to send back for rework or to reject) and the department when dispatching.
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TRANSITIONS, type EventAction } from '../../../../src/modules/governance/lifecycle';
import { consoleApi } from '../../api/console-client';
import type { GovEvent, StepPath } from '../../api/console-types';
import { ErrorState } from '../../components/QueryStates';
import { useMe } from '../useMe';
import { useCategories } from './useCategories';

// Rating is the resident's; merging needs a duplicate chosen on its own screen.
const STAFF_ACTIONS = (Object.keys(TRANSITIONS) as EventAction[]).filter((a) => a !== 'rate' && a !== 'merge');
const FORWARD: EventAction[] = ['accept', 'verify', 'file', 'dispatch', 'handle', 'check_pass', 'close'];
const NOTES_REQUIRED: EventAction[] = ['check_fail', 'reject'];

export function EventSteps({ event }: { event: GovEvent }) {
  const { t } = useTranslation();
  const me = useMe();
  const { byCode } = useCategories();
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState('');
  const [department, setDepartment] = useState(event.department ?? byCode.get(event.categoryCode)?.defaultDepartment ?? '');
  const [missingNotes, setMissingNotes] = useState(false);
  const myDepartment = me.data?.user.department;
  const allowed = STAFF_ACTIONS.filter((a) => {
    const rule = TRANSITIONS[a];
    if (!(rule.from as readonly string[]).includes(event.status)) return false;
    // The department step is offered to that department only; the grid's steps to the rest.
    return rule.by === 'department' ? !event.department || event.department === myDepartment : event.department !== myDepartment || !myDepartment;
  });
  const step = useMutation({
    mutationFn: (action: EventAction) =>
      consoleApi.step(event.id, action.replace('_', '-') as StepPath, {
        version: event.version,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        ...(action === 'dispatch' && department.trim() ? { department: department.trim() } : {}),
      }),
    onSuccess: () => {
      setNotes('');
      void queryClient.invalidateQueries({ queryKey: ['gov-event', event.id] });
      void queryClient.invalidateQueries({ queryKey: ['gov-events'] });
    },
  });
  const run = (action: EventAction) => {
    if (NOTES_REQUIRED.includes(action) && !notes.trim()) {
      setMissingNotes(true);
      return;
    }
    setMissingNotes(false);
    step.mutate(action);
  };

  return (
    <section aria-labelledby="gov-steps-heading" className="console-panel section">
      <h2 id="gov-steps-heading">{t('gov.detail.steps')}</h2>
      <div role="status" aria-live="polite">
        {step.isSuccess ? <Alert type="success" showIcon className="state-alert" title={t('gov.detail.done', { status: t(`gov.status.${step.data.status}`) })} /> : null}
      </div>
      {step.isError ? <ErrorState error={step.error} /> : null}
      {allowed.length === 0 ? (
        <p>{t('gov.detail.noSteps', { status: t(`gov.status.${event.status}`) })}</p>
      ) : (
        <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
          <Form.Item
            label={t('gov.detail.notes')}
            htmlFor="gov-notes"
            extra={t('gov.detail.notesHint')}
            validateStatus={missingNotes ? 'error' : undefined}
            help={missingNotes ? t('gov.detail.notesRequired') : undefined}
          >
            <Input.TextArea id="gov-notes" rows={3} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </Form.Item>
          {allowed.includes('dispatch') ? (
            <Form.Item label={t('gov.detail.dispatchTo')} htmlFor="gov-department" extra={t('gov.detail.dispatchHint')}>
              <Input id="gov-department" maxLength={100} value={department} onChange={(e) => setDepartment(e.target.value)} />
            </Form.Item>
          ) : null}
          <div className="console-actions">
            {allowed.map((a) => (
              <Button key={a} type={FORWARD.includes(a) ? 'primary' : 'default'} danger={a === 'reject'} onClick={() => run(a)}
                loading={step.isPending && step.variables === a} disabled={step.isPending}>
                {t(`gov.action.${a}`)}
              </Button>
            ))}
          </div>
        </Form>
      )}
    </section>
  );
}
