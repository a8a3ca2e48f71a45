// 代办: let a relative act for me, with my recorded consent, for the matters I choose and until
// a date I choose; I can take it back at any time (issue 3 §4). Also lists who lets me act for
// them. Elder mode's "ask a relative" button on every page leads here.
import { Button, Tag } from 'antd';
import { STATUS_TAG } from '../ui/statusColors';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AgentGrant } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';
import { AgentGrantForm } from './AgentGrantForm';

export function AgentGrantsPage() {
  const { t } = useTranslation();
  const grants = useQuery({ queryKey: ['my-agent-grants'], queryFn: api.myAgentGrants });

  const list = (which: 'given' | 'received') => {
    if (grants.isPending) return <LoadingState />;
    if (grants.isError) return <ErrorState error={grants.error} onRetry={() => void grants.refetch()} />;
    const items = grants.data[which];
    if (items.length === 0) {
      return which === 'given'
        ? <EmptyState title={t('grants.empty')} hint={t('grants.emptyHint')} />
        : <EmptyState title={t('grants.receivedEmpty')} />;
    }
    return (
      <ul className="card-list">
        {items.map((grant) => <GrantCard key={grant.id} grant={grant} revocable={which === 'given'} />)}
      </ul>
    );
  };

  return (
    <>
      <PageTitle title={t('grants.title')} intro={t('grants.intro')} />
      <section aria-labelledby="grant-form-heading" className="section">
        <h2 id="grant-form-heading">{t('grants.formHeading')}</h2>
        <AgentGrantForm />
      </section>
      <section aria-labelledby="grant-given-heading" className="section">
        <h2 id="grant-given-heading">{t('grants.listHeading')}</h2>
        {list('given')}
      </section>
      <section aria-labelledby="grant-received-heading" className="section">
        <h2 id="grant-received-heading">{t('grants.receivedHeading')}</h2>
        {list('received')}
      </section>
    </>
  );
}

function GrantCard({ grant, revocable }: { grant: AgentGrant; revocable: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.revokeAgentGrant(grant),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-agent-grants'] }),
  });

  return (
    <li className="card">
      <h3 className="card-heading">{`${grant.granteeName}（${grant.relationship}）`}</h3>
      <Tag color={grant.active ? STATUS_TAG.ok : STATUS_TAG.neutral}>{grant.active ? t('grants.active') : t('grants.inactive')}</Tag>
      <dl className="facts">
        <dt>{t('grants.scope')}</dt>
        <dd>{grant.matters.includes('*') ? t('grants.scopeAll') : grant.matters.join('、')}</dd>
        <dt>{t('grants.purpose')}</dt>
        <dd>{grant.purpose}</dd>
        <dt>{t('grants.expiresAt')}</dt>
        <dd>{formatDate(grant.expiresAt, i18n.language)}</dd>
        <dt>{t('grants.consent')}</dt>
        <dd>{grant.consentStatement}</dd>
        {grant.revokedAt ? (
          <>
            <dt>{t('grants.revokedAt')}</dt>
            <dd>{formatDate(grant.revokedAt, i18n.language, true)}</dd>
          </>
        ) : null}
      </dl>
      {revoke.isError ? <ErrorState error={revoke.error} /> : null}
      {revocable && grant.active ? (
        <Button danger onClick={() => revoke.mutate()} loading={revoke.isPending}>
          {t('grants.revoke', { name: grant.granteeName })}
        </Button>
      ) : null}
    </li>
  );
}
