/**
 * The "done when" path: a licence issued by issuer1 verifies through the API, through OpenSSL
 * 3 (an independent SM2 implementation) and by QR scan; after status 03 it fails everywhere.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jsQRImport from 'jsqr';
import { PNG } from 'pngjs';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';

// jsqr is CommonJS: depending on the loader its default import is the function or a namespace holding it.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRImport as unknown as { default?: Decode }).default ?? jsQRImport) as unknown as Decode;

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongban-openssl-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const DRIVING = '11330000002482031M005';
const drivingLicence = (overrides: Record<string, unknown> = {}) => ({
  type: DRIVING,
  holder: { kind: 'person', id: DEMO_PEOPLE.lisi.residentId },
  fields: { licenceNumber: DEMO_PEOPLE.lisi.residentId, name: '李四', sex: '男', birthDate: '1986-03-15', firstIssuedOn: '2008-07-01', vehicleClass: 'C1' },
  validFrom: '2024-07-01', validTo: '2030-07-01',
  ...overrides,
});

/** OpenSSL 3 checks `message` against the base64 DER signature and the PEM key; true when it says so. */
function opensslVerifies(message: string, signatureB64: string, publicKeyPem: string): boolean {
  const name = Math.random().toString(36).slice(2);
  const [msg, sig, pub] = ['msg', 'sig', 'pem'].map((ext) => path.join(dir, `${name}.${ext}`)) as [string, string, string];
  fs.writeFileSync(msg, message, 'utf8');
  fs.writeFileSync(sig, Buffer.from(signatureB64, 'base64'));
  fs.writeFileSync(pub, publicKeyPem);
  try {
    const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', msg, '-sigfile', sig], { encoding: 'utf8', stdio: 'pipe' });
    return /Signature Verified Successfully/.test(out);
  } catch {
    return false;
  }
}

async function keyPem(keyId: string): Promise<string> {
  const keys = (await t.call('GET', '/api/v1/trust/keys')).json().keys as { keyId: string; publicKeyPem: string }[];
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) throw new Error(`key ${keyId} not published`);
  return key.publicKeyPem;
}

async function scanQr(dataUrl: string): Promise<string> {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error('QR code not readable');
  return code.data;
}

describe('a licence issued by issuer1', () => {
  let issued: { id: string; identifier: string; licence: any; seal: any };
  let qrUrl: string;

  it('is issued with a GB/T 36904 identifier and an SM2-SM3 seal', async () => {
    const res = await t.call('POST', '/api/v1/licences', { as: 'issuer1', body: drivingLicence() });
    expect(res.statusCode).toBe(201);
    issued = res.json();
    expect(issued.identifier).toMatch(/^1\.2\.156\.3005\.2\.11330000002482031M005\.11330100002548969Q\.\d{11}\.001\.[0-9A-Z]$/);
    expect(issued.licence).toMatchObject({ identifier: issued.identifier, holder: { kind: 'person', name: '李四' }, issuer: { node: 'zj', regionCode: '330100' } });
    expect(issued.seal).toMatchObject({ alg: 'SM2-SM3', keyId: expect.stringMatching(/^zj-seal-/) });
    const check = (await t.call('POST', '/api/v1/licences/identifiers/check', { body: { identifier: issued.identifier } })).json();
    expect(check.valid).toBe(true);
  });

  it('verifies through the API', async () => {
    const res = await t.call('POST', '/api/v1/licences/verify', { body: { licence: issued.licence, seal: issued.seal } });
    expect(res.json()).toMatchObject({ valid: true, status: '01', reasons: [], statusSource: 'status-list' });
  });

  it('verifies through OpenSSL 3 with the published SubjectPublicKeyInfo PEM', async () => {
    const pem = await keyPem(issued.seal.keyId);
    expect(execFileSync('openssl', ['pkey', '-pubin', '-noout', '-text'], { input: pem, encoding: 'utf8' })).toMatch(/SM2|sm2/);
    expect(opensslVerifies(canonicalJson(issued.licence), issued.seal.signature, pem)).toBe(true);
    const tampered = { ...issued.licence, fields: { ...issued.licence.fields, vehicleClass: 'A1' } };
    expect(opensslVerifies(canonicalJson(tampered), issued.seal.signature, pem)).toBe(false);
  });

  it('verifies by QR scan, showing only the fields the holder chose', async () => {
    const res = await t.call('POST', `/api/v1/licences/${issued.id}/presentations`, { as: 'citizen2', body: { fields: ['holder.name', 'vehicleClass'], ageAtLeast: 18, purpose: '租车核验' } });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.qr.svg).toContain('<svg');
    // The code opens the node's web page for the check (absolute, so a phone can follow it);
    // the same check as JSON is at `url`.
    qrUrl = await scanQr(created.qr.png);
    expect(qrUrl).toBe(created.pageUrl);
    expect(new URL(qrUrl).pathname).toBe(`/verify/licence/${created.token}`);
    expect(created.url).toBe(`/api/v1/presentations/${created.token}`);
    const scanned = await t.call('GET', created.url);
    expect(scanned.statusCode).toBe(200);
    const { presentation, seal } = scanned.json();
    expect(presentation).toMatchObject({ identifier: issued.identifier, valid: true, status: '01', disclosed: { 'holder.name': '李四', vehicleClass: 'C1', ageAtLeast18: true } });
    expect(JSON.stringify(presentation)).not.toContain(DEMO_PEOPLE.lisi.residentId);
    expect(opensslVerifies(canonicalJson(presentation), seal.signature, await keyPem(seal.keyId))).toBe(true);
  });

  it('after status 03 fails through the API, the offline status list and the QR scan', async () => {
    expect((await t.call('POST', `/api/v1/licences/${issued.id}/status`, { as: 'citizen2', body: { status: '03', reason: '以欺骗手段取得' } })).statusCode).toBe(403);
    const changed = await t.call('POST', `/api/v1/licences/${issued.id}/status`, { as: 'issuer1', body: { status: '03', reason: '以欺骗手段取得' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ status: '03' });

    const api = (await t.call('POST', '/api/v1/licences/verify', { body: { licence: issued.licence, seal: issued.seal } })).json();
    expect(api).toMatchObject({ valid: false, status: '03' });
    expect(api.reasons.join()).toContain('03');

    // Offline: the signed status list, checked by OpenSSL, has the licence's bit set.
    const { list, seal } = (await t.call('GET', `/api/v1/licences/status-lists/${issued.licence.issuer.uscc}`)).json();
    expect(opensslVerifies(canonicalJson(list), seal.signature, await keyPem(seal.keyId))).toBe(true);
    const bits = gunzipSync(Buffer.from(list.bits, 'base64'));
    const index = issued.licence.status.index as number;
    expect(bits[index >> 3]! & (0x80 >> (index & 7))).not.toBe(0);

    const scanned = (await t.call('GET', `/api/v1/presentations/${new URL(qrUrl).pathname.split('/').pop()}`)).json();
    expect(scanned.presentation).toMatchObject({ valid: false, status: '03' });
    const again = await t.call('POST', `/api/v1/licences/${issued.id}/presentations`, { as: 'citizen2', body: { fields: [], purpose: '再次亮证' } });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('LICENCE_INVALID');

    const detail = (await t.call('GET', `/api/v1/licences/${issued.id}`, { as: 'citizen2' })).json();
    expect(detail.history.map((h: any) => h.to)).toEqual(['01', '03']);
    const terminal = await t.call('POST', `/api/v1/licences/${issued.id}/status`, { as: 'issuer1', body: { status: '01', reason: '恢复' } });
    expect(terminal.json().error.code).toBe('INVALID_TRANSITION');
  });
});

describe('demo licences and the wallet', () => {
  it('lists the demo licences in citizen1\'s and company1\'s wallets, all verifying', async () => {
    const mine = (await t.call('GET', '/api/v1/me/licences', { as: 'citizen1' })).json().items;
    expect(mine.map((i: any) => i.typeName).sort()).toEqual(['机动车驾驶证', '社会保障卡'].sort());
    const company = (await t.call('GET', '/api/v1/me/licences', { as: 'company1' })).json().items;
    expect(company.map((i: any) => i.typeName)).toEqual(expect.arrayContaining(['营业执照', '食品经营许可证']));
    const byName = (await t.call('GET', `/api/v1/me/licences?type=${encodeURIComponent('社会保障卡')}`, { as: 'citizen1' })).json().items;
    expect(byName.map((i: any) => i.typeName)).toEqual(['社会保障卡']);
    for (const item of mine) {
      const { licence, seal } = (await t.call('GET', `/api/v1/licences/${item.id}`, { as: 'citizen1' })).json();
      expect(licence.issuer.name).toBe('杭州市数据资源管理局');
      expect((await t.call('POST', '/api/v1/licences/verify', { body: { licence, seal } })).json().valid).toBe(true);
    }
  });

  it('hides a licence from other people (404) and asks for a token (401)', async () => {
    const [item] = (await t.call('GET', '/api/v1/me/licences', { as: 'citizen1' })).json().items;
    expect((await t.call('GET', `/api/v1/licences/${item.id}`, { as: 'citizen2' })).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/licences/${item.id}`, { as: 'official2' })).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/licences/${item.id}`)).statusCode).toBe(401);
  });

  it('publishes the licence types with a JSON Schema each (at least seven)', async () => {
    const items = (await t.call('GET', '/api/v1/licences/types')).json().items;
    expect(items.map((i: any) => i.name)).toEqual(expect.arrayContaining(['营业执照', '食品经营许可证', '出生医学证明', '结婚证', '机动车驾驶证', '不动产权证书', '社会保障卡']));
    for (const i of items) expect(i.fields).toMatchObject({ type: 'object', additionalProperties: false });
  });

  it('still finds a licence sealed under a type\'s former code, by type and for materials', async () => {
    const [card] = (await t.call('GET', `/api/v1/me/licences?type=${encodeURIComponent('社会保障卡')}`, { as: 'citizen1' })).json().items;
    const type = (await t.call('GET', '/api/v1/licences/types')).json().items.find((i: any) => i.name === '社会保障卡');
    expect(type.formerCodes).toEqual(['11100000000013338W007']);
    // A row as the first release wrote it: the code it was sealed with is kept, never rewritten.
    await t.platform.database.db.updateTable('licences').set({ type_code: type.formerCodes[0] }).where('id', '=', card.id).execute();
    for (const q of ['社会保障卡', type.code, type.formerCodes[0]]) {
      const found = (await t.call('GET', `/api/v1/me/licences?type=${encodeURIComponent(q)}`, { as: 'citizen1' })).json().items;
      expect(found.map((i: any) => [i.id, i.type])).toEqual([[card.id, type.formerCodes[0]]]);
    }
    const user = await t.services.identity.userByUsername('citizen1');
    const usable = await t.services.licences.licences.validLicencesOf({ personId: user!.personId! }, '社会保障卡');
    expect(usable.map((l) => l.id)).toEqual([card.id]);
  });
});
