// My applications (我的办件): the list, and for the chosen one its timeline of every step. A
// company's authorised agent also sees the company's applications, in a list of their own.
import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ApplicationSummary, ListResponse } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';
import { ApplicationTimeline } from './ApplicationTimeline';

export function ApplicationsPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const list = useQuery({ queryKey: ['my-applications'], queryFn: api.myApplications });
  const me = useQuery({ queryKey: ['me'], queryFn: api.me });
  const company = me.data?.user.roles.includes('company_agent') ? me.data.company : null;
  const companyList = useQuery({ queryKey: ['company-applications'], queryFn: api.companyApplications, enabled: !!company });
  // Shown only when there is something: most people never file for anyone else.
  const forOthers = useQuery({ queryKey: ['applications-for-others'], queryFn: api.applicationsFiledForOthers });

  return (
    <>
      <PageTitle title={t('applications.title')} intro={t('applications.intro')} />
      {id ? <ApplicationTimeline id={id} /> : null}
      <section aria-labelledby="app-list-heading" className="section">
        <h2 id="app-list-heading">{company ? t('applications.personalListHeading') : t('applications.listHeading')}</h2>
        <ApplicationList list={list} currentId={id} empty={
          <EmptyState title={t('applications.empty')} hint={t('applications.emptyHint')}>
            <Link className="link-button link-button-primary" to="/search">{t('applications.findMatter')}</Link>
          </EmptyState>
        } />
      </section>
      {forOthers.data?.items.length ? (
        <section aria-labelledby="for-others-heading" className="section">
          <h2 id="for-others-heading">{t('applications.forOthersHeading')}</h2>
          <ApplicationList list={forOthers} currentId={id} empty={null} />
        </section>
      ) : null}
      {company ? (
        <section aria-labelledby="company-list-heading" className="section">
          <h2 id="company-list-heading">{t('applications.companyListHeading', { name: company.name })}</h2>
          <ApplicationList list={companyList} currentId={id} empty={<EmptyState title={t('applications.companyEmpty')} />} />
        </section>
      ) : null}
    </>
  );
}

function ApplicationList({ list, currentId, empty }: { list: UseQueryResult<ListResponse<ApplicationSummary>>; currentId?: string; empty: ReactNode }) {
  const { t, i18n } = useTranslation();
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.items.length === 0) return <>{empty}</>;
  return (
    <ul className="card-list">
      {list.data.items.map((app) => (
        <li key={app.id} className="card">
          <h3>
            <Link to={`/me/applications/${encodeURIComponent(app.id)}`} aria-current={app.id === currentId ? 'page' : undefined}>
              {app.matterName}
            </Link>
          </h3>
          {app.applicantName ? <p className="party">{t('applications.filedFor', { name: app.applicantName })}</p> : null}
          {app.filedBy ? <p className="party">{t('applications.filedBy', { name: app.filedBy.name })}</p> : null}
          <p>
            <Tag>{t(`applications.status.${app.status}`, { defaultValue: app.status })}</Tag>
            {t('applications.submittedAt')}: {formatDate(app.submittedAt, i18n.language)}
            {' · '}
            {t('applications.dueDate')}: {formatDate(app.dueOn, i18n.language)}
          </p>
        </li>
      ))}
    </ul>
  );
}
