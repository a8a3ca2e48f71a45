// Statistics of my grid or region: events by category and status, overdue rate, time to close,
// satisfaction; and households per unit — as finely as each household allows, with any cell of
// fewer than k households suppressed by the server (k-anonymity), shown here as suppressed.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { Dashboard } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, GOVERNANCE_LINKS } from '../ConsoleNav';
import { useMe } from '../useMe';
import { BarChart } from './BarChart';
import { useCategories } from './useCategories';
import '../consoles.css';

/** Households are counted one level below the region: buildings in a grid or community, communities above. */
function householdUnit(region: string): 'building' | 'community' {
  return region.length >= 12 ? 'building' : 'community';
}

function Kpis({ d }: { d: Dashboard }) {
  const { t, i18n } = useTranslation();
  const pct = (n: number | null) => (n === null ? '—' : new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(n));
  const num = (n: number | null, digits = 1) => (n === null ? '—' : new Intl.NumberFormat(i18n.language, { maximumFractionDigits: digits }).format(n));
  const items: [string, string][] = [
    [t('gov.stats.total'), num(d.total, 0)],
    [t('gov.stats.open'), num(d.open, 0)],
    [t('gov.stats.overdue'), num(d.overdue, 0)],
    [t('gov.stats.overdueRate'), pct(d.overdueRate)],
    [t('gov.stats.closed'), num(d.closed, 0)],
    [t('gov.stats.hoursToClose'), num(d.averageHoursToClose)],
    [t('gov.stats.satisfaction'), d.satisfaction.average === null ? '—' : `${num(d.satisfaction.average)} / 5`],
  ];
  return (
    <ul className="kpi-list" aria-label={t('gov.stats.kpis')}>
      {items.map(([label, value]) => (
        <li key={label}>
          <span>{label}</span>
          <span className="kpi-value">{value}</span>
        </li>
      ))}
    </ul>
  );
}

export default function StatisticsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { name } = useCategories();
  const region = me.data?.user.regionCode ?? undefined;
  const dashboard = useQuery({ queryKey: ['gov-dashboard', region], queryFn: () => consoleApi.dashboard(region), enabled: me.isSuccess });
  const households = useQuery({
    queryKey: ['gov-households', region],
    queryFn: () => consoleApi.householdStats(region!, householdUnit(region!)),
    enabled: !!region,
  });

  return (
    <>
      <PageTitle title={t('gov.stats.title')} intro={t('gov.stats.intro', { region: region ?? '—' })} />
      <ConsoleNav labelKey="gov.nav.label" links={GOVERNANCE_LINKS} />
      {me.isError ? <ErrorState error={me.error} /> : null}
      {dashboard.isPending && !me.isError ? (
        <LoadingState />
      ) : dashboard.isError ? (
        <ErrorState error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : dashboard.data ? (
        <>
          <Kpis d={dashboard.data} />
          <div className="console-grid">
            <BarChart title={t('gov.stats.byCategory')} valueLabel={t('gov.stats.count')}
              bars={dashboard.data.byCategory.map((c) => ({ label: name(c.key), value: c.count }))} />
            <BarChart title={t('gov.stats.byStatus')} valueLabel={t('gov.stats.count')}
              bars={dashboard.data.byStatus.map((c) => ({ label: t(`gov.status.${c.key}`, { defaultValue: c.key }), value: c.count }))} />
            <BarChart title={t('gov.stats.ratings')} valueLabel={t('gov.stats.count')}
              bars={dashboard.data.satisfaction.distribution.map((r) => ({ label: t('gov.stats.stars', { count: r.rating }), value: r.count }))} />
          </div>
        </>
      ) : null}
      <section aria-labelledby="gov-households-heading" className="section">
        <h2 id="gov-households-heading">{t('gov.stats.households')}</h2>
        {households.isPending && region ? (
          <LoadingState />
        ) : households.isError ? (
          <ErrorState error={households.error} onRetry={() => void households.refetch()} />
        ) : households.data ? (
          <>
            <p>{t('gov.stats.kNote', { k: households.data.k, excluded: households.data.excludedByChoice ?? t('gov.stats.suppressedShort') })}</p>
            <table className="data-table">
              <caption>{t('gov.stats.householdsCaption', { unit: t(`gov.unit.${householdUnit(region!)}`) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('gov.stats.unit')}</th>
                  <th scope="col">{t('gov.stats.householdCount')}</th>
                  <th scope="col">{t('gov.stats.careVisits')}</th>
                </tr>
              </thead>
              <tbody>
                {households.data.cells.map((c) => (
                  <tr key={c.unit}>
                    <td>{c.unit}</td>
                    <td>{c.suppressed ? t('gov.stats.suppressed', { k: households.data.k }) : c.households}</td>
                    <td>{c.suppressed || c.measures.elderlyCareVisits === null ? '—' : c.measures.elderlyCareVisits}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </section>
    </>
  );
}
