// 亮证核验: the page a phone opens when it scans a holder's licence QR code. Public, no login.
// The node checks the presentation live (seal, status list, the code's own expiry) and this page
// shows the verdict first, then only what the holder chose to disclose — nothing else about them.
import { Fragment } from 'react';
import { Alert, Button } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { LicenceType, PresentationCheck } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { ErrorState, LoadingState } from '../components/QueryStates';

const AGE_CLAIM = /^ageAtLeast(\d+)$/;

export function VerifyPresentationPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  // Each load is a fresh check: a licence revoked a minute ago must read as revoked now.
  const check = useQuery({ queryKey: ['presentation', token], queryFn: () => api.presentation(token), gcTime: 0 });
  const types = useQuery({ queryKey: ['licence-types'], queryFn: api.licenceTypes, staleTime: Infinity });

  return (
    <>
      <PageTitle title={t('verifyLicence.title')} intro={t('verifyLicence.intro')} />
      {check.isPending ? (
        <LoadingState />
      ) : check.isError ? (
        <ErrorState error={check.error} onRetry={() => void check.refetch()} />
      ) : (
        <CheckResult check={check.data} types={types.data?.items ?? []} onRecheck={() => void check.refetch()} checking={check.isFetching} />
      )}
    </>
  );
}

interface ResultProps {
  check: PresentationCheck;
  types: LicenceType[];
  onRecheck: () => void;
  checking: boolean;
}

function CheckResult({ check, types, onRecheck, checking }: ResultProps) {
  const { t, i18n } = useTranslation();
  const p = check.presentation;
  const type = types.find((x) => x.code === p.licenceType.code);
  const titles = ((type?.fields as { properties?: Record<string, { title?: string }> } | undefined)?.properties) ?? {};
  const label = (field: string) => {
    if (field === 'holder.name') return t('present.holderName');
    if (field === 'holder.id') return t('present.holderId');
    const age = AGE_CLAIM.exec(field);
    if (age) return t('present.ageClaim', { age: Number(age[1]) });
    return titles[field]?.title ?? field;
  };
  const value = (v: unknown) => (typeof v === 'boolean' ? t(v ? 'verifyLicence.yes' : 'verifyLicence.no') : typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));
  const disclosed = Object.entries(p.disclosed);

  return (
    <section className="card" aria-labelledby="verdict">
      <Alert
        type={p.valid ? 'success' : 'error'}
        showIcon
        className="state-alert"
        title={<span id="verdict">{p.valid ? t('verifyLicence.valid', { name: p.licenceType.name }) : t('verifyLicence.invalid', { name: p.licenceType.name })}</span>}
        description={p.valid ? t('verifyLicence.validHint') : p.reasons.join('；') || t(`wallet.status.${p.status}`, { defaultValue: p.status })}
      />
      <h2 className="card-heading">{t('verifyLicence.disclosed')}</h2>
      {disclosed.length === 0 ? (
        <p>{t('verifyLicence.nothingDisclosed')}</p>
      ) : (
        <dl className="facts">
          {disclosed.map(([field, v]) => (
            <Fragment key={field}>
              <dt>{label(field)}</dt>
              <dd>{value(v)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      <p>{t('verifyLicence.onlyThese')}</p>
      <h2 className="card-heading">{t('verifyLicence.aboutLicence')}</h2>
      <dl className="facts">
        <dt>{t('verifyLicence.type')}</dt>
        <dd>{p.licenceType.name}</dd>
        <dt>{t('wallet.issuer')}</dt>
        <dd>{p.issuer.name}</dd>
        <dt>{t('wallet.validity')}</dt>
        <dd>{`${formatDate(p.validFrom, i18n.language)} – ${p.validTo ? formatDate(p.validTo, i18n.language) : t('wallet.noEnd')}`}</dd>
        <dt>{t('verifyLicence.status')}</dt>
        <dd>{t(`wallet.status.${p.status}`, { defaultValue: p.status })}</dd>
        <dt>{t('verifyLicence.checkedAt')}</dt>
        <dd>{formatDate(p.checkedAt, i18n.language, true)}</dd>
        <dt>{t('verifyLicence.codeExpires')}</dt>
        <dd>{formatDate(p.expiresAt, i18n.language, true)}</dd>
        <dt>{t('verifyLicence.sealedBy')}</dt>
        <dd className="identifier">{check.seal.keyId}</dd>
      </dl>
      <Button size="large" onClick={onRecheck} loading={checking}>{t('verifyLicence.recheck')}</Button>
    </section>
  );
}
