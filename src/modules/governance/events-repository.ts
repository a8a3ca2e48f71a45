/** SQL for event categories, events, their steps and photos. */
import { sql } from 'kysely';
import { afterKeyset, keysetMicros, type Keyset } from '../../platform/db/keyset.js';
import type { Executor } from '../../platform/db/database.js';
import type { EventStatus } from './lifecycle.js';

export interface CategoryRow {
  code: string; name: string; description: string; grp: string; urgency: 'urgent' | 'ordinary' | 'complex'; public: boolean;
  accept_limit: number; accept_unit: 'hours' | 'working_days'; resolve_limit: number; resolve_unit: 'hours' | 'working_days';
  warn_percent: number; default_department: string | null; version: number; updated_at: Date;
}

export interface EventRow {
  id: string; category_code: string; description: string; status: EventStatus; region_code: string; handling_region: string;
  lat: number | null; lon: number | null; address: string | null; channel: 'app' | 'grid' | 'hotline' | 'open311';
  reporter_user_id: string | null; resident_person_id: string | null; household_code: string | null; open311_client: string | null; department: string | null;
  accept_due_at: Date; resolve_due_at: Date; warn_at: Date; accepted_at: Date | null; closed_at: Date | null;
  overdue_since: Date | null; warned_at: Date | null; rework_count: number; escalations: number; rating: number | null; rating_comment: string | null;
  follow_up_due_at: Date | null; merged_into: string | null; media_url: string | null; version: number; created_at: Date; updated_at: Date;
  /** Set by list queries: created_at in microseconds, for the next page's cursor. */
  keyset_us?: string;
}

export interface StepRow {
  id: string; event_id: string; action: string; from_status: string | null; to_status: string; actor_user_id: string | null;
  actor_label: string; notes: string | null; detail: Record<string, unknown>; at: Date;
}

export interface PhotoRow { id: string; uploader_user_id: string; mime: string; size_bytes: number; sha: string; event_id: string | null; step_id: string | null; created_at: Date }

export interface EventFilter {
  regionPrefix?: string; handlingPrefix?: string; statuses?: EventStatus[]; categories?: string[]; ids?: string[];
  from?: Date; to?: Date; publicOnly?: boolean; residentPersonId?: string; reporterUserId?: string; department?: string;
  overdue?: boolean; warning?: boolean; now?: Date; limit: number; before?: Keyset;
}

const likePrefix = (p: string) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class EventsRepository {
  categories(db: Executor) {
    return db.selectFrom('gov_categories').selectAll().orderBy('code').execute() as Promise<CategoryRow[]>;
  }
  category(db: Executor, code: string) {
    return db.selectFrom('gov_categories').selectAll().where('code', '=', code).executeTakeFirst() as Promise<CategoryRow | undefined>;
  }
  updateCategory(db: Executor, code: string, version: number, changes: Partial<CategoryRow>) {
    return db.updateTable('gov_categories').set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('code', '=', code).where('version', '=', version).returningAll().executeTakeFirst() as Promise<CategoryRow | undefined>;
  }

  insertEvent(db: Executor, row: Partial<EventRow>) {
    return db.insertInto('gov_events').values(row).returningAll().executeTakeFirstOrThrow() as Promise<EventRow>;
  }
  /**
   * A new event and its first step in one statement (one round trip instead of two on the
   * report path, which is the hottest write of the module); returns the event and the step id.
   */
  async insertEventWithStep(db: Executor, row: Partial<EventRow>, step: Omit<StepRow, 'id' | 'at' | 'detail' | 'event_id'> & { detail?: Record<string, unknown> }) {
    const r = await db.with('e', (q) => q.insertInto('gov_events').values(row).returningAll())
      .with('s', (q) => q.insertInto('gov_event_steps').columns(['event_id', 'action', 'from_status', 'to_status', 'actor_user_id', 'actor_label', 'notes', 'detail'])
        .expression((eb) => eb.selectFrom('e').select([
          'e.id', sql`${step.action}::text`.as('action'), sql`${step.from_status}::text`.as('from_status'), sql`${step.to_status}::text`.as('to_status'),
          sql`${step.actor_user_id}::uuid`.as('actor_user_id'), sql`${step.actor_label}::text`.as('actor_label'), sql`${step.notes}::text`.as('notes'),
          sql`${JSON.stringify(step.detail ?? {})}::jsonb`.as('detail'),
        ]))
        .returning('id'))
      .selectFrom('e').selectAll('e').select((eb) => eb.selectFrom('s').select('s.id').as('step_id'))
      .executeTakeFirstOrThrow() as EventRow & { step_id: string };
    const { step_id: stepId, ...event } = r;
    return { event: event as EventRow, stepId };
  }
  event(db: Executor, id: string, forUpdate = false) {
    let q = db.selectFrom('gov_events').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst() as Promise<EventRow | undefined>;
  }
  /** Optimistic update: undefined when the version is stale. */
  updateEvent(db: Executor, id: string, version: number, changes: Partial<EventRow>) {
    return db.updateTable('gov_events').set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst() as Promise<EventRow | undefined>;
  }

  listEvents(db: Executor, f: EventFilter) {
    let q = db.selectFrom('gov_events').selectAll('gov_events').select(keysetMicros('gov_events.created_at').as('keyset_us'));
    if (f.regionPrefix) q = q.where('region_code', 'like', likePrefix(f.regionPrefix));
    if (f.handlingPrefix) q = q.where('handling_region', 'like', likePrefix(f.handlingPrefix));
    if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
    if (f.categories?.length) q = q.where('category_code', 'in', f.categories);
    if (f.ids?.length) q = q.where('id', 'in', f.ids);
    if (f.from) q = q.where('created_at', '>=', f.from);
    if (f.to) q = q.where('created_at', '<=', f.to);
    if (f.residentPersonId) q = q.where('resident_person_id', '=', f.residentPersonId);
    if (f.reporterUserId) q = q.where('reporter_user_id', '=', f.reporterUserId);
    if (f.department) q = q.where('department', '=', f.department);
    if (f.publicOnly) q = q.where('category_code', 'in', db.selectFrom('gov_categories').select('code').where('public', '=', true));
    const now = f.now ?? new Date();
    if (f.overdue) {
      q = q.where('closed_at', 'is', null).where((eb) => eb.or([
        eb('resolve_due_at', '<', now), eb.and([eb('accepted_at', 'is', null), eb('accept_due_at', '<', now)]),
      ]));
    }
    if (f.warning) q = q.where('closed_at', 'is', null).where('warn_at', '<=', now).where('resolve_due_at', '>=', now);
    if (f.before) q = q.where(afterKeyset('gov_events.created_at', 'gov_events.id', f.before, 'desc'));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute() as Promise<EventRow[]>;
  }

  /** Open events of the category reported near the point or in the same unit, recently. */
  duplicateCandidates(db: Executor, e: EventRow, since: Date, radiusMeters: number) {
    // A bounding box first (index gov_events_dup_near), then the exact distance; equirectangular
    // distance is exact enough at a few hundred metres.
    let near = sql<boolean>`false`;
    if (e.lat !== null && e.lon !== null) {
      const dLat = radiusMeters / 111_320;
      const dLon = dLat / Math.max(Math.cos((e.lat * Math.PI) / 180), 0.01);
      near = sql<boolean>`(lat BETWEEN ${e.lat - dLat} AND ${e.lat + dLat} AND lon BETWEEN ${e.lon - dLon} AND ${e.lon + dLon}
        AND 6371000 * sqrt(power(radians(lat - ${e.lat}), 2) + power(radians(lon - ${e.lon}) * cos(radians(${e.lat})), 2)) <= ${radiusMeters})`;
    }
    return db.selectFrom('gov_events').selectAll()
      .where('category_code', '=', e.category_code).where('id', '<>', e.id).where('closed_at', 'is', null)
      .where('status', 'not in', ['merged', 'rejected']).where('created_at', '>=', since)
      .where((eb) => eb.or([eb('region_code', '=', e.region_code), near]))
      .orderBy('created_at', 'desc').limit(20).execute() as Promise<EventRow[]>;
  }

  insertStep(db: Executor, row: Omit<StepRow, 'id' | 'at' | 'detail'> & { detail?: Record<string, unknown> }) {
    return db.insertInto('gov_event_steps').values({ ...row, detail: JSON.stringify(row.detail ?? {}) })
      .returningAll().executeTakeFirstOrThrow() as Promise<StepRow>;
  }
  steps(db: Executor, eventId: string) {
    return db.selectFrom('gov_event_steps').selectAll().where('event_id', '=', eventId).orderBy('at').orderBy('id').execute() as Promise<StepRow[]>;
  }

  insertPhoto(db: Executor, row: { uploader_user_id: string; mime: string; size_bytes: number; sha: string; content: Buffer }) {
    return db.insertInto('gov_photos').values(row)
      .returning(['id', 'uploader_user_id', 'mime', 'size_bytes', 'sha', 'event_id', 'step_id', 'created_at']).executeTakeFirstOrThrow() as Promise<PhotoRow>;
  }
  /** Attaches the uploader's unattached photos; returns how many were attached. */
  async attachPhotos(db: Executor, ids: string[], uploaderUserId: string, eventId: string, stepId: string): Promise<number> {
    if (!ids.length) return 0;
    const res = await db.updateTable('gov_photos').set({ event_id: eventId, step_id: stepId })
      .where('id', 'in', ids).where('uploader_user_id', '=', uploaderUserId).where('event_id', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows);
  }
  photosOf(db: Executor, eventId: string) {
    return db.selectFrom('gov_photos').select(['id', 'uploader_user_id', 'mime', 'size_bytes', 'sha', 'event_id', 'step_id', 'created_at'])
      .where('event_id', '=', eventId).orderBy('created_at').execute() as Promise<PhotoRow[]>;
  }
  photoContent(db: Executor, id: string) {
    return db.selectFrom('gov_photos').select(['id', 'mime', 'content', 'event_id', 'uploader_user_id']).where('id', '=', id)
      .executeTakeFirst() as Promise<{ id: string; mime: string; content: Buffer; event_id: string | null; uploader_user_id: string } | undefined>;
  }

  /**
   * One batch of the overdue sweep: flags up to `batch` open, unflagged events past their resolve
   * deadline, earliest first (the job runs every minute, so a batch is normally a handful). Ordering by the deadline with a LIMIT makes the planner walk
   * gov_events_overdue_sweep from its start and stop early, whatever it estimates (with most
   * closed events long past their deadline, it would otherwise guess that most open ones are
   * overdue too and scan every open event). Events a user is changing right now are skipped and
   * flagged by the next run.
   */
  sweepOverdueBatch(db: Executor, now: Date, batch: number) {
    // ANY(ARRAY(…)): the ids are collected first and each row is then reached through the primary
    // key; a plain IN (…) lets the planner hash-join the batch against a scan of the whole table.
    const due = db.selectFrom('gov_events').select('id')
      .where('closed_at', 'is', null).where('overdue_since', 'is', null).where('resolve_due_at', '<', now)
      .orderBy('resolve_due_at').limit(batch).forUpdate().skipLocked();
    return db.updateTable('gov_events').set({ overdue_since: now }).where(sql<boolean>`id = ANY(ARRAY(${due}))`);
  }

  /** Flags every open event past its resolve deadline, a batch per statement; returns how many. */
  async sweepOverdue(db: Executor, now: Date, batch = 10_000): Promise<number> {
    let flagged = 0;
    for (;;) {
      const res = await this.sweepOverdueBatch(db, now, batch).executeTakeFirst();
      const n = Number(res.numUpdatedRows);
      flagged += n;
      if (n < batch) return flagged;
    }
  }
}
