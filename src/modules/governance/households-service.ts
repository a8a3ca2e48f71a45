/**
 * Households: members set what the grid may know (the smallest unit their data is shown at,
 * and how they may be contacted); grid workers read those choices for their own grid only; and
 * statistics count households only as finely as each allows, k-anonymised.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import type { AuditService } from '../audit/service.js';
import { HouseholdsRepository, type MinUnit, type PrivacyRow } from './households-repository.js';
import { GridScope } from './grid-scope.js';
import type { LocationResolver } from './location.js';
import { anonymise, countableAt, K_ANONYMITY, type ShownCell, type StatLevel } from './privacy.js';
import { ancestorAt, unitLevel } from './units.js';

export interface PrivacyChoice { minUnit: MinUnit; elderlyCareVisits: boolean; phoneCalls: boolean; doorVisits: boolean; note?: string }

/** Until a household chooses, it is shown no finer than its building and contacted by visit or phone. */
export const DEFAULT_PRIVACY: PrivacyChoice = { minUnit: 'building', elderlyCareVisits: false, phoneCalls: true, doorVisits: true };

export interface HouseholdStats { region: string; by: StatLevel; k: number; cells: ShownCell[]; excludedByChoice: number | null }

export class HouseholdsService {
  private readonly repo = new HouseholdsRepository();
  private readonly scope: GridScope;

  constructor(private readonly db: Executor, private readonly audit: AuditService, private readonly location: LocationResolver) {
    this.scope = new GridScope(db);
  }

  /** Makes sure a household has a privacy record (the protective default). */
  async ensureHousehold(code: string, db: Executor = this.db): Promise<PrivacyRow> {
    const existing = await this.repo.privacy(db, code);
    if (existing) return existing;
    return this.repo.insertPrivacy(db, {
      household_code: code, min_unit: DEFAULT_PRIVACY.minUnit, elderly_care_visits: DEFAULT_PRIVACY.elderlyCareVisits,
      phone_calls: DEFAULT_PRIVACY.phoneCalls, door_visits: DEFAULT_PRIVACY.doorVisits, note: null, updated_by: null,
    });
  }

  /** Records that a person lives in a household (staff of its region, or the seed). */
  async addMember(actor: Actor | undefined, householdCode: string, personId: string, db: Executor = this.db): Promise<void> {
    if (actor) authorize(actor, { regionCode: householdCode }, { permission: 'governance:manage', allowAgent: false });
    if (unitLevel(householdCode) !== 'household') throw new AppError('UNIT_UNKNOWN', 'Members belong to a household');
    await this.location.requireUnit(householdCode, db);
    await inTransaction(db, async (trx) => {
      await this.ensureHousehold(householdCode, trx);
      await this.repo.addMember(trx, householdCode, personId);
      await this.audit.append({ actor: actor?.userId ?? 'system:seed', action: 'household.member.add', entityType: 'household', entityId: householdCode, detail: { personId } }, trx);
    });
  }

  /** The households the signed-in person belongs to, with their choices. */
  async mine(actor: Actor | undefined): Promise<PrivacyRow[]> {
    const a = requireActor(actor);
    if (!a.personId) return [];
    const codes = await this.repo.householdsOf(this.db, a.personId);
    return Promise.all(codes.map((c) => this.ensureHousehold(c)));
  }

  /** A member changes the household's choices. */
  async setPrivacy(actor: Actor | undefined, code: string, version: number, choice: PrivacyChoice): Promise<PrivacyRow> {
    const a = requireActor(actor);
    const members = await this.repo.members(this.db, code);
    if (!a.personId || !members.includes(a.personId)) throw new AppError('NOT_FOUND');
    return inTransaction(this.db, async (trx) => {
      const updated = await this.repo.updatePrivacy(trx, code, version, {
        min_unit: choice.minUnit, elderly_care_visits: choice.elderlyCareVisits, phone_calls: choice.phoneCalls,
        door_visits: choice.doorVisits, note: choice.note ?? null, updated_by: a.userId,
      });
      if (!updated) throw new AppError('CONFLICT');
      await this.audit.append({ actor: a.userId, action: 'household.privacy.set', entityType: 'household', entityId: code, detail: { minUnit: choice.minUnit } }, trx);
      return updated;
    });
  }

  /**
   * What the grid may know of one household: its contact choices and how many members it has.
   * Staff of its region only; the read is logged for each member to see.
   */
  async readForGrid(actor: Actor | undefined, code: string, purpose: string): Promise<{ privacy: PrivacyRow; memberCount: number }> {
    const a = requirePermission(actor, 'governance:handle');
    if (!(await this.scope.covers(a, code, 'governance:handle'))) throw new AppError('NOT_FOUND');
    if (unitLevel(code) !== 'household') throw new AppError('NOT_FOUND');
    await this.location.requireUnit(code);
    const members = await this.repo.members(this.db, code);
    const privacy = await this.ensureHousehold(code);
    for (const personId of members) {
      await this.audit.recordDataAccess({ subjectPersonId: personId, actor: a, purpose, fields: ['household.contactPreferences'] });
    }
    return { privacy, memberCount: members.length };
  }

  /** Households per unit at level `by` inside `region`, as each household allows, k-anonymised. */
  async householdStats(actor: Actor | undefined, region: string, by: StatLevel): Promise<HouseholdStats> {
    const a = requirePermission(actor, 'governance:handle');
    authorize(a, { regionCode: region }, { permission: 'governance:handle', allowAgent: false });
    if (by === 'household') throw new AppError('STATISTICS_TOO_FINE', 'Statistics are never shown per household');
    if (unitLevel(region) === 'household') throw new AppError('STATISTICS_TOO_FINE', 'Statistics are never shown for one household');
    const rows = await this.repo.privacyUnder(this.db, region);
    const cells = new Map<string, { households: number; elderlyCareVisits: number }>();
    let excluded = 0;
    for (const r of rows) {
      const unit = ancestorAt(r.household_code, by);
      if (!unit) continue;
      if (!countableAt(r.min_unit, by)) { excluded += 1; continue; }
      const cell = cells.get(unit) ?? { households: 0, elderlyCareVisits: 0 };
      cell.households += 1;
      if (r.elderly_care_visits) cell.elderlyCareVisits += 1;
      cells.set(unit, cell);
    }
    const raw = [...cells.entries()].sort(([x], [y]) => x.localeCompare(y))
      .map(([unit, c]) => ({ unit, households: c.households, measures: { elderlyCareVisits: c.elderlyCareVisits } }));
    // The number left out is itself a small count: shown only when it cannot point at a few households.
    return { region, by, k: K_ANONYMITY, cells: anonymise(raw), excludedByChoice: excluded >= K_ANONYMITY || excluded === 0 ? excluded : null };
  }
}
