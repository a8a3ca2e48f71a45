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
});
