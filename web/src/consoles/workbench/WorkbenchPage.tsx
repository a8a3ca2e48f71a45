// The official's queue (办件): applications of my region and department, filtered by status and
// time limit, the soonest due first; overdue ones marked in words and colour, so nobody misses a
// legal time limit.
import { useState } from 'react';
import { Form, Select, Table } from 'antd';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { QueueItem } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, WORKBENCH_LINKS } from '../ConsoleNav';
import { applicationDeadline, DeadlineTag } from '../DeadlineTag';
import { useMe } from '../useMe';
import '../consoles.css';

const STATUSES = ['submitted', 'accepted', 'correction_requested', 'approved', 'refused', 'not_accepted', 'delivered'] as const;

function byDue(a: QueueItem, b: QueueItem): number {
  return (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || (a.submittedAt ?? '').localeCompare(b.submittedAt ?? '');
}

export default function WorkbenchPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [status, setStatus] = useState<string | undefined>();
  const [due, setDue] = useState<'overdue' | 'near' | undefined>();
  const queue = useQuery({ queryKey: ['wb-queue', status, due], queryFn: () => consoleApi.queue({ status, due }) });
  const user = me.data?.user;

  return (
    <>
      <PageTitle
        title={t('wb.queue.title')}
        intro={user ? t('wb.queue.scope', { department: user.department ?? '—', region: user.regionCode ?? '—' }) : t('wb.queue.intro')}
      />
      <ConsoleNav labelKey="wb.nav.label" links={WORKBENCH_LINKS} />
      <Form layout="vertical" className="console-filters" aria-label={t('console.filters')}>
        <Form.Item label={t('wb.queue.status')} htmlFor="wb-status">
          <Select
            id="wb-status"
            allowClear
            value={status}
            onChange={setStatus}
            placeholder={t('console.all')}
            options={STATUSES.map((s) => ({ value: s, label: t(`wb.status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('wb.queue.due')} htmlFor="wb-due">
          <Select
            id="wb-due"
            allowClear
            value={due}
            onChange={setDue}
            placeholder={t('console.all')}
            options={[
              { value: 'overdue', label: t('wb.queue.dueOverdue') },
              { value: 'near', label: t('wb.queue.dueNear') },
            ]}
          />
        </Form.Item>
      </Form>
      {queue.isPending ? (
        <LoadingState />
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : queue.data.items.length === 0 ? (
        <EmptyState title={t('wb.queue.empty')} hint={t('wb.queue.emptyHint')} />
      ) : (
        <Table<QueueItem>
          rowKey="id"
          dataSource={[...queue.data.items].sort(byDue)}
          pagination={false}
          scroll={{ x: true }}
          caption={t('wb.queue.caption', { count: queue.data.items.length })}
          rowClassName={(app) => {
            const state = applicationDeadline(app.workingDaysLeft, app.paused);
            return state === 'overdue' ? 'row-overdue' : state === 'warning' ? 'row-warning' : '';
          }}
          columns={[
            {
              title: t('wb.queue.matter'),
              key: 'matter',
              render: (_, app) => <Link to={`/workbench/applications/${encodeURIComponent(app.id)}`}>{app.matterName}</Link>,
            },
            { title: t('wb.queue.code'), dataIndex: 'matterCode' },
            { title: t('wb.queue.status'), key: 'status', render: (_, app) => t(`wb.status.${app.status}`) },
            { title: t('wb.queue.submittedAt'), key: 'submitted', render: (_, app) => formatDate(app.submittedAt, i18n.language) },
            {
              title: t('wb.queue.dueOn'),
              key: 'due',
              render: (_, app) => {
                const state = applicationDeadline(app.workingDaysLeft, app.paused);
                return (
                  <>
                    {formatDate(app.dueOn, i18n.language)}{' '}
                    {app.paused ? t('wb.queue.paused') : app.workingDaysLeft !== null ? t('wb.queue.daysLeft', { count: app.workingDaysLeft }) : null}{' '}
                    {state && state !== 'on_time' ? <DeadlineTag state={state} /> : null}
                  </>
                );
              },
            },
          ]}
        />
      )}
    </>
  );
}
