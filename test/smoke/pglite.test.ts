/**
 * The embedded default: the same migrations and a core flow on PGlite in a data directory,
 * and a second start that reuses the data instead of seeding again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { startNode } from '../../src/node.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-pglite-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const config = () => loadConfig({ TONGBAN_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });

async function json(url: string, init?: RequestInit & { token?: string; body?: string }) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init?.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  return { status: res.status, body: await res.json() as any };
}

describe('PGlite (embedded default)', () => {
  it('migrates, seeds the demo, serves the core flow, and keeps data across a restart', { timeout: 240_000 }, async () => {
    const first = await startNode(config(), false);
    let personId: string;
    try {
      expect((await json(`${first.url}/healthz`)).body).toEqual({ status: 'ok', db: 'pglite', node: 'zj' });
      const login = await json(`${first.url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'citizen1', password: 'Tongban#2026' }) });
      expect(login.status).toBe(200);
      const me = await json(`${first.url}/api/v1/me`, { token: login.body.token });
      personId = me.body.person.id;
      const grant = await json(`${first.url}/api/v1/me/agent-grants`, {
        method: 'POST', token: login.body.token,
        body: JSON.stringify({ granteeUsername: 'citizen2', relationship: '女儿', matters: ['*'], purpose: '代办', expiresAt: new Date(Date.now() + 86400_000).toISOString(), consent: true }),
      });
      expect(grant.status).toBe(201);
      // A stale version is a conflict on PGlite too.
      const v = me.body.person.version;
      expect((await json(`${first.url}/api/v1/me/phone`, { method: 'PUT', token: login.body.token, body: JSON.stringify({ phone: '13800000011', version: v }) })).status).toBe(200);
      expect((await json(`${first.url}/api/v1/me/phone`, { method: 'PUT', token: login.body.token, body: JSON.stringify({ phone: '13800000012', version: v }) })).status).toBe(409);
      expect((await first.services.audit.verify()).ok).toBe(true);
    } finally {
      await first.close();
    }

    const second = await startNode(config(), false);
    try {
      const login = await json(`${second.url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'citizen1', password: 'Tongban#2026' }) });
      const me = await json(`${second.url}/api/v1/me`, { token: login.body.token });
      expect(me.body.person.id).toBe(personId!);
      expect(me.body.person.phone).toBe('13800000011');
      const grants = await json(`${second.url}/api/v1/me/agent-grants`, { token: login.body.token });
      expect(grants.body.given).toHaveLength(1);
      const audit = await second.services.audit.verify();
      expect(audit).toMatchObject({ ok: true });
      expect(audit.signedHeads).toBeGreaterThan(0); // signed at the first shutdown
    } finally {
      await second.close();
    }
  });

  it('refuses a second process on the same data directory', { timeout: 120_000 }, async () => {
    const node = await startNode(config(), false);
    try {
      fs.writeFileSync(path.join(dataDir, 'tongban.lock'), '1'); // pid 1 is always alive
      await expect(startNode(config(), false)).rejects.toThrow(/in use by process 1/);
    } finally {
      await node.close();
    }
  });
});
