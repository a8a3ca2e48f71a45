// Public (no sign-in): published inspection results (一公开), late publications marked.
import { Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { PublicResult } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { STATUS_TAG } from '../../ui/statusColors';
import '../consoles.css';

export default function ResultsPage() {
  const { t, i18n } = useTranslation();
  const results = useQuery({ queryKey: ['sv-results'], queryFn: consoleApi.publicResults });
  return (
    <>
      <PageTitle title={t('sv.results.title')} intro={t('sv.results.intro')} />
      {results.isPending ? (
        <LoadingState />
      ) : results.isError ? (
        <ErrorState error={results.error} onRetry={() => void results.refetch()} />
      ) : results.data.items.length === 0 ? (
        <EmptyState title={t('sv.results.empty')} />
      ) : (
        <Table<PublicResult>
          rowKey="id"
          dataSource={results.data.items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: true }}
          caption={t('sv.results.caption', { count: results.data.items.length })}
          columns={[
            { title: t('sv.entities.name'), dataIndex: 'entityName' },
            { title: t('sv.entities.uscc'), key: 'uscc', render: (_, r) => <span className="identifier">{r.uscc ?? '—'}</span> },
            { title: t('sv.results.task'), dataIndex: 'task' },
            { title: t('sv.results.outcome'), key: 'outcome', render: (_, r) => t(`sv.outcome.${r.outcome}`, { defaultValue: r.outcome }) },
            { title: t('sv.results.summary'), dataIndex: 'summary' },
            { title: t('sv.results.inspectedAt'), key: 'at', render: (_, r) => formatDate(r.inspectedAt, i18n.language) },
            {
              title: t('sv.results.publishedAt'),
              key: 'pub',
              render: (_, r) => (
                <>
                  {formatDate(r.publishedAt, i18n.language)} {r.late ? <Tag color={STATUS_TAG.bad}>{t('sv.results.late')}</Tag> : null}
                </>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
