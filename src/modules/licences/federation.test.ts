/**
 * 互通互认 with two nodes: zj (the demo province) and sh. A licence sealed by sh verifies on zj
 * only after zj's administrator trusts sh's key, pinned by fingerprint — given as a document
 * or fetched over HTTP — and its revocation reaches zj through sh's signed status list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_COMPANY } from '../../seed/demo-identity.js';

let zj: TestApp;
let sh: TestApp;
beforeAll(async () => {
  [zj, sh] = await Promise.all([startTestApp(), startTestApp({ env: { TONGBAN_NODE_ID: 'sh' } })]);
});
afterAll(async () => {
  await Promise.all([zj?.close(), sh?.close()]);
});

const realEstate = {
  type: '不动产权证书',
  holder: { kind: 'company', id: DEMO_COMPANY.uscc },
  fields: { certificateNumber: '沪(2026)黄浦区不动产权第0001234号', owner: DEMO_COMPANY.name, location: '上海市黄浦区中山东一路1号', unitNumber: '310101001001GB00001F00010001', rightType: '国有建设用地使用权/房屋所有权', use: '商业', area: 120.5 },
  validFrom: '2026-01-01', validTo: null,
};

describe('mutual recognition between two nodes', () => {
  let shLicence: { licence: any; seal: any; id: string };
  let shKeys: { keys: any[] };

  it('gives each node its own sealing keys', async () => {
    shKeys = (await sh.call('GET', '/api/v1/trust/keys')).json();
    const zjKeys = (await zj.call('GET', '/api/v1/trust/keys')).json();
    expect(shKeys.keys.every((k) => k.nodeId === 'sh')).toBe(true);
    expect(zjKeys.keys.every((k: any) => k.nodeId === 'zj')).toBe(true);
    const zjPems = new Set(zjKeys.keys.map((k: any) => k.publicKeyPem));
    expect(shKeys.keys.some((k: any) => zjPems.has(k.publicKeyPem))).toBe(false);
  });

  it('does not recognise a licence from a node it does not trust', async () => {
    const res = await sh.call('POST', '/api/v1/licences', { as: 'issuer1', body: realEstate });
    expect(res.statusCode).toBe(201);
    shLicence = res.json();
    expect(shLicence.licence.issuer.node).toBe('sh');
    const onSh = (await sh.call('POST', '/api/v1/licences/verify', { body: { licence: shLicence.licence, seal: shLicence.seal } })).json();
    expect(onSh.valid).toBe(true);
    const onZj = (await zj.call('POST', '/api/v1/licences/verify', { body: { licence: shLicence.licence, seal: shLicence.seal } })).json();
    expect(onZj.valid).toBe(false);
    expect(onZj.reasons.join()).toMatch(/unknown here/);
  });

  it('refuses to import keys whose fingerprint was not pinned, and non-administrators', async () => {
    const wrongPin = await zj.call('POST', '/api/v1/trust/nodes', { as: 'admin', body: { nodeId: 'sh', fingerprints: ['0'.repeat(64)], keys: shKeys } });
    expect(wrongPin.statusCode).toBe(422);
    expect(wrongPin.json().error.code).toBe('KEY_INVALID');
    const fingerprint = shKeys.keys.find((k) => k.status === 'active').fingerprint;
    expect((await zj.call('POST', '/api/v1/trust/nodes', { as: 'issuer1', body: { nodeId: 'sh', fingerprints: [fingerprint], keys: shKeys } })).statusCode).toBe(403);
    const misnamed = await zj.call('POST', '/api/v1/trust/nodes', { as: 'admin', body: { nodeId: 'gd', fingerprints: [fingerprint], keys: shKeys } });
    expect(misnamed.statusCode).toBe(422);
    expect((await zj.call('GET', '/api/v1/trust/list')).json().keys).toEqual([]);
  });

  it('verifies the licence after the administrator trusts the pinned key', async () => {
    const fingerprint = shKeys.keys.find((k) => k.status === 'active').fingerprint;
    const res = await zj.call('POST', '/api/v1/trust/nodes', { as: 'admin', body: { nodeId: 'sh', fingerprints: [fingerprint], keys: shKeys } });
    expect(res.statusCode).toBe(200);
    expect(res.json().imported).toEqual([shLicence.seal.keyId]);
    const onZj = (await zj.call('POST', '/api/v1/licences/verify', { body: { licence: shLicence.licence, seal: shLicence.seal } })).json();
    expect(onZj).toMatchObject({ valid: true, status: '01', statusSource: 'not-checked' });
    expect(onZj.warnings.join()).toMatch(/status list/);
    const tampered = { ...shLicence.licence, fields: { ...shLicence.licence.fields, area: 1200.5 } };
    expect((await zj.call('POST', '/api/v1/licences/verify', { body: { licence: tampered, seal: shLicence.seal } })).json().valid).toBe(false);
  });

  it('learns of the revocation from the node\'s signed status list', async () => {
    const uscc = shLicence.licence.issuer.uscc;
    const before = (await sh.call('GET', `/api/v1/licences/status-lists/${uscc}`)).json();
    expect((await zj.call('POST', '/api/v1/trust/status-lists', { as: 'admin', body: before })).statusCode).toBe(200);
    expect((await zj.call('POST', '/api/v1/licences/verify', { body: { licence: shLicence.licence, seal: shLicence.seal } })).json())
      .toMatchObject({ valid: true, statusSource: 'status-list' });

    await sh.call('POST', `/api/v1/licences/${shLicence.id}/status`, { as: 'issuer1', body: { status: '03', reason: '登记错误，依法撤销' } });
    const after = (await sh.call('GET', `/api/v1/licences/status-lists/${uscc}`)).json();
    const forged = { list: { ...after.list, bits: before.list.bits }, seal: after.seal };
    expect((await zj.call('POST', '/api/v1/trust/status-lists', { as: 'admin', body: forged })).statusCode).toBe(422);
    expect((await zj.call('POST', '/api/v1/trust/status-lists', { as: 'admin', body: after })).statusCode).toBe(200);
    expect((await zj.call('POST', '/api/v1/trust/status-lists', { as: 'admin', body: before })).statusCode).toBe(422);
    const onZj = (await zj.call('POST', '/api/v1/licences/verify', { body: { licence: shLicence.licence, seal: shLicence.seal } })).json();
    expect(onZj).toMatchObject({ valid: false, statusSource: 'status-list' });
  });

  it('imports over HTTP from the other node\'s /api/v1/trust/keys, and follows its key revocation', async () => {
    const rotated = await sh.call('POST', '/api/v1/trust/keys/rotate', { as: 'admin', body: { reason: '年度轮换' } });
    expect(rotated.statusCode).toBe(201);
    const newKey = rotated.json();
    const address = await sh.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `${address}/api/v1/trust/keys`;
    const res = await zj.call('POST', '/api/v1/trust/nodes', { as: 'admin', body: { nodeId: 'sh', fingerprints: [newKey.fingerprint], url } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: [newKey.keyId], updated: [shLicence.seal.keyId] });
    const trusted = (await zj.call('GET', '/api/v1/trust/list')).json().keys;
    expect(trusted.find((k: any) => k.keyId === shLicence.seal.keyId).status).toBe('retired');

    const second = (await sh.call('POST', '/api/v1/licences', { as: 'issuer1', body: { ...realEstate, fields: { ...realEstate.fields, certificateNumber: '沪(2026)黄浦区不动产权第0001235号' } } })).json();
    expect(second.seal.keyId).toBe(newKey.keyId);
    expect((await zj.call('POST', '/api/v1/licences/verify', { body: { licence: second.licence, seal: second.seal } })).json().valid).toBe(true);

    await sh.call('POST', `/api/v1/trust/keys/${newKey.keyId}/revoke`, { as: 'admin', body: { reason: '私钥泄露', revokedAt: new Date(Date.parse(second.licence.issuedAt) - 1000).toISOString() } });
    await zj.call('POST', '/api/v1/trust/nodes', { as: 'admin', body: { nodeId: 'sh', fingerprints: [newKey.fingerprint], url } });
    const afterRevoke = (await zj.call('POST', '/api/v1/licences/verify', { body: { licence: second.licence, seal: second.seal } })).json();
    expect(afterRevoke.valid).toBe(false);
    expect(afterRevoke.reasons.join()).toMatch(/revoked/);

    const unreachable = await zj.call('POST', '/api/v1/trust/nodes', { as: 'admin', body: { nodeId: 'sh', fingerprints: [newKey.fingerprint], url: 'http://127.0.0.1:9/api/v1/trust/keys' } });
    expect(unreachable.statusCode).toBe(422);
  });
});
