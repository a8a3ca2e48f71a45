// Report a problem in my community (城乡社区治理, issue 8): what kind, what is wrong, where.
// Categories come from the server (they carry the time limits); none are invented here.
import { useState } from 'react';
import { Alert, Button, Form, Input, Select } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { EventReport, ReportedEvent } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { ErrorState, LoadingState } from '../components/QueryStates';

export function ReportProblemPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<EventReport>();
  const [reported, setReported] = useState<ReportedEvent | null>(null);
  const categories = useQuery({ queryKey: ['event-categories'], queryFn: api.eventCategories });
  const report = useMutation({
    mutationFn: (values: EventReport) => api.reportEvent(values),
    onSuccess: (event) => {
      setReported(event);
      form.resetFields();
    },
  });

  return (
    <>
      <PageTitle title={t('report.title')} intro={t('report.intro')} />
      <p>
        <Link to="/me/reports">{t('report.mine')}</Link>
      </p>
      {reported ? (
        <Alert
          type="success"
          showIcon
          role="status"
          className="state-alert"
          title={t('report.done', { id: reported.id })}
          description={
            <>
              {t('report.promised', { when: formatDate(reported.promisedBy, i18n.language, true) })}{' '}
              <Link to={`/me/reports/${reported.id}`}>{t('report.follow')}</Link>
            </>
          }
        />
      ) : null}
      {categories.isPending ? <LoadingState /> : null}
      {categories.isError ? <ErrorState error={categories.error} onRetry={() => void categories.refetch()} /> : null}
      {report.isError ? <ErrorState error={report.error} /> : null}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(values) => report.mutate(values)}>
        <Form.Item label={t('report.category')} name="categoryCode" rules={[{ required: true, message: t('report.categoryRequired') }]}>
          <Select
            disabled={!categories.isSuccess}
            options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
        </Form.Item>
        <Form.Item
          label={t('report.description')}
          name="description"
          extra={t('report.descriptionHint')}
          rules={[{ required: true, whitespace: true, message: t('report.descriptionRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item
          label={t('report.location')}
          name="address"
          extra={t('report.locationHint')}
          rules={[{ required: true, whitespace: true, message: t('report.locationRequired') }]}
        >
          <Input autoComplete="street-address" />
        </Form.Item>
        <p className="consent-note">
          {t('report.privacyNote')} <Link to="/me/household">{t('report.privacyLink')}</Link>
        </p>
        <Button type="primary" htmlType="submit" size="large" loading={report.isPending} disabled={!categories.isSuccess} className="next-button">
          {t('report.submit')}
        </Button>
      </Form>
    </>
  );
}
