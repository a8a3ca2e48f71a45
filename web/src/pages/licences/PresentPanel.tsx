// 亮证: show a licence by QR code, disclosing only what the person ticks (some fields, or just
// "age at least N"). The QR code is drawn here, in the browser, from the absolute address of the
// page that checks the presentation (VerifyPresentationPage), so the phone that scans it opens a
// page a person can read; it expires after a few minutes.
import { useEffect, useState } from 'react';
import { Button, Checkbox, Input, InputNumber } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { citizenApi } from '../../api/citizen';
import type { LicenceSummary, Presentation } from '../../api/types';
import { formatDate } from '../../components/formatDate';
import { ErrorState, LoadingState } from '../../components/QueryStates';

const HOLDER_FIELDS = ['holder.name', 'holder.id'];

export function PresentPanel({ licence }: { licence: LicenceSummary }) {
  const { t, i18n } = useTranslation();
  const types = useQuery({ queryKey: ['licence-types'], queryFn: citizenApi.licenceTypes, staleTime: Infinity });
  const [fields, setFields] = useState<string[]>(['holder.name']);
  const [ageAtLeast, setAgeAtLeast] = useState<number | null>(null);
  const [purpose, setPurpose] = useState('');
  const [shown, setShown] = useState<Presentation | null>(null);

  const present = useMutation({
    mutationFn: () => citizenApi.present(licence.id, { fields, purpose: purpose.trim(), ...(ageAtLeast ? { ageAtLeast } : {}) }),
    onSuccess: setShown,
  });

  if (types.isPending) return <LoadingState />;
  if (types.isError) return <ErrorState error={types.error} onRetry={() => void types.refetch()} />;
  const type = types.data.items.find((x) => x.code === licence.type || x.name === licence.typeName);
  const properties = ((type?.fields as { properties?: Record<string, { title?: string }> } | undefined)?.properties) ?? {};
  const labelOf = (field: string) =>
    HOLDER_FIELDS.includes(field) ? t(`present.${field === 'holder.name' ? 'holderName' : 'holderId'}`) : properties[field]?.title ?? field;

  if (shown) return <ShownPresentation presentation={shown} labelOf={labelOf} onDone={() => setShown(null)} language={i18n.language} />;

  return (
    <form className="panel" onSubmit={(event) => { event.preventDefault(); present.mutate(); }}>
      <p>{t('present.intro')}</p>
      <fieldset>
        <legend>{t('present.fields')}</legend>
        <Checkbox.Group className="choice-list" value={fields} onChange={(values) => setFields(values.map(String))}
          options={[...HOLDER_FIELDS, ...Object.keys(properties)].map((f) => ({ value: f, label: labelOf(f) }))} />
      </fieldset>
      {licence.holderKind === 'person' ? (
        <label className="field">
          <span className="field-label">{t('present.ageAtLeast')}</span>
          <InputNumber min={1} max={150} value={ageAtLeast} onChange={(value) => setAgeAtLeast(value ?? null)} />
        </label>
      ) : null}
      <label className="field">
        <span className="field-label">{t('present.purpose')}</span>
        <Input value={purpose} maxLength={200} placeholder={t('present.purposeHint')} onChange={(event) => setPurpose(event.target.value)} />
      </label>
      {present.isError ? <ErrorState error={present.error} /> : null}
      <Button type="primary" htmlType="submit" size="large" className="next-button" loading={present.isPending}
        disabled={purpose.trim().length < 2 || (fields.length === 0 && !ageAtLeast)}>
        {t('present.show')}
      </Button>
    </form>
  );
}

interface ShownProps {
  presentation: Presentation;
  labelOf: (field: string) => string;
  onDone: () => void;
  language: string;
}

function ShownPresentation({ presentation, labelOf, onDone, language }: ShownProps) {
  const { t } = useTranslation();
  // The page a phone opens (this site's own address: the one the holder is using right now).
  const address = new URL(`/verify/licence/${presentation.token}`, window.location.origin).href;
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
      .then((markup) => live && setSvg(markup))
      .catch(() => live && setSvg(''));
    return () => {
      live = false;
    };
  }, [address]);

  const disclosed = [
    ...presentation.fields.map(labelOf),
    ...(presentation.ageAtLeast ? [t('present.ageClaim', { age: presentation.ageAtLeast })] : []),
  ];
  return (
    <div className="panel presentation" role="status">
      {svg ? (
        // The markup is qrcode's own SVG of our own address: no user text inside it.
        <div className="qr" role="img" aria-label={t('present.qrLabel')} dangerouslySetInnerHTML={{ __html: svg }} />
      ) : svg === '' ? null : <LoadingState />}
      <p>{t('present.discloses', { what: disclosed.join('、') })}</p>
      <p>{t('present.expires', { when: formatDate(presentation.expiresAt, language, true) })}</p>
      <p className="identifier">{address}</p>
      <Button size="large" onClick={onDone}>{t('present.done')}</Button>
    </div>
  );
}
