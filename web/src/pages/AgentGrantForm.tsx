// The form to grant a relative the right to act for me. Native date input rather than a
// pop-up calendar: it works with the keyboard and screen readers everywhere.
import { useState } from 'react';
import { Alert, Button, Form, Input, Radio } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorState } from '../components/QueryStates';

interface GrantValues {
  agentUsername: string;
  scopeKind: 'all' | 'some';
  matters?: string;
  expiresOn: string;
}

export function AgentGrantForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GrantValues>();
  const [granted, setGranted] = useState<string | null>(null);
  const scopeKind = Form.useWatch('scopeKind', form);

  const create = useMutation({
    mutationFn: (values: GrantValues) =>
      api.createAgentGrant({
        agentUsername: values.agentUsername.trim(),
        scope: values.scopeKind === 'all' ? ['*'] : (values.matters ?? '').split(/[,，、\s]+/).filter(Boolean),
        // End of the chosen day, in the person's own time zone.
        expiresAt: new Date(`${values.expiresOn}T23:59:59`).toISOString(),
      }),
    onSuccess: (_grant, values) => {
      setGranted(values.agentUsername);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['my-agent-grants'] });
    },
  });

  const today = new Date().toISOString().slice(0, 10);

  return (
    <>
      {granted ? (
        <Alert type="success" showIcon role="status" className="state-alert" title={t('grants.created', { name: granted })} />
      ) : null}
      {create.isError ? <ErrorState error={create.error} /> : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ scopeKind: 'all' }}
        onFinish={(values) => {
          setGranted(null);
          create.mutate(values);
        }}
      >
        <Form.Item
          label={t('grants.agentUsername')}
          name="agentUsername"
          extra={t('grants.agentUsernameHint')}
          rules={[{ required: true, whitespace: true, message: t('grants.agentUsernameRequired') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('grants.scope')} name="scopeKind">
          <Radio.Group
            options={[
              { value: 'all', label: t('grants.scopeAll') },
              { value: 'some', label: t('grants.scopeSome') },
            ]}
          />
        </Form.Item>
        {scopeKind === 'some' ? (
          <Form.Item
            label={t('grants.matters')}
            name="matters"
            extra={t('grants.mattersHint')}
            rules={[{ required: true, whitespace: true, message: t('grants.mattersRequired') }]}
          >
            <Input />
          </Form.Item>
        ) : null}
        <Form.Item
          label={t('grants.expiresAt')}
          name="expiresOn"
          rules={[{ required: true, message: t('grants.expiresRequired') }]}
        >
          <Input type="date" min={today} />
        </Form.Item>
        <p className="consent-note">{t('grants.consentNote')}</p>
        <Button type="primary" htmlType="submit" size="large" loading={create.isPending} className="next-button">
          {t('grants.submit')}
        </Button>
      </Form>
    </>
  );
}
