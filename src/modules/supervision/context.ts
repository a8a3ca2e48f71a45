/** What every part of the supervision module shares: the database, the audit chain, and scope helpers. */
import type { Executor } from '../../platform/db/database.js';
import type { AuditService } from '../audit/service.js';
import type { WorkingDayCalendar } from '../../platform/calendar/working-days.js';
import { authorize, type Actor, type Permission } from '../../platform/access/policy.js';
import { isWithinRegion } from '../../platform/access/region-scope.js';
import { AppError, notFound } from '../../platform/errors.js';

/** The parts of identity this module uses (IdentityService satisfies it). */
export interface IdentityPort {
  companyByUscc(uscc: string): Promise<{ id: string; uscc: string; name: string } | undefined>;
  companyById(id: string): Promise<{ id: string; uscc: string; name: string } | undefined>;
  displayNames(userIds: readonly string[]): Promise<Map<string, string>>;
}

export interface SupervisionDeps {
  db: Executor;
  audit: AuditService;
  identity: IdentityPort;
  /** The shared State Council working-day calendar (publication and follow-up deadlines). */
  calendar: WorkingDayCalendar;
}

export interface EntityRow {
  id: string; kind: string; name: string; uscc: string | null; company_id: string | null; person_id: string | null;
  platform_id: string | null; shop_id: string | null; region_code: string; address: string | null; status: string; version: number;
}

export async function loadEntity(db: Executor, id: string): Promise<EntityRow | undefined> {
  return db.selectFrom('sup_entities').selectAll().where('id', '=', id).executeTakeFirst() as Promise<EntityRow | undefined>;
}

/** The entity, if `actor` may reach it with `permission` (owners reach their own); else 404. */
export async function entityInScope(db: Executor, actor: Actor | undefined, id: string, permission: Permission): Promise<EntityRow> {
  const entity = await loadEntity(db, id);
  if (!entity) throw notFound('No such market entity');
  authorize(actor, { regionCode: entity.region_code, ownerCompanyId: entity.company_id, ownerPersonId: entity.person_id }, { permission, allowAgent: false });
  return entity;
}

/** A supervisor may plan or register only inside their own region: 422, nothing changed. */
export function requireRegion(actor: Actor, regionCode: string): void {
  if (actor.roles.includes('admin')) return;
  if (!isWithinRegion(regionCode, actor.regionCode)) {
    throw new AppError('REGION_OUT_OF_SCOPE', `Region ${regionCode} is outside your scope (${actor.regionCode ?? 'none'})`);
  }
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/**
 * A DATE column as YYYY-MM-DD. The PostgreSQL driver is told to keep dates as text, but PGlite
 * hands back a JS Date at UTC midnight; both end up the same here.
 */
export function ymd(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}
export const ymdOrNull = (value: unknown): string | null => (value == null ? null : ymd(value));
