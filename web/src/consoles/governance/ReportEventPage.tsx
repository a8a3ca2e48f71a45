// A grid worker (or hotline operator) reports an event found on patrol: what kind, what is wrong,
// where. The region defaults to the worker's own grid; the category carries the time limits.
import { Button, Form, Input, Select } from 'antd';
import { useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { ReportBody } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, GOVERNANCE_LINKS } from '../ConsoleNav';
import { useMe } from '../useMe';
import { useCategories } from './useCategories';
import '../consoles.css';

export default function ReportEventPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const { categories } = useCategories();
  const report = useMutation({
    mutationFn: (body: ReportBody) => consoleApi.reportEvent(body),
    onSuccess: (event) => void navigate(`/governance/events/${encodeURIComponent(event.id)}`),
  });
  const ready = me.isSuccess && categories.isSuccess;

  return (
    <>
      <PageTitle title={t('gov.report.title')} intro={t('gov.report.intro')} />
      <ConsoleNav labelKey="gov.nav.label" links={GOVERNANCE_LINKS} />
      {!ready && !me.isError && !categories.isError ? <LoadingState /> : null}
      {me.isError ? <ErrorState error={me.error} /> : null}
      {categories.isError ? <ErrorState error={categories.error} onRetry={() => void categories.refetch()} /> : null}
      {report.isError ? <ErrorState error={report.error} /> : null}
      {ready ? (
        <Form<{ categoryCode: string; description: string; regionCode: string; address?: string }>
          layout="vertical"
          initialValues={{ regionCode: me.data.user.regionCode ?? '' }}
          onFinish={(v) => report.mutate({
            categoryCode: v.categoryCode, description: v.description.trim(), regionCode: v.regionCode.trim(),
            ...(v.address?.trim() ? { address: v.address.trim() } : {}),
          })}
        >
          <Form.Item name="categoryCode" label={t('gov.events.category')} rules={[{ required: true, message: t('gov.report.categoryRequired') }]}>
            <Select options={categories.data.items.map((c) => ({ value: c.code, label: `${c.name}（${t(`gov.urgency.${c.urgency}`)}）` }))} />
          </Form.Item>
          <Form.Item name="description" label={t('gov.report.description')} rules={[{ required: true, whitespace: true, min: 2, message: t('gov.report.descriptionRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
          <Form.Item name="regionCode" label={t('gov.report.region')} extra={t('gov.report.regionHint')} rules={[{ required: true, message: t('gov.report.regionRequired') }]}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="address" label={t('gov.report.address')}>
            <Input maxLength={200} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={report.isPending} className="next-button">
            {t('gov.report.submit')}
          </Button>
        </Form>
      ) : null}
    </>
  );
}
