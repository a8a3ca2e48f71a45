// One application's history as a timeline: each step with who did it, when, and why; its
// deadline; whose it is when not simply mine (代办 either way, or my company's); and, once it
// has a result, the 好差评 rating (or the form to give one).
import { Timeline } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { formatDate } from '../components/formatDate';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';
import { RatingSection } from './RatingSection';
import { applicationParty, type Party } from './applicationParties';

export function ApplicationTimeline({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const detail = useQuery({ queryKey: ['application', id], queryFn: () => api.getApplication(id) });
  const me = useQuery({ queryKey: ['me'], queryFn: api.me });
  const matterCode = detail.data?.matterCode;
  const matter = useQuery({ queryKey: ['matter', matterCode], queryFn: () => api.getMatter(matterCode!), enabled: !!matterCode });
  const party = detail.data && me.data ? applicationParty(detail.data, me.data, matter.data) : null;
  const partyText = (p: Party) =>
    p.kind === 'filed-by' ? t('applications.filedBy', { name: p.name })
      : p.kind === 'company' ? t('applications.filedForCompany', { name: p.name })
        : p.name ? t('applications.filedFor', { name: p.name }) : t('applications.filedForSomeone');

  let body;
  if (detail.isPending) body = <LoadingState />;
  else if (detail.isError) body = <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  else if (!detail.data.timeline.length) body = <EmptyState title={t('applications.noHistory')} />;
  else {
    const app = detail.data;
    body = (
      <>
        {party ? <p className="acting-for">{partyText(party)}</p> : null}
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
