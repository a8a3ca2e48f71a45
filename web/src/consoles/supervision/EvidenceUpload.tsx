// Evidence files attached to an inspection result (photos, notices, records). They travel inside
// the result itself (the API has no separate upload), so they must fit the request together:
// each at most 8 MB (a phone photo), at most 10, all together at most 16 MB. Each is marked as showing
// personal data unless the inspector says otherwise — only non-personal evidence of a published
// result is ever public.
import { useId, useState } from 'react';
import { Alert, Button, Checkbox } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InspectionResult } from '../../api/console-types';

export type EvidenceDraft = NonNullable<InspectionResult['evidence']>[number] & { size: number };

const MAX_FILES = 10;
// The server takes 8 MiB a file and a 24 MiB request; base64 adds a third, so 16 MiB in all fits.
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_TOTAL_BYTES = 16 * 1024 * 1024;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;

const readBase64 = (file: File) => new Promise<string>((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
  reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
  reader.readAsDataURL(file);
});

export const formatSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 102.4) / 10} KB` : `${Math.round(bytes / (1024 * 102.4)) / 10} MB`;

export function EvidenceUpload({ value, onChange }: { value: EvidenceDraft[]; onChange: (files: EvidenceDraft[]) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [problems, setProblems] = useState<string[]>([]);

  const add = async (list: FileList | null) => {
    const found: string[] = [];
    const next = [...value];
    for (const file of Array.from(list ?? [])) {
      const total = next.reduce((sum, f) => sum + f.size, 0);
      if (next.length >= MAX_FILES) { found.push(t('sv.evidence.tooMany', { name: file.name, max: MAX_FILES })); continue; }
      if (file.size === 0) { found.push(t('sv.evidence.empty', { name: file.name })); continue; }
      if (file.size > MAX_FILE_BYTES) { found.push(t('sv.evidence.tooBig', { name: file.name, max: formatSize(MAX_FILE_BYTES) })); continue; }
      if (total + file.size > MAX_TOTAL_BYTES) { found.push(t('sv.evidence.totalTooBig', { name: file.name, max: formatSize(MAX_TOTAL_BYTES) })); continue; }
      try {
        const type = file.type.toLowerCase();
        next.push({
          name: file.name.slice(0, 200), mediaType: MEDIA_TYPE.test(type) ? type : 'application/octet-stream',
          contentBase64: await readBase64(file), personal: true, size: file.size,
        });
      } catch {
        found.push(t('sv.evidence.unreadable', { name: file.name }));
      }
    }
    setProblems(found);
    onChange(next);
  };
  const update = (i: number, draft: Partial<EvidenceDraft> | null) =>
    onChange(value.flatMap((f, j) => (j !== i ? [f] : draft ? [{ ...f, ...draft }] : [])));

  return (
    <fieldset className="console-panel evidence-upload">
      <legend>{t('sv.evidence.attach')}</legend>
      <p id={`${inputId}-hint`}>{t('sv.evidence.attachHint', { max: MAX_FILES, each: formatSize(MAX_FILE_BYTES), total: formatSize(MAX_TOTAL_BYTES) })}</p>
      <label htmlFor={inputId} className="file-label">
        {t('sv.evidence.choose')}
        <input id={inputId} type="file" multiple aria-describedby={`${inputId}-hint`}
          onChange={(e) => { const input = e.currentTarget; void add(input.files).then(() => { input.value = ''; }); }} />
      </label>
      <div aria-live="polite">
        {problems.length > 0 ? (
          <Alert type="warning" showIcon className="state-alert" title={t('sv.evidence.notAdded')}
            description={<ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>} />
        ) : null}
      </div>
      {value.length > 0 ? (
        <ul className="evidence-drafts" aria-label={t('sv.evidence.chosen', { count: value.length })}>
          {value.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span>{f.name}（{formatSize(f.size)}）</span>
              <Checkbox checked={f.personal !== false} onChange={(e) => update(i, { personal: e.target.checked })}>
                {t('sv.evidence.personal')}
              </Checkbox>
              <Button onClick={() => update(i, null)} aria-label={t('sv.evidence.removeOf', { name: f.name })}>{t('sv.evidence.remove')}</Button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
