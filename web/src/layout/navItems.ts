// Which links the main navigation shows. 长辈版 keeps only the most used destinations
// (one clear path per task); the full list is for everyone else.
export interface NavItem {
  to: string;
  labelKey: string;
  /** Shown in elder mode's simplified navigation. */
  elder?: boolean;
  /** Only for government staff (officials, inspectors, grid workers…). */
  officialOnly?: boolean;
  /** Only for users holding one of these API roles (admin sees all). */
  roles?: string[];
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/', labelKey: 'nav.home', elder: true },
  { to: '/search', labelKey: 'nav.search', elder: true },
  { to: '/me/applications', labelKey: 'nav.applications', elder: true },
  { to: '/me/licences', labelKey: 'nav.licences', elder: true },
  { to: '/me/data-access-log', labelKey: 'nav.dataAccessLog' },
  { to: '/me/agent-grants', labelKey: 'nav.agentGrants' },
  { to: '/governance/report', labelKey: 'nav.report' },
  { to: '/me/reports', labelKey: 'nav.myReports' },
  { to: '/me/household', labelKey: 'nav.household' },
  { to: '/supervision/draws', labelKey: 'nav.draws' },
  // ── officials' consoles: one entry per job, shown to the roles that do it ──
  { to: '/workbench', labelKey: 'console.nav.workbench', officialOnly: true, roles: ['official'] },
  { to: '/workbench/licences/new', labelKey: 'console.nav.issue', officialOnly: true, roles: ['issuer'] },
  { to: '/supervision/entities', labelKey: 'console.nav.supervision', officialOnly: true, roles: ['supervisor', 'official'] },
  { to: '/supervision/inspections', labelKey: 'console.nav.inspections', officialOnly: true, roles: ['inspector'] },
  { to: '/governance/events', labelKey: 'console.nav.governance', officialOnly: true, roles: ['grid_worker', 'official', 'hotline_operator'] },
  // ── end of consoles ──
];
