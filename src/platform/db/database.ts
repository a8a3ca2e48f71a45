/**
 * Opens the platform database: PGlite in a data directory by default, or a PostgreSQL server
 * when DATABASE_URL is set. Both are reached through one Kysely instance; the rest of the
 * code never knows which one it has, except through `kind` for the health check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PgChangeFeed, type ChangeFeed, type PgChangeFeedOptions } from './change-feed.js';

/**
 * Modules type their own tables (`db.withTables<…>()` is not needed: each repository casts the
 * shared handle to `Kysely<ItsTables>`), so the platform handle is untyped.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Executor = Kysely<any> | Transaction<any>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Runs a multi-statement SQL script (migrations). */
  execScript(script: string): Promise<void>;
  /**
   * Notifications on `channel` from every process sharing the database (LISTEN/NOTIFY on a
   * connection of its own), for caches that must drop what another process changed. Absent on
   * PGlite: one process owns its database, and nothing is cached on the strength of it.
   */
  listen?(channel: string): ChangeFeed;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_DATE = 1082;

// PostgreSQL returns int8/numeric as strings by default; counts and sums fit in a JS number here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// Dates stay strings: a DATE has no time zone and must not shift through a JS Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface PostgresOptions {
  /** Server-side cancel of any statement running longer; 0 or undefined: none. */
  statementTimeoutMs?: number;
  /** Reconnection and heartbeat of `listen`'s connection. */
  listen?: PgChangeFeedOptions;
}

export async function openPostgres(databaseUrl: string, poolSize = 10, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // A dropped server connection must not crash the process; queries fail and are retried by callers.
  pool.on('error', () => {});
  // The same for a connection that drops while checked out but between queries: without a
  // listener its 'error' event is an uncaught exception that ends the whole server. Queries on it
  // fail (→ 503) and the pool discards it on release.
  pool.on('connect', (client) => { client.on('error', () => {}); });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(
      `cannot reach the database at ${redactUrl(databaseUrl)}: ${(err as Error).message}`,
    );
  }
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const feeds = new Map<string, PgChangeFeed>();
  return {
    kind: 'postgres',
    db,
    async execScript(script) {
      await pool.query(script);
    },
    listen(channel) {
      let feed = feeds.get(channel);
      if (!feed) feeds.set(channel, feed = new PgChangeFeed(databaseUrl, channel, options.listen));
      return feed;
    },
    async close() {
      await Promise.all([...feeds.values()].map((f) => f.close()));
      await db.destroy();
    },
  };
}

/**
 * PGlite keeps one in-process PostgreSQL per data directory and has no lock of its own: two
 * processes on one directory would corrupt it. A pid lock file refuses the second one.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'tongban.lock');
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(fs.readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && processAlive(holder)) {
      throw new DatabaseUnavailableError(
        `the data directory ${dataDir} is in use by process ${holder}; stop it or set TONGBAN_DATA_DIR`,
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  return () => fs.rmSync(lockFile, { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function openPglite(dataDir: string): Promise<Database> {
  const unlock = lockDataDir(dataDir);
  const { PGlite } = await import('@electric-sql/pglite');
  // Same value shapes as the pg driver above: int8/numeric as numbers, DATE as 'YYYY-MM-DD'.
  const pglite = new PGlite(path.join(dataDir, 'pg'), {
    parsers: { [PG_INT8]: Number, [PG_NUMERIC]: Number, [PG_DATE]: (v: string) => v },
  });
  await pglite.waitReady;
  const db: Db = new Kysely({ dialect: new PGliteDialect({ pglite }) });
  return {
    kind: 'pglite',
    db,
    async execScript(script) {
      await pglite.exec(script);
    },
    async close() {
      await db.destroy();
      unlock();
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Runs `work` in a transaction; the executor passed in must be used for every query inside. */
export function inTransaction<T>(db: Executor, work: (trx: Transaction<any>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<any>);
  return (db as Db).transaction().execute(work);
}

export { sql };
