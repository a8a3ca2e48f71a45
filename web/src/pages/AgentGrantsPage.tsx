// 代办: let a relative act for me, with my recorded consent, for the matters I choose and until
// a date I choose; I can take it back at any time (issue 3 §4). Elder mode's "ask a relative"
// button on every page leads here.
import { Button, Tag } from 'antd';
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

  return (
    <>
      <PageTitle title={t('grants.title')} intro={t('grants.intro')} />
      <section aria-labelledby="grant-form-heading" className="section">
        <h2 id="grant-form-heading">{t('grants.formHeading')}</h2>
        <AgentGrantForm />
      </section>
      <section aria-labelledby="grant-list-heading" className="section">
        <h2 id="grant-list-heading">{t('grants.listHeading')}</h2>
        {grants.isPending ? (
          <LoadingState />
        ) : grants.isError ? (
          <ErrorState error={grants.error} onRetry={() => void grants.refetch()} />
        ) : grants.data.items.length === 0 ? (
          <EmptyState title={t('grants.empty')} hint={t('grants.emptyHint')} />
        ) : (
          <ul className="card-list">
            {grants.data.items.map((grant) => (
              <GrantCard key={grant.id} grant={grant} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function GrantCard({ grant }: { grant: AgentGrant }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.revokeAgentGrant(grant.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-agent-grants'] }),
  });
  const who = grant.agentName ?? grant.agentUsername ?? '—';
  const active = !grant.revokedAt && (!grant.expiresAt || new Date(grant.expiresAt) > new Date());

  return (
    <li className="card">
      <h3 className="card-heading">{who}</h3>
      <Tag color={active ? 'success' : 'default'}>{active ? t('grants.active') : t('grants.inactive')}</Tag>
      <dl className="facts">
        <dt>{t('grants.scope')}</dt>
        <dd>{grant.scope?.includes('*') ? t('grants.scopeAll') : grant.scope?.join('、') || '—'}</dd>
        <dt>{t('grants.expiresAt')}</dt>
        <dd>{formatDate(grant.expiresAt, i18n.language)}</dd>
      </dl>
      {revoke.isError ? <ErrorState error={revoke.error} /> : null}
      {active ? (
        <Button danger onClick={() => revoke.mutate()} loading={revoke.isPending}>
          {t('grants.revoke', { name: who })}
        </Button>
      ) : null}
    </li>
  );
}
