/**
 * Event rules: reporting (resident app, grid worker, hotline operator, Open311 client), each
 * life-cycle step with actor, time, notes and photos, rework, escalation up the tree, duplicate
 * merging, and the time limits a resident is promised. Who may act is asked of policy.ts.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { accessBasis, authorize, hasPermission, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import type { AuditService } from '../audit/service.js';
import { EventsRepository, type CategoryRow, type EventRow, type EventFilter } from './events-repository.js';
import { HouseholdsRepository } from './households-repository.js';
import { TRANSITIONS, canEscalate, nextStatus, type EventAction } from './lifecycle.js';
import { GridScope } from './grid-scope.js';
import type { LocationResolver } from './location.js';
import { addLimit, computeDeadlines } from './time-limits.js';
import { gridOf, parentRegion, unitLevel } from './units.js';

export interface EventSettings {
  /** Duplicates: same category, within this distance or the same unit, reported within the window. */
  duplicateRadiusMeters: number;
  duplicateWindowDays: number;
  /** A poor rating (≤ 2) must be followed up within this many working days (DOMAIN.md 好差评 default 15). */
  poorRatingFollowUpDays: number;
}

export interface NewEvent {
  categoryCode: string; description: string; regionCode?: string; lat?: number; lon?: number; address?: string;
  householdCode?: string; photoIds?: string[]; mediaUrl?: string;
}

/** Someone who reports without an account: an Open311 client holding an API key. */
export interface ClientReporter { client: string }

export interface StepInput {
  version: number; notes?: string; photoIds?: string[];
  department?: string; rating?: number; comment?: string; intoEventId?: string;
}

const NOTES_REQUIRED: EventAction[] = ['check_fail', 'reject', 'merge'];
const CATEGORY_CACHE_MS = 5_000;

export class EventsService {
  private readonly repo = new EventsRepository();
  private readonly households = new HouseholdsRepository();
  private readonly scope: GridScope;
  private readonly categoryCache = new Map<string, { row: CategoryRow; until: number }>();

  constructor(
    private readonly db: Executor,
    private readonly audit: AuditService,
    private readonly location: LocationResolver,
    private readonly settings: EventSettings,
  ) {
    this.scope = new GridScope(db);
  }

  categories(): Promise<CategoryRow[]> { return this.repo.categories(this.db); }

  /**
   * A category with its limits. Reports read it from a copy kept for CATEGORY_CACHE_MS (a
   * handful of rows, changed by administrators a few times a year): a change made through another
   * process reaches new reports within that time, one made here at once.
   */
  async category(code: string, db: Executor = this.db): Promise<CategoryRow> {
    const cached = this.categoryCache.get(code);
    const c = cached && cached.until > Date.now() && !db.isTransaction ? cached.row : await this.repo.category(db, code);
    if (!c) throw new AppError('CATEGORY_UNKNOWN', `No event category "${code}"`, [{ path: '$.categoryCode', message: 'unknown category' }]);
    if (c !== cached?.row) this.categoryCache.set(code, { row: c, until: Date.now() + CATEGORY_CACHE_MS });
    return c;
  }

  /** An administrator changes a category's time limits; events already filed keep theirs. */
  async updateCategory(actor: Actor | undefined, code: string, input: {
    version: number; acceptLimit: number; acceptUnit: 'hours' | 'working_days'; resolveLimit: number; resolveUnit: 'hours' | 'working_days';
    warnPercent: number; defaultDepartment?: string | null;
  }): Promise<CategoryRow> {
    const a = requirePermission(actor, 'platform:admin');
    await this.category(code);
    return inTransaction(this.db, async (trx) => {
      const updated = await this.repo.updateCategory(trx, code, input.version, {
        accept_limit: input.acceptLimit, accept_unit: input.acceptUnit, resolve_limit: input.resolveLimit, resolve_unit: input.resolveUnit,
        warn_percent: input.warnPercent, ...(input.defaultDepartment !== undefined ? { default_department: input.defaultDepartment } : {}),
      });
      if (!updated) throw new AppError('CONFLICT');
      this.categoryCache.delete(code);
      await this.audit.append({ actor: a.userId, action: 'gov-category.update', entityType: 'gov-category', entityId: code, detail: { ...input } }, trx);
      return updated;
    });
  }

  /** Files a new event. Officials and grid workers report within their region; residents anywhere the node serves. */
  /** `db` is passed only by the demo seed, which runs inside its own transaction. */
  async report(reporter: Actor | ClientReporter | undefined, input: NewEvent, db: Executor = this.db): Promise<EventRow> {
    if (!reporter) throw new AppError('UNAUTHENTICATED');
    const actor = 'userId' in reporter ? reporter : undefined;
    const category = await this.category(input.categoryCode, db);
    if (!actor && !category.public) throw new AppError('CATEGORY_UNKNOWN', `No public event category "${category.code}"`);
    // The unit and the named household are looked up at once (two queries, one wait); a bad
    // location is still reported before a bad household.
    const [where, named] = await Promise.allSettled([
      this.location.place(db, input),
      input.householdCode && input.regionCode ? this.checkHousehold(input.householdCode, input.regionCode, db) : undefined,
    ]);
    if (where.status === 'rejected') throw where.reason;
    if (named.status === 'rejected') throw named.reason;
    const placed = where.value;
    const givenHousehold = named.value;
    let channel: EventRow['channel'] = 'open311';
    if (actor) {
      const staff = hasPermission(actor, 'governance:report') && !actor.roles.includes('admin');
      if (staff) {
        if (!(await this.scope.covers(actor, placed.regionCode, 'governance:report', db))) throw new AppError('REGION_OUT_OF_SCOPE', 'The location is outside your grid or region');
        channel = actor.roles.includes('hotline_operator') ? 'hotline' : 'grid';
      } else {
        if (!actor.personId) throw new AppError('FORBIDDEN', 'Only residents, grid workers and hotline operators report events');
        channel = 'app';
      }
    }
    const householdCode = givenHousehold ?? await this.affectedHousehold(actor, placed.regionCode, input.householdCode, db);
    const now = new Date();
    const due = computeDeadlines(now, {
      acceptLimit: category.accept_limit, acceptUnit: category.accept_unit,
      resolveLimit: category.resolve_limit, resolveUnit: category.resolve_unit, warnPercent: category.warn_percent,
    });
    const label = actor ? actor.label : `open311:${(reporter as ClientReporter).client}`;
    return inTransaction(db, async (trx) => {
      const { event, stepId } = await this.repo.insertEventWithStep(trx, {
        category_code: category.code, description: input.description, status: 'reported', region_code: placed.regionCode,
        handling_region: gridOf(placed.regionCode) ?? placed.regionCode, lat: placed.lat, lon: placed.lon,
        address: input.address ?? null, channel, reporter_user_id: actor?.userId ?? null,
        resident_person_id: channel === 'app' ? actor!.personId! : null, household_code: householdCode,
        open311_client: actor ? null : (reporter as ClientReporter).client, department: category.default_department,
        accept_due_at: due.acceptDueAt, resolve_due_at: due.resolveDueAt, warn_at: due.warnAt, media_url: input.mediaUrl ?? null,
        created_at: now,
      }, {
        action: 'report', from_status: null, to_status: 'reported', actor_user_id: actor?.userId ?? null,
        actor_label: label, notes: null,
        detail: { channel, ...(due.uncoveredYears.length ? { calendarWarning: `holiday schedule not published for ${due.uncoveredYears.join(', ')}: Monday–Friday assumed` } : {}) },
      });
      await this.attach(trx, actor, input.photoIds, event.id, stepId);
      await this.audit.append({ actor: actor?.userId ?? label, action: 'gov-event.report', entityType: 'gov-event', entityId: event.id, detail: { category: category.code, region: placed.regionCode, channel } }, trx);
      return event;
    });
  }

  /** A household affected: a resident's own, or one a grid worker names inside the event's unit. */
  private async affectedHousehold(actor: Actor | undefined, regionCode: string, given: string | undefined, db: Executor): Promise<string | null> {
    if (given) return this.checkHousehold(given, regionCode, db);
    if (unitLevel(regionCode) === 'household') return regionCode;
    if (actor?.personId && !hasPermission(actor, 'governance:report')) {
      const own = await this.households.householdsOf(db, actor.personId);
      return own.find((h) => h.startsWith(regionCode)) ?? null;
    }
    return null;
  }

  private async checkHousehold(given: string, regionCode: string, db: Executor): Promise<string> {
    if (unitLevel(given) !== 'household' || !(given.startsWith(regionCode) || regionCode.startsWith(given))) {
      throw new AppError('VALIDATION_FAILED', 'The household must be within the event location', [{ path: '$.householdCode', message: 'not inside regionCode' }]);
    }
    await this.location.requireUnit(given, db);
    return given;
  }

  private async attach(trx: Executor, actor: Actor | undefined, photoIds: string[] | undefined, eventId: string, stepId: string) {
    if (!photoIds?.length) return;
    if (!actor) throw new AppError('VALIDATION_FAILED', 'Photos are attached by signed-in users');
    const unique = [...new Set(photoIds)];
    const n = await this.repo.attachPhotos(trx, unique, actor.userId, eventId, stepId);
    if (n !== unique.length) throw new AppError('VALIDATION_FAILED', 'A photo is unknown, already attached, or not yours', [{ path: '$.photoIds', message: 'not attachable' }]);
  }

  /** The event if `actor` may see it: the reporter, the affected resident or household, or staff of its region. */
  async visibleEvent(actor: Actor | undefined, id: string, db: Executor = this.db): Promise<EventRow> {
    const a = requireActor(actor);
    const event = await this.repo.event(db, id);
    if (!event) throw new AppError('NOT_FOUND');
    if (event.reporter_user_id === a.userId || (await this.isResident(a, event, db))) return event;
    if (await this.scope.covers(a, event.region_code, 'governance:handle', db)) return event;
    authorize(a, { regionCode: event.region_code, ownerPersonId: event.resident_person_id }, { permission: 'governance:handle', allowAgent: true });
    return event;
  }

  /** The resident the event is for: who asked through the app, or a member of the affected household. */
  private async isResident(a: Actor, e: EventRow, db: Executor): Promise<boolean> {
    if (a.personId && e.resident_person_id === a.personId) return true;
    if (!a.personId || !e.household_code) return false;
    return (await this.households.householdsOf(db, a.personId)).includes(e.household_code);
  }

  steps(eventId: string) { return this.repo.steps(this.db, eventId); }
  photos(eventId: string) { return this.repo.photosOf(this.db, eventId); }

  /** One life-cycle step. The grid level acts where it is responsible, the department on what it was sent. */
  async act(actor: Actor | undefined, id: string, action: EventAction, input: StepInput, db: Executor = this.db): Promise<EventRow> {
    const a = requireActor(actor);
    return inTransaction(db, async (trx) => {
      const event = await this.repo.event(trx, id, true);
      if (!event) throw new AppError('NOT_FOUND');
      await this.authorizeStep(a, event, action, trx);
      if (event.version !== input.version) throw new AppError('CONFLICT');
      const to = nextStatus(event.status, action);
      if (!to) throw new AppError('INVALID_TRANSITION', `Cannot ${action.replace('_', ' ')} an event that is ${event.status}`);
      if (NOTES_REQUIRED.includes(action) && !input.notes?.trim()) {
        throw new AppError('VALIDATION_FAILED', 'Say why in the notes', [{ path: '$.notes', message: 'is required for this step' }]);
      }
      const changes = await this.changesFor(trx, event, action, input);
      const updated = await this.repo.updateEvent(trx, id, input.version, { status: to, ...changes });
      if (!updated) throw new AppError('CONFLICT');
      const step = await this.repo.insertStep(trx, {
        event_id: id, action, from_status: event.status, to_status: to, actor_user_id: a.userId, actor_label: a.label,
        notes: input.notes ?? null, detail: stepDetail(action, input),
      });
      await this.attach(trx, a, input.photoIds, id, step.id);
      await this.audit.append({ actor: a.userId, action: `gov-event.${action}`, entityType: 'gov-event', entityId: id, detail: { from: event.status, to } }, trx);
      return updated;
    });
  }

  private async authorizeStep(a: Actor, event: EventRow, action: EventAction, db: Executor): Promise<void> {
    const by = TRANSITIONS[action].by;
    if (by === 'resident') {
      if (!(await this.isResident(a, event, db))) {
        await this.visibleEvent(a, event.id, db);
        throw new AppError('FORBIDDEN', 'Only the resident who asked may rate the event');
      }
      return;
    }
    await this.visibleEvent(a, event.id, db);
    if (by === 'department') {
      if (!accessBasis(a, { regionCode: event.region_code, department: event.department }, { permission: 'governance:handle', sameDepartment: true, allowAgent: false })) {
        throw new AppError('FORBIDDEN', `Only ${event.department ?? 'the department it was dispatched to'} handles this event`);
      }
      return;
    }
    if (!(await this.scope.covers(a, event.handling_region, 'governance:handle', db))) {
      throw new AppError('FORBIDDEN', `This step is taken at ${event.handling_region}, the level now responsible`);
    }
  }

  private async changesFor(trx: Executor, event: EventRow, action: EventAction, input: StepInput): Promise<Partial<EventRow>> {
    const now = new Date();
    switch (action) {
      case 'accept': return { accepted_at: now };
      case 'dispatch': {
        const department = input.department ?? event.department;
        if (!department) throw new AppError('VALIDATION_FAILED', 'Name the department to dispatch to', [{ path: '$.department', message: 'is required' }]);
        return { department };
      }
      case 'check_fail': return { rework_count: event.rework_count + 1 };
      case 'close': case 'reject': return { closed_at: now };
      case 'rate': {
        if (!input.rating) throw new AppError('VALIDATION_FAILED', 'Give a rating from 1 to 5', [{ path: '$.rating', message: 'is required' }]);
        const poor = input.rating <= 2;
        return {
          rating: input.rating, rating_comment: input.comment ?? null,
          follow_up_due_at: poor ? addLimit(now, this.settings.poorRatingFollowUpDays, 'working_days').at : null,
        };
      }
      case 'merge': {
        if (!input.intoEventId || input.intoEventId === event.id) throw new AppError('VALIDATION_FAILED', 'Name the event to merge into', [{ path: '$.intoEventId', message: 'is required' }]);
        const candidates = await this.repo.duplicateCandidates(trx, event, this.duplicateSince(event), this.settings.duplicateRadiusMeters);
        if (!candidates.some((c) => c.id === input.intoEventId)) {
          throw new AppError('RULE_VIOLATION', 'Only an open event of the same category, nearby and recent, can absorb this one');
        }
        return { merged_into: input.intoEventId, closed_at: now };
      }
      default: return {};
    }
  }

  private duplicateSince(e: EventRow): Date {
    return new Date(e.created_at.getTime() - this.settings.duplicateWindowDays * 24 * 3600 * 1000);
  }

  async duplicates(actor: Actor | undefined, id: string): Promise<EventRow[]> {
    const event = await this.visibleEvent(actor, id);
    authorize(actor, { regionCode: event.region_code }, { permission: 'governance:handle', allowAgent: false });
    return this.repo.duplicateCandidates(this.db, event, this.duplicateSince(event), this.settings.duplicateRadiusMeters);
  }

  /** Hands responsibility one level up the tree (grid → 社区 → 街道 → 区 …) when this level cannot handle it. */
  async escalate(actor: Actor | undefined, id: string, input: { version: number; notes: string }): Promise<EventRow> {
    const a = requireActor(actor);
    return inTransaction(this.db, async (trx) => {
      const event = await this.repo.event(trx, id, true);
      if (!event) throw new AppError('NOT_FOUND');
      await this.authorizeStep(a, event, 'accept', trx);
      if (event.version !== input.version) throw new AppError('CONFLICT');
      if (!canEscalate(event.status)) throw new AppError('INVALID_TRANSITION', `Cannot escalate an event that is ${event.status}`);
      const up = parentRegion(event.handling_region);
      if (!up) throw new AppError('INVALID_TRANSITION', 'There is no higher level to escalate to');
      const updated = await this.repo.updateEvent(trx, id, input.version, { handling_region: up, escalations: event.escalations + 1 });
      if (!updated) throw new AppError('CONFLICT');
      await this.repo.insertStep(trx, {
        event_id: id, action: 'escalate', from_status: event.status, to_status: event.status, actor_user_id: a.userId,
        actor_label: a.label, notes: input.notes, detail: { from: event.handling_region, to: up },
      });
      await this.audit.append({ actor: a.userId, action: 'gov-event.escalate', entityType: 'gov-event', entityId: id, detail: { from: event.handling_region, to: up } }, trx);
      return updated;
    });
  }

  /** Events the actor may see: staff by region, residents their own. */
  async list(actor: Actor | undefined, filter: Omit<EventFilter, 'regionPrefix' | 'residentPersonId' | 'reporterUserId'> & { region?: string }): Promise<EventRow[]> {
    const a = requireActor(actor);
    if (hasPermission(a, 'governance:handle') || hasPermission(a, 'governance:report')) {
      const region = filter.region ?? a.regionCode;
      const permission = hasPermission(a, 'governance:handle') ? 'governance:handle' : 'governance:report';
      if (!region || !(await this.scope.covers(a, region, permission))) throw new AppError('REGION_OUT_OF_SCOPE');
      return this.repo.listEvents(this.db, { ...filter, regionPrefix: region ? scopePrefix(region) : undefined });
    }
    if (a.personId) return this.repo.listEvents(this.db, { ...filter, residentPersonId: a.personId });
    return this.repo.listEvents(this.db, { ...filter, reporterUserId: a.userId });
  }

  /** Public listing for Open311: public categories only. */
  listPublic(filter: EventFilter): Promise<EventRow[]> { return this.repo.listEvents(this.db, { ...filter, publicOnly: true }); }
  async publicEvent(id: string): Promise<EventRow | undefined> {
    const rows = await this.repo.listEvents(this.db, { ids: [id], publicOnly: true, limit: 1 });
    return rows[0];
  }

  sweepOverdue(now = new Date()): Promise<number> { return this.repo.sweepOverdue(this.db, now); }
}

function stepDetail(action: EventAction, input: StepInput): Record<string, unknown> {
  if (action === 'dispatch') return { department: input.department };
  if (action === 'rate') return { rating: input.rating };
  if (action === 'merge') return { into: input.intoEventId };
  return {};
}
