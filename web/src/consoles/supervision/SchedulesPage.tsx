// Standing inspection schedules (supervisors): one 双随机 task a period, each grade drawn as often
// as the grade policy (or the items' own, stricter policy) says — D entities every round, A ones
// rarely. Set one up here; its page shows the year's periods, rounds and the draws they produced.
import { Alert, Button, Form, Input, InputNumber, Select } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { NewSchedule } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { CheckboxGroup } from '../CheckboxGroup';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import { useMe } from '../useMe';
import '../consoles.css';

const PERIODS: NewSchedule['periodsPerYear'][] = [1, 2, 3, 4, 6, 12];
type Values = { name: string; itemIds: string[]; periodsPerYear: NewSchedule['periodsPerYear']; inspectorsPerEntity: number };

export default function SchedulesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const region = me.data?.user.regionCode ?? undefined;
  const items = useQuery({ queryKey: ['sv-items', region], queryFn: () => consoleApi.supervisionItems(region), enabled: me.isSuccess });
  const create = useMutation({
    mutationFn: (body: NewSchedule) => consoleApi.createSchedule(body),
    onSuccess: (s) => {
      void navigate(`/supervision/schedules/${encodeURIComponent(s.id)}?created=1`);
    },
  });
  const schedules = useQuery({ queryKey: ['sv-schedules'], queryFn: consoleApi.schedules });

  return (
    <>
      <PageTitle title={t('sv.schedules.title')} intro={t('sv.schedules.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      <section aria-labelledby="sv-schedules-known" className="section">
        <h2 id="sv-schedules-known">{t('sv.schedules.known')}</h2>
        <p>{t('sv.schedules.knownHint')}</p>
        {schedules.isPending ? (
          <LoadingState />
        ) : schedules.isError ? (
          <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />
        ) : schedules.data.items.length === 0 ? (
          <EmptyState title={t('sv.schedules.none')} />
        ) : (
          <ul className="link-list">
            {schedules.data.items.map((s) => (
              <li key={s.id}>
                <Link to={`/supervision/schedules/${encodeURIComponent(s.id)}`}>{s.name}</Link>{' '}
                {t('sv.schedules.summary', { region: s.regionCode, periods: s.periodsPerYear })}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sv-schedules-new" className="section console-panel">
        <h2 id="sv-schedules-new">{t('sv.schedules.new')}</h2>
        {me.isError ? <ErrorState error={me.error} /> : null}
        {items.isPending && !me.isError ? <LoadingState /> : null}
        {items.isError ? <ErrorState error={items.error} onRetry={() => void items.refetch()} /> : null}
        {create.isError ? <ErrorState error={create.error} /> : null}
        {items.isSuccess && items.data.items.length === 0 ? <EmptyState title={t('sv.plan.noItems')} /> : null}
        {items.isSuccess && items.data.items.length > 0 && region ? (
          <Form<Values>
            layout="vertical"
            initialValues={{ periodsPerYear: 4, inspectorsPerEntity: 2, itemIds: [] }}
            onFinish={(v) => create.mutate({ name: v.name.trim(), regionCode: region, itemIds: v.itemIds, periodsPerYear: v.periodsPerYear, inspectorsPerEntity: v.inspectorsPerEntity })}
          >
            <p>{t('sv.plan.region', { region })}</p>
            <Form.Item name="name" label={t('sv.schedules.name')} htmlFor="sv-schedule-name" rules={[{ required: true, whitespace: true, message: t('sv.schedules.nameRequired') }]}>
              <Input id="sv-schedule-name" maxLength={200} />
            </Form.Item>
            <Form.Item name="itemIds" label={t('sv.plan.items')} rules={[{ required: true, type: 'array', min: 1, message: t('sv.plan.itemsRequired') }]}>
              <CheckboxGroup label={t('sv.plan.items')} options={items.data.items.map((i) => ({ value: i.id, label: `${i.name}（${i.department}）` }))} />
            </Form.Item>
            <Form.Item name="periodsPerYear" label={t('sv.schedules.periodsPerYear')} htmlFor="sv-schedule-periods" extra={t('sv.schedules.periodsHint')}>
              <Select id="sv-schedule-periods" style={{ maxWidth: 280 }} options={PERIODS.map((n) => ({ value: n, label: t(`sv.schedules.periodsName.${n}`) }))} />
            </Form.Item>
            <Form.Item name="inspectorsPerEntity" label={t('sv.plan.inspectors')} htmlFor="sv-schedule-inspectors" extra={t('sv.plan.inspectorsHint')}>
              <InputNumber id="sv-schedule-inspectors" min={2} max={10} precision={0} />
            </Form.Item>
            <Alert type="info" showIcon className="state-alert" title={t('sv.schedules.policyNote')}
              description={<Link to="/supervision/rules#sv-policy-heading">{t('sv.schedules.policyLink')}</Link>} />
            <Button type="primary" htmlType="submit" loading={create.isPending} className="next-button">{t('sv.schedules.submit')}</Button>
          </Form>
        ) : null}
      </section>
    </>
  );
}
