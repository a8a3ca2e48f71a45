// The sub-navigation of one console: the few screens of that job, each a real link.
import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { hasConsoleRole, type ConsoleArea } from './RequireRole';

export interface ConsoleLink {
  to: string;
  labelKey: string;
  area?: ConsoleArea;
}

export function ConsoleNav({ labelKey, links }: { labelKey: string; links: ConsoleLink[] }) {
  const { t } = useTranslation();
  const roles = useSession()?.user.roles;
  const shown = links.filter((l) => !l.area || hasConsoleRole(roles, l.area));
  return (
    <nav aria-label={t(labelKey)} className="console-nav">
      <ul>
        {shown.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} end>
              {t(l.labelKey)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export const WORKBENCH_LINKS: ConsoleLink[] = [
  { to: '/workbench', labelKey: 'wb.nav.queue', area: 'workbench' },
  { to: '/workbench/licences/new', labelKey: 'wb.nav.issue', area: 'issuing' },
  { to: '/workbench/catalogue', labelKey: 'wb.nav.catalogue', area: 'catalogue' },
];

export const SUPERVISION_LINKS: ConsoleLink[] = [
  { to: '/supervision/entities', labelKey: 'sv.nav.entities', area: 'supervision' },
  { to: '/supervision/tasks/new', labelKey: 'sv.nav.plan', area: 'planning' },
  { to: '/supervision/schedules', labelKey: 'sv.nav.schedules', area: 'planning' },
  { to: '/supervision/inspections', labelKey: 'sv.nav.inspections', area: 'inspecting' },
  { to: '/supervision/lists', labelKey: 'sv.nav.lists', area: 'supervision' },
  { to: '/supervision/rules', labelKey: 'sv.nav.rules', area: 'supervision' },
  { to: '/supervision/draws', labelKey: 'sv.nav.draws' },
  { to: '/supervision/results', labelKey: 'sv.nav.results' },
];

export const GOVERNANCE_LINKS: ConsoleLink[] = [
  { to: '/governance/events', labelKey: 'gov.nav.events', area: 'governance' },
  { to: '/governance/events/new', labelKey: 'gov.nav.report', area: 'governance' },
  { to: '/governance/statistics', labelKey: 'gov.nav.statistics', area: 'governance' },
  { to: '/governance/tree', labelKey: 'gov.nav.tree', area: 'governance' },
];
