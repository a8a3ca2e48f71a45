/**
 * Keyset pagination over (timestamp, id), the one cursor format of every list.
 *
 * PostgreSQL keeps timestamps to the microsecond, a JS Date only to the millisecond: a cursor
 * made from the last row's Date would skip the rest of that millisecond's rows (newest first) or
 * show them twice (oldest first). So the cursor carries PostgreSQL's own microseconds since the
 * epoch, read with each row (`keysetMicros`), and is compared in SQL as one row comparison,
 * which an index on (timestamp, id) can start from.
 */
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../errors.js';
import { UUID } from '../uuid.js';

export interface Keyset { micros: string; id: string }

/** The column's value in microseconds since the epoch, as text: select it with each row. */
export function keysetMicros(column: string): RawBuilder<string> {
  return sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint::text`;
}

/** Rows after the cursor in the list's order: `desc` lists newest first, `asc` oldest first. */
export function afterKeyset(column: string, idColumn: string, k: Keyset, order: 'asc' | 'desc'): RawBuilder<boolean> {
  const at = sql`(timestamptz 'epoch' + (${k.micros} || ' microseconds')::interval)`;
  const row = sql`(${sql.ref(column)}, ${sql.ref(idColumn)})`;
  return order === 'desc' ? sql<boolean>`${row} < (${at}, ${k.id}::uuid)` : sql<boolean>`${row} > (${at}, ${k.id}::uuid)`;
}

export function encodeKeyset(k: Keyset): string {
  return Buffer.from(`${k.micros}|${k.id}`).toString('base64url');
}

/**
 * The `after` query parameter back to a keyset; 400 when it is not one. Cursors handed out
 * before microseconds (an ISO time) still work, to the millisecond.
 */
export function decodeKeyset(after: string | undefined): Keyset | undefined {
  if (!after) return undefined;
  const [at = '', id = ''] = Buffer.from(after, 'base64url').toString('utf8').split('|');
  const iso = /^\d{4}-\d\d-\d\dT/.test(at) ? Date.parse(at) : Number.NaN;
  const micros = /^\d{1,17}$/.test(at) ? at : Number.isNaN(iso) ? undefined : String(iso * 1000);
  if (!micros || !UUID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'The cursor is not valid', [{ in: 'querystring', path: '$.after', message: 'unrecognised cursor' }]);
  }
  return { micros, id };
}
