// One required material, one screen: reuse what I gave before, use my e-licence, or give it
// afresh. Items too old for this matter are shown but cannot be chosen, with the reason in words.
import { Input, Radio, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MaterialOffer } from '../../api/types';
import { formatDate } from '../../components/formatDate';
import { STATUS_TAG } from '../../ui/statusColors';
import { licenceUsable, type Choice } from './choices';

export interface UploadDraft {
  file?: File;
  text?: string;
}

interface Props {
  offer: MaterialOffer;
  kind: 'file' | 'form';
  choice: Choice;
  onChoose: (choice: Choice) => void;
  upload: UploadDraft;
  onUpload: (draft: UploadDraft) => void;
  today: string;
  /** Set when acting for this person (代办): a new upload goes into their library, and the screen says so. */
  uploadInto?: string;
}

const valueOf = (choice: Choice) =>
  choice.kind === 'library' ? `lib:${choice.materialId}` : choice.kind === 'licence' ? `lic:${choice.licenceId}` : choice.kind;

export function MaterialStep({ offer, kind, choice, onChoose, upload, onUpload, today, uploadInto }: Props) {
  const { t, i18n } = useTranslation();
  const date = (d: string | null) => formatDate(d, i18n.language);

  const choose = (value: string) => {
    if (value === 'upload' || value === 'skip') return onChoose({ kind: value });
    const [source, id] = [value.slice(0, 3), value.slice(4)];
    if (source === 'lib') {
      const item = offer.library.find((m) => m.id === id);
      if (item) onChoose({ kind: 'library', materialId: item.id, title: item.title });
    } else {
      const licence = offer.licences.find((l) => l.licenceId === id);
      if (licence) onChoose({ kind: 'licence', licenceId: licence.licenceId, title: licence.typeName });
    }
  };
  // A just-uploaded item is already the choice; keep showing it as such.
  const justUploaded = choice.kind === 'library' && choice.afresh ? choice : null;

  return (
    <>
      <p className="step-hint">
        {offer.required ? t('apply.materialRequired') : t('apply.materialOptional')}
        {offer.freshnessDays ? ` ${t('matter.freshness', { count: offer.freshnessDays })}` : ''}
      </p>
      <Radio.Group
        className="choice-list"
        value={valueOf(choice)}
        onChange={(event) => choose(String(event.target.value))}
        aria-label={t('apply.chooseFor', { name: offer.name })}
      >
        {justUploaded ? (
          <Radio value={valueOf(justUploaded)}>
            {t('apply.uploadedNow', { title: justUploaded.title })}
          </Radio>
        ) : null}
        {offer.library.map((item) => (
          <Radio key={item.id} value={`lib:${item.id}`} disabled={!item.fresh}>
            <span className="choice-title">{t('apply.reuse', { title: item.title })}</span>
            <span className="choice-meta">
              {t('apply.producedOn', { date: date(item.producedOn) })}
              {item.fresh ? null : (
                <>
                  {' '}
                  <Tag color={STATUS_TAG.bad}>{t('apply.tooOld')}</Tag>
                  {t('apply.tooOldHint', { date: date(item.usableUntil) })}
                </>
              )}
            </span>
          </Radio>
        ))}
        {offer.licences.map((licence) => {
          const usable = licenceUsable(licence, today);
          return (
            <Radio key={licence.licenceId} value={`lic:${licence.licenceId}`} disabled={!usable}>
              <span className="choice-title">{t('apply.useLicence', { name: licence.typeName })}</span>
              <span className="choice-meta">
                {usable ? t('apply.licenceValid', { date: licence.validUntil ? date(licence.validUntil) : t('apply.noEnd') })
                  : t(`wallet.status.${licence.status}`, { defaultValue: licence.status })}
              </span>
            </Radio>
          );
        })}
        <Radio value="upload">
          <span className="choice-title">{t('apply.afresh')}</span>
          {uploadInto !== undefined ? <span className="choice-meta">{t('apply.afreshInto', { name: uploadInto })}</span> : null}
        </Radio>
        {offer.required ? null : (
          <Radio value="skip">
            <span className="choice-title">{t('apply.skip')}</span>
          </Radio>
        )}
      </Radio.Group>
      {choice.kind === 'upload' ? (
        <div className="afresh">
          {kind === 'file' ? (
            <label className="file-label">
              <span>{t('apply.chooseFile')}</span>
              <input
                type="file"
                accept="image/png,image/jpeg,application/pdf"
                onChange={(event) => onUpload({ file: event.target.files?.[0] })}
              />
              {upload.file ? <span className="choice-meta">{upload.file.name}</span> : null}
            </label>
          ) : (
            <label className="file-label">
              <span>{t('apply.enterText', { name: offer.name })}</span>
              <Input.TextArea rows={3} maxLength={500} value={upload.text ?? ''} onChange={(event) => onUpload({ text: event.target.value })} />
            </label>
          )}
        </div>
      ) : null}
    </>
  );
}
