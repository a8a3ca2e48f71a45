// The catalogue of my region and department (事项目录): every matter with its promised limit and
// version, and the way to add one or publish a new version.
import { Table } from 'antd';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { MatterSummary } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, WORKBENCH_LINKS } from '../ConsoleNav';
import { useMe } from '../useMe';
import '../consoles.css';

export default function CataloguePage() {
  const { t } = useTranslation();
  const me = useMe();
  const region = me.data?.user.regionCode ?? undefined;
  const department = me.data?.user.department ?? undefined;
  const matters = useQuery({ queryKey: ['wb-matters', region], queryFn: () => consoleApi.matters(region), enabled: me.isSuccess });
  // Officials maintain their own department's matters; the levels above are shown elsewhere.
  const mine = (matters.data?.items ?? []).filter((m) => m.regionCode === region && (!department || m.department === department));

  return (
    <>
      <PageTitle title={t('wb.catalogue.title')} intro={t('wb.catalogue.intro', { department: department ?? '—', region: region ?? '—' })} />
      <ConsoleNav labelKey="wb.nav.label" links={WORKBENCH_LINKS} />
      <p>
        <Link className="link-button link-button-primary" to="/workbench/catalogue/new">
          {t('wb.catalogue.add')}
        </Link>
      </p>
      {me.isError ? <ErrorState error={me.error} onRetry={() => void me.refetch()} /> : null}
      {matters.isPending && !me.isError ? (
        <LoadingState />
      ) : matters.isError ? (
        <ErrorState error={matters.error} onRetry={() => void matters.refetch()} />
      ) : mine.length === 0 ? (
        <EmptyState title={t('wb.catalogue.empty')} hint={t('wb.catalogue.emptyHint')} />
      ) : (
        <Table<MatterSummary>
          rowKey="code"
          dataSource={mine}
          pagination={false}
          scroll={{ x: true }}
          caption={t('wb.catalogue.caption', { count: mine.length })}
          columns={[
            { title: t('wb.queue.code'), dataIndex: 'code' },
            { title: t('wb.catalogue.name'), key: 'name', render: (_, m) => <Link to={`/workbench/catalogue/${encodeURIComponent(m.code)}`}>{m.name}</Link> },
            { title: t('wb.catalogue.category'), dataIndex: 'category' },
            { title: t('wb.catalogue.promised'), key: 'promised', render: (_, m) => t('wb.catalogue.days', { count: m.promisedLimitDays }) },
            { title: t('wb.catalogue.cross'), key: 'cross', render: (_, m) => (m.crossProvince ? t(`wb.cross.${m.crossProvince}`) : '—') },
            { title: t('wb.catalogue.version'), dataIndex: 'version' },
          ]}
        />
      )}
    </>
  );
}
