// Inspections: an inspector's assignments (record the result on site), a supervisor's region
// (publish recorded results within the legal 20 working days; overdue ones marked), and the
// evidence of a recorded result for those who may download it.
import { useState } from 'react';
import { Button, Form, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { Inspection } from '../../api/console-types';
import { useSession } from '../../auth/session';
import { formatDate } from '../../components/formatDate';
import { PageTitle } from '../../components/PageTitle';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { STATUS_TAG } from '../../ui/statusColors';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import { EvidenceList } from './EvidenceList';
import { InspectionForm } from './InspectionForm';
import '../consoles.css';

export default function InspectionsPage() {
  const { t, i18n } = useTranslation();
  const roles = useSession()?.user.roles ?? [];
  const inspector = roles.includes('inspector');
  const planner = roles.includes('supervisor') || roles.includes('admin');
  const [status, setStatus] = useState<string | undefined>();
  const [recording, setRecording] = useState<Inspection | null>(null);
  const [viewing, setViewing] = useState<Inspection | null>(null);
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['sv-inspections', status], queryFn: () => consoleApi.inspections(status) });
  const publish = useMutation({
    mutationFn: (i: Inspection) => consoleApi.publishInspection(i.id, i.version),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['sv-inspections'] }),
  });

  return (
    <>
      <PageTitle title={t('sv.inspections.title')} intro={inspector ? t('sv.inspections.introInspector') : t('sv.inspections.introSupervisor')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      <Form layout="vertical" className="console-filters" aria-label={t('console.filters')}>
        <Form.Item label={t('sv.inspections.status')} htmlFor="sv-insp-status">
          <Select id="sv-insp-status" allowClear value={status} onChange={setStatus} placeholder={t('console.all')}
            options={(['assigned', 'recorded', 'published'] as const).map((s) => ({ value: s, label: t(`sv.inspectionStatus.${s}`) }))} />
        </Form.Item>
      </Form>
      {recording ? (
        <section aria-labelledby="sv-record-heading" className="console-panel">
          <h2 id="sv-record-heading">{t('sv.inspect.heading', { name: recording.entityName })}</h2>
          <InspectionForm inspection={recording} onDone={() => { setViewing(recording); setRecording(null); }} />
          <Button onClick={() => setRecording(null)} className="section">{t('console.cancel')}</Button>
        </section>
      ) : null}
      {viewing ? (
        <section aria-labelledby="sv-evidence-heading" className="console-panel section">
          <h2 id="sv-evidence-heading">{t('sv.evidence.heading', { name: viewing.entityName })}</h2>
          <EvidenceList inspectionId={viewing.id} />
          <Button onClick={() => setViewing(null)} className="section">{t('sv.evidence.close')}</Button>
        </section>
      ) : null}
      {publish.isError ? <ErrorState error={publish.error} /> : null}
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={t('sv.inspections.empty')} />
      ) : (
        <Table<Inspection>
          rowKey="id"
          dataSource={list.data.items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: true }}
          caption={t('sv.inspections.caption', { count: list.data.items.length })}
          rowClassName={(i) => (i.overdue ? 'row-overdue' : '')}
          columns={[
            { title: t('sv.entities.name'), dataIndex: 'entityName' },
            { title: t('sv.inspections.status'), key: 'status', render: (_, i) => t(`sv.inspectionStatus.${i.status}`, { defaultValue: i.status }) },
            { title: t('sv.results.outcome'), key: 'outcome', render: (_, i) => (i.outcome ? t(`sv.outcome.${i.outcome}`, { defaultValue: i.outcome }) : '—') },
            {
              title: t('sv.inspections.publishDue'),
              key: 'due',
              render: (_, i) => (
                <>
                  {formatDate(i.publishDue, i18n.language)} {i.overdue ? <Tag color={STATUS_TAG.bad}>{t('console.deadline.overdue')}</Tag> : null}
                </>
              ),
            },
            {
              title: t('console.actions'),
              key: 'act',
              render: (_, i) => (
                <Space wrap>
                  {inspector && i.status === 'assigned' ? (
                    <Button onClick={() => { setViewing(null); setRecording(i); }} aria-label={t('sv.inspections.recordOf', { name: i.entityName })}>{t('sv.inspections.record')}</Button>
                  ) : null}
                  {planner && i.status === 'recorded' ? (
                    <Button onClick={() => publish.mutate(i)} loading={publish.isPending && publish.variables?.id === i.id}
                      aria-label={t('sv.inspections.publishOf', { name: i.entityName })}>{t('sv.inspections.publish')}</Button>
                  ) : null}
                  {i.status !== 'assigned' ? (
                    <Button onClick={() => { setRecording(null); setViewing(i); }} aria-pressed={viewing?.id === i.id}
                      aria-label={t('sv.evidence.openOf', { name: i.entityName })}>{t('sv.evidence.open')}</Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
