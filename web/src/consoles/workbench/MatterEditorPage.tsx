// Add a matter, or publish a new version of one (applications already filed keep the version they
// were filed under). Region and department are the official's own: the server allows no other.
import { Alert, Button, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { MatterBody, MatterDefinition } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { CheckboxGroup } from '../CheckboxGroup';
import { ConsoleNav, WORKBENCH_LINKS } from '../ConsoleNav';
import { useMe } from '../useMe';
import '../consoles.css';

type Values = MatterBody & { code?: string; changeNote?: string; crossProvinceChoice: MatterBody['crossProvince'] | 'none' };

const BLANK: Omit<MatterBody, 'regionCode' | 'department'> = {
  name: '', category: '', description: '', legalLimitDays: 20, promisedLimitDays: 10, fee: '不收费',
  channels: ['online', 'counter'], crossProvince: null, applicantKinds: ['person'], commitmentAllowed: false,
  aliases: [], formFields: [], materials: [],
};

function toBody(values: Values, region: string, department: string): MatterBody {
  return {
    name: values.name.trim(), category: values.category.trim(), department, regionCode: region,
    description: values.description ?? '', legalLimitDays: values.legalLimitDays, promisedLimitDays: values.promisedLimitDays,
    fee: values.fee ?? '', channels: values.channels, crossProvince: values.crossProvinceChoice === 'none' ? null : values.crossProvinceChoice,
    applicantKinds: values.applicantKinds, commitmentAllowed: !!values.commitmentAllowed, aliases: values.aliases ?? [],
    // Whole rows, so settings this form does not show (prefill, licence types) are kept.
    formFields: (values.formFields ?? []).map((f) => ({ ...f, required: !!f.required })),
    // A cleared number input gives null; the schema wants the property absent.
    materials: (values.materials ?? []).map(({ freshnessDays, ...m }) => ({ ...m, required: !!m.required, ...(freshnessDays ? { freshnessDays } : {}) })),
  };
}

export default function MatterEditorPage() {
  const { t } = useTranslation();
  const { code } = useParams();
  const me = useMe();
  const existing = useQuery({ queryKey: ['wb-matter', code], queryFn: () => consoleApi.matter(code!), enabled: !!code });
  const title = code ? t('wb.matter.editTitle', { code }) : t('wb.matter.newTitle');
  const ready = me.isSuccess && (!code || existing.isSuccess);

  return (
    <>
      <PageTitle title={title} intro={t('wb.matter.intro')} />
      <ConsoleNav labelKey="wb.nav.label" links={WORKBENCH_LINKS} />
      <p><Link to="/workbench/catalogue">{t('wb.matter.back')}</Link></p>
      {me.isError ? <ErrorState error={me.error} /> : null}
      {existing.isError ? <ErrorState error={existing.error} onRetry={() => void existing.refetch()} /> : null}
      {!ready && !me.isError && !existing.isError ? <LoadingState /> : null}
      {ready ? (
        <MatterForm
          key={code ?? 'new'}
          matter={existing.data}
          region={me.data.user.regionCode ?? ''}
          department={me.data.user.department ?? ''}
        />
      ) : null}
    </>
  );
}

function MatterForm({ matter, region, department }: { matter?: MatterDefinition; region: string; department: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: Values) => {
      const body = toBody(values, region, department);
      return matter
        ? consoleApi.updateMatter(matter.code, { version: matter.version, changeNote: values.changeNote!.trim(), matter: body })
        : consoleApi.createMatter({ code: values.code!.trim(), ...body });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(['wb-matter', saved.code], saved);
      void queryClient.invalidateQueries({ queryKey: ['wb-matters'] });
      void navigate(`/workbench/catalogue/${encodeURIComponent(saved.code)}?saved=${saved.version}`);
    },
  });
  const savedVersion = new URLSearchParams(window.location.search).get('saved');
  const initial: Partial<Values> = { ...BLANK, ...matter, crossProvinceChoice: matter?.crossProvince ?? 'none' };

  return (
    <Form form={form} layout="vertical" initialValues={initial} onFinish={() => save.mutate(form.getFieldsValue(true) as Values)}>
      <div role="status" aria-live="polite">
        {savedVersion && matter ? <Alert type="success" showIcon className="state-alert" title={t('wb.matter.saved', { version: savedVersion })} /> : null}
      </div>
      {save.isError ? <ErrorState error={save.error} /> : null}
      <p>{t('wb.matter.scope', { department, region })}</p>
      {matter ? null : (
        <Form.Item name="code" label={t('wb.queue.code')} extra={t('wb.matter.codeHint', { region })}
          rules={[{ required: true, pattern: /^[A-Z0-9][A-Z0-9-]{2,39}$/, message: t('wb.matter.codeRule') }]}>
          <Input maxLength={40} />
        </Form.Item>
      )}
      <Form.Item name="name" label={t('wb.catalogue.name')} rules={[{ required: true, whitespace: true, max: 80, message: t('wb.matter.nameRule') }]}>
        <Input maxLength={80} />
      </Form.Item>
      <Form.Item name="category" label={t('wb.catalogue.category')} rules={[{ required: true, whitespace: true, max: 20, message: t('wb.matter.categoryRule') }]}>
        <Input maxLength={20} />
      </Form.Item>
      <Form.Item name="description" label={t('wb.matter.description')}>
        <Input.TextArea rows={3} maxLength={1000} showCount />
      </Form.Item>
      <Space wrap size="large">
        <Form.Item name="legalLimitDays" label={t('wb.matter.legalLimit')} rules={[{ required: true, message: t('wb.matter.limitRule') }]}>
          <InputNumber min={0} max={365} />
        </Form.Item>
        <Form.Item name="promisedLimitDays" label={t('wb.matter.promisedLimit')} rules={[{ required: true, message: t('wb.matter.limitRule') }]}>
          <InputNumber min={0} max={365} />
        </Form.Item>
      </Space>
      <Form.Item name="fee" label={t('wb.matter.fee')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="channels" label={t('wb.matter.channels')} rules={[{ required: true, type: 'array', min: 1, message: t('wb.matter.pickOne') }]}>
        <CheckboxGroup label={t('wb.matter.channels')} options={(['online', 'counter', 'mail'] as const).map((c) => ({ value: c, label: t(`wb.channel.${c}`) }))} />
      </Form.Item>
      <Form.Item name="applicantKinds" label={t('wb.matter.applicantKinds')} rules={[{ required: true, type: 'array', min: 1, message: t('wb.matter.pickOne') }]}>
        <CheckboxGroup label={t('wb.matter.applicantKinds')} options={(['person', 'company'] as const).map((c) => ({ value: c, label: t(`wb.applicantKind.${c}`) }))} />
      </Form.Item>
      <Form.Item name="crossProvinceChoice" label={t('wb.catalogue.cross')}>
        <Select options={(['none', 'full-online', 'proxy', 'multi-site'] as const).map((c) => ({ value: c, label: c === 'none' ? t('wb.cross.none') : t(`wb.cross.${c}`) }))} />
      </Form.Item>
      <Form.Item name="commitmentAllowed" valuePropName="checked">
        <Checkbox>{t('wb.matter.commitment')}</Checkbox>
      </Form.Item>
      <Form.Item name="aliases" label={t('wb.matter.aliases')} extra={t('wb.issue.listHint')}>
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', '、']} />
      </Form.Item>

      <fieldset className="console-panel">
        <legend>{t('wb.matter.formFields')}</legend>
        <Form.List name="formFields">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} wrap align="end">
                  <Form.Item name={[field.name, 'key']} label={t('wb.matter.fieldKey')} rules={[{ required: true, pattern: /^[a-zA-Z][a-zA-Z0-9]{1,39}$/, message: t('wb.matter.fieldKeyRule') }]}>
                    <Input maxLength={40} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'label']} label={t('wb.matter.fieldLabel')} rules={[{ required: true, whitespace: true, message: t('wb.matter.required') }]}>
                    <Input maxLength={60} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'required']} valuePropName="checked">
                    <Checkbox>{t('wb.matter.isRequired')}</Checkbox>
                  </Form.Item>
                  <Form.Item>
                    <Button onClick={() => remove(field.name)}>{t('wb.matter.remove')}</Button>
                  </Form.Item>
                </Space>
              ))}
              <Button onClick={() => add({ key: '', label: '', required: true })}>{t('wb.matter.addField')}</Button>
            </>
          )}
        </Form.List>
      </fieldset>

      <fieldset className="console-panel section">
        <legend>{t('wb.matter.materials')}</legend>
        <Form.List name="materials">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} wrap align="end">
                  <Form.Item name={[field.name, 'key']} label={t('wb.matter.materialKey')} rules={[{ required: true, pattern: /^[a-z][a-z0-9-]{1,39}$/, message: t('wb.matter.materialKeyRule') }]}>
                    <Input maxLength={40} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'name']} label={t('wb.matter.materialName')} rules={[{ required: true, whitespace: true, message: t('wb.matter.required') }]}>
                    <Input maxLength={60} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'materialType']} label={t('wb.matter.materialType')} rules={[{ required: true, whitespace: true, message: t('wb.matter.required') }]}>
                    <Input maxLength={40} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'freshnessDays']} label={t('wb.matter.freshness')}>
                    <InputNumber min={1} max={36500} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'required']} valuePropName="checked">
                    <Checkbox>{t('wb.matter.isRequired')}</Checkbox>
                  </Form.Item>
                  <Form.Item>
                    <Button onClick={() => remove(field.name)}>{t('wb.matter.remove')}</Button>
                  </Form.Item>
                </Space>
              ))}
              <Button onClick={() => add({ key: '', name: '', materialType: '', required: true })}>{t('wb.matter.addMaterial')}</Button>
            </>
          )}
        </Form.List>
      </fieldset>

      {matter ? (
        <Form.Item name="changeNote" label={t('wb.matter.changeNote')} extra={t('wb.matter.changeNoteHint', { version: matter.version + 1 })}
          rules={[{ required: true, whitespace: true, message: t('wb.matter.changeNoteRule') }]}>
          <Input maxLength={200} />
        </Form.Item>
      ) : null}
      <Button type="primary" htmlType="submit" loading={save.isPending} className="next-button">
        {matter ? t('wb.matter.publish') : t('wb.matter.create')}
      </Button>
    </Form>
  );
}
