// Home: the smart-guide search box first, then shortcuts to the matters people do most often
// across provinces (DOMAIN.md: the common 跨省通办 matters). The shortcuts run a search;
// they never show made-up results.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { PageTitle } from '../components/PageTitle';
import { SearchForm } from '../components/SearchForm';

const COMMON_SEARCH_KEYS = ['socialSecurityTransfer', 'medicalFiling', 'householdMove', 'drivingLicence', 'housingFund'];

export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <>
      <PageTitle title={t('home.title')} intro={t('home.intro')} />
      <SearchForm />
      <section aria-labelledby="common-heading" className="section">
        <h2 id="common-heading">{t('home.commonHeading')}</h2>
        <ul className="tile-list">
          {COMMON_SEARCH_KEYS.map((key) => (
            <li key={key}>
              <Link className="tile" to={`/search?q=${encodeURIComponent(t(`home.common.${key}`))}`}>
                {t(`home.common.${key}`)}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="mine-heading" className="section">
        <h2 id="mine-heading">{t('home.mineHeading')}</h2>
        {session ? null : <p>{t('home.signInHint')}</p>}
        <ul className="tile-list">
          <li><Link className="tile" to="/me/applications">{t('nav.applications')}</Link></li>
          <li><Link className="tile" to="/me/licences">{t('nav.licences')}</Link></li>
          <li><Link className="tile" to="/me/agent-grants">{t('nav.agentGrants')}</Link></li>
          <li><Link className="tile" to="/governance/report">{t('nav.report')}</Link></li>
        </ul>
      </section>
    </>
  );
}
