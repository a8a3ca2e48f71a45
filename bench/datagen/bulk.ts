/**
 * Bulk-load settings for `npm run bench:data`, as pg_restore does it: the secondary indexes of
 * the tables being filled are dropped before COPY and built once afterwards (one sorted build
 * instead of a million random index insertions), and, where the role may, foreign-key triggers
 * are not fired during the load (the generators produce consistent rows by construction, and
 * the check after the load proves it). Tables stay logged: nothing here is UNLOGGED.
 *
 * The definitions of dropped indexes are kept in `bench_datagen_indexes` until rebuilt, so a
 * load that is killed half-way gets its indexes back at the start of the next run.
 */
import type pg from 'pg';

type Client = pg.PoolClient | pg.Client;

/** Non-unique indexes that back no constraint: safe to drop and rebuild. */
async function secondaryIndexes(client: Client, tables: string[]): Promise<Array<{ name: string; def: string }>> {
  const { rows } = await client.query<{ name: string; def: string }>(`
    SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE c.relname = ANY($1) AND c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary AND NOT i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY c.relname, ic.relname`, [tables]);
  return rows;
}

export async function dropSecondaryIndexes(client: Client, tables: string[]): Promise<number> {
  await client.query('CREATE TABLE IF NOT EXISTS bench_datagen_indexes (name text PRIMARY KEY, def text NOT NULL)');
  const indexes = await secondaryIndexes(client, tables);
  await client.query('BEGIN');
  for (const ix of indexes) {
    await client.query('INSERT INTO bench_datagen_indexes (name, def) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [ix.name, ix.def]);
    await client.query(`DROP INDEX "${ix.name}"`);
  }
  await client.query('COMMIT');
  return indexes.length;
}

/** Builds every index dropped by this or an interrupted earlier run; resolves with how many. */
export async function rebuildIndexes(client: Client, onIndex: (name: string, ms: number) => void = () => {}): Promise<number> {
  const exists = await client.query(`SELECT to_regclass('bench_datagen_indexes') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return 0;
  const { rows } = await client.query<{ name: string; def: string }>('SELECT name, def FROM bench_datagen_indexes ORDER BY name');
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const ix of rows) {
    const t = performance.now();
    await client.query(ix.def.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    await client.query('DELETE FROM bench_datagen_indexes WHERE name = $1', [ix.name]);
    onIndex(ix.name, performance.now() - t);
  }
  await client.query('RESET maintenance_work_mem');
  return rows.length;
}

/** Skips foreign-key and other row triggers on this connection when the role is a superuser; says whether it did. */
export async function skipRowTriggers(client: Client): Promise<boolean> {
  const { rows } = await client.query<{ su: boolean }>('SELECT rolsuper AS su FROM pg_roles WHERE rolname = current_user');
  if (!rows[0]?.su) return false;
  await client.query('SET session_replication_role = replica');
  return true;
}

/**
 * With triggers skipped, foreign keys were not checked row by row: check each one once now,
 * in one anti-join per constraint; throws naming the first violated constraint.
 */
export async function checkForeignKeys(client: Client, tables: string[]): Promise<number> {
  const { rows } = await client.query<{ name: string; child: string; parent: string; cols: string[]; refs: string[] }>(`
    SELECT k.conname AS name, c.relname AS child, p.relname AS parent,
      array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o)::text[] AS cols,
      array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o)::text[] AS refs
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
    WHERE k.contype = 'f' AND c.relname = ANY($1)`, [tables]);
  for (const fk of rows) {
    const on = fk.cols.map((col, i) => `p."${fk.refs[i]}" = c."${col}"`).join(' AND ');
    const notNull = fk.cols.map((col) => `c."${col}" IS NOT NULL`).join(' AND ');
    const bad = await client.query(`SELECT 1 FROM "${fk.child}" c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM "${fk.parent}" p WHERE ${on}) LIMIT 1`);
    if (bad.rowCount) throw new Error(`generated data breaks foreign key ${fk.name} (${fk.child} → ${fk.parent})`);
  }
  return rows.length;
}
