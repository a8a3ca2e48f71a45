// The official's decision on an application: only the actions its state allows (the server's own
// rule table), with a reason wherever the law needs one (not accepting, correction, refusal).
import { Alert, Button, Form, Input, Radio } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { OFFICIAL_ACTIONS, RULES } from '../../../../src/modules/applications/transitions';
import { consoleApi } from '../../api/console-client';
import type { ApplicationDetail, OfficialAction } from '../../api/console-types';
import { ErrorState } from '../../components/QueryStates';

interface Values {
  action: OfficialAction;
  reason?: string;
}

export function ApplicationActions({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const chosen = Form.useWatch('action', form);
  const allowed = OFFICIAL_ACTIONS.filter((a) => (RULES[a].from as readonly string[]).includes(app.status));
  const act = useMutation({
    mutationFn: (values: Values) =>
      consoleApi.act(app.id, { action: values.action, version: app.version, ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}) }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['wb-application', app.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['wb-queue'] });
      form.resetFields();
    },
  });

  return (
    <section aria-labelledby="wb-actions-heading" className="console-panel section">
      <h2 id="wb-actions-heading">{t('wb.detail.actions')}</h2>
      <div role="status" aria-live="polite">
        {act.isSuccess ? (
          <Alert type="success" showIcon className="state-alert" title={t('wb.detail.done', { status: t(`wb.status.${act.data.status}`) })} />
        ) : null}
      </div>
      {act.isError ? <ErrorState error={act.error} /> : null}
      {allowed.length === 0 ? (
        <p>{t('wb.detail.noActions', { status: t(`wb.status.${app.status}`) })}</p>
      ) : (
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(values) => act.mutate(values)}>
          <Form.Item name="action" label={t('wb.detail.chooseAction')} rules={[{ required: true, message: t('wb.detail.actionRequired') }]}>
            <Radio.Group options={allowed.map((a) => ({ value: a, label: t(`wb.action.${a}`) }))} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('wb.detail.reason')}
            extra={chosen && RULES[chosen].reasonRequired ? t('wb.detail.reasonRequiredHint') : t('wb.detail.reasonHint')}
            rules={[{ required: !!chosen && RULES[chosen].reasonRequired, whitespace: true, message: t('wb.detail.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={act.isPending} className="next-button">
            {chosen ? t(`wb.action.${chosen}`) : t('wb.detail.submitAction')}
          </Button>
        </Form>
      )}
    </section>
  );
}
