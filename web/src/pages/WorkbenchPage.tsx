// The official's workbench queue: applications in my region and department, soonest due first,
// overdue ones marked in words (not colour alone) so nobody misses a legal time limit.
import { Table, Tag } from 'antd';
import { STATUS_TAG } from '../ui/statusColors';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { QueueItem } from '../api/types';
import { formatDate } from '../components/formatDate';
import { PageTitle } from '../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates';

function isOverdue(app: QueueItem): boolean {
  return app.workingDaysLeft !== null && app.workingDaysLeft < 0;
}

export function WorkbenchPage() {
  const { t, i18n } = useTranslation();
  const queue = useQuery({ queryKey: ['official-queue'], queryFn: api.officialQueue });

  return (
    <>
      <PageTitle title={t('workbench.title')} intro={t('workbench.intro')} />
      {queue.isPending ? (
        <LoadingState />
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : queue.data.items.length === 0 ? (
        <EmptyState title={t('workbench.empty')} hint={t('workbench.emptyHint')} />
      ) : (
        <Table<QueueItem>
          rowKey="id"
          dataSource={[...queue.data.items].sort((a, b) => (a.dueOn ?? '9').localeCompare(b.dueOn ?? '9'))}
          pagination={false}
          scroll={{ x: true }}
          caption={t('workbench.caption', { count: queue.data.items.length })}
          rowClassName={(app) => (isOverdue(app) ? 'row-overdue' : '')}
          columns={[
            { title: t('workbench.matter'), key: 'matter', render: (_, app) => app.matterName },
            { title: t('applications.submittedAt'), key: 'submitted', render: (_, app) => formatDate(app.submittedAt, i18n.language) },
            {
              title: t('applications.dueDate'),
              key: 'due',
              render: (_, app) => (
                <>
                  {formatDate(app.dueOn, i18n.language)}{' '}
                  {isOverdue(app) ? <Tag color={STATUS_TAG.bad}>{t('workbench.overdue')}</Tag> : null}
                </>
              ),
            },
            {
              title: t('workbench.status'),
              key: 'status',
              render: (_, app) => t(`applications.status.${app.status}`, { defaultValue: app.status }),
            },
          ]}
        />
      )}
    </>
  );
}
