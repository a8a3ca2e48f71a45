// The grade policy: per grade the share drawn each round, the rounds a year and the score from
// which an entity has that grade. One versioned record: the whole table is saved at once, with a
// reason; tasks and schedules planned afterwards use it, draws already made keep theirs.
import { useState } from 'react';
import { Alert, Button, Form, InputNumber, Space } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { GradeLetter, GradePolicy, VersionedGradePolicy } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { fromPercent, HistoryLink, ReasonField, SaveError, toPercent, useIsAdmin } from './configShared';

const GRADES: GradeLetter[] = ['A', 'B', 'C', 'D'];
type Row = { percent: number; perYear: number; minScore: number };
type Values = Record<GradeLetter, Row> & { reason: string };

const byGrade = (items: GradePolicy[]) => GRADES.map((g) => items.find((p) => p.grade === g)).filter((p): p is GradePolicy => !!p);

function PolicyForm({ policy, onSaved, onCancel, onReload }: { policy: VersionedGradePolicy; onSaved: (p: VersionedGradePolicy) => void; onCancel: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => consoleApi.setGradePolicy({
      items: GRADES.map((g) => ({ grade: g, ratio: fromPercent(v[g].percent), perYear: v[g].perYear, minScore: v[g].minScore })),
      version: policy.version,
      reason: v.reason.trim(),
    }),
    onSuccess: onSaved,
  });
  const initial = Object.fromEntries(byGrade(policy.items).map((p) => [p.grade, { percent: toPercent(p.ratio), perYear: p.perYear, minScore: p.minScore }]));
  // The server wants bands starting at 0 for A and rising strictly to D; say so next to the field.
  const rising = (g: GradeLetter) => ({
    validator: async (_: unknown, value: number | null) => {
      const i = GRADES.indexOf(g);
      if (i === 0 && value !== 0) throw new Error(t('sv.policy.minScoreA'));
      const below = GRADES[i - 1];
      const previous = below ? form.getFieldValue([below, 'minScore']) as number | null : null;
      if (below && value !== null && previous !== null && value <= previous) throw new Error(t('sv.policy.minScoreRising', { grade: below }));
    },
  });
  return (
    <Form<Values> form={form} layout="vertical" initialValues={{ ...initial, reason: '' }} onFinish={(v) => save.mutate(v)} aria-label={t('sv.policy.edit')}>
      {save.isError ? <SaveError error={save.error} onReload={() => { save.reset(); onReload(); }} /> : null}
      <p>{t('sv.policy.editing', { version: policy.version })}</p>
      {GRADES.map((g) => (
        <fieldset key={g} className="console-panel policy-row">
          <legend>{t('sv.entities.gradeTag', { grade: g })}</legend>
          <Space wrap size="large" align="start">
            <Form.Item name={[g, 'percent']} label={t('sv.policy.ratio')} htmlFor={`sv-policy-${g}-ratio`} rules={[{ required: true, message: t('sv.rules.numberRequired') }]}>
              <InputNumber id={`sv-policy-${g}-ratio`} min={0} max={100} step={0.5} suffix="%" />
            </Form.Item>
            <Form.Item name={[g, 'perYear']} label={t('sv.policy.perYear')} htmlFor={`sv-policy-${g}-perYear`} rules={[{ required: true, message: t('sv.rules.numberRequired') }]}>
              <InputNumber id={`sv-policy-${g}-perYear`} min={0} max={365} precision={0} />
            </Form.Item>
            <Form.Item name={[g, 'minScore']} label={t('sv.policy.minScore')} htmlFor={`sv-policy-${g}-minScore`}
              dependencies={g === 'A' ? [] : [[GRADES[GRADES.indexOf(g) - 1]!, 'minScore']]}
              rules={[{ required: true, message: t('sv.rules.numberRequired') }, rising(g)]}>
              <InputNumber id={`sv-policy-${g}-minScore`} min={0} precision={0} />
            </Form.Item>
          </Space>
        </fieldset>
      ))}
      <ReasonField id="sv-policy-reason" />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={save.isPending}>{t('sv.policy.submit')}</Button>
        <Button onClick={onCancel}>{t('console.cancel')}</Button>
      </Space>
    </Form>
  );
}

export function GradePolicySection() {
  const { t, i18n } = useTranslation();
  const admin = useIsAdmin();
  const queryClient = useQueryClient();
  const policy = useQuery({ queryKey: ['sv-grade-policy'], queryFn: consoleApi.gradePolicy });
  const [editing, setEditing] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);

  return (
    <section aria-labelledby="sv-policy-heading" className="section">
      <h2 id="sv-policy-heading">{t('sv.policy.heading')}</h2>
      <p>{t('sv.policy.explain')}</p>
      <div role="status" aria-live="polite">
        {savedVersion ? <Alert type="success" showIcon className="state-alert" title={t('sv.policy.saved', { version: savedVersion })} /> : null}
      </div>
      {policy.isPending ? (
        <LoadingState />
      ) : policy.isError ? (
        <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />
      ) : (
        <>
          {admin && editing ? (
            <div className="console-panel section">
              <h3>{t('sv.policy.edit')}</h3>
              <PolicyForm key={policy.data.version} policy={policy.data} onCancel={() => setEditing(false)} onReload={() => void policy.refetch()}
                onSaved={(p) => {
                  queryClient.setQueryData(['sv-grade-policy'], p);
                  void queryClient.invalidateQueries({ queryKey: ['sv-config-history'] });
                  setSavedVersion(p.version);
                  setEditing(false);
                }} />
            </div>
          ) : null}
          <table className="data-table">
            <caption>{t('sv.policy.caption', { version: policy.data.version, when: formatDate(policy.data.updatedAt, i18n.language, true) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sv.entities.grade')}</th>
                <th scope="col">{t('sv.policy.ratio')}</th>
                <th scope="col">{t('sv.policy.perYear')}</th>
                <th scope="col">{t('sv.policy.minScore')}</th>
              </tr>
            </thead>
            <tbody>
              {byGrade(policy.data.items).map((p) => (
                <tr key={p.grade}>
                  <th scope="row">{t('sv.entities.gradeTag', { grade: p.grade })}</th>
                  <td>{toPercent(p.ratio)}%</td>
                  <td>{p.perYear}</td>
                  <td>{p.minScore}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Space wrap className="console-actions">
            {admin && !editing ? <Button onClick={() => { setSavedVersion(null); setEditing(true); }}>{t('sv.policy.edit')}</Button> : null}
            <HistoryLink kind="grade_policy" configKey="all" label={t('sv.policy.heading')} />
          </Space>
        </>
      )}
    </section>
  );
}
