// 我家的隐私设置 (issue 9 §6): for each household I belong to, how finely the grid may count it in
// statistics (the smallest unit), and how staff may contact us. The server keeps one version per
// household; saving with a stale version (another member changed it) is refused with a 409, shown
// as guidance, and the page reloads the current choice.
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, Radio } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { HouseholdMinUnit, HouseholdPrivacy, HouseholdPrivacyChoice } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

/** Finest first: each step tells the grid less about the household. */
const MIN_UNITS: HouseholdMinUnit[] = ['household', 'building', 'grid', 'community', 'excluded'];
const CONTACTS = ['elderlyCareVisits', 'phoneCalls', 'doorVisits'] as const;
type Choice = Omit<HouseholdPrivacyChoice, 'version'>;

export function HouseholdPrivacyPage() {
  const { t } = useTranslation();
  const households = useQuery({ queryKey: ['my-households'], queryFn: api.myHouseholds });

  let body;
  if (households.isPending) body = <LoadingState />;
  else if (households.isError) body = <ErrorState error={households.error} onRetry={() => void households.refetch()} />;
  else if (households.data.items.length === 0) body = <EmptyState title={t('household.empty')} hint={t('household.emptyHint')} />;
  else {
    body = (
      <ul className="card-list">
        {households.data.items.map((h) => <HouseholdCard key={h.householdCode} household={h} />)}
      </ul>
    );
  }

  return (
    <>
      <PageTitle title={t('household.title')} intro={t('household.intro')} />
      <section aria-labelledby="household-why-heading" className="section">
        <h2 id="household-why-heading">{t('household.whyHeading')}</h2>
        <p>{t('household.why')}</p>
        <p>
          <Link to="/me/data-access-log">{t('household.seeLog')}</Link>
        </p>
      </section>
      <section aria-labelledby="household-list-heading" className="section">
        <h2 id="household-list-heading">{t('household.listHeading')}</h2>
        {body}
      </section>
    </>
  );
}

function HouseholdCard({ household }: { household: HouseholdPrivacy }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const [form] = Form.useForm<Choice>();
  const id = `household-${household.householdCode}`;
  // A new version (saved here, or by another member) becomes what the form shows.
  useEffect(() => form.resetFields(), [form, household.version]);
  const save = useMutation({
    mutationFn: (choice: Choice) =>
      api.setHouseholdPrivacy(household.householdCode, { ...choice, note: choice.note?.trim() || undefined, version: household.version }),
    onSuccess: (updated) => {
      setSaved(true);
      queryClient.setQueryData(['my-households'], (old: { items: HouseholdPrivacy[] } | undefined) =>
        old ? { items: old.items.map((h) => (h.householdCode === updated.householdCode ? updated : h)) } : old);
    },
    // A conflict means someone else in the household changed it: show theirs, then let me choose again.
    onError: () => void queryClient.invalidateQueries({ queryKey: ['my-households'] }),
  });

  return (
    <li className="card" aria-labelledby={`${id}-heading`}>
      <h3 className="card-heading" id={`${id}-heading`}>{t('household.code', { code: household.householdCode })}</h3>
      <p>{t('household.updatedAt', { when: formatDate(household.updatedAt, i18n.language, true) })}</p>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          minUnit: household.minUnit, elderlyCareVisits: household.elderlyCareVisits, phoneCalls: household.phoneCalls,
          doorVisits: household.doorVisits, note: household.note ?? '',
        }}
        onValuesChange={() => setSaved(false)}
        onFinish={(values) => save.mutate(values)}
      >
        <fieldset className="choice-fieldset">
          <legend>{t('household.minUnitLegend')}</legend>
          <p className="field-hint">{t('household.minUnitHint')}</p>
          <Form.Item name="minUnit" noStyle>
            <Radio.Group className="choice-stack" aria-label={t('household.minUnitLegend')}>
              {MIN_UNITS.map((unit) => (
                <Radio key={unit} value={unit}>
                  <strong>{t(`household.unit.${unit}`)}</strong>
                  <span className="choice-hint">{t(`household.unitHint.${unit}`)}</span>
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        </fieldset>
        <fieldset className="choice-fieldset">
          <legend>{t('household.contactLegend')}</legend>
          {CONTACTS.map((key) => (
            <Form.Item key={key} name={key} valuePropName="checked" noStyle>
              <Checkbox className="choice-line">{t(`household.contact.${key}`)}</Checkbox>
            </Form.Item>
          ))}
        </fieldset>
        <Form.Item label={t('household.note')} name="note" extra={t('household.noteHint')}>
          <Input maxLength={200} showCount />
        </Form.Item>
        {saved ? <Alert type="success" showIcon role="status" className="state-alert" title={t('household.saved')} /> : null}
        {save.isError ? <ErrorState error={save.error} /> : null}
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('household.save')}
        </Button>
      </Form>
    </li>
  );
}
