// One event through its life cycle: what, where, the promised time and its state, every step
// taken (who, when, notes), and the next steps.
import { Timeline } from 'antd';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { GovEvent } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, GOVERNANCE_LINKS } from '../ConsoleNav';
import { DeadlineTag } from '../DeadlineTag';
import { EventSteps } from './EventSteps';
import { useCategories } from './useCategories';
import '../consoles.css';

export default function EventDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const event = useQuery({ queryKey: ['gov-event', id], queryFn: () => consoleApi.event(id) });
  return (
    <>
      <PageTitle title={t('gov.detail.title')} />
      <ConsoleNav labelKey="gov.nav.label" links={GOVERNANCE_LINKS} />
      <p><Link to="/governance/events">{t('gov.detail.back')}</Link></p>
      {event.isPending ? <LoadingState /> : event.isError ? <ErrorState error={event.error} onRetry={() => void event.refetch()} /> : <Detail event={event.data} />}
    </>
  );
}

function Detail({ event }: { event: GovEvent }) {
  const { t, i18n } = useTranslation();
  const { name } = useCategories();
  return (
    <>
      <section aria-labelledby="gov-facts-heading" className="console-panel">
        <h2 id="gov-facts-heading">{name(event.categoryCode)}</h2>
        <p>{event.description}</p>
        <dl className="facts">
          <dt>{t('gov.events.status')}</dt>
          <dd data-testid="event-status">{t(`gov.status.${event.status}`)}</dd>
          <dt>{t('gov.events.promisedBy')}</dt>
          <dd>{formatDate(event.promisedBy, i18n.language, true)} <DeadlineTag state={event.deadlineState} /></dd>
          <dt>{t('gov.detail.acceptDue')}</dt>
          <dd>{formatDate(event.acceptDueAt, i18n.language, true)}</dd>
          <dt>{t('gov.detail.where')}</dt>
          <dd>{[event.address, event.regionCode].filter(Boolean).join(' · ')}</dd>
          <dt>{t('gov.detail.handlingRegion')}</dt>
          <dd>{event.handlingRegion}</dd>
          <dt>{t('gov.events.department')}</dt>
          <dd>{event.department ?? '—'}</dd>
          <dt>{t('gov.detail.channel')}</dt>
          <dd>{event.channel}</dd>
          <dt>{t('gov.events.reportedAt')}</dt>
          <dd>{formatDate(event.reportedAt, i18n.language, true)}</dd>
          {event.reworkCount ? (<><dt>{t('gov.detail.rework')}</dt><dd>{event.reworkCount}</dd></>) : null}
          {event.rating !== null ? (<><dt>{t('gov.detail.rating')}</dt><dd>{event.rating} / 5 {event.ratingComment ?? ''}</dd></>) : null}
        </dl>
      </section>
      <EventSteps key={`${event.id}-${event.version}`} event={event} />
      <section aria-labelledby="gov-history-heading" className="console-panel section">
        <h2 id="gov-history-heading">{t('gov.detail.history')}</h2>
        <Timeline
          items={(event.steps ?? []).map((s) => ({
            key: s.id,
            title: formatDate(s.at, i18n.language, true),
            content: (
              <>
                <strong>{t(`gov.action.${s.action}`, { defaultValue: s.action })}</strong> → {t(`gov.status.${s.toStatus}`, { defaultValue: s.toStatus })}
                <p>{t('gov.detail.actor')}: {s.actor}</p>
                {s.notes ? <p>{t('gov.detail.notes')}: {s.notes}</p> : null}
              </>
            ),
          }))}
        />
      </section>
    </>
  );
}
