// The last screen before submitting: everything that will be sent, in plain words — the
// verified details, what I filled in, and for each material whether it is reused, an
// e-licence, given afresh or left out.
import { useTranslation } from 'react-i18next';
import type { Choice } from './choices';

interface Props {
  fields: { label: string; value: string }[];
  materials: { name: string; choice: Choice }[];
}

export function ReviewStep({ fields, materials }: Props) {
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
