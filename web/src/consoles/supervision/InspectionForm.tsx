// Recording an on-site result (inspectors): the inspection names its task's items, and the form
// asks each of those items' questions; the server checks every required answer and names any
// that is missing. Evidence files go with the result (EvidenceUpload).
import { useMemo, useState } from 'react';
import { Button, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { Inspection, InspectionResult } from '../../api/console-types';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { EvidenceUpload, type EvidenceDraft } from './EvidenceUpload';

interface Values {
  inspectedAt: string;
  outcome: InspectionResult['outcome'];
  summary: string;
  rectifyBy?: string;
  severity?: 'minor' | 'ordinary' | 'serious';
  decision?: string;
  answers?: Record<string, string | number | boolean | undefined>;
}

const localNow = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function InspectionForm({ inspection, onDone }: { inspection: Inspection; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const outcome = Form.useWatch('outcome', form);
  const items = useQuery({ queryKey: ['sv-items-all'], queryFn: () => consoleApi.supervisionItems() });
  const [evidence, setEvidence] = useState<EvidenceDraft[]>([]);
  const [openedAt] = useState(localNow);
  const taskItems = useMemo(() => (items.data?.items ?? []).filter((i) => inspection.itemIds.includes(i.id)), [items.data, inspection.itemIds]);
  const fields = useMemo(() => taskItems.flatMap((i) => i.form), [taskItems]);
  const record = useMutation({
    mutationFn: (v: Values) => {
      const answers: InspectionResult['answers'] = {};
      for (const f of fields) {
        const value = v.answers?.[f.key];
        if (value !== undefined && value !== '') answers[f.key] = f.type === 'boolean' ? value === true || value === 'true' : value;
      }
      return consoleApi.recordInspection(inspection.id, {
        submissionId: crypto.randomUUID(),
        // The field holds whole minutes; left at its default it means "now", sent to the second:
        // cut to the minute it could fall before a draw revealed moments earlier, which the server
        // rightly refuses ("before the draw").
        inspectedAt: (v.inspectedAt === openedAt ? new Date() : new Date(v.inspectedAt)).toISOString(),
        answers,
        outcome: v.outcome,
        summary: v.summary.trim(),
        ...(v.outcome === 'rectify' && v.rectifyBy ? { rectifyBy: v.rectifyBy } : {}),
        ...(v.outcome === 'penalty' ? { penalty: { severity: v.severity ?? 'ordinary', decision: (v.decision ?? '').trim() } } : {}),
        ...(evidence.length ? { evidence: evidence.map(({ size: _size, ...file }) => file) } : {}),
      });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['sv-inspections'] });
      onDone();
    },
  });

  if (items.isPending) return <LoadingState />;
  if (items.isError) return <ErrorState error={items.error} onRetry={() => void items.refetch()} />;
  return (
    <Form form={form} layout="vertical" initialValues={{ inspectedAt: openedAt, outcome: 'pass' }} onFinish={(v) => record.mutate(v)}>
      {record.isError ? <ErrorState error={record.error} /> : null}
      <section aria-labelledby={`items-${inspection.id}`}>
        <h4 id={`items-${inspection.id}`}>{t('sv.inspect.items')}</h4>
        <p>{t('sv.inspect.itemsHint')}</p>
        <ul>{taskItems.map((i) => <li key={i.id}>{`${i.name}（${i.department}）`}</li>)}</ul>
      </section>
      {fields.map((f) => (
        <Form.Item key={f.key} name={['answers', f.key]} label={f.label} rules={[{ required: true, message: t('sv.inspect.answerRequired') }]}>
          {f.type === 'boolean' ? (
            <Radio.Group options={[{ value: true, label: t('console.yes') }, { value: false, label: t('console.no') }]} />
          ) : f.type === 'number' ? (
            <InputNumber />
          ) : (
            <Input maxLength={2000} />
          )}
        </Form.Item>
      ))}
      <Form.Item name="inspectedAt" label={t('sv.inspect.inspectedAt')} rules={[{ required: true }]}>
        <Input type="datetime-local" />
      </Form.Item>
      <Form.Item name="outcome" label={t('sv.results.outcome')}>
        <Radio.Group options={(['pass', 'rectify', 'penalty'] as const).map((o) => ({ value: o, label: t(`sv.outcome.${o}`) }))} />
      </Form.Item>
      {outcome === 'rectify' ? (
        <Form.Item name="rectifyBy" label={t('sv.inspect.rectifyBy')} rules={[{ required: true, message: t('sv.inspect.rectifyByRequired') }]}>
          <Input type="date" />
        </Form.Item>
      ) : null}
      {outcome === 'penalty' ? (
        <>
          <Form.Item name="severity" label={t('sv.inspect.severity')} rules={[{ required: true, message: t('sv.inspect.severityRequired') }]}>
            <Select options={(['minor', 'ordinary', 'serious'] as const).map((s) => ({ value: s, label: t(`sv.severity.${s}`) }))} />
          </Form.Item>
          <Form.Item name="decision" label={t('sv.inspect.decision')} rules={[{ required: true, whitespace: true, message: t('sv.inspect.decisionRequired') }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </>
      ) : null}
      <Form.Item name="summary" label={t('sv.results.summary')} rules={[{ required: true, whitespace: true, message: t('sv.inspect.summaryRequired') }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <EvidenceUpload value={evidence} onChange={setEvidence} />
      <Button type="primary" htmlType="submit" loading={record.isPending}>
        {t('sv.inspect.submit')}
      </Button>
    </Form>
  );
}
