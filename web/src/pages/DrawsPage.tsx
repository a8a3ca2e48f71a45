// Public 双随机一公开 draws: each revealed draw's seed commitment and seed, so anyone can check
// that the inspected companies and the inspectors were chosen by the published rule (issue 7 §4).
import { Button } from 'antd';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { DrawSummary } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

export function DrawsPage() {
  const { t } = useTranslation();
  const draws = useQuery({ queryKey: ['public-draws'], queryFn: api.publicDraws });

  return (
    <>
      <PageTitle title={t('draws.title')} intro={t('draws.intro')} />
      {draws.isPending ? (
        <LoadingState />
      ) : draws.isError ? (
        <ErrorState error={draws.error} onRetry={() => void draws.refetch()} />
      ) : draws.data.items.length === 0 ? (
        <EmptyState title={t('draws.empty')} hint={t('draws.emptyHint')} />
      ) : (
        <ul className="card-list">
          {draws.data.items.map((draw) => (
            <DrawCard key={draw.id} draw={draw} />
          ))}
        </ul>
      )}
    </>
  );
}

function DrawCard({ draw }: { draw: DrawSummary }) {
  const { t, i18n } = useTranslation();
  const verify = useMutation({ mutationFn: () => api.verifyDraw(draw.id) });

  return (
    <li className="card">
      <h2 className="card-heading">{draw.taskName}</h2>
      <dl className="facts">
        <dt>{t('draws.revealedAt')}</dt>
        <dd>{formatDate(draw.revealedAt, i18n.language, true)}</dd>
        <dt>{t('draws.region')}</dt>
        <dd>{draw.regionCode}</dd>
        <dt>{t('draws.departments')}</dt>
        <dd>{draw.departments.join('、') || '—'}</dd>
        <dt>{t('draws.selectedCount')}</dt>
        <dd>{draw.selectedCount}</dd>
        <dt>{t('draws.commitment')}</dt>
        <dd className="identifier">{draw.seedCommitment}</dd>
      </dl>
      <p>
        <Link to={`/supervision/draws/${encodeURIComponent(draw.id)}`}>{t('sv.draws.details')}</Link>
        {' · '}
        <a href={`/api/v1/supervision/draws/${encodeURIComponent(draw.id)}`}>{t('draws.rawData')}</a>
      </p>
      <div role="status" aria-live="polite">
        {verify.isSuccess ? (
          <p className={verify.data.ok ? 'verify-ok' : 'verify-bad'}>
            {verify.data.ok
              ? t('draws.verifyOk')
              : t('draws.verifyBad', {
                  reasons: verify.data.checks.filter((c) => !c.ok).map((c) => c.detail ?? c.name).join('；'),
                })}
          </p>
        ) : null}
      </div>
      {verify.isError ? <ErrorState error={verify.error} /> : null}
      <Button onClick={() => verify.mutate()} loading={verify.isPending}>
        {t('draws.verify')}
      </Button>
    </li>
  );
}
