/**
 * What a benchmark gets from the runner: a fresh PostgreSQL database for this run (created and
 * dropped by the runner), a tongban node on it (started once, on first use), a pg pool for
 * baselines, a raw node:http server for HTTP baselines, and two measuring tools: `load` (autocannon
 * on a worker thread) and `timeOps` (a closed loop of async operations at a given concurrency).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../../src/platform/config.js';
import { openPostgres } from '../../src/platform/db/database.js';
import { prepareNode } from '../../src/node.js';
import { buildApp, type Platform, type Services } from '../../src/app.js';
import type { HttpServer } from '../../src/platform/http/server.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-identity.js';

export const BENCH_MASTER_KEY = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';

export interface BenchNode {
  url: string;
  app: HttpServer;
  platform: Platform;
  services: Services;
  /** Signs in a demo user and returns a bearer token (cached). */
  token(username: string): Promise<string>;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  /** Seconds; defaults to the run's load duration. */
  duration?: number;
  /** A header given a fresh value on every request (`<prefix>-<random>-<n>`), e.g. an Idempotency-Key. */
  uniqueHeader?: { name: string; prefix: string };
  /** Paths (with query) on the url's origin that each connection requests in turn, e.g. mixed searches. */
  paths?: string[];
}

export interface LoadResult {
  /** Requests per second answered with 2xx over the measured window. */
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface BenchContext {
  quick: boolean;
  cores: number;
  /** Seconds each HTTP load measurement lasts. */
  loadSeconds: number;
  /** Seconds each in-process operation measurement lasts. */
  opSeconds: number;
  databaseUrl: string;
  pool(): pg.Pool;
  node(): Promise<BenchNode>;
  /** A raw node:http server on a free loopback port; closed by the runner at the end. */
  rawServer(handler: http.RequestListener): Promise<string>;
  load(opts: LoadOptions): Promise<LoadResult>;
  timeOps(op: (i: number) => Promise<unknown> | unknown, opts?: { seconds?: number; concurrency?: number }): Promise<number>;
  /**
   * Baseline and tongban alternately, `rounds` times each, keeping each side's best round: on a
   * machine shared with other work, the best round is the one least disturbed, and alternating
   * exposes both sides to the same conditions.
   */
  compareLoad(base: LoadOptions, ours: LoadOptions): Promise<{ base: LoadResult; ours: LoadResult }>;
  compareOps(base: (i: number) => Promise<unknown> | unknown, ours: (i: number) => Promise<unknown> | unknown, opts?: { seconds?: number; concurrency?: number }): Promise<{ base: number; ours: number }>;
  log(message: string): void;
  /** Runs `close` when the run ends (before the scratch database is dropped), in reverse order of registration. */
  onClose(close: () => Promise<void>): void;
}

export function createContext(opts: { quick: boolean; cores: number; databaseUrl: string; log(m: string): void }): BenchContext & { close(): Promise<void> } {
  const closers: Array<() => Promise<void>> = [];
  let pool: pg.Pool | undefined;
  let node: Promise<BenchNode> | undefined;
  const loadSeconds = opts.quick ? 2 : 5;
  const opSeconds = opts.quick ? 1 : 3;
  const rounds = opts.quick ? 2 : 3;
  const warmed = new Set<string>();

  const startNode = async (): Promise<BenchNode> => {
    const config = loadConfig({
      DATABASE_URL: opts.databaseUrl, TONGBAN_MASTER_KEY: BENCH_MASTER_KEY, TONGBAN_DEMO: '1', LOG_LEVEL: 'silent',
      // Rate limits protect production from abuse; here they would only measure themselves.
      TONGBAN_PUBLIC_RATE_LIMIT: '1000000', TONGBAN_LOGIN_MAX_FAILURES: '1000', TONGBAN_DATA_DIR: '/tmp/tongban-bench-data',
    });
    const database = await openPostgres(opts.databaseUrl, 10);
    const { platform, services } = await prepareNode(config, database);
    const app = await buildApp(platform, services, false);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(async () => { await app.close(); await services.exchange.close(); await database.close(); });
    const tokens = new Map<string, string>();
    return {
      url, app, platform, services,
      async token(username) {
        const cached = tokens.get(username);
        if (cached) return cached;
        const res = await fetch(`${url}/api/v1/auth/login`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: DEMO_PASSWORD }),
        });
        if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        const { token } = await res.json() as { token: string };
        tokens.set(username, token);
        return token;
      },
    };
  };

  const ctx: BenchContext & { close(): Promise<void> } = {
    quick: opts.quick,
    cores: opts.cores,
    loadSeconds,
    opSeconds,
    databaseUrl: opts.databaseUrl,
    log: opts.log,
    onClose(close) {
      closers.push(close);
    },
    pool() {
      if (!pool) {
        pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
        const p = pool;
        closers.push(() => p.end());
      }
      return pool;
    },
    node() {
      return (node ??= startNode());
    },
    async rawServer(handler) {
      const server = http.createServer(handler);
      server.keepAliveTimeout = 10_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async load(l) {
      const duration = l.duration ?? loadSeconds;
      const spec = {
        url: l.url, method: l.method ?? 'GET', headers: l.headers ?? {}, body: l.body,
        connections: l.connections ?? 16, pipelining: 1, uniqueHeader: l.uniqueHeader, paths: l.paths,
      };
      // A short warm-up the first time a URL is loaded: JIT, connection pools and caches settle.
      if (!warmed.has(l.url)) {
        warmed.add(l.url);
        await runWorker({ ...spec, duration: opts.quick ? 1 : 2 });
      }
      const r = await runWorker({ ...spec, duration });
      if (r.errors > 0 || r.non2xx > r.total * 0.01) {
        throw new Error(`load on ${l.method ?? 'GET'} ${l.url} failed: ${r.non2xx} non-2xx, ${r.errors} errors of ${r.total} (${JSON.stringify(r.statusCodes)})`);
      }
      return { rps: (r.total - r.non2xx) / r.duration, p50: r.p50, p99: r.p99, non2xx: r.non2xx, errors: r.errors };
    },
    async timeOps(op, o = {}) {
      const seconds = o.seconds ?? opSeconds;
      const concurrency = o.concurrency ?? 1;
      // Warm-up before the clock starts: a few ops alone, then one wave at the measured concurrency
      // (one at a time, 256 slow ops would take seconds and warm nothing a wave does not).
      for (let i = 0; i < 3; i++) await op(-1 - i);
      await Promise.all(Array.from({ length: concurrency }, (_, i) => op(-4 - i)));
      let next = 0;
      const deadline = performance.now() + seconds * 1000;
      const start = performance.now();
      const lane = async () => {
        while (performance.now() < deadline) await op(next++);
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return next / ((performance.now() - start) / 1000);
    },
    async compareLoad(base, ours) {
      let b: LoadResult | undefined;
      let o: LoadResult | undefined;
      for (let r = 0; r < rounds; r++) {
        const rb = await ctx.load(base);
        const ro = await ctx.load(ours);
        if (!b || rb.rps > b.rps) b = rb;
        if (!o || ro.rps > o.rps) o = ro;
      }
      return { base: b!, ours: o! };
    },
    async compareOps(base, ours, o = {}) {
      let b = 0;
      let w = 0;
      for (let r = 0; r < rounds; r++) {
        b = Math.max(b, await ctx.timeOps(base, o));
        w = Math.max(w, await ctx.timeOps(ours, o));
      }
      return { base: b, ours: w };
    },
    async close() {
      for (const close of closers.reverse()) await close().catch((err) => opts.log(`cleanup: ${(err as Error).message}`));
    },
  };
  return ctx;
}

interface WorkerResult {
  total: number; duration: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number;
  statusCodes: Record<string, { count: number }>;
}

function runWorker(spec: Record<string, unknown>): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load-worker.mjs', import.meta.url)), { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let result: WorkerResult | undefined;
    child.once('message', (m) => { result = m as WorkerResult; });
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`))));
    child.send(spec);
  });
}
