// Credit repair (信用修复): how long a penalty or list entry stays in publication before repair may
// take it down. 发改委令第36号 allows nothing longer than three years, so months run 0–36.
import { useState } from 'react';
import { Alert, Button, Form, InputNumber, Space, Table } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { RepairPeriod, RepairSubject } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { HistoryLink, ReasonField, SaveError, subjectKey, useIsAdmin } from './configShared';

function PeriodForm({ period, onSaved, onCancel, onReload }: { period: RepairPeriod; onSaved: (p: RepairPeriod) => void; onCancel: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const save = useMutation({
    mutationFn: (v: { months: number; reason: string }) =>
      consoleApi.setRepairPeriod(period.subject as RepairSubject, { months: v.months, version: period.version, reason: v.reason.trim() }),
    onSuccess: onSaved,
  });
  return (
    <Form<{ months: number; reason: string }> layout="vertical" initialValues={{ months: period.months, reason: '' }} onFinish={(v) => save.mutate(v)}
      aria-label={t('sv.periods.editOf', { subject: t(subjectKey(period.subject)) })}>
      {save.isError ? <SaveError error={save.error} onReload={() => { save.reset(); onReload(); }} /> : null}
      <Form.Item name="months" label={t('sv.periods.months')} htmlFor="sv-period-months" extra={t('sv.periods.monthsHint')}
        rules={[{ required: true, type: 'integer', min: 0, max: 36, message: t('sv.periods.monthsRule') }]}>
        <InputNumber id="sv-period-months" min={0} max={36} precision={0} />
      </Form.Item>
      <ReasonField id="sv-period-reason" />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={save.isPending}>{t('sv.periods.submit')}</Button>
        <Button onClick={onCancel}>{t('console.cancel')}</Button>
      </Space>
    </Form>
  );
}

export function RepairPeriodsSection() {
  const { t, i18n } = useTranslation();
  const admin = useIsAdmin();
  const queryClient = useQueryClient();
  const periods = useQuery({ queryKey: ['sv-repair-periods'], queryFn: consoleApi.repairPeriods });
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<RepairPeriod | null>(null);
  const period = periods.data?.items.find((p) => p.subject === editing);

  return (
    <section aria-labelledby="sv-periods-heading" className="section">
      <h2 id="sv-periods-heading">{t('sv.periods.heading')}</h2>
      <p>{t('sv.periods.explain')}</p>
      <div role="status" aria-live="polite">
        {saved ? <Alert type="success" showIcon className="state-alert" title={t('sv.periods.saved', { subject: t(subjectKey(saved.subject)), months: saved.months })} /> : null}
      </div>
      {admin && period ? (
        <div className="console-panel section">
          <h3>{t('sv.periods.editOf', { subject: t(subjectKey(period.subject)) })}</h3>
          <PeriodForm key={`${period.subject}-${period.version}`} period={period} onCancel={() => setEditing(null)} onReload={() => void periods.refetch()}
            onSaved={(p) => {
              setSaved(p);
              setEditing(null);
              void queryClient.invalidateQueries({ queryKey: ['sv-repair-periods'] });
              void queryClient.invalidateQueries({ queryKey: ['sv-config-history'] });
            }} />
        </div>
      ) : null}
      {periods.isPending ? (
        <LoadingState />
      ) : periods.isError ? (
        <ErrorState error={periods.error} onRetry={() => void periods.refetch()} />
      ) : (
        <Table<RepairPeriod>
          rowKey="subject"
          dataSource={periods.data.items}
          pagination={false}
          scroll={{ x: 640 }}
          caption={t('sv.periods.caption')}
          columns={[
            { title: t('sv.periods.subject'), key: 'subject', render: (_, p) => t(subjectKey(p.subject), { defaultValue: p.subject }) },
            { title: t('sv.periods.months'), key: 'months', render: (_, p) => t('sv.periods.monthsValue', { count: p.months }) },
            { title: t('sv.config.version'), dataIndex: 'version' },
            { title: t('sv.config.updatedAt'), key: 'at', render: (_, p) => formatDate(p.updatedAt, i18n.language) },
            {
              title: t('console.actions'), key: 'act',
              render: (_, p) => (
                <Space wrap>
                  {admin ? (
                    <Button onClick={() => { setSaved(null); setEditing(p.subject); }} aria-expanded={editing === p.subject}
                      aria-label={t('sv.periods.editOf', { subject: t(subjectKey(p.subject)) })}>{t('sv.config.edit')}</Button>
                  ) : null}
                  <HistoryLink kind="repair_period" configKey={p.subject} label={t(subjectKey(p.subject))} />
                </Space>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
