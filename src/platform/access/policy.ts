/**
 * The one access-control decision point. Routes ask two questions, both answered here:
 *  - `requirePermission`: may this actor use this kind of function at all? (401 / 403)
 *  - `authorize`: may this actor see or change this particular record? (404 when not, so that
 *    nobody learns that a record they may not see exists)
 * A record may be reached by ownership, by a company agent, by a 代办 grant from its owner,
 * or by an official whose role carries the permission and whose region contains the record's.
 */
import { AppError } from '../errors.js';
import { isWithinRegion } from './region-scope.js';

export const ROLES = [
  'citizen', 'company_agent', 'official', 'issuer', 'inspector', 'supervisor',
  'grid_worker', 'hotline_operator', 'auditor', 'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Which roles carry each permission. Region scope is applied on top, per record. */
export const PERMISSIONS = {
  'person:read': ['official', 'issuer', 'inspector', 'supervisor', 'grid_worker', 'hotline_operator'],
  'person:verify': ['official'],
  'application:review': ['official'],
  'catalog:manage': ['official'],
  'licence:issue': ['issuer'],
  'licence:status': ['issuer'],
  'supervision:plan': ['supervisor'],
  'supervision:inspect': ['inspector'],
  'supervision:list': ['supervisor', 'official'],
  /** Declaring joint-discipline restrictions on one's own department's matters (within one's region). */
  'supervision:restrictions': ['supervisor', 'official'],
  'governance:report': ['grid_worker', 'hotline_operator'],
  'governance:handle': ['grid_worker', 'official'],
  'governance:manage': ['official'],
  'data-sharing:manage': ['official'],
  'audit:read': ['auditor'],
  'platform:admin': [],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export interface AgentGrantScope {
  grantId: string;
  grantorPersonId: string;
  /** Matter codes the agent may act on; ['*'] means every matter. */
  matters: string[];
  expiresAt: Date;
}

export interface Actor {
  userId: string;
  username: string;
  roles: Role[];
  personId?: string;
  companyId?: string;
  regionCode?: string;
  department?: string;
  assuranceLevel: 1 | 2;
  /** 代办 grants this user holds from other people (active, unexpired, unrevoked at load). */
  grants: AgentGrantScope[];
  /** Label used in logs shown to the person whose data is read, e.g. "西湖区行政审批局 · official1". */
  label: string;
}

/** What a record says about who it belongs to and where it lives. */
export interface ScopedResource {
  ownerPersonId?: string | null;
  ownerCompanyId?: string | null;
  regionCode?: string | null;
  department?: string | null;
  /** The matter this record concerns, for 代办 grants limited to some matters. */
  matterCode?: string | null;
}

export type AccessBasis = 'admin' | 'self' | 'company' | 'agent' | 'region';

export interface AccessRequest {
  /** Permission an official needs to reach the record through region scope. */
  permission?: Permission;
  /** Officials must also belong to the record's department. */
  sameDepartment?: boolean;
  /** Whether a 代办 agent may reach it (default true). */
  allowAgent?: boolean;
  now?: Date;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  if (actor.roles.includes('admin')) return true;
  const roles: readonly Role[] = PERMISSIONS[permission];
  return actor.roles.some((r) => roles.includes(r));
}

export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
}

export function requirePermission(actor: Actor | undefined, permission: Permission): Actor {
  const a = requireActor(actor);
  if (!hasPermission(a, permission)) throw new AppError('FORBIDDEN');
  return a;
}

export function grantCovers(grant: AgentGrantScope, personId: string, matterCode: string | null | undefined, now: Date): boolean {
  if (grant.grantorPersonId !== personId || grant.expiresAt <= now) return false;
  if (grant.matters.includes('*')) return true;
  return !!matterCode && grant.matters.includes(matterCode);
}

/** The basis on which `actor` may reach `resource`, or null if it may not. */
export function accessBasis(actor: Actor, resource: ScopedResource, req: AccessRequest = {}): AccessBasis | null {
  const now = req.now ?? new Date();
  if (actor.roles.includes('admin')) return 'admin';
  if (resource.ownerPersonId && actor.personId === resource.ownerPersonId) return 'self';
  if (resource.ownerCompanyId && actor.companyId === resource.ownerCompanyId && actor.roles.includes('company_agent')) {
    return 'company';
  }
  if ((req.allowAgent ?? true) && resource.ownerPersonId) {
    const owner = resource.ownerPersonId;
    if (actor.grants.some((g) => grantCovers(g, owner, resource.matterCode, now))) return 'agent';
  }
  if (req.permission && hasPermission(actor, req.permission) && isWithinRegion(resource.regionCode, actor.regionCode)) {
    if (req.sameDepartment && resource.department && actor.department !== resource.department) return null;
    return 'region';
  }
  return null;
}

/** Throws 401 without an actor and 404 when the record is out of reach; returns the basis. */
export function authorize(actor: Actor | undefined, resource: ScopedResource, req: AccessRequest = {}): AccessBasis {
  const a = requireActor(actor);
  const basis = accessBasis(a, resource, req);
  if (!basis) throw new AppError('NOT_FOUND');
  return basis;
}
