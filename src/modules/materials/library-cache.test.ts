/**
 * Library entries are kept in memory for the applications that reuse them; one changed or
 * removed outside this process's code (another process, an operator's SQL) is not used again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { CHANGES_CHANNEL } from '../../platform/db/change-feed.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  const feed = t.platform.database.listen!(CHANGES_CHANNEL);
  for (let i = 0; i < 200 && !feed.live; i++) await new Promise((r) => setTimeout(r, 25));
});
afterAll(async () => { await t.close(); });

let key = 0;
const apply = (idCard: string, address: string) => t.call('POST', '/api/v1/applications', {
  as: 'citizen1', headers: { 'idempotency-key': `library-cache-${Date.now()}-${++key}` },
  body: { matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: '黄浦区社保中心' }, materials: [{ key: 'id-card', materialId: idCard }, { key: 'address', materialId: address }] },
});

describe('library entries in memory', () => {
  it('an entry removed or handed to someone else behind the application\'s back is refused on the next application', async () => {
    const lib = (await t.call('GET', '/api/v1/materials', { as: 'citizen1' })).json().items as Array<{ id: string; materialType: string }>;
    const idCard = lib.find((m) => m.materialType === 'id-card-scan')!.id;
    const address = lib.find((m) => m.materialType === 'form-address')!.id;
    expect((await apply(idCard, address)).statusCode).toBe(201);
    expect((await apply(idCard, address)).statusCode).toBe(201); // now from memory

    const feed = t.platform.database.listen!(CHANGES_CHANNEL);
    const moved = feed.waitFor(`material:${idCard}`, 5000);
    await sql`UPDATE materials SET owner_person_id = (SELECT person_id FROM users WHERE username = 'citizen2') WHERE id = ${idCard}`.execute(t.platform.database.db);
    expect(await moved).toBe(true);
    const refused = await apply(idCard, address);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.details[0].key).toBe('id-card');

    const removed = feed.waitFor(`material:${address}`, 5000);
    await sql`DELETE FROM materials WHERE id = ${address}`.execute(t.platform.database.db);
    expect(await removed).toBe(true);
    expect((await apply(idCard, address)).statusCode).toBe(404);
  });
});
