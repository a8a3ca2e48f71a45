/** The material library: content addressing, type and size checks, ownership, on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { demoPng } from '../../seed/demo-materials.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const upload = (as: string, body: object) => t.call('POST', '/api/v1/materials', { as, body });

describe('material library', () => {
  it('stores a file once under its SM3 hash: the same content twice is one entry', async () => {
    const png = demoPng(123);
    const body = { materialType: 'id-photo', title: '证件照', producedOn: '2026-01-10', contentBase64: png.toString('base64') };
    const a = await upload('citizen2', body);
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ contentHash: sm3Hex(png), mediaType: 'image/png', sizeBytes: png.length, producedOn: '2026-01-10' });
    const b = await upload('citizen2', body);
    expect(b.json().id).toBe(a.json().id);
    const content = await t.call('GET', `/api/v1/materials/${a.json().id}/content`, { as: 'citizen2' });
    expect(content.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(content.rawPayload, png)).toBe(0);
    const blobs = await t.tdb.database.db.selectFrom('material_blobs').select('hash').where('hash', '=', sm3Hex(png)).execute();
    expect(blobs).toHaveLength(1);
  });

  it('hashes form data canonically, whatever the key order', async () => {
    const a = await upload('citizen2', { materialType: 'form-address', title: '地址', data: { city: '上海市', district: '黄浦区' } });
    const b = await upload('citizen2', { materialType: 'form-address', title: '地址', data: { district: '黄浦区', city: '上海市' } });
    expect(a.json().contentHash).toBe(sm3Hex(canonicalJson({ city: '上海市', district: '黄浦区' })));
    expect(b.json().id).toBe(a.json().id);
  });

  it('refuses a non-image as a photo, whatever it claims, and changes nothing', async () => {
    const before = (await t.call('GET', '/api/v1/materials', { as: 'citizen2' })).json().items.length;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF');
    const res = await upload('citizen2', { materialType: 'id-photo', title: 'photo.jpg', contentBase64: pdf.toString('base64') });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('MATERIAL_INVALID');
    const text = await upload('citizen2', { materialType: 'id-card-scan', title: 'scan.png', contentBase64: Buffer.from('hello').toString('base64') });
    expect(text.json().error.code).toBe('MATERIAL_INVALID');
    expect((await t.call('GET', '/api/v1/materials', { as: 'citizen2' })).json().items.length).toBe(before);
  });

  it('refuses a file larger than its kind allows with 413', async () => {
    const big = Buffer.concat([demoPng(1), Buffer.alloc(2 * 1_048_576)]);
    const res = await upload('citizen2', { materialType: 'id-photo', title: 'big', contentBase64: big.toString('base64') });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toMatch(/at most 2048 KB/);
  });

  it('refuses unknown types, future dates, and a file where form data belongs', async () => {
    expect((await upload('citizen2', { materialType: 'nope', title: 'x', contentBase64: 'AA==' })).statusCode).toBe(400);
    expect((await upload('citizen2', { materialType: 'id-photo', title: 'x', producedOn: '2999-01-01', contentBase64: demoPng(5).toString('base64') })).statusCode).toBe(400);
    expect((await upload('citizen2', { materialType: 'form-address', title: 'x', contentBase64: 'AA==' })).statusCode).toBe(400);
  });

  it('keeps each library private: another person gets 404', async () => {
    const mine = (await t.call('GET', '/api/v1/materials', { as: 'citizen1' })).json().items[0];
    expect((await t.call('GET', `/api/v1/materials/${mine.id}`, { as: 'citizen2' })).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/materials/${mine.id}/content`, { as: 'official1' })).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/materials')).statusCode).toBe(401);
  });

  it('lists the person\'s own usable e-licences from the wallet (wired in app.ts)', async () => {
    const mine = (await t.call('GET', '/api/v1/materials/licences', { as: 'citizen1' })).json();
    expect(mine.available).toBe(true);
    expect(mine.items.map((l: { typeName: string }) => l.typeName).sort()).toEqual(['机动车驾驶证', '社会保障卡']);
    expect((await t.call('GET', '/api/v1/materials/licences', { as: 'citizen2' })).json().items).toEqual([]);
  });

  it('a relative uploads into the person\'s library under a 代办 grant, only for a matter the grant covers', async () => {
    const zhangId = (await t.call('GET', '/api/v1/me', { as: 'citizen1' })).json().person.id;
    const grant = (await t.call('POST', '/api/v1/me/agent-grants', {
      as: 'citizen1', body: { granteeUsername: 'citizen2', relationship: '女儿', matters: ['330106-SB-001'], purpose: '代办社保转移', expiresAt: new Date(Date.now() + 7 * 86400_000).toISOString(), consent: true },
    })).json();
    const photo = (seed: number) => ({ materialType: 'id-card-scan', title: '身份证扫描件（代传）', contentBase64: demoPng(seed).toString('base64') });
    const libraryOf = async (as: string) => (await t.call('GET', '/api/v1/materials', { as })).json().items.map((m: { id: string }) => m.id);
    const before = { zhang: await libraryOf('citizen1'), li: await libraryOf('citizen2') };

    const uploaded = await upload('citizen2', { ...photo(801), onBehalfOf: zhangId, matterCode: '330106-SB-001' });
    expect(uploaded.statusCode).toBe(201);
    expect(await libraryOf('citizen1')).toContain(uploaded.json().id);
    expect(await libraryOf('citizen2')).toEqual(before.li);
    const row = await t.tdb.database.db.selectFrom('materials').select(['owner_person_id', 'uploaded_by']).where('id', '=', uploaded.json().id).executeTakeFirstOrThrow();
    const liUserId = (await t.call('GET', '/api/v1/me', { as: 'citizen2' })).json().user.id;
    expect(row).toEqual({ owner_person_id: zhangId, uploaded_by: liUserId });

    // Outside the grant: another matter, no matter named, someone with no grant, after revocation.
    expect((await upload('citizen2', { ...photo(802), onBehalfOf: zhangId, matterCode: '330106-HJ-001' })).statusCode).toBe(404);
    expect((await upload('citizen2', { ...photo(803), onBehalfOf: zhangId })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await upload('official1', { ...photo(804), onBehalfOf: zhangId, matterCode: '330106-SB-001' })).statusCode).toBe(404);
    await t.call('POST', `/api/v1/me/agent-grants/${grant.id}/revoke`, { as: 'citizen1', body: { version: grant.version } });
    expect((await upload('citizen2', { ...photo(805), onBehalfOf: zhangId, matterCode: '330106-SB-001' })).statusCode).toBe(404);
    expect(await libraryOf('citizen1')).toEqual([uploaded.json().id, ...before.zhang]);
  });
});
