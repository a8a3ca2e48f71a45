/**
 * Real server processes and a stoppable TCP path to PostgreSQL, for the fault tests: a server is
 * `node --import tsx src/main.ts` (no npx wrapper, so SIGKILL reaches the server itself).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../../src/seed/demo-identity.js';
import { TEST_MASTER_KEY } from '../support/pg.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function serverEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env, DATABASE_URL: databaseUrl, TONGBAN_MASTER_KEY: TEST_MASTER_KEY, TONGBAN_DEMO: '0', LOG_LEVEL: 'warn',
    TONGBAN_PUBLIC_RATE_LIMIT: '100000', TONGBAN_DATA_DIR: '/tmp/tongban-fault-data', HOST: '127.0.0.1', ...extra,
  };
}

export interface ServerProcess { proc: ChildProcess; url: string; output(): string; stop(signal?: NodeJS.Signals): Promise<number | null> }

/** `port` keeps a restarted server at the address its peers know; `readyWithinMs` allows for a busy machine. */
export async function startServer(databaseUrl: string, extra: Record<string, string> = {}, opts: { port?: number; readyWithinMs?: number } = {}): Promise<ServerProcess> {
  const port = opts.port ?? await freePort();
  const readyWithinMs = opts.readyWithinMs ?? 90_000;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT, env: serverEnv(databaseUrl, { PORT: String(port), ...extra }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => { output += d; });
  proc.stderr!.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode} before it served:\n${output}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not answer /healthz within ${readyWithinMs / 1000} s:\n${output}`);
    }
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    proc, url,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Runs `npm run tongban -- <args>` against a database; resolves with exit code and output. */
export function runCli(databaseUrl: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: serverEnv(databaseUrl), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d) => { output += d; });
    proc.stderr.on('data', (d) => { output += d; });
    proc.once('exit', (code) => resolve({ code, output }));
  });
}

/**
 * A TCP forwarder to PostgreSQL that a test can stop (refuse new connections and cut open ones)
 * and start again on the same port: the database "goes away" for one pool only, without touching
 * the shared server other tests use.
 */
export class TcpProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** A database URL like `url` but reaching PostgreSQL through this proxy. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }
}
