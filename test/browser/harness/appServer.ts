// What the browser tests talk to: the real tongban server once it exists (src/main.ts on main),
// otherwise the static server over web/dist. TONGBAN_BROWSER_BASE_URL points at an already
// running server instead; TONGBAN_WEB_TEST_STATIC=1 forces the static server.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer } from './staticServer.js';

export interface AppServer {
  baseUrl: string;
  /** 'real' has the API and demo accounts; 'static' has no API at all. */
  kind: 'real' | 'static' | 'external';
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000; // first PGlite start migrates and seeds
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`server did not become healthy in 90 s:\n${output()}`);
}

async function startRealServer(repoRoot: string): Promise<AppServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-browser-'));
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), TONGBAN_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, () => log.slice(-4000));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    baseUrl,
    kind: 'real',
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startAppServer(repoRoot: string): Promise<AppServer> {
  const external = process.env.TONGBAN_BROWSER_BASE_URL;
  if (external) return { baseUrl: external.replace(/\/$/, ''), kind: 'external', stop: async () => {} };
  if (existsSync(join(repoRoot, 'src', 'main.ts')) && process.env.TONGBAN_WEB_TEST_STATIC !== '1') {
    return startRealServer(repoRoot);
  }
  const server = await startStaticServer(join(repoRoot, 'web', 'dist'));
  return { baseUrl: server.baseUrl, kind: 'static', stop: server.close };
}
