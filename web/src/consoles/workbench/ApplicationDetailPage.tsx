// One application as the reviewing official sees it: facts and deadline, the form, each material
// with a preview, the decision, and the full history.
import { Timeline } from 'antd';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { ApplicationDetail } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, WORKBENCH_LINKS } from '../ConsoleNav';
import { applicationDeadline, DeadlineTag } from '../DeadlineTag';
import { ApplicationActions } from './ApplicationActions';
import { MaterialPreview } from './MaterialPreview';
import '../consoles.css';

export default function ApplicationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const detail = useQuery({ queryKey: ['wb-application', id], queryFn: () => consoleApi.application(id) });

  return (
    <>
      <PageTitle title={detail.data ? t('wb.detail.title', { name: detail.data.matterName }) : t('wb.detail.titlePlain')} />
      <ConsoleNav labelKey="wb.nav.label" links={WORKBENCH_LINKS} />
      <p>
        <Link to="/workbench">{t('wb.detail.back')}</Link>
      </p>
      {detail.isPending ? (
        <LoadingState />
      ) : detail.isError ? (
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <Detail app={detail.data} />
      )}
    </>
  );
}

function Detail({ app }: { app: ApplicationDetail }) {
  const { t, i18n } = useTranslation();
  const deadline = applicationDeadline(app.workingDaysLeft, app.paused);
  const formEntries = Object.entries(app.form);
  return (
    <>
      <section aria-labelledby="wb-facts-heading" className="console-panel">
        <h2 id="wb-facts-heading">{t('wb.detail.facts')}</h2>
        <dl className="facts">
          <dt>{t('wb.queue.status')}</dt>
          <dd data-testid="application-status">{t(`wb.status.${app.status}`)}</dd>
          <dt>{t('wb.queue.code')}</dt>
          <dd>{app.matterCode} · v{app.matterVersion}</dd>
          <dt>{t('wb.detail.applicant')}</dt>
          <dd>{t(`wb.applicantKind.${app.applicant.kind}`)}</dd>
          <dt>{t('wb.detail.department')}</dt>
          <dd>{app.department} · {app.regionCode}</dd>
          <dt>{t('wb.queue.submittedAt')}</dt>
          <dd>{formatDate(app.submittedAt, i18n.language, true)}</dd>
          <dt>{t('wb.detail.acceptedOn')}</dt>
          <dd>{formatDate(app.acceptedOn, i18n.language)}</dd>
          <dt>{t('wb.queue.dueOn')}</dt>
          <dd>
            {formatDate(app.dueOn, i18n.language)}{' '}
            {app.workingDaysLeft !== null && !app.paused ? t('wb.queue.daysLeft', { count: app.workingDaysLeft }) : null}
            {app.paused ? t('wb.queue.paused') : null} {deadline ? <DeadlineTag state={deadline} /> : null}
          </dd>
          {app.fastTrack ? (
            <>
              <dt>{t('wb.detail.fastTrack')}</dt>
              <dd>{t('console.yes')}</dd>
            </>
          ) : null}
        </dl>
        {app.calendarWarnings.length ? (
          <ul aria-label={t('wb.detail.calendarWarnings')}>
            {app.calendarWarnings.map((w) => <li key={w}>{w}</li>)}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="wb-form-heading" className="console-panel section">
        <h2 id="wb-form-heading">{t('wb.detail.form')}</h2>
        {formEntries.length === 0 ? (
          <p>{t('wb.detail.noForm')}</p>
        ) : (
          <dl className="facts">
            {formEntries.map(([key, value]) => (
              <div key={key} style={{ display: 'contents' }}>
                <dt>{key}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section aria-labelledby="wb-materials-heading" className="console-panel section">
        <h2 id="wb-materials-heading">{t('wb.detail.materials')}</h2>
        {app.materials.length === 0 ? (
          <EmptyState title={t('wb.detail.noMaterials')} />
        ) : (
          <ul className="card-list">
            {app.materials.map((m) => (
              <li key={m.key} className="card">
                <h3>{m.name}</h3>
                <p>
                  {m.title} · {t(`wb.materialSource.${m.source}`)} · {t('wb.detail.producedOn')}: {formatDate(m.producedOn, i18n.language)}
                </p>
                {m.contentHash ? <p className="identifier">SM3 {m.contentHash}</p> : null}
                {m.source === 'library' ? <MaterialPreview applicationId={app.id} materialKey={m.key} title={m.name} /> : <p>{t('wb.detail.licenceMaterial')}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <ApplicationActions app={app} />

      <section aria-labelledby="wb-history-heading" className="console-panel section">
        <h2 id="wb-history-heading">{t('wb.detail.history')}</h2>
        <Timeline
          items={app.timeline.map((e, i) => ({
            key: `${e.at}-${i}`,
            title: formatDate(e.at, i18n.language, true),
            content: (
              <>
                <strong>{t(`wb.action.${e.action}`, { defaultValue: e.action })}</strong> → {t(`wb.status.${e.toStatus}`, { defaultValue: e.toStatus })}
                <p>{t('wb.detail.actor')}: {e.actor}</p>
                {e.reason ? <p>{t('wb.detail.reason')}: {e.reason}</p> : null}
              </>
            ),
          }))}
        />
      </section>
    </>
  );
}
