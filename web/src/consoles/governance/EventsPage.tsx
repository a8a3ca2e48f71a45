// The event board of my grid or department: newest first, filtered by status, category and time
// limit; warnings and overdue ones marked in words and colour.
import { useState } from 'react';
import { Form, Select, Table } from 'antd';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { EVENT_STATUSES } from '../../../../src/modules/governance/lifecycle';
import { consoleApi } from '../../api/console-client';
import type { GovEvent } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, GOVERNANCE_LINKS } from '../ConsoleNav';
import { DeadlineTag } from '../DeadlineTag';
import { useMe } from '../useMe';
import { useCategories } from './useCategories';
import '../consoles.css';

type Limit = 'overdue' | 'warning';

export default function EventsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { categories, name } = useCategories();
  const [status, setStatus] = useState<GovEvent['status'] | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [limit, setLimit] = useState<Limit | undefined>();
  const events = useQuery({
    queryKey: ['gov-events', status, category, limit],
    queryFn: () => consoleApi.events({ status, category, overdue: limit === 'overdue' ? true : undefined, warning: limit === 'warning' ? true : undefined, limit: 200 }),
  });
  const user = me.data?.user;

  return (
    <>
      <PageTitle
        title={t('gov.events.title')}
        intro={user ? t('gov.events.scope', { region: user.regionCode ?? '—', department: user.department ?? '—' }) : t('gov.events.intro')}
      />
      <ConsoleNav labelKey="gov.nav.label" links={GOVERNANCE_LINKS} />
      <Form layout="vertical" className="console-filters" aria-label={t('console.filters')}>
        <Form.Item label={t('gov.events.status')} htmlFor="gov-status">
          <Select id="gov-status" allowClear value={status} onChange={setStatus} placeholder={t('console.all')}
            options={EVENT_STATUSES.map((s) => ({ value: s, label: t(`gov.status.${s}`) }))} />
        </Form.Item>
        <Form.Item label={t('gov.events.category')} htmlFor="gov-category">
          <Select id="gov-category" allowClear value={category} onChange={setCategory} placeholder={t('console.all')}
            options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))} />
        </Form.Item>
        <Form.Item label={t('gov.events.limit')} htmlFor="gov-limit">
          <Select id="gov-limit" allowClear value={limit} onChange={setLimit} placeholder={t('console.all')}
            options={[{ value: 'warning', label: t('console.deadline.warning') }, { value: 'overdue', label: t('console.deadline.overdue') }]} />
        </Form.Item>
      </Form>
      {events.isPending ? (
        <LoadingState />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.items.length === 0 ? (
        <EmptyState title={t('gov.events.empty')} hint={t('gov.events.emptyHint')} />
      ) : (
        <Table<GovEvent>
          rowKey="id"
          dataSource={events.data.items}
          pagination={{ pageSize: 25, hideOnSinglePage: true }}
          scroll={{ x: true }}
          caption={t('gov.events.caption', { count: events.data.items.length })}
          rowClassName={(e) => (e.deadlineState === 'overdue' ? 'row-overdue' : e.deadlineState === 'warning' ? 'row-warning' : '')}
          columns={[
            {
              title: t('gov.events.what'),
              key: 'what',
              render: (_, e) => <Link to={`/governance/events/${encodeURIComponent(e.id)}`}>{e.description.length > 40 ? `${e.description.slice(0, 40)}…` : e.description}</Link>,
            },
            { title: t('gov.events.category'), key: 'cat', render: (_, e) => name(e.categoryCode) },
            { title: t('gov.events.status'), key: 'status', render: (_, e) => t(`gov.status.${e.status}`) },
            { title: t('gov.events.reportedAt'), key: 'rep', render: (_, e) => formatDate(e.reportedAt, i18n.language, true) },
            {
              title: t('gov.events.promisedBy'),
              key: 'due',
              render: (_, e) => (
                <>
                  {formatDate(e.promisedBy, i18n.language, true)} <DeadlineTag state={e.deadlineState} />
                </>
              ),
            },
            { title: t('gov.events.department'), key: 'dep', render: (_, e) => e.department ?? '—' },
          ]}
        />
      )}
    </>
  );
}
