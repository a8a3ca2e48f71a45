// The last screen before submitting: everything that will be sent, in plain words — for whom
// (when not myself), the verified details, what I filled in, and for each material whether it
// is reused, an e-licence, given afresh or left out.
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Choice } from './choices';

interface Props {
  /** When the applicant is someone else or my company: said first, before anything is sent. */
  acting?: { title: string; hint: string };
  fields: { label: string; value: string }[];
  materials: { name: string; choice: Choice }[];
}

export function ReviewStep({ acting, fields, materials }: Props) {
  const { t } = useTranslation();
  const describe = (choice: Choice) => {
    switch (choice.kind) {
      case 'library':
        return choice.afresh ? t('apply.sourceAfresh', { title: choice.title }) : t('apply.sourceReuse', { title: choice.title });
      case 'licence':
        return t('apply.sourceLicence', { title: choice.title });
      case 'skip':
        return t('apply.sourceSkip');
      case 'upload':
        return t('apply.sourceMissing');
    }
  };
  return (
    <>
      {acting ? <Alert type="info" showIcon className="state-alert acting-for-review" title={acting.title} description={acting.hint} /> : null}
      <p className="step-hint">{t('apply.reviewHint')}</p>
      <h3>{t('apply.reviewFields')}</h3>
      <dl className="facts">
        {fields.map((f) => (
          <div key={f.label} className="fact-row"><dt>{f.label}</dt><dd>{f.value || '—'}</dd></div>
        ))}
      </dl>
      <h3>{t('apply.reviewMaterials')}</h3>
      <dl className="facts">
        {materials.map((m) => (
          <div key={m.name} className="fact-row"><dt>{m.name}</dt><dd>{describe(m.choice)}</dd></div>
        ))}
      </dl>
    </>
  );
}
