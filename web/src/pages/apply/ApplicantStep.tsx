// The first screen when the signed-in user may apply for someone else on this matter: myself,
// each person whose 代办 grant covers it (name and masked ID, as their verified identity gives
// them), or my company. A radio group under a visible legend; arrow keys move the choice.
import { Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../components/formatDate';
import { type ApplicantOption, maskId } from './applicants';

export interface ApplicantLabel {
  /** The applicant's name as their verified identity has it (undefined when the matter does not prefill it). */
  name?: string;
  /** Resident ID or USCC, shown masked. */
  id?: string;
}

interface Props {
  options: ApplicantOption[];
  labels: Record<string, ApplicantLabel>;
  value: string;
  onChoose: (key: string) => void;
}

export function ApplicantStep({ options, labels, value, onChoose }: Props) {
  const { t, i18n } = useTranslation();

  const describe = (option: ApplicantOption) => {
    const { name, id } = labels[option.key] ?? {};
    switch (option.kind) {
      case 'self':
        return { title: name ? t('apply.whomSelf', { name }) : t('apply.whomSelfNoName'), meta: id ? t('apply.whomIdMeta', { id: maskId(id) }) : null };
      case 'person':
        return {
          title: t('apply.whomPerson', { name: name ?? t('apply.someone') }),
          meta: [id ? t('apply.whomIdMeta', { id: maskId(id) }) : null,
            t('apply.whomGrantMeta', { relationship: option.grant.relationship, date: formatDate(option.grant.expiresAt, i18n.language) })]
            .filter(Boolean).join(' · '),
        };
      case 'company':
        return { title: t('apply.whomCompany', { name: option.company.name }), meta: t('apply.whomUsccMeta', { uscc: option.company.uscc }) };
    }
  };

  // Only what this person can do: a relative with no company is not told about companies.
  const forPersons = options.some((o) => o.kind === 'person');
  const forCompany = options.some((o) => o.kind === 'company');
  const hintKey = forPersons && forCompany ? 'apply.whomHintBoth' : forCompany ? 'apply.whomHintCompany' : 'apply.whomHintPerson';

  return (
    <fieldset className="whom">
      <legend className="whom-legend" id="whom-legend">{t('apply.whomLegend')}</legend>
      <p className="step-hint" id="whom-hint">{t(hintKey)}</p>
      <Radio.Group className="choice-list" value={value} onChange={(event) => onChoose(String(event.target.value))} aria-labelledby="whom-legend" aria-describedby="whom-hint">
        {options.map((option) => {
          const { title, meta } = describe(option);
          return (
            <Radio key={option.key} value={option.key}>
              <span className="choice-title">{title}</span>
              {meta ? <span className="choice-meta">{meta}</span> : null}
            </Radio>
          );
        })}
      </Radio.Group>
    </fieldset>
  );
}
