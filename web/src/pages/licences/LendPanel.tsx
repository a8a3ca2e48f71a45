// 用证: let one of my applications use this licence. The consent names the application, the
// department that handles it and why, is kept on record, and can be withdrawn at any time —
// the department then loses access at once.
import { useState } from 'react';
import { Alert, Button, Checkbox, Input, Select } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { citizenApi } from '../../api/citizen';
import type { LicenceSummary, Loan } from '../../api/types';
import { formatDate } from '../../components/formatDate';
import { ErrorState, LoadingState } from '../../components/QueryStates';

export function LendPanel({ licence }: { licence: LicenceSummary }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const applications = useQuery({ queryKey: ['my-applications'], queryFn: api.myApplications });
  const loans = useQuery({ queryKey: ['my-licence-loans'], queryFn: citizenApi.myLoans });
  const [applicationId, setApplicationId] = useState<string | undefined>();
  const [purpose, setPurpose] = useState('');
  const [consent, setConsent] = useState(false);
  const chosen = useQuery({ queryKey: ['application', applicationId], queryFn: () => api.getApplication(applicationId!), enabled: !!applicationId });

  const lend = useMutation({
    mutationFn: () => {
      const app = chosen.data!;
      return citizenApi.lend(licence.id, {
        applicationRef: app.id, matterCode: app.matterCode, matterName: app.matterName, purpose: purpose.trim(),
        recipientRegionCode: app.regionCode, recipientDepartment: app.department, consent,
      });
    },
    onSuccess: () => {
      setApplicationId(undefined);
      setPurpose('');
      setConsent(false);
      void queryClient.invalidateQueries({ queryKey: ['my-licence-loans'] });
    },
  });

  if (applications.isPending || loans.isPending) return <LoadingState />;
  if (applications.isError) return <ErrorState error={applications.error} onRetry={() => void applications.refetch()} />;
  if (loans.isError) return <ErrorState error={loans.error} onRetry={() => void loans.refetch()} />;
  const mine = loans.data.items.filter((loan) => loan.licenceId === licence.id);
  const open = applications.data.items.filter((a) => !['withdrawn', 'draft'].includes(a.status));

  return (
    <div className="panel">
      <p>{t('lend.intro')}</p>
      {lend.isSuccess ? <Alert type="success" showIcon role="status" className="state-alert" title={t('lend.done', { matter: lend.data.loan.matterName })} /> : null}
      <form onSubmit={(event) => { event.preventDefault(); lend.mutate(); }}>
        <label className="field">
          <span className="field-label">{t('lend.application')}</span>
          <Select value={applicationId} onChange={setApplicationId} placeholder={t('lend.applicationHint')}
            notFoundContent={t('lend.noApplications')}
            options={open.map((a) => ({
              value: a.id,
              label: `${a.matterName}（${t(`applications.status.${a.status}`, { defaultValue: a.status })} · ${formatDate(a.submittedAt ?? a.createdAt, i18n.language)}）`,
            }))} />
        </label>
        {chosen.data ? <p>{t('lend.recipient', { department: chosen.data.department, region: chosen.data.regionCode })}</p> : null}
        <label className="field">
          <span className="field-label">{t('lend.purpose')}</span>
          <Input value={purpose} maxLength={200} placeholder={t('lend.purposeHint')} onChange={(event) => setPurpose(event.target.value)} />
        </label>
        <Checkbox checked={consent} onChange={(event) => setConsent(event.target.checked)}>{t('lend.consent')}</Checkbox>
        {lend.isError ? <ErrorState error={lend.error} /> : null}
        <div className="step-buttons">
          <Button type="primary" htmlType="submit" size="large" className="next-button" loading={lend.isPending}
            disabled={!chosen.data || !consent || purpose.trim().length < 2}>
            {t('lend.submit')}
          </Button>
        </div>
      </form>
      <h3>{t('lend.listHeading')}</h3>
      {mine.length === 0 ? <p>{t('lend.empty')}</p> : (
        <ul className="card-list">
          {mine.map((loan) => <LoanItem key={loan.id} loan={loan} language={i18n.language} />)}
        </ul>
      )}
    </div>
  );
}

function LoanItem({ loan, language }: { loan: Loan; language: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () => citizenApi.withdrawLoan(loan),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['my-licence-loans'] }),
  });
  return (
    <li className="card">
      <p><strong>{loan.matterName}</strong> · {loan.active ? t('lend.active') : t('lend.inactive')}</p>
      <p>{loan.consentStatement}</p>
      <p>{t('lend.until', { date: formatDate(loan.revokedAt ?? loan.expiresAt, language) })}</p>
      {withdraw.isError ? <ErrorState error={withdraw.error} /> : null}
      {loan.active ? (
        <Button size="large" danger loading={withdraw.isPending} onClick={() => withdraw.mutate()}>
          {t('lend.withdraw', { matter: loan.matterName })}
        </Button>
      ) : null}
    </li>
  );
}
