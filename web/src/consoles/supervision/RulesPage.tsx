// 监管规则: the settings that decide grades and what follows from them — grading rules, the grade
// policy (how often each grade is drawn), credit-repair publication periods and joint-discipline
// restrictions. Everyone in supervision reads them; administrators change them, each change with
// a reason that the history keeps.
import { Alert } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/PageTitle';
import { ConsoleNav, SUPERVISION_LINKS } from '../ConsoleNav';
import { useIsAdmin } from './configShared';
import { GradePolicySection } from './GradePolicySection';
import { GradeRulesSection } from './GradeRulesSection';
import { RepairPeriodsSection } from './RepairPeriodsSection';
import { RestrictionsSection } from './RestrictionsSection';
import '../consoles.css';

export default function RulesPage() {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  return (
    <>
      <PageTitle title={t('sv.config.title')} intro={t('sv.config.intro')} />
      <ConsoleNav labelKey="sv.nav.label" links={SUPERVISION_LINKS} />
      {admin ? null : <Alert type="info" showIcon className="state-alert" data-testid="read-only" title={t('sv.config.readOnly')} />}
      <nav aria-label={t('sv.config.contents')} className="config-contents">
        <ul>
          <li><a href="#sv-rules-heading">{t('sv.rules.heading')}</a></li>
          <li><a href="#sv-policy-heading">{t('sv.policy.heading')}</a></li>
          <li><a href="#sv-periods-heading">{t('sv.periods.heading')}</a></li>
          <li><a href="#sv-restrictions-heading">{t('sv.restrictions.heading')}</a></li>
          <li><Link to="/supervision/rules/history">{t('sv.history.title')}</Link></li>
        </ul>
      </nav>
      <GradeRulesSection />
      <GradePolicySection />
      <RepairPeriodsSection />
      <RestrictionsSection />
    </>
  );
}
