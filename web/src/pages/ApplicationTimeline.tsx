// One application's history as a timeline: each step with who did it, when, and why.
import { Timeline } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { formatDate } from '../components/formatDate';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

export function ApplicationTimeline({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const detail = useQuery({ queryKey: ['application', id], queryFn: () => api.getApplication(id) });

  let body;
  if (detail.isPending) body = <LoadingState />;
  else if (detail.isError) body = <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  else if (!detail.data.history?.length) body = <EmptyState title={t('applications.noHistory')} />;
  else {
    body = (
      <Timeline
        items={detail.data.history.map((event, index) => ({
          key: `${event.at}-${index}`,
          title: formatDate(event.at, i18n.language, true),
          content: (
            <>
              <strong>{t(`applications.status.${event.status}`, { defaultValue: event.status })}</strong>
              {event.actor ? <p>{t('applications.actor')}: {event.actor}</p> : null}
              {event.reason ? <p>{t('applications.reason')}: {event.reason}</p> : null}
            </>
          ),
        }))}
      />
    );
  }

  return (
    <section aria-labelledby="timeline-heading" className="section">
      <h2 id="timeline-heading">
        {t('applications.timelineHeading', { name: detail.data?.matterName ?? detail.data?.matterCode ?? id })}
      </h2>
      {body}
    </section>
  );
}
