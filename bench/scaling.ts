/**
 * `npx tsx bench/scaling.ts [--seconds S]`: the figures behind docs/scaling.md. Starts 1, then 2
 * stateless server processes on one fresh PostgreSQL database and loads each with autocannon at
 * the same total concurrency: a signed-in read (GET /api/v1/me) and a write that appends to the
 * audit chain (POST /api/v1/me/agent-grants). Prints req/s, p50/p99 and each process's RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_MASTER_KEY } from './lib/context.js';
import { createScratchDatabase, DEFAULT_DATABASE_URL } from './lib/pg-admin.js';
import { loadConfig } from '../src/platform/config.js';
import { openPostgres } from '../src/platform/db/database.js';
import { prepareNode } from '../src/node.js';
import { DEMO_PASSWORD } from '../src/seed/demo-identity.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function startServer(url: string): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root, stdio: 'ignore',
    env: { ...process.env, DATABASE_URL: url, TONGBAN_MASTER_KEY: BENCH_MASTER_KEY, TONGBAN_DEMO: '0', LOG_LEVEL: 'silent', PORT: String(port), TONGBAN_PUBLIC_RATE_LIMIT: '1000000' },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return { proc, base };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

function load(spec: Record<string, unknown>): Promise<{ total: number; duration: number; p50: number; p99: number; non2xx: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bench/lib/load-worker.mjs')], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as never));
    child.once('error', reject);
    child.send(spec);
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const scratch = await createScratchDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, 'tb_scaling');
  const servers: ChildProcess[] = [];
  try {
    const database = await openPostgres(scratch.url, 2);
    await prepareNode(loadConfig({ DATABASE_URL: scratch.url, TONGBAN_MASTER_KEY: BENCH_MASTER_KEY, TONGBAN_DEMO: '1' }), database);
    await database.close();
    process.stdout.write(`scaling: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}, ${seconds} s per measurement\n`);
    const started = [await startServer(scratch.url), await startServer(scratch.url)];
    servers.push(...started.map((s) => s.proc));
    const loginRes = await fetch(`${started[0]!.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'citizen1', password: DEMO_PASSWORD }) });
    const { token } = await loginRes.json() as { token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const grant = JSON.stringify({ granteeUsername: 'citizen2', relationship: '子女', matters: ['*'], purpose: '扩展性测量', expiresAt: new Date(Date.now() + 86400_000 * 30).toISOString(), consent: true });
    const mixes = [
      { name: 'GET /api/v1/me', spec: { method: 'GET', headers: auth } },
      { name: 'POST /api/v1/me/agent-grants', spec: { method: 'POST', headers: auth, body: grant } },
    ];
    for (const mix of mixes) {
      for (const n of [1, 2]) {
        const targets = started.slice(0, n);
        const results = await Promise.all(targets.map((s) => load({ url: `${s.base}${mix.name.split(' ')[1]}`, ...mix.spec, connections: 16 / n, duration: seconds })));
        const rps = results.reduce((a, r) => a + (r.total - r.non2xx) / r.duration, 0);
        const rss = targets.map((s) => rssMb(s.proc.pid!).toFixed(0)).join('+');
        process.stdout.write(`${mix.name.padEnd(30)} ${n} process${n > 1 ? 'es' : '  '}: ${rps.toFixed(0).padStart(6)} req/s  p50 ${Math.max(...results.map((r) => r.p50))} ms  p99 ${Math.max(...results.map((r) => r.p99))} ms  non-2xx ${results.reduce((a, r) => a + r.non2xx, 0)}  RSS ${rss} MB\n`);
      }
    }
  } finally {
    for (const s of servers) s.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await scratch.drop();
  }
}

main().then(() => process.exit(0), (err) => { process.stderr.write(`scaling: ${(err as Error).stack}\n`); process.exit(1); });
