// Which links the main navigation shows. 长辈版 keeps only the most used destinations
// (one clear path per task); the full list is for everyone else.
export interface NavItem {
  to: string;
  labelKey: string;
  /** Shown in elder mode's simplified navigation. */
  elder?: boolean;
  /** Only for government staff (officials, inspectors, grid workers…). */
  officialOnly?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/', labelKey: 'nav.home', elder: true },
  { to: '/search', labelKey: 'nav.search', elder: true },
  { to: '/me/applications', labelKey: 'nav.applications', elder: true },
  { to: '/me/licences', labelKey: 'nav.licences', elder: true },
  { to: '/me/data-access-log', labelKey: 'nav.dataAccessLog' },
  { to: '/me/agent-grants', labelKey: 'nav.agentGrants' },
  { to: '/governance/report', labelKey: 'nav.report' },
  { to: '/supervision/draws', labelKey: 'nav.draws' },
  { to: '/workbench', labelKey: 'nav.workbench', officialOnly: true },
];
