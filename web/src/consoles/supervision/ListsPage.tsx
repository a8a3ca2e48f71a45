// The lists in force (经营异常名录, 严重违法失信名单, public) and the credit-repair queue routed to
// my department: approve or reject each application with a note the entity will read.
import { useState } from 'react';
import { Button, Form, Input, Radio, Table } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { ListEntry, Repair } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import '../consoles.css';

function RepairDecisionForm({ repair, onDone }: { repair: Repair; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: (v: { approve: boolean; note: string }) => consoleApi.decideRepair(repair.id, { approve: v.approve, note: v.note.trim(), version: repair.version }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['sv-repairs'] });
      onDone();
    },
  });
  return (
    <Form layout="vertical" onFinish={(v: { approve: boolean; note: string }) => decide.mutate(v)}>
      {decide.isError ? <ErrorState error={decide.error} /> : null}
      <Form.Item name="approve" label={t('sv.repair.decision')} rules={[{ required: true, message: t('sv.repair.decisionRequired') }]}>
        <Radio.Group options={[{ value: true, label: t('sv.repair.approve') }, { value: false, label: t('sv.repair.reject') }]} />
      </Form.Item>
      <Form.Item name="note" label={t('sv.repair.note')} rules={[{ required: true, whitespace: true, message: t('sv.repair.noteRequired') }]}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={decide.isPending}>{t('sv.repair.submit')}</Button>
    </Form>
  );
}

export default function ListsPage() {
  const { t, i18n } = useTranslation();
  const lists = useQuery({ queryKey: ['sv-lists'], queryFn: consoleApi.publicLists });
  const repairs = useQuery({ queryKey: ['sv-repairs'], queryFn: consoleApi.repairs });
  const [deciding, setDeciding] = useState<Repair | null>(null);

  return (
    <>
      <PageTitle title={t('sv.lists.title')} intro={t('sv.lists.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      <section aria-labelledby="sv-lists-heading" className="section">
        <h2 id="sv-lists-heading">{t('sv.lists.inForce')}</h2>
        {lists.isPending ? (
          <LoadingState />
        ) : lists.isError ? (
          <ErrorState error={lists.error} onRetry={() => void lists.refetch()} />
        ) : lists.data.items.length === 0 ? (
          <EmptyState title={t('sv.lists.empty')} />
        ) : (
          <Table<ListEntry>
            rowKey="id"
            dataSource={lists.data.items}
            pagination={false}
            scroll={{ x: true }}
            caption={t('sv.lists.caption', { count: lists.data.items.length })}
            columns={[
              { title: t('sv.entities.name'), dataIndex: 'entityName' },
              { title: t('sv.lists.list'), dataIndex: 'listName' },
              { title: t('sv.lists.reason'), dataIndex: 'reason' },
              { title: t('sv.lists.department'), dataIndex: 'department' },
              { title: t('sv.lists.enteredAt'), key: 'at', render: (_, e) => formatDate(e.enteredAt, i18n.language) },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="sv-repairs-heading" className="section">
        <h2 id="sv-repairs-heading">{t('sv.repair.heading')}</h2>
        {deciding ? (
          <div className="console-panel">
            <h3>{t('sv.repair.deciding')}</h3>
            <p>{deciding.correction}</p>
            <RepairDecisionForm repair={deciding} onDone={() => setDeciding(null)} />
          </div>
        ) : null}
        {repairs.isPending ? (
          <LoadingState />
        ) : repairs.isError ? (
          <ErrorState error={repairs.error} onRetry={() => void repairs.refetch()} />
        ) : repairs.data.items.length === 0 ? (
          <EmptyState title={t('sv.repair.empty')} hint={t('sv.repair.emptyHint')} />
        ) : (
          <Table<Repair>
            rowKey="id"
            dataSource={repairs.data.items}
            pagination={false}
            scroll={{ x: true }}
            caption={t('sv.repair.caption', { count: repairs.data.items.length })}
            columns={[
              { title: t('sv.repair.target'), key: 'target', render: (_, r) => t(`sv.repair.kind.${r.targetKind}`, { defaultValue: r.targetKind }) },
              { title: t('sv.repair.correction'), dataIndex: 'correction' },
              { title: t('sv.repair.appliedAt'), key: 'at', render: (_, r) => formatDate(r.appliedAt, i18n.language) },
              { title: t('console.actions'), key: 'act', render: (_, r) => <Button onClick={() => setDeciding(r)}>{t('sv.repair.decide')}</Button> },
            ]}
          />
        )}
      </section>
    </>
  );
}
