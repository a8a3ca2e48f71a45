/**
 * `npm run bench:data -- --scale N`: fills a PostgreSQL database with synthetic data through COPY
 * (every generator in bench/datagen/*.data.ts, in dependency order, with a progress bar; secondary
 * indexes are built after the load, see bench/datagen/bulk.ts), ANALYZEs it
 * and checks the plans of every registered list/search/queue query (no Seq Scan on a large table).
 *
 *   --scale N          rows = N × each table's scale-1 count (default 0.01)
 *   --database-url U   target database (default: tongban_benchdata on DATABASE_URL's server,
 *                      created and migrated when missing)
 *   --plans-only       only check the plans of the data already there
 *   --no-plans         only generate
 *   --seed S           pseudo-random seed (default 1)
 * Exits 1 when a plan scans a large table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/platform/config.js';
import { openPostgres } from '../src/platform/db/database.js';
import { deriveSecrets } from '../src/platform/crypto/master-key.js';
import { prepareNode } from '../src/node.js';
import { BENCH_MASTER_KEY } from './lib/context.js';
import { adminQuery, databaseUrlFor, DEFAULT_DATABASE_URL } from './lib/pg-admin.js';
import { copyLine, copyRows } from './datagen/copy.js';
import { checkPlans, LARGE_TABLE_MIN_ROWS } from './datagen/plans.js';
import { checkForeignKeys, dropSecondaryIndexes, rebuildIndexes, skipRowTriggers } from './datagen/bulk.js';
import type { DataModule, GenContext, PlanQuery, TableGenerator } from './datagen/registry.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function discoverDataModules(dir = path.join(here, 'datagen')): Promise<{ tables: TableGenerator[]; queries: PlanQuery[] }> {
  const tables: TableGenerator[] = [];
  const queries: PlanQuery[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.data.ts')).sort()) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href) as DataModule;
    tables.push(...(mod.tables ?? []));
    queries.push(...(mod.queries ?? []));
  }
  return { tables: orderByDependencies(tables), queries };
}

export function orderByDependencies(tables: TableGenerator[]): TableGenerator[] {
  const byName = new Map(tables.map((t) => [t.table, t]));
  const done = new Set<string>();
  const ordered: TableGenerator[] = [];
  const visit = (t: TableGenerator, trail: string[]) => {
    if (done.has(t.table)) return;
    if (trail.includes(t.table)) throw new Error(`generator dependency cycle: ${[...trail, t.table].join(' → ')}`);
    for (const dep of t.after ?? []) {
      const d = byName.get(dep);
      if (!d) throw new Error(`${t.table} generates after ${dep}, which has no generator`);
      visit(d, [...trail, t.table]);
    }
    done.add(t.table);
    ordered.push(t);
  };
  for (const t of tables) visit(t, []);
  return ordered;
}

/** mulberry32: small, fast, seeded. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a table name: each table draws from its own stream, so parallel loads stay reproducible. */
function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Tables whose generators are ready run their COPYs at once, each on its own connection. */
const PARALLEL_COPIES = 2;

/**
 * COPYs every table, up to PARALLEL_COPIES at a time, each as soon as the tables it needs are
 * done: one PostgreSQL backend per COPY, while this process generates rows for all of them.
 * Resolves with the number of rows written.
 */
async function loadTables(pool: pg.Pool, tables: TableGenerator[], scale: number, ctxFor: (t: TableGenerator) => GenContext, skipTriggers: boolean): Promise<number> {
  const done = new Set<string>();
  const pending = [...tables];
  const running = new Map<string, Promise<void>>();
  let total = 0;
  const load = async (t: TableGenerator) => {
    const rows = Math.max(1, Math.round(t.rowsAtScale1 * scale));
    const ctx = ctxFor(t);
    const client = await pool.connect();
    try {
      if (skipTriggers) await client.query('SET session_replication_role = replica');
      await t.prepare?.(ctx, rows);
      await copyRows(client, t.table, t.columns, rows, (i) => copyLine(t.row(i, ctx)));
      if (skipTriggers) await client.query('RESET session_replication_role');
    } finally {
      client.release();
    }
    total += rows;
    done.add(t.table);
    running.delete(t.table);
  };
  while (pending.length || running.size) {
    for (const t of pending.filter((p) => (p.after ?? []).every((d) => done.has(d)))) {
      if (running.size >= PARALLEL_COPIES) break;
      pending.splice(pending.indexOf(t), 1);
      running.set(t.table, load(t));
    }
    if (!running.size) throw new Error(`cannot order ${pending.map((p) => p.table).join(', ')}`);
    await Promise.race(running.values());
  }
  return total;
}

function parseArgs(argv: string[]) {
  const a = { scale: 0.01, url: undefined as string | undefined, plans: true, generate: true, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => argv[++i] ?? '';
    if (k === '--scale') a.scale = Number(v());
    else if (k === '--database-url') a.url = v();
    else if (k === '--plans-only') a.generate = false;
    else if (k === '--no-plans') a.plans = false;
    else if (k === '--seed') a.seed = Number(v());
    else throw new Error(`unknown argument ${k} (see the comment at the top of bench/data.ts)`);
  }
  if (!(a.scale > 0) || a.scale > 100) throw new Error('--scale must be a number above 0 and at most 100');
  return a;
}

async function ensureDatabase(args: ReturnType<typeof parseArgs>): Promise<string> {
  if (args.url) return args.url;
  const server = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = 'tongban_benchdata';
  await adminQuery(server, `CREATE DATABASE "${name}"`).catch((err: { code?: string }) => { if (err.code !== '42P04') throw err; });
  return databaseUrlFor(server, name);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const url = await ensureDatabase(args);
  const masterKey = process.env.TONGBAN_MASTER_KEY || BENCH_MASTER_KEY;
  const config = loadConfig({ DATABASE_URL: url, TONGBAN_MASTER_KEY: masterKey, TONGBAN_DEMO: '0', LOG_LEVEL: 'silent' });
  const database = await openPostgres(url, 2);
  await prepareNode(config, database);
  await database.close();
  const { tables, queries } = await discoverDataModules();
  const pool = new pg.Pool({ connectionString: url, max: PARALLEL_COPIES + 2 });
  try {
    if (args.generate) {
      const ctx: GenContext = {
        scale: args.scale, secrets: deriveSecrets(masterKey), random: seeded(args.seed), shared: new Map(),
        query: async (text, params) => (await pool.query(text, params)).rows,
      };
      let total = 0;
      const client = await pool.connect();
      try {
        const names = tables.map((t) => t.table);
        // Indexes left behind by an interrupted run first, so the drop below records every index.
        await rebuildIndexes(client);
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        const loadBefore = os.loadavg()[0]!;
        const dropped = await dropSecondaryIndexes(client, names);
        const unchecked = await skipRowTriggers(client);
        total = await loadTables(pool, tables, args.scale, (t) => ({ ...ctx, random: seeded(args.seed ^ nameHash(t.table)) }), unchecked);
        const copied = performance.now();
        const cpu = process.cpuUsage(cpuBefore);
        const genCpuS = (cpu.user + cpu.system) / 1e6;
        await client.query('RESET session_replication_role');
        process.stderr.write(`building ${dropped} secondary indexes dropped for the load…\n`);
        await rebuildIndexes(client, (name, ms) => process.stderr.write(`  ${name} ${(ms / 1000).toFixed(1)} s\n`));
        const indexed = performance.now();
        const fks = unchecked ? await checkForeignKeys(client, names) : 0;
        const done = performance.now();
        const rate = (ms: number) => Math.round(total / (ms / 1000)).toLocaleString('en-US');
        process.stderr.write(`generated ${total.toLocaleString('en-US')} rows: COPY ${((copied - started) / 1000).toFixed(1)} s (${rate(copied - started)} rows/s), `
          + `indexes ${((indexed - copied) / 1000).toFixed(1)} s, ${unchecked ? `${fks} foreign keys checked ${((done - indexed) / 1000).toFixed(1)} s` : 'foreign keys checked per row'}; `
          + `${rate(done - started)} rows/s overall\n`
          + `this process's CPU during COPY ${genCpuS.toFixed(1)} s (${Math.round(total / genCpuS).toLocaleString('en-US')} rows per CPU-second generated and sent); `
          + `${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}\n`);
      } finally {
        client.release();
      }
      await pool.query('ANALYZE');
    }
    if (!args.plans) return 0;
    const verdicts = await checkPlans(pool, queries);
    for (const v of verdicts) {
      if (v.tooSmall) {
        process.stdout.write(`skip ${v.name}: ${v.tooSmall.join(', ')} under ${LARGE_TABLE_MIN_ROWS.toLocaleString('en-US')} rows, too small to judge (raise --scale)\n`);
        continue;
      }
      process.stdout.write(`${v.ok ? 'ok  ' : 'FAIL'} ${v.name}${v.seqScans.length ? `: Seq Scan on ${[...new Set(v.seqScans)].join(', ')}` : ''}${v.error ? `: ${v.error}` : ''}\n`);
      if (!v.ok && v.plan) process.stdout.write(`${v.plan.replace(/^/gm, '       ')}\n`);
    }
    const failed = verdicts.filter((v) => !v.ok).length;
    const skipped = verdicts.filter((v) => v.tooSmall).length;
    process.stdout.write(`${verdicts.length - skipped} query plans checked, ${failed} failed, ${skipped} skipped (tables too small)\n`);
    return failed ? 1 : 0;
  } finally {
    await pool.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then((code) => process.exit(code), (err) => {
    process.stderr.write(`bench:data: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
