// Issuing an e-licence (issuers): the type's fields come from its JSON Schema
// (GET /api/v1/licences/types), so a new type needs no new screen. The server validates again.
import { useState } from 'react';
import { Alert, Button, Form, Input, Radio, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { IssueBody, LicenceType, SealedLicence } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, WORKBENCH_LINKS } from '../ConsoleNav';
import '../consoles.css';

/** The part of JSON Schema the licence types use (src/modules/licences/types.ts). */
interface FieldSchema {
  type?: string;
  title?: string;
  format?: string;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  items?: FieldSchema;
}

interface TypeSchema {
  required?: string[];
  properties?: Record<string, FieldSchema>;
}

interface Values {
  holderKind: 'person' | 'company';
  holderId: string;
  validFrom: string;
  validTo?: string;
  fields: Record<string, string | string[] | undefined>;
}

function FieldInput({ name, schema, required }: { name: string; schema: FieldSchema; required: boolean }) {
  const { t } = useTranslation();
  const rules: Rule[] = [{ required, message: t('wb.issue.fieldRequired', { field: schema.title ?? name }) }];
  if (schema.pattern) rules.push({ pattern: new RegExp(schema.pattern), message: t('wb.issue.fieldPattern', { pattern: schema.pattern }) });
  let control;
  if (schema.enum) control = <Select options={schema.enum.map((v) => ({ value: v, label: v }))} />;
  else if (schema.type === 'array') control = <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', '、']} />;
  else if (schema.format === 'date') control = <Input type="date" />;
  else control = <Input maxLength={schema.maxLength} />;
  return (
    <Form.Item
      name={['fields', name]}
      label={schema.title ?? name}
      rules={rules}
      extra={schema.type === 'array' ? t('wb.issue.listHint') : undefined}
    >
      {control}
    </Form.Item>
  );
}

function toBody(type: LicenceType, values: Values): IssueBody {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values.fields ?? {})) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    fields[key] = typeof value === 'string' ? value.trim() : value;
  }
  return {
    type: type.code,
    holder: { kind: values.holderKind, id: values.holderId.trim() },
    fields,
    validFrom: values.validFrom,
    ...(values.validTo ? { validTo: values.validTo } : {}),
  };
}

export default function LicenceIssuePage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [typeCode, setTypeCode] = useState<string | undefined>();
  const [issued, setIssued] = useState<SealedLicence | null>(null);
  const types = useQuery({ queryKey: ['licence-types'], queryFn: consoleApi.licenceTypes, staleTime: Infinity });
  const type = types.data?.items.find((x) => x.code === typeCode);
  const schema = (type?.fields ?? {}) as TypeSchema;
  const issue = useMutation({
    mutationFn: (body: IssueBody) => consoleApi.issueLicence(body),
    onSuccess: (licence) => {
      setIssued(licence);
      form.resetFields();
      setTypeCode(undefined);
    },
  });

  return (
    <>
      <PageTitle title={t('wb.issue.title')} intro={t('wb.issue.intro')} />
      <ConsoleNav labelKey="wb.nav.label" links={WORKBENCH_LINKS} />
      <div role="status" aria-live="polite">
        {issued ? (
          <Alert
            type="success"
            showIcon
            className="state-alert"
            title={t('wb.issue.done')}
            description={<p className="identifier">{issued.identifier}</p>}
          />
        ) : null}
      </div>
      {types.isPending ? <LoadingState /> : null}
      {types.isError ? <ErrorState error={types.error} onRetry={() => void types.refetch()} /> : null}
      {issue.isError ? <ErrorState error={issue.error} /> : null}
      {types.isSuccess ? (
        <Form
          form={form}
          layout="vertical"
          requiredMark
          onFinish={(values) => type && issue.mutate(toBody(type, values))}
          initialValues={{ validFrom: new Date().toISOString().slice(0, 10) }}
        >
          <Form.Item label={t('wb.issue.type')} htmlFor="issue-type" required>
            <Select
              id="issue-type"
              value={typeCode}
              onChange={(code: string) => {
                setTypeCode(code);
                const kinds = types.data.items.find((x) => x.code === code)?.holderKinds ?? [];
                form.setFieldsValue({ holderKind: kinds[0] as Values['holderKind'], fields: {} });
              }}
              options={types.data.items.map((x) => ({ value: x.code, label: x.name }))}
            />
          </Form.Item>
          {type ? (
            <>
              <Form.Item name="holderKind" label={t('wb.issue.holderKind')} rules={[{ required: true }]}>
                <Radio.Group options={type.holderKinds.map((k) => ({ value: k, label: t(`wb.applicantKind.${k}`) }))} />
              </Form.Item>
              <Form.Item
                name="holderId"
                label={t('wb.issue.holderId')}
                extra={t('wb.issue.holderIdHint')}
                rules={[{ required: true, whitespace: true, message: t('wb.issue.holderIdRequired') }]}
              >
                <Input maxLength={32} autoComplete="off" />
              </Form.Item>
              <fieldset className="console-panel">
                <legend>{t('wb.issue.fields', { name: type.name })}</legend>
                {Object.entries(schema.properties ?? {}).map(([name, field]) => (
                  <FieldInput key={name} name={name} schema={field} required={(schema.required ?? []).includes(name)} />
                ))}
              </fieldset>
              <Form.Item name="validFrom" label={t('wb.issue.validFrom')} rules={[{ required: true, message: t('wb.issue.validFromRequired') }]}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="validTo" label={t('wb.issue.validTo')} extra={t('wb.issue.validToHint')}>
                <Input type="date" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={issue.isPending} className="next-button">
                {t('wb.issue.submit')}
              </Button>
            </>
          ) : (
            <p>{t('wb.issue.chooseType')}</p>
          )}
        </Form>
      ) : null}
    </>
  );
}
