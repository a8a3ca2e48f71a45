// Preview of one submitted material, fetched with the official's token (the read is logged for
// the applicant by the server). PDFs and text in a frame, images as images, other types as a download.
import { useEffect, useState } from 'react';
import { Button } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchMaterialFile } from '../../api/console-client';
import { ErrorState } from '../../components/QueryStates';

export function MaterialPreview({ applicationId, materialKey, title }: { applicationId: string; materialKey: string; title: string }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<{ url: string; type: string } | null>(null);
  const load = useMutation({ mutationFn: () => fetchMaterialFile(applicationId, materialKey), onSuccess: setFile });
  useEffect(() => () => { if (file) URL.revokeObjectURL(file.url); }, [file]);

  if (!file) {
    return (
      <>
        <Button onClick={() => load.mutate()} loading={load.isPending} aria-label={t('wb.detail.previewOf', { title })}>
          {t('wb.detail.preview')}
        </Button>
        {load.isError ? <ErrorState error={load.error} /> : null}
      </>
    );
  }
  if (file.type.startsWith('image/')) return <img className="material-preview-image" src={file.url} alt={title} />;
  if (file.type === 'application/pdf' || file.type.startsWith('text/')) {
    return <iframe className="material-preview" src={file.url} title={t('wb.detail.previewOf', { title })} />;
  }
  return (
    <a href={file.url} download={title}>
      {t('wb.detail.download', { title })}
    </a>
  );
}
