/**
 * CONTRACT.md "Starting it": bad configuration ends the process at once with exit code 1 and
 * one readable line; a good start serves /healthz and SIGTERM shuts down cleanly.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/app.js';
import { TEST_MASTER_KEY } from '../support/pg.js';
import { ConfigError, loadConfig } from '../../src/platform/config.js';

function runServer(env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => { stdout += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not exit: ${stderr}`)); }, timeoutMs);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr, stdout }); });
  });
}

const oneLine = (s: string) => s.trim().split('\n').filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings'));

let tdb: TestDatabase;
beforeAll(async () => { tdb = await createTestDatabase(false); });
afterAll(async () => { await tdb.drop(); });

describe('bad configuration', () => {
  it('an unknown DATABASE_URL scheme', async () => {
    const r = await runServer({ DATABASE_URL: 'mysql://root@localhost/tongban' });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/DATABASE_URL has unsupported scheme "mysql"/)]);
  });

  it('an unreachable database', async () => {
    const r = await runServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/tongban' });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1/)]);
  });

  it('a port in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runServer({ DATABASE_URL: tdb.url, TONGBAN_MASTER_KEY: TEST_MASTER_KEY, PORT: String(port) });
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toEqual([expect.stringMatching(new RegExp(`port ${port} .* already in use`))]);
    } finally {
      blocker.close();
    }
  });

  it('a malformed PORT', async () => {
    const r = await runServer({ PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/PORT must be a whole number/)]);
  });
});

describe('TONGBAN_PUBLIC_URL (the address a licence QR code sends a phone to)', () => {
  it('is kept as an origin, and anything but http(s)://host[:port] is refused at start', async () => {
    expect(loadConfig({ TONGBAN_PUBLIC_URL: 'https://zwfw.zj.gov.cn/' }).publicUrl).toBe('https://zwfw.zj.gov.cn');
    expect(loadConfig({ TONGBAN_PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    expect(loadConfig({}).publicUrl).toBeUndefined();
    for (const bad of ['zwfw.zj.gov.cn', 'ftp://zwfw.zj.gov.cn', 'https://zwfw.zj.gov.cn/portal', 'https://a.cn/?x=1', 'https://user:pw@a.cn']) {
      expect(() => loadConfig({ TONGBAN_PUBLIC_URL: bad }), bad).toThrow(ConfigError);
    }
    const r = await runServer({ TONGBAN_PUBLIC_URL: 'zwfw.zj.gov.cn' });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/TONGBAN_PUBLIC_URL must be an absolute address/)]);
  });
});

describe('a good start and a graceful stop', () => {
  it('serves /healthz on PostgreSQL and exits 0 on SIGTERM', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_URL: tdb.url, TONGBAN_MASTER_KEY: TEST_MASTER_KEY, PORT: String(port), LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    try {
      let health: unknown;
      for (let i = 0; i < 120 && !health; i++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 500));
      }
      expect(health).toEqual({ status: 'ok', db: 'postgres', node: 'zj' });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      process.kill(child.pid!, 'SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
