/**
 * Submissions arriving together are filed together (one statement, one commit), yet each gets
 * its own answer: a key reused for another request is refused alone, a retry gets its
 * application back, and every filed application has its timeline entry and audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const submit = (body: object, key: string) =>
  t.call('POST', '/api/v1/applications', { as: 'citizen1', body, headers: { 'idempotency-key': key } });

describe('concurrent submissions', () => {
  it('each gets its own answer, and a failing one takes none of the others with it', async () => {
    const lib = (await t.call('GET', '/api/v1/materials', { as: 'citizen1' })).json().items as Array<{ id: string; materialType: string }>;
    const transfer = (agency: string) => ({
      matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: agency },
      materials: [{ key: 'id-card', materialId: lib.find((m) => m.materialType === 'id-card-scan')!.id }, { key: 'address', materialId: lib.find((m) => m.materialType === 'form-address')!.id }],
    });
    const run = Date.now();
    const earlier = await submit(transfer('先前'), `batch-earlier-${run}`);
    expect(earlier.statusCode).toBe(201);

    const requests = [
      ...Array.from({ length: 8 }, (_, i) => ({ body: transfer(`机构${i}`), key: `batch-fresh-${run}-${i}` })),
      { body: transfer('另一个请求'), key: `batch-earlier-${run}` }, // the key, reused for another request
      { body: transfer('先前'), key: `batch-earlier-${run}` }, // a retry of the earlier one
      { body: transfer('同时'), key: `batch-twin-${run}` }, // the same request twice at once
      { body: transfer('同时'), key: `batch-twin-${run}` },
    ];
    const answers = await Promise.all(requests.map((r) => submit(r.body, r.key)));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(201));
    expect(statuses[8]).toBe(409);
    expect(statuses[9]).toBe(200);
    expect(answers[9]!.json().application.id).toBe(earlier.json().application.id);
    expect(statuses.slice(10).sort()).toEqual([200, 201]);
    expect(answers[10]!.json().application.id).toBe(answers[11]!.json().application.id);

    // Each filed application answers with its own form and its one timeline entry ...
    const filed = [...answers.slice(0, 8), answers.find((a, i) => i >= 10 && a.statusCode === 201)!].map((a) => a.json().application);
    expect(new Set(filed.map((a) => a.id)).size).toBe(9);
    filed.slice(0, 8).forEach((a, i) => {
      expect(a.form.fromAgency).toBe(`机构${i}`);
      expect(a.timeline.map((e: { action: string }) => e.action)).toEqual(['submit']);
      expect(a.status).toBe('submitted');
    });
    // ... is stored sealed, has exactly one audit entry, and reads back as answered.
    const db = t.platform.database.db;
    const ids = filed.map((a) => a.id);
    const stored = (await sql<{ id: string; form: unknown; form_sealed: string | null; events: number; audits: number }>`
      SELECT a.id, a.form, a.form_sealed,
        (SELECT count(*)::int FROM application_events e WHERE e.application_id = a.id) AS events,
        (SELECT count(*)::int FROM audit_log l WHERE l.entity_id = a.id::text AND l.action = 'application.submit') AS audits
      FROM applications a WHERE a.id = ANY(${ids}::uuid[])`.execute(db)).rows;
    expect(stored).toHaveLength(9);
    for (const s of stored) {
      expect(s.form).toEqual({});
      expect(s.form_sealed).toBeTruthy();
      expect([s.events, s.audits]).toEqual([1, 1]);
    }
    const again = (await t.call('GET', `/api/v1/applications/${filed[3]!.id}`, { as: 'citizen1' })).json();
    expect(again.form.fromAgency).toBe('机构3');
    expect(again.createdAt).toBe(filed[3]!.createdAt);
    // Nothing was filed under the refused request; the twins are one application.
    const keyed = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM applications WHERE idempotency_key IN (${`batch-earlier-${run}`}, ${`batch-twin-${run}`})`.execute(db)).rows[0]!.n;
    expect(keyed).toBe(2);
  });
});
