/** SQL for applications, their events, bundles, ratings and rectification tasks. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FieldSealer } from '../../platform/crypto/sealed-json.js';
import type { Executor } from '../../platform/db/database.js';
import { afterKeyset, keysetMicros, type Keyset } from '../../platform/db/keyset.js';
import type { MatterDefinitionT } from '../catalog/schemas.js';
import type { SubmittedMaterial } from '../materials/service.js';
import type { Status } from './transitions.js';

export interface ApplicationRow {
  id: string; matter_code: string; matter_version: number; matter_name: string; matter_snapshot: MatterDefinitionT;
  applicant_person_id: string | null; applicant_company_id: string | null; submitted_by: string;
  region_code: string; department: string; status: Status; form: Record<string, string>; materials: SubmittedMaterial[];
  fast_track: boolean; bundle_id: string | null; idempotency_key: string | null; request_hash: string | null;
  submitted_at: Date | null; accepted_on: string | null; due_on: string | null; paused_since: string | null;
  paused_working_days: number; resume_status: Status | null; decided_at: Date | null; result: string | null;
  calendar_warnings: string[]; version: number; created_at: Date; updated_at: Date;
  /** SM4-sealed form (migration 0106); `form` is then opened from it on first read. NULL: a legacy plaintext row. */
  form_sealed?: string | null;
}
export type NewApplicationRow = Pick<ApplicationRow, 'matter_code' | 'matter_version' | 'matter_name' | 'applicant_person_id' | 'applicant_company_id'
  | 'submitted_by' | 'region_code' | 'department' | 'status' | 'form' | 'materials' | 'fast_track' | 'bundle_id' | 'idempotency_key' | 'request_hash' | 'submitted_at'>
  & { matter_snapshot: MatterDefinitionT };

export interface EventRow {
  id: string; application_id: string; at: Date; action: string; from_status: string | null; to_status: string;
  actor_user_id: string | null; actor_label: string; reason: string | null;
}
export interface RatingRow { application_id: string; score: number; comment: string | null; rated_by: string; department: string; region_code: string; created_at: Date }
export interface TaskRow {
  id: string; application_id: string; department: string; region_code: string; due_on: string; status: 'open' | 'replied';
  reply: string | null; replied_by: string | null; replied_at: Date | null; version: number; created_at: Date;
}

export interface QueueFilter {
  regionPrefix: string; department?: string; statuses?: Status[]; dueBefore?: string; dueFrom?: string;
  after?: Keyset; limit: number;
}

const FORM = 'applications.form';

/** A matter snapshot's JSON, worked out once per catalogue object (snapshots are never changed in place). */
const snapshotJsonOf = new WeakMap<MatterDefinitionT, string>();
function snapshotJson(m: MatterDefinitionT): string {
  let json = snapshotJsonOf.get(m);
  if (json === undefined) snapshotJsonOf.set(m, json = JSON.stringify(m));
  return json;
}
const QUEUE_COLUMNS = ['id', 'matter_code', 'matter_name', 'status', 'submitted_at', 'due_on', 'paused_since', 'bundle_id', 'version', 'created_at'] as const;
export type QueueRow = Pick<ApplicationRow, (typeof QUEUE_COLUMNS)[number]>;
/** A list row with `keyset_us`: its list timestamp in microseconds, for the next page's cursor. */
export type ListedRow = QueueRow & { keyset_us: string };
export type MineRow = ListedRow & Pick<ApplicationRow, 'applicant_person_id' | 'submitted_by'>;

export class ApplicationsRepository {
  /** Forms hold personal data (names, resident ID numbers): sealed on write, opened lazily on read. */
  constructor(private readonly sealer: FieldSealer) {}

  private opened = <R extends ApplicationRow | undefined>(row: R): R => (row ? this.sealer.openLazily(row, 'form', FORM, row.form_sealed) : row);
  private openedAll = (rows: ApplicationRow[]): ApplicationRow[] => rows.map(this.opened);

  /** Inserts the application and its first timeline entry in one statement (one round trip). */
  async insert(db: Executor, row: NewApplicationRow, event: Omit<EventRow, 'id' | 'at' | 'application_id'>): Promise<{ app: ApplicationRow; event: EventRow }> {
    const id = randomUUID();
    const eventId = randomUUID();
    const r = await db
      .with('a', (q) => q.insertInto('applications').values({
        ...row, id, matter_snapshot: JSON.stringify(row.matter_snapshot), form: '{}', form_sealed: this.sealer.seal(FORM, id, row.form), materials: JSON.stringify(row.materials),
      }).returningAll())
      .with('e', (q) => q.insertInto('application_events').values({ ...event, id: eventId, application_id: id }).returning(['at as event_at']))
      .selectFrom(['a', 'e']).selectAll().executeTakeFirstOrThrow() as ApplicationRow & { event_at: Date };
    const { event_at: at, ...app } = r;
    return { app: this.opened(app), event: { ...event, id: eventId, application_id: id, at } };
  }

  /**
   * Files several applications, each with its first timeline entry, in one statement (group
   * commit of submissions). A row whose (submitter, Idempotency-Key) is already taken — by an
   * earlier filing, a concurrent one, or an identical request in the same batch — is skipped,
   * not an error, so it cannot fail the others: its result is `undefined` and the caller looks
   * the key up. The large columns (matter snapshot, sealed form, materials) are not sent back:
   * the caller has them.
   */
  async insertMany(db: Executor, items: readonly { row: NewApplicationRow; event: Omit<EventRow, 'id' | 'at' | 'application_id'> }[]): Promise<({ app: ApplicationRow; event: EventRow } | undefined)[]> {
    // A batch mostly files the same few matters: each snapshot is sent once (and serialised once
    // per catalogue state), the rows refer to it by position.
    const snapshots: MatterDefinitionT[] = [];
    const input = items.map(({ row, event }) => {
      const id = randomUUID();
      let snapshot = snapshots.indexOf(row.matter_snapshot);
      if (snapshot < 0) snapshot = snapshots.push(row.matter_snapshot) - 1;
      const { matter_snapshot: _, ...fields } = row;
      return {
        ...fields, snapshot, id, form: {}, form_sealed: this.sealer.seal(FORM, id, row.form),
        event_id: randomUUID(), action: event.action, from_status: event.from_status, to_status: event.to_status,
        actor_user_id: event.actor_user_id, actor_label: event.actor_label, reason: event.reason,
      };
    });
    const { rows } = await sql<BatchFiled>`
      WITH s AS (SELECT ${`[${snapshots.map(snapshotJson).join(',')}]`}::jsonb AS list),
      x AS (
        SELECT x.*, s.list -> x.snapshot AS matter_snapshot FROM s, jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS x(
          snapshot integer, id uuid, matter_code text, matter_version integer, matter_name text, applicant_person_id uuid,
          applicant_company_id uuid, submitted_by uuid, region_code text, department text, status text, form jsonb, form_sealed text,
          materials jsonb, fast_track boolean, bundle_id uuid, idempotency_key text, request_hash text, submitted_at timestamptz,
          event_id uuid, action text, from_status text, to_status text, actor_user_id uuid, actor_label text, reason text)
      ), a AS (
        INSERT INTO applications (id, matter_code, matter_version, matter_name, matter_snapshot, applicant_person_id, applicant_company_id,
          submitted_by, region_code, department, status, form, form_sealed, materials, fast_track, bundle_id, idempotency_key, request_hash, submitted_at)
        SELECT id, matter_code, matter_version, matter_name, matter_snapshot, applicant_person_id, applicant_company_id,
          submitted_by, region_code, department, status, form, form_sealed, materials, fast_track, bundle_id, idempotency_key, request_hash, submitted_at
        FROM x
        -- Keys in one order in every batch: two batches holding the same keys wait, never deadlock.
        ORDER BY submitted_by, idempotency_key
        ON CONFLICT (submitted_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING id, submitted_at, accepted_on, due_on, paused_since, paused_working_days, resume_status, decided_at, result,
          calendar_warnings, version, created_at, updated_at
      ), e AS (
        INSERT INTO application_events (id, application_id, action, from_status, to_status, actor_user_id, actor_label, reason)
        SELECT x.event_id, a.id, x.action, x.from_status, x.to_status, x.actor_user_id, x.actor_label, x.reason FROM a JOIN x ON x.id = a.id
        RETURNING application_id, at
      )
      SELECT a.*, e.at AS event_at FROM a JOIN e ON e.application_id = a.id`.execute(db);
    const filed = new Map(rows.map((r) => [r.id, r]));
    return input.map((x, i) => {
      const r = filed.get(x.id);
      if (!r) return undefined;
      const { event_at: at, ...generated } = r;
      const { row, event } = items[i]!;
      const app: ApplicationRow = { ...row, ...generated, form_sealed: x.form_sealed };
      return { app, event: { ...event, id: x.event_id, application_id: x.id, at } };
    });
  }

  async byId(db: Executor, id: string) {
    return this.opened(await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst() as ApplicationRow | undefined);
  }

  async byIdempotencyKey(db: Executor, userId: string, key: string) {
    return this.opened(await db.selectFrom('applications').selectAll().where('submitted_by', '=', userId).where('idempotency_key', '=', key)
      .executeTakeFirst() as ApplicationRow | undefined);
  }

  /** Optimistic update: undefined when `version` is no longer current. */
  async update(db: Executor, id: string, version: number, changes: Partial<Omit<ApplicationRow, 'matter_snapshot' | 'form_sealed'>>) {
    const values: Record<string, unknown> = { ...changes, version: sql`version + 1`, updated_at: sql`now()` };
    if (changes.form) Object.assign(values, { form: '{}', form_sealed: this.sealer.seal(FORM, id, changes.form) });
    if (changes.materials) values.materials = JSON.stringify(changes.materials);
    return this.opened(await db.updateTable('applications').set(values).where('id', '=', id).where('version', '=', version)
      .returningAll().executeTakeFirst() as ApplicationRow | undefined);
  }

  /** Seals up to `limit` forms left in plaintext from before migration 0106; returns how many. */
  async sealLegacy(db: Executor, limit: number): Promise<number> {
    const rows = await db.selectFrom('applications').select(['id', 'form']).where('form_sealed', 'is', null).where(sql<boolean>`form <> '{}'::jsonb`)
      .limit(limit).execute() as { id: string; form: Record<string, string> }[];
    for (const r of rows) {
      await db.updateTable('applications').set({ form: '{}', form_sealed: this.sealer.seal(FORM, r.id, r.form) }).where('id', '=', r.id).where('form_sealed', 'is', null).execute();
    }
    return rows.length;
  }

  async insertEvent(db: Executor, e: Omit<EventRow, 'id' | 'at'>): Promise<void> {
    await db.insertInto('application_events').values(e).execute();
  }

  events(db: Executor, applicationId: string) {
    return db.selectFrom('application_events').selectAll().where('application_id', '=', applicationId)
      .orderBy('at', 'asc').execute() as Promise<EventRow[]>;
  }

  /**
   * A person's or company's applications, newest first — or, with `filedBy`, the ones that user
   * filed for other persons under 代办 grants (applicant ≠ the user's own person).
   */
  mine(db: Executor, owner: { personId?: string; companyId?: string; filedBy?: string }, limit: number, before?: Keyset): Promise<MineRow[]> {
    let q = db.selectFrom('applications').select([...QUEUE_COLUMNS, 'applicant_person_id', 'submitted_by', keysetMicros('created_at').as('keyset_us')])
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (owner.filedBy) {
      q = q.where('submitted_by', '=', owner.filedBy).where('applicant_person_id', 'is not', null);
      if (owner.personId) q = q.where('applicant_person_id', '<>', owner.personId);
    } else {
      q = owner.personId ? q.where('applicant_person_id', '=', owner.personId) : q.where('applicant_company_id', '=', owner.companyId!);
    }
    if (before) q = q.where(afterKeyset('created_at', 'id', before, 'desc'));
    return q.execute() as Promise<MineRow[]>;
  }

  /**
   * An official's queue, oldest submission first (first in, first handled): keyset pages on
   * (submitted_at, id) read in order from applications_queue_order. Only the columns a queue item
   * shows: the matter snapshot, form and materials (kilobytes a row) stay in the table.
   */
  queue(db: Executor, f: QueueFilter): Promise<ListedRow[]> {
    let q = db.selectFrom('applications').select([...QUEUE_COLUMNS, keysetMicros('submitted_at').as('keyset_us')]).where('region_code', 'like', `${f.regionPrefix}%`)
      .where('status', '<>', 'draft').orderBy('submitted_at', 'asc').orderBy('id', 'asc').limit(f.limit);
    if (f.department) q = q.where('department', '=', f.department);
    if (f.statuses) q = q.where('status', 'in', f.statuses);
    if (f.dueBefore) q = q.where('due_on', '<', f.dueBefore).where('paused_since', 'is', null);
    if (f.dueFrom) q = q.where('due_on', '>=', f.dueFrom).where('paused_since', 'is', null);
    // A row comparison, which the index can start from (an OR of the two cases it cannot).
    if (f.after) q = q.where(afterKeyset('submitted_at', 'id', f.after, 'asc'));
    return q.execute() as Promise<ListedRow[]>;
  }

  byBundle(db: Executor, bundleId: string) {
    return db.selectFrom('applications').selectAll().where('bundle_id', '=', bundleId).orderBy('matter_code').execute().then(this.openedAll as (r: unknown[]) => ApplicationRow[]);
  }

  insertBundle(db: Executor, b: { bundle_code: string; bundle_name: string; applicant_person_id: string | null; applicant_company_id: string | null; submitted_by: string; idempotency_key: string; request_hash: string }) {
    return db.insertInto('application_bundles').values(b).returningAll().executeTakeFirstOrThrow() as Promise<{ id: string; created_at: Date } & typeof b>;
  }
  bundleById(db: Executor, id: string) {
    return db.selectFrom('application_bundles').selectAll().where('id', '=', id).executeTakeFirst() as Promise<BundleRow | undefined>;
  }
  bundleByKey(db: Executor, userId: string, key: string) {
    return db.selectFrom('application_bundles').selectAll().where('submitted_by', '=', userId).where('idempotency_key', '=', key)
      .executeTakeFirst() as Promise<BundleRow | undefined>;
  }

  // ── 好差评 ────────────────────────────────────────────────────────────────────────────────

  insertRating(db: Executor, r: Omit<RatingRow, 'created_at'>) {
    return db.insertInto('application_ratings').values(r).returningAll().executeTakeFirstOrThrow() as Promise<RatingRow>;
  }
  rating(db: Executor, applicationId: string) {
    return db.selectFrom('application_ratings').selectAll().where('application_id', '=', applicationId).executeTakeFirst() as Promise<RatingRow | undefined>;
  }
  insertTask(db: Executor, t: Pick<TaskRow, 'application_id' | 'department' | 'region_code' | 'due_on'>) {
    return db.insertInto('rectification_tasks').values(t).returningAll().executeTakeFirstOrThrow() as Promise<TaskRow>;
  }
  taskByApplication(db: Executor, applicationId: string) {
    return db.selectFrom('rectification_tasks').selectAll().where('application_id', '=', applicationId).executeTakeFirst() as Promise<TaskRow | undefined>;
  }
  task(db: Executor, id: string) {
    return db.selectFrom('rectification_tasks').selectAll().where('id', '=', id).executeTakeFirst() as Promise<TaskRow | undefined>;
  }
  tasks(db: Executor, f: { regionPrefix: string; department?: string; status?: 'open' | 'replied'; limit: number }) {
    let q = db.selectFrom('rectification_tasks').selectAll().where('region_code', 'like', `${f.regionPrefix}%`).orderBy('due_on').orderBy('id').limit(f.limit);
    if (f.department) q = q.where('department', '=', f.department);
    if (f.status) q = q.where('status', '=', f.status);
    return q.execute() as Promise<TaskRow[]>;
  }
  replyTask(db: Executor, id: string, version: number, reply: string, userId: string) {
    return db.updateTable('rectification_tasks').set({ status: 'replied', reply, replied_by: userId, replied_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', id).where('version', '=', version).where('status', '=', 'open').returningAll().executeTakeFirst() as Promise<TaskRow | undefined>;
  }

  /** Satisfaction per department: count, average, share of 4–5, poor ratings and how many were answered. */
  ratingStats(db: Executor, regionPrefix: string) {
    return sql<{ department: string; region_code: string; ratings: number; average: number; satisfied: number; poor: number; rectified: number }>`
      SELECT r.department, min(r.region_code) AS region_code, count(*)::int AS ratings, round(avg(r.score)::numeric, 2) AS average,
             count(*) FILTER (WHERE r.score >= 4)::int AS satisfied, count(*) FILTER (WHERE r.score <= 2)::int AS poor,
             count(t.id) FILTER (WHERE t.status = 'replied')::int AS rectified
      FROM application_ratings r LEFT JOIN rectification_tasks t ON t.application_id = r.application_id
      WHERE r.region_code LIKE ${`${regionPrefix}%`}
      GROUP BY r.department ORDER BY r.department`.execute(db).then((r) => r.rows);
  }
}

type BatchFiled = Pick<ApplicationRow, 'id' | 'submitted_at' | 'accepted_on' | 'due_on' | 'paused_since' | 'paused_working_days' | 'resume_status'
  | 'decided_at' | 'result' | 'calendar_warnings' | 'version' | 'created_at' | 'updated_at'> & { event_at: Date };

export interface BundleRow {
  id: string; bundle_code: string; bundle_name: string; applicant_person_id: string | null; applicant_company_id: string | null;
  submitted_by: string; idempotency_key: string; request_hash: string; created_at: Date;
}
