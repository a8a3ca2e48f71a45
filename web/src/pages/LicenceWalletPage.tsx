// My licence wallet (我的证照): the e-licences I hold, with their status and validity.
import { Tag } from 'antd';
import { STATUS_TAG } from '../ui/statusColors';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

export function LicenceWalletPage() {
  const { t, i18n } = useTranslation();
  const wallet = useQuery({ queryKey: ['my-licences'], queryFn: api.myLicences });

  return (
    <>
      <PageTitle title={t('wallet.title')} intro={t('wallet.intro')} />
      {wallet.isPending ? (
        <LoadingState />
      ) : wallet.isError ? (
        <ErrorState error={wallet.error} onRetry={() => void wallet.refetch()} />
      ) : wallet.data.items.length === 0 ? (
        <EmptyState title={t('wallet.empty')} hint={t('wallet.emptyHint')}>
          <Link className="link-button" to="/search">{t('applications.findMatter')}</Link>
        </EmptyState>
      ) : (
        <ul className="card-list">
          {wallet.data.items.map((licence) => (
            <li key={licence.id} className="card">
              <h2 className="card-heading">{licence.typeName ?? licence.type}</h2>
              {licence.status ? (
                // Status in words, not colour alone (GB/T 36904 status codes, DOMAIN.md).
                <Tag color={licence.status === '01' ? STATUS_TAG.ok : STATUS_TAG.bad}>
                  {t(`wallet.status.${licence.status}`, { defaultValue: licence.status })}
                </Tag>
              ) : null}
              <dl className="facts">
                <dt>{t('wallet.identifier')}</dt>
                <dd className="identifier">{licence.identifier}</dd>
                <dt>{t('wallet.validity')}</dt>
                <dd>
                  {formatDate(licence.validFrom, i18n.language)} – {formatDate(licence.validTo, i18n.language)}
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
