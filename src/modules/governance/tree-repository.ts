/** SQL for what governance adds to the unit tree: area outlines, grid worker assignments, tree history, Open311 keys. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export interface AreaRow { code: string; geometry: unknown; min_lon: number; min_lat: number; max_lon: number; max_lat: number }
export interface AssignmentRow { id: string; grid_code: string; user_id: string; assigned_by: string | null; assigned_at: Date; ended_at: Date | null }
export interface HistoryRow { id: string; action: string; code_map: Record<string, string>; note: string | null; actor_user_id: string | null; at: Date }

export class TreeRepository {
  upsertArea(db: Executor, row: AreaRow) {
    return db.insertInto('gov_unit_areas').values({ ...row, geometry: JSON.stringify(row.geometry) })
      .onConflict((oc) => oc.column('code').doUpdateSet({
        geometry: JSON.stringify(row.geometry), min_lon: row.min_lon, min_lat: row.min_lat, max_lon: row.max_lon, max_lat: row.max_lat,
      })).execute();
  }
  area(db: Executor, code: string) {
    return db.selectFrom('gov_unit_areas').selectAll().where('code', '=', code).executeTakeFirst() as Promise<AreaRow | undefined>;
  }
  /** Areas whose bounding box holds the point; the caller tests the polygon itself. */
  areasAround(db: Executor, lon: number, lat: number) {
    return db.selectFrom('gov_unit_areas').selectAll().where('min_lon', '<=', lon).where('max_lon', '>=', lon)
      .where('min_lat', '<=', lat).where('max_lat', '>=', lat).execute() as Promise<AreaRow[]>;
  }
  renameArea(db: Executor, from: string, to: string) {
    return db.updateTable('gov_unit_areas').set({ code: to }).where('code', '=', from).execute();
  }

  liveAssignments(db: Executor, gridCode: string) {
    return db.selectFrom('gov_grid_assignments').selectAll().where('grid_code', '=', gridCode).where('ended_at', 'is', null)
      .orderBy('assigned_at').execute() as Promise<AssignmentRow[]>;
  }
  async isAssigned(db: Executor, gridCode: string, userId: string): Promise<boolean> {
    const row = await db.selectFrom('gov_grid_assignments').select('id').where('grid_code', '=', gridCode)
      .where('user_id', '=', userId).where('ended_at', 'is', null).executeTakeFirst();
    return !!row;
  }
  insertAssignment(db: Executor, row: { grid_code: string; user_id: string; assigned_by: string | null }) {
    return db.insertInto('gov_grid_assignments').values(row).returningAll().executeTakeFirstOrThrow() as Promise<AssignmentRow>;
  }
  endAssignment(db: Executor, gridCode: string, userId: string) {
    return db.updateTable('gov_grid_assignments').set({ ended_at: sql`now()` }).where('grid_code', '=', gridCode)
      .where('user_id', '=', userId).where('ended_at', 'is', null).returningAll().executeTakeFirst() as Promise<AssignmentRow | undefined>;
  }
  moveAssignments(db: Executor, from: string, to: string) {
    return db.updateTable('gov_grid_assignments').set({ grid_code: to }).where('grid_code', '=', from).where('ended_at', 'is', null).execute();
  }

  insertHistory(db: Executor, row: { action: string; code_map: Record<string, string>; note: string | null; actor_user_id: string | null }) {
    return db.insertInto('gov_tree_history').values({ ...row, code_map: JSON.stringify(row.code_map) }).returningAll().executeTakeFirstOrThrow() as Promise<HistoryRow>;
  }
  /** History entries that mention a code (as old or new) under the prefix. */
  history(db: Executor, prefix: string, limit: number) {
    return sql<HistoryRow>`SELECT * FROM gov_tree_history h
      WHERE EXISTS (SELECT 1 FROM jsonb_each_text(h.code_map) m WHERE m.key LIKE ${`${prefix}%`} OR m.value LIKE ${`${prefix}%`})
      ORDER BY at DESC, id DESC LIMIT ${limit}`.execute(db).then((r) => r.rows);
  }

  /** Re-points governance records from old unit codes to new ones after a move or merge. */
  async recodeGovernanceRecords(db: Executor, from: string, to: string): Promise<void> {
    const swap = (col: string) => sql`${sql.ref(col)} = ${to} || substr(${sql.ref(col)}, ${from.length + 1})`;
    const like = `${from}%`;
    await sql`UPDATE gov_events SET ${swap('region_code')} WHERE region_code LIKE ${like} AND closed_at IS NULL`.execute(db);
    await sql`UPDATE gov_events SET ${swap('handling_region')} WHERE handling_region LIKE ${like} AND closed_at IS NULL`.execute(db);
    await sql`UPDATE gov_events SET ${swap('household_code')} WHERE household_code LIKE ${like} AND closed_at IS NULL`.execute(db);
    await sql`UPDATE gov_household_privacy SET ${swap('household_code')} WHERE household_code LIKE ${like}`.execute(db);
    await sql`UPDATE gov_household_members SET ${swap('household_code')} WHERE household_code LIKE ${like}`.execute(db);
    // A worker already on the target keeps that assignment; the merged one ends.
    await sql`UPDATE gov_grid_assignments SET ended_at = now() WHERE grid_code = ${from} AND ended_at IS NULL
      AND user_id IN (SELECT user_id FROM gov_grid_assignments WHERE grid_code = ${to} AND ended_at IS NULL)`.execute(db);
    await sql`UPDATE gov_grid_assignments SET ${swap('grid_code')} WHERE grid_code LIKE ${like} AND ended_at IS NULL`.execute(db);
    // A merged unit's outline does not replace the target's: the target keeps its own.
    await sql`DELETE FROM gov_unit_areas WHERE code = ${from} AND EXISTS (SELECT 1 FROM gov_unit_areas WHERE code = ${to})`.execute(db);
    await sql`UPDATE gov_unit_areas SET ${swap('code')} WHERE code LIKE ${like}`.execute(db);
    // Events not escalated are the responsibility of the grid they now lie in.
    await sql`UPDATE gov_events SET handling_region = coalesce(substring(region_code from '^[0-9]{12}G[0-9]+'), region_code)
      WHERE region_code LIKE ${`${to}%`} AND escalations = 0 AND closed_at IS NULL`.execute(db);
  }

  open311Key(db: Executor, keyHash: string) {
    return db.selectFrom('gov_open311_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null)
      .executeTakeFirst() as Promise<{ key_hash: string; client_name: string } | undefined>;
  }
  insertOpen311Key(db: Executor, keyHash: string, clientName: string) {
    return db.insertInto('gov_open311_keys').values({ key_hash: keyHash, client_name: clientName }).onConflict((oc) => oc.doNothing()).execute();
  }
}
