/**
 * kill -9 of the real server process during a burst of acknowledged writes, then a restart: every
 * write the server acknowledged (201) is in the database exactly once with its audit entry, no
 * write is there twice, and `npm run tongban -- audit verify` accepts the chain.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/app.js';
import { login, runCli, startServer, type ServerProcess } from './support.js';

let tdb: TestDatabase;
let server: ServerProcess | undefined;

beforeAll(async () => { tdb = await createTestDatabase(true); });
afterAll(async () => {
  await server?.stop('SIGKILL');
  await tdb?.drop();
});

interface Ack { id: string; marker: string }

/** Writers post grants, each with a unique marker in its purpose, until the server dies. */
async function burst(url: string, token: string, writers: number, acked: Ack[], stop: { now: boolean }) {
  const expiresAt = new Date(Date.now() + 30 * 86400_000).toISOString();
  const lane = async () => {
    while (!stop.now) {
      const marker = `fault-${randomUUID()}`;
      try {
        const res = await fetch(`${url}/api/v1/me/agent-grants`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ granteeUsername: 'citizen2', relationship: '子女', matters: ['*'], purpose: marker, expiresAt, consent: true }),
        });
        if (res.status === 201) acked.push({ id: ((await res.json()) as { id: string }).id, marker });
        else if (res.status >= 500) throw new Error(`server answered ${res.status}`);
      } catch {
        return; // the connection died with the server: this write was not acknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, lane));
}

describe('kill -9 during acknowledged writes', () => {
  it('keeps every acknowledged write exactly once, and the audit chain verifies after restart', async () => {
    server = await startServer(tdb.url);
    const token = await login(server.url, 'citizen1');
    const acked: Ack[] = [];
    const stop = { now: false };
    const writing = burst(server.url, token, 6, acked, stop);
    // Kill while writes are in flight: after a fair number were acknowledged, without waiting.
    const deadline = Date.now() + 60_000;
    while (acked.length < 25 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    server.proc.kill('SIGKILL');
    await server.stop('SIGKILL');
    await writing;
    stop.now = true;
    expect(acked.length).toBeGreaterThanOrEqual(25);

    server = await startServer(tdb.url);
    // The session survived the crash (it lives in the database), and the server serves again.
    const mine = await fetch(`${server.url}/api/v1/me/agent-grants`, { headers: { authorization: `Bearer ${token}` } });
    expect(mine.status).toBe(200);

    const client = new pg.Client({ connectionString: tdb.url });
    await client.connect();
    try {
      const rows = (await client.query<{ id: string; purpose: string }>(`SELECT id, purpose FROM agent_grants WHERE purpose LIKE 'fault-%'`)).rows;
      const byMarker = new Map<string, number>();
      for (const r of rows) byMarker.set(r.purpose, (byMarker.get(r.purpose) ?? 0) + 1);
      // Every acknowledged write is there, exactly once, under the id the client was given.
      for (const a of acked) {
        expect(byMarker.get(a.marker), a.marker).toBe(1);
        expect(rows.find((r) => r.purpose === a.marker)?.id).toBe(a.id);
      }
      // No write at all is there twice (in-flight ones may or may not have committed).
      expect([...byMarker.values()].every((n) => n === 1)).toBe(true);
      // Each stored grant committed together with its audit entry, and nothing else was audited for it.
      const audited = (await client.query<{ entity_id: string; n: number }>(
        `SELECT entity_id, count(*)::int AS n FROM audit_log WHERE action = 'agent-grant.create' AND entity_id = ANY($1) GROUP BY entity_id`,
        [rows.map((r) => r.id)])).rows;
      expect(audited.length).toBe(rows.length);
      expect(audited.every((a) => a.n === 1)).toBe(true);
    } finally {
      await client.end();
    }

    await server.stop('SIGTERM');
    server = undefined;
    const verify = await runCli(tdb.url, ['audit', 'verify']);
    expect(verify.output).toMatch(/audit chain OK/);
    expect(verify.code).toBe(0);
  }, 240_000);
});
