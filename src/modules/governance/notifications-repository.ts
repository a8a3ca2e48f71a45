/** SQL for pushed notifications (warnings before expiry) and who has read them. */
import { sql } from 'kysely';
import { afterKeyset, keysetMicros, type Keyset } from '../../platform/db/keyset.js';
import type { Executor } from '../../platform/db/database.js';

export interface NotificationRow {
  id: string; kind: 'warning'; audience: 'unit' | 'department'; recipient: string; due_at: Date; created_at: Date; keyset_us?: string;
  event_id: string; category_code: string; description: string; status: string; handling_region: string; department: string | null;
  read: boolean;
}

/** The inboxes a person reads: their units (grid/region codes) and their department. */
export interface Inboxes { units: string[]; department?: string }

export class NotificationsRepository {
  /**
   * Writes the warnings of up to `batch` open events whose warning time has come and marks them
   * warned — one statement, so a warning is written exactly when its event is marked. Events
   * another run holds are skipped (SKIP LOCKED), and the unique key absorbs any repeat. The ids are
   * collected into an array first so each event is reached by its primary key (see sweepOverdueBatch).
   */
  async pushWarnings(db: Executor, now: Date, batch: number): Promise<{ events: number; notifications: number }> {
    const { rows } = await sql<{ events: string; notifications: string }>`
      WITH due AS (
        UPDATE gov_events SET warned_at = ${now}
        WHERE id = ANY(ARRAY(SELECT id FROM gov_events WHERE closed_at IS NULL AND warned_at IS NULL AND warn_at <= ${now}
                             ORDER BY warn_at LIMIT ${batch} FOR UPDATE SKIP LOCKED))
        RETURNING id, handling_region, department, resolve_due_at
      ), written AS (
        INSERT INTO gov_notifications (event_id, kind, audience, recipient, due_at)
        SELECT due.id, 'warning', a.audience, a.recipient, due.resolve_due_at
        FROM due CROSS JOIN LATERAL (VALUES ('unit', due.handling_region), ('department', due.department)) AS a (audience, recipient)
        WHERE a.recipient IS NOT NULL
        ON CONFLICT DO NOTHING
        RETURNING id
      )
      SELECT (SELECT count(*) FROM due) AS events, (SELECT count(*) FROM written) AS notifications`.execute(db);
    return { events: Number(rows[0]?.events ?? 0), notifications: Number(rows[0]?.notifications ?? 0) };
  }

  /** Grids a worker is assigned to now (besides the region on their account). */
  async assignedGrids(db: Executor, userId: string): Promise<string[]> {
    const rows = await db.selectFrom('gov_grid_assignments').select('grid_code').where('user_id', '=', userId).where('ended_at', 'is', null).execute();
    return rows.map((r) => r.grid_code as string);
  }

  list(db: Executor, userId: string, inboxes: Inboxes, opts: { unread?: boolean; id?: string; limit: number; before?: Keyset }) {
    let q = db.selectFrom('gov_notifications as n').innerJoin('gov_events as e', 'e.id', 'n.event_id')
      .leftJoin('gov_notification_reads as r', (j) => j.onRef('r.notification_id', '=', 'n.id').on('r.user_id', '=', userId))
      .select(['n.id', 'n.kind', 'n.audience', 'n.recipient', 'n.due_at', 'n.created_at', 'n.event_id', 'e.category_code', 'e.description', 'e.status',
        'e.handling_region', 'e.department', sql<boolean>`r.user_id IS NOT NULL`.as('read'), keysetMicros('n.created_at').as('keyset_us')])
      .where((eb) => eb.or([
        ...(inboxes.units.length ? [eb.and([eb('n.audience', '=', 'unit'), eb('n.recipient', 'in', inboxes.units)])] : []),
        ...(inboxes.department ? [eb.and([eb('n.audience', '=', 'department'), eb('n.recipient', '=', inboxes.department)])] : []),
        sql<boolean>`false`,
      ]));
    if (opts.id) q = q.where('n.id', '=', opts.id);
    if (opts.unread) q = q.where('r.user_id', 'is', null);
    if (opts.before) q = q.where(afterKeyset('n.created_at', 'n.id', opts.before, 'desc'));
    return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(opts.limit).execute() as Promise<NotificationRow[]>;
  }

  async markRead(db: Executor, id: string, userId: string): Promise<void> {
    await db.insertInto('gov_notification_reads').values({ notification_id: id, user_id: userId })
      .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing()).execute();
  }
}
