// My licence wallet (我的证照): the e-licences I hold, with their status and validity; for each,
// show it by QR code (亮证) or let an application use it (用证). The panels open in place, not
// in a pop-up (elder mode allows none), one at a time.
import { useState } from 'react';
import { Button, Tag } from 'antd';
import { STATUS_TAG } from '../ui/statusColors';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { LicenceSummary } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';
import { LendPanel } from './licences/LendPanel';
import { PresentPanel } from './licences/PresentPanel';

type Open = { id: string; panel: 'present' | 'lend' } | null;

export function LicenceWalletPage() {
  const { t } = useTranslation();
  const wallet = useQuery({ queryKey: ['my-licences'], queryFn: api.myLicences });
  const [open, setOpen] = useState<Open>(null);

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
            <LicenceCard key={licence.id} licence={licence} open={open?.id === licence.id ? open.panel : null}
              onOpen={(panel) => setOpen(panel && { id: licence.id, panel })} />
          ))}
        </ul>
      )}
    </>
  );
}

interface CardProps {
  licence: LicenceSummary;
  open: 'present' | 'lend' | null;
  onOpen: (panel: 'present' | 'lend' | null) => void;
}

function LicenceCard({ licence, open, onOpen }: CardProps) {
  const { t, i18n } = useTranslation();
  const valid = licence.status === '01';
  const toggle = (panel: 'present' | 'lend') => onOpen(open === panel ? null : panel);
  return (
    <li className="card">
      <h2 className="card-heading">{licence.typeName}</h2>
      {/* Status in words, not colour alone (GB/T 36904 status codes, DOMAIN.md). */}
      <Tag color={valid ? STATUS_TAG.ok : STATUS_TAG.bad}>{t(`wallet.status.${licence.status}`, { defaultValue: licence.status })}</Tag>
      <dl className="facts">
        <dt>{t('wallet.identifier')}</dt>
        <dd className="identifier">{licence.identifier}</dd>
        <dt>{t('wallet.validity')}</dt>
        <dd>
          {formatDate(licence.validFrom, i18n.language)} – {licence.validTo ? formatDate(licence.validTo, i18n.language) : t('wallet.noEnd')}
        </dd>
        <dt>{t('wallet.issuer')}</dt>
        <dd>{licence.issuer}</dd>
      </dl>
      {valid ? (
        <div className="step-buttons">
          <Button size="large" type={open === 'present' ? 'primary' : 'default'} aria-expanded={open === 'present'} onClick={() => toggle('present')}>
            {t('present.open', { name: licence.typeName })}
          </Button>
          <Button size="large" type={open === 'lend' ? 'primary' : 'default'} aria-expanded={open === 'lend'} onClick={() => toggle('lend')}>
            {t('lend.open', { name: licence.typeName })}
          </Button>
        </div>
      ) : (
        <p>{t('wallet.notUsable')}</p>
      )}
      {open === 'present' ? <PresentPanel licence={licence} /> : null}
      {open === 'lend' ? <LendPanel licence={licence} /> : null}
    </li>
  );
}
