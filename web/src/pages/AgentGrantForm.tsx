// The form to grant a relative the right to act for me. Consent is an explicit tick, sent as
// `consent: true` and kept on record by the server. Native date input rather than a pop-up
// calendar: it works with the keyboard and screen readers everywhere.
import { useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, Radio } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorState } from '../components/QueryStates';

interface GrantValues {
  granteeUsername: string;
  relationship: string;
  scopeKind: 'all' | 'some';
  matters?: string;
  purpose: string;
  expiresOn: string;
  consent: boolean;
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
        granteeUsername: values.granteeUsername.trim(),
        relationship: values.relationship.trim(),
        matters: values.scopeKind === 'all' ? ['*'] : (values.matters ?? '').split(/[,，、\s]+/).filter(Boolean),
        purpose: values.purpose.trim(),
        // End of the chosen day, in the person's own time zone.
        expiresAt: new Date(`${values.expiresOn}T23:59:59`).toISOString(),
        consent: values.consent,
      }),
    onSuccess: (grant) => {
      setGranted(grant.granteeName);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['my-agent-grants'] });
    },
  });

  const today = new Date().toISOString().slice(0, 10);
  const required = (message: string) => [{ required: true, whitespace: true, message }];

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
        initialValues={{ scopeKind: 'all', consent: false }}
        onFinish={(values) => {
          setGranted(null);
          create.mutate(values);
        }}
      >
        <Form.Item label={t('grants.agentUsername')} name="granteeUsername" extra={t('grants.agentUsernameHint')} rules={required(t('grants.agentUsernameRequired'))}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('grants.relationship')} name="relationship" extra={t('grants.relationshipHint')} rules={required(t('grants.relationshipRequired'))}>
          <Input maxLength={30} />
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
          <Form.Item label={t('grants.matters')} name="matters" extra={t('grants.mattersHint')} rules={required(t('grants.mattersRequired'))}>
            <Input />
          </Form.Item>
        ) : null}
        <Form.Item
          label={t('grants.purpose')}
          name="purpose"
          extra={t('grants.purposeHint')}
          rules={[...required(t('grants.purposeRequired')), { min: 2, message: t('grants.purposeRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('grants.expiresAt')} name="expiresOn" rules={[{ required: true, message: t('grants.expiresRequired') }]}>
          <Input type="date" min={today} />
        </Form.Item>
        <Form.Item
          name="consent"
          valuePropName="checked"
          rules={[{ validator: (_, value) => (value ? Promise.resolve() : Promise.reject(new Error(t('grants.consentRequired')))) }]}
        >
          <Checkbox>{t('grants.consentNote')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" loading={create.isPending} className="next-button">
          {t('grants.submit')}
        </Button>
      </Form>
    </>
  );
}
