/**
 * Forward-only SQL migrations from /migrations, applied in file-name order, each once, each in
 * its own transaction. Several processes starting together are serialised by an advisory lock.
 * Module ranges keep numbers apart: 00xx platform/identity/audit, 01xx catalog/applications/
 * materials, 02xx licences, 03xx exchange, 04xx supervision, 05xx governance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');
const MIGRATION_LOCK_ID = 7_261_203;

export function listMigrations(dir = MIGRATIONS_DIR): { name: string; script: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, script: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  await database.execScript(
    `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());`,
  );
  const applied: string[] = [];
  const run = async (exec: (script: string) => Promise<void>) => {
    const done = await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(database.db);
    const known = new Set(done.rows.map((r) => r.name));
    for (const m of listMigrations(dir)) {
      if (known.has(m.name)) continue;
      const escaped = m.name.replace(/'/g, "''");
      try {
        await exec(
          `BEGIN;\n${m.script}\n;INSERT INTO schema_migrations(name) VALUES ('${escaped}');\nCOMMIT;`,
        );
      } catch (err) {
        await exec('ROLLBACK;').catch(() => {});
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
  };
  if (database.kind === 'pglite') {
    await run((script) => database.execScript(script)); // one process owns the data directory (lock file), so no advisory lock needed
  } else {
    // One dedicated connection holds the session-level lock and runs the scripts, so a failed
    // script's aborted transaction is rolled back on the connection that opened it.
    await database.db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn);
      try {
        // A query without parameters goes over the simple protocol, which allows several statements.
        await run(async (script) => void (await sql.raw(script).execute(conn)));
      } finally {
        await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn);
      }
    });
  }
  return applied;
}
