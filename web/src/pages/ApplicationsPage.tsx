// My applications (我的办件): the list, and for the chosen one its timeline of every step.
import { Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';
import { ApplicationTimeline } from './ApplicationTimeline';

export function ApplicationsPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const list = useQuery({ queryKey: ['my-applications'], queryFn: api.myApplications });

  return (
    <>
      <PageTitle title={t('applications.title')} intro={t('applications.intro')} />
      {id ? <ApplicationTimeline id={id} /> : null}
      <section aria-labelledby="app-list-heading" className="section">
        <h2 id="app-list-heading">{t('applications.listHeading')}</h2>
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={t('applications.empty')} hint={t('applications.emptyHint')}>
            <Link className="link-button link-button-primary" to="/search">{t('applications.findMatter')}</Link>
          </EmptyState>
        ) : (
          <ul className="card-list">
            {list.data.items.map((app) => (
              <li key={app.id} className="card">
                <h3>
                  <Link to={`/me/applications/${encodeURIComponent(app.id)}`} aria-current={app.id === id ? 'page' : undefined}>
                    {app.matterName}
                  </Link>
                </h3>
                <p>
                  <Tag>{t(`applications.status.${app.status}`, { defaultValue: app.status })}</Tag>
                  {t('applications.submittedAt')}: {formatDate(app.submittedAt, i18n.language)}
                  {' · '}
                  {t('applications.dueDate')}: {formatDate(app.dueOn, i18n.language)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
