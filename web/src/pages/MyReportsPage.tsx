// 我反映的问题 (issue 9 §6): the problems I reported (or that affect my household), each with its
// status and the time I was promised; /me/reports/:id shows one with every step taken so far.
// The server decides what a resident sees (their own events only); nothing is filtered here.
import { Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { ReportedEvent } from '../api/types';
import { DeadlineTag } from '../consoles/DeadlineTag';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

function useCategoryName() {
  const categories = useQuery({ queryKey: ['event-categories'], queryFn: api.eventCategories });
  return (code: string) => categories.data?.items.find((c) => c.code === code)?.name ?? code;
}

function EventFacts({ event }: { event: ReportedEvent }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => formatDate(iso, i18n.language, true);
  return (
    <dl className="facts">
      <dt>{t('myReports.status')}</dt>
      <dd>
        <Tag>{t(`gov.status.${event.status}`, { defaultValue: event.status })}</Tag>
        <DeadlineTag state={event.deadlineState} />
      </dd>
      <dt>{t('myReports.reportedAt')}</dt>
      <dd>{when(event.reportedAt)}</dd>
      <dt>{t('myReports.promisedBy')}</dt>
      <dd>{event.closedAt ? t('myReports.closedAt', { when: when(event.closedAt) }) : when(event.promisedBy)}</dd>
      {event.address ? (
        <>
          <dt>{t('myReports.where')}</dt>
          <dd>{event.address}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The list, or one event when the URL names it. */
export function MyReportsPage() {
  const { id } = useParams();
  return id ? <MyReportDetail id={id} /> : <MyReportsList />;
}

function MyReportsList() {
  const { t } = useTranslation();
  const category = useCategoryName();
  const events = useQuery({ queryKey: ['my-events'], queryFn: api.myEvents });

  let body;
  if (events.isPending) body = <LoadingState />;
  else if (events.isError) body = <ErrorState error={events.error} onRetry={() => void events.refetch()} />;
  else if (events.data.items.length === 0) {
    body = (
      <EmptyState title={t('myReports.empty')}>
        <Link to="/governance/report">{t('myReports.reportLink')}</Link>
      </EmptyState>
    );
  } else {
    body = (
      <ul className="card-list">
        {events.data.items.map((e) => (
          <li className="card" key={e.id}>
            <h2 className="card-heading">{category(e.categoryCode)}</h2>
            <p>{e.description}</p>
            <EventFacts event={e} />
            {/* The category in the link text itself, so a list of links read out of context still says which. */}
            <Link to={`/me/reports/${e.id}`}>{t('myReports.detailFor', { name: category(e.categoryCode) })}</Link>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <>
      <PageTitle title={t('myReports.title')} intro={t('myReports.intro')} />
      <p>
        <Link to="/governance/report">{t('myReports.reportLink')}</Link>
      </p>
      {body}
    </>
  );
}

function MyReportDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const category = useCategoryName();
  const event = useQuery({ queryKey: ['my-event', id], queryFn: () => api.myEvent(id) });

  return (
    <>
      <PageTitle title={event.data ? category(event.data.categoryCode) : t('myReports.detailTitle')} />
      <p>
        <Link to="/me/reports">{t('myReports.back')}</Link>
      </p>
      {event.isPending ? <LoadingState /> : null}
      {event.isError ? <ErrorState error={event.error} onRetry={() => void event.refetch()} /> : null}
      {event.data ? (
        <>
          <p>{event.data.description}</p>
          <EventFacts event={event.data} />
          <section aria-labelledby="my-report-steps" className="section">
            <h2 id="my-report-steps">{t('myReports.steps')}</h2>
            <ol className="card-list">
              {(event.data.steps ?? []).map((s) => (
                <li className="card" key={s.id}>
                  <strong>{t(`gov.action.${s.action.replace('-', '_')}`, { defaultValue: s.action })}</strong>
                  {' · '}
                  {t(`gov.status.${s.toStatus}`, { defaultValue: s.toStatus })}
                  {' · '}
                  {formatDate(s.at, i18n.language, true)}
                  {s.notes ? <p>{s.notes}</p> : null}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </>
  );
}
