// One application's history as a timeline: each step with who did it, when, and why; its
// deadline; and, once it has a result, the 好差评 rating (or the form to give one).
import { Timeline } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { formatDate } from '../components/formatDate';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';
import { RatingSection } from './RatingSection';

export function ApplicationTimeline({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const detail = useQuery({ queryKey: ['application', id], queryFn: () => api.getApplication(id) });

  let body;
  if (detail.isPending) body = <LoadingState />;
  else if (detail.isError) body = <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  else if (!detail.data.timeline.length) body = <EmptyState title={t('applications.noHistory')} />;
  else {
    const app = detail.data;
    body = (
      <>
        <p className="timeline-facts">
          {t('applications.currentStatus')}: <strong>{t(`applications.status.${app.status}`, { defaultValue: app.status })}</strong>
          {app.dueOn ? <> · {t('applications.dueDate')}: {formatDate(app.dueOn, i18n.language)}</> : null}
        </p>
        <Timeline
          items={app.timeline.map((event, index) => ({
            key: `${event.at}-${index}`,
            title: formatDate(event.at, i18n.language, true),
            content: (
              <>
                <strong>{t(`applications.status.${event.toStatus}`, { defaultValue: event.toStatus })}</strong>
                <p>{t('applications.actor')}: {event.actor}</p>
                {event.reason ? <p>{t('applications.reason')}: {event.reason}</p> : null}
              </>
            ),
          }))}
        />
        <RatingSection application={app} />
      </>
    );
  }

  return (
    <section aria-labelledby="timeline-heading" className="section">
      <h2 id="timeline-heading">
        {t('applications.timelineHeading', { name: detail.data?.matterName ?? id })}
      </h2>
      {body}
    </section>
  );
}
