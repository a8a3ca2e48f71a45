// Console pages are for staff with a given role. The API refuses anyone else (403) anyway; this
// says so up front, in words, instead of showing a page of failing calls.
import type { ReactNode } from 'react';
import { Alert } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RequireAuth } from '../auth/RequireAuth';
import { useSession } from '../auth/session';
import { PageTitle } from '../components/PageTitle';

/** Roles of the API (src/platform/access/policy.ts) each console is for; admin may use them all. */
export const CONSOLE_ROLES = {
  workbench: ['official'],
  issuing: ['issuer'],
  catalogue: ['official'],
  supervision: ['supervisor', 'official'],
  planning: ['supervisor'],
  inspecting: ['inspector', 'supervisor'],
  governance: ['grid_worker', 'official', 'hotline_operator'],
} as const;

export type ConsoleArea = keyof typeof CONSOLE_ROLES;

export function hasConsoleRole(roles: readonly string[] | undefined, area: ConsoleArea): boolean {
  const allowed: readonly string[] = CONSOLE_ROLES[area];
  return !!roles && roles.some((r) => r === 'admin' || allowed.includes(r));
}

export function useHasRole(area: ConsoleArea): boolean {
  return hasConsoleRole(useSession()?.user.roles, area);
}

function RoleGate({ area, children }: { area: ConsoleArea; children: ReactNode }) {
  const { t } = useTranslation();
  const allowed = useHasRole(area);
  if (allowed) return <>{children}</>;
  return (
    <>
      <PageTitle title={t('console.forbidden.title')} />
      <Alert
        type="warning"
        showIcon
        role="alert"
        className="state-alert"
        title={t('console.forbidden.what', { roles: CONSOLE_ROLES[area].map((r) => t(`console.roles.${r}`)).join('、') })}
        description={
          <p>
            {t('console.forbidden.todo')} <Link to="/" style={{ textDecoration: 'underline' }}>{t('console.forbidden.home')}</Link>
          </p>
        }
      />
    </>
  );
}

/** Signed in (else to login and back) and holding one of the area's roles. */
export function RequireRole({ area, children }: { area: ConsoleArea; children: ReactNode }) {
  return (
    <RequireAuth>
      <RoleGate area={area}>{children}</RoleGate>
    </RequireAuth>
  );
}
