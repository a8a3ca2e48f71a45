// The evidence of one inspection the signed-in person may download, each with its SM3 as recorded
// at upload. The server checks that digest again before sending a file and refuses one that no
// longer matches (INTEGRITY_FAILED): that is said plainly, as a possible tampering to report, not
// as a passing fault. Evidence the person may not see answers 404 (403 for a role without access).
import { useState } from 'react';
import { Alert, Button, Table, Tag } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { consoleApi, fetchEvidenceFile } from '../../api/console-client';
import type { EvidenceItem } from '../../api/console-types';
import { formatDate } from '../../components/formatDate';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates';
import { STATUS_TAG } from '../../ui/statusColors';
import { formatSize } from './EvidenceUpload';

/** Integrity and access failures in the console's own words; anything else as usual. */
export function EvidenceError({ error, name }: { error: unknown; name?: string }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? (error.code === 'INTEGRITY_FAILED' ? 'integrity' : [403, 404].includes(error.status) ? 'denied' : null) : null;
  if (!code) return <ErrorState error={error} />;
  return (
    <Alert type="error" showIcon role="alert" className="state-alert" data-testid={`evidence-${code}`}
      title={t(`sv.evidence.${code}.title`, { name: name ?? '' })}
      description={<p>{t(`sv.evidence.${code}.todo`)}</p>} />
  );
}

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function EvidenceList({ inspectionId }: { inspectionId: string }) {
  const { t, i18n } = useTranslation();
  const files = useQuery({ queryKey: ['sv-evidence', inspectionId], queryFn: () => consoleApi.inspectionEvidence(inspectionId) });
  const [done, setDone] = useState<EvidenceItem | null>(null);
  const download = useMutation({
    mutationFn: async (f: EvidenceItem) => {
      setDone(null);
      const file = await fetchEvidenceFile(f.id);
      saveBlob(file.blob, f.name);
      return f;
    },
    onSuccess: setDone,
  });

  if (files.isPending) return <LoadingState />;
  if (files.isError) return <EvidenceError error={files.error} />;
  if (files.data.items.length === 0) return <EmptyState title={t('sv.evidence.none')} />;
  return (
    <>
      <div aria-live="polite">
        {download.isError ? <EvidenceError error={download.error} name={download.variables?.name} /> : null}
        {done ? <Alert type="success" showIcon className="state-alert" data-testid="evidence-downloaded" title={t('sv.evidence.downloaded', { name: done.name })} /> : null}
      </div>
      <Table<EvidenceItem>
        rowKey="id"
        dataSource={files.data.items}
        pagination={false}
        scroll={{ x: 800 }}
        caption={t('sv.evidence.caption', { count: files.data.items.length })}
        columns={[
          { title: t('sv.evidence.name'), key: 'name', render: (_, f) => <>{f.name}<br />{f.mediaType} · {formatSize(f.size)}</> },
          {
            title: t('sv.evidence.visibility'), key: 'personal',
            render: (_, f) => (f.personal ? <Tag color={STATUS_TAG.bad}>{t('sv.evidence.personalTag')}</Tag> : <Tag color={STATUS_TAG.neutral}>{t('sv.evidence.publicTag')}</Tag>),
          },
          { title: t('sv.evidence.sm3'), key: 'sm3', render: (_, f) => <span className="identifier">{f.sm3}</span> },
          { title: t('sv.evidence.uploadedAt'), key: 'at', render: (_, f) => formatDate(f.createdAt, i18n.language, true) },
          {
            title: t('console.actions'), key: 'act',
            render: (_, f) => (
              <Button onClick={() => download.mutate(f)} loading={download.isPending && download.variables?.id === f.id} aria-label={t('sv.evidence.downloadOf', { name: f.name })}>
                {t('sv.evidence.download')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
