// My data-access log: every time someone in government looked at my data — who, when, which
// data and why (issue 3 §6). Newest first as the server sends it.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

export function DataAccessLogPage() {
  const { t, i18n } = useTranslation();
  const log = useQuery({ queryKey: ['my-data-access-log'], queryFn: api.myDataAccessLog });

  return (
    <>
      <PageTitle title={t('accessLog.title')} intro={t('accessLog.intro')} />
      {log.isPending ? (
        <LoadingState />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : log.data.items.length === 0 ? (
        <EmptyState title={t('accessLog.empty')} hint={t('accessLog.emptyHint')} />
      ) : (
        <ul className="card-list">
          {log.data.items.map((entry) => (
            <li key={entry.id} className="card">
              <h2 className="card-heading">{formatDate(entry.accessedAt, i18n.language, true)}</h2>
              <dl className="facts">
                <dt>{t('accessLog.who')}</dt>
                <dd>{[entry.department, entry.actor, entry.node].filter(Boolean).join(' · ')}</dd>
                <dt>{t('accessLog.what')}</dt>
                <dd>{entry.fields.join('、') || '—'}</dd>
                <dt>{t('accessLog.why')}</dt>
                <dd>{entry.purpose}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
