/** Key rotation and revocation, and every kind of bad input getting its clear answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_COMPANY, DEMO_PEOPLE } from '../../seed/demo-identity.js';
import { generateSm2KeyPair, sm2Sign } from '../../platform/crypto/sm.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { residentIdCheckChar } from '../identity/resident-id.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const socialCard = (overrides: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) => ({
  type: '社会保障卡', holder: { kind: 'person', id: DEMO_PEOPLE.wangwu.residentId },
  fields: { name: '王五', socialSecurityNumber: DEMO_PEOPLE.wangwu.residentId, cardNumber: 'A33010600077', issuedOn: '2021-01-05', ...fields },
  validFrom: '2021-01-05', validTo: '2031-01-05', ...overrides,
});
const issue = async (body: unknown = socialCard()) => {
  const res = await t.call('POST', '/api/v1/licences', { as: 'issuer1', body });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
};
const verify = async (licence: unknown, seal: unknown) => (await t.call('POST', '/api/v1/licences/verify', { body: { licence, seal } })).json();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('key lifecycle', () => {
  it('rotates: the old key is retired and its licences still verify; new licences use the new key', async () => {
    const before = await issue();
    expect((await t.call('POST', '/api/v1/trust/keys/rotate', { as: 'issuer1', body: { reason: '年度轮换' } })).statusCode).toBe(403);
    const rotated = await t.call('POST', '/api/v1/trust/keys/rotate', { as: 'admin', body: { reason: '年度轮换' } });
    expect(rotated.statusCode).toBe(201);
    const keys = (await t.call('GET', '/api/v1/trust/keys')).json().keys;
    expect(keys.find((k: any) => k.keyId === before.seal.keyId)).toMatchObject({ status: 'retired', validTo: expect.any(String) });
    expect(keys.find((k: any) => k.keyId === rotated.json().keyId)).toMatchObject({ status: 'active', alg: 'SM2-SM3' });
    expect((await verify(before.licence, before.seal)).valid).toBe(true);
    const after = await issue(socialCard({}, { cardNumber: 'A33010600078' }));
    expect(after.seal.keyId).toBe(rotated.json().keyId);
    expect((await verify(after.licence, after.seal)).valid).toBe(true);
  });

  it('revokes a compromised key: seals made from revokedAt on fail, earlier ones hold', async () => {
    const early = await issue(socialCard({}, { cardNumber: 'A33010600079' }));
    await sleep(20);
    const compromisedAt = new Date();
    await sleep(20);
    const late = await issue(socialCard({}, { cardNumber: 'A33010600080' }));
    expect(late.seal.keyId).toBe(early.seal.keyId);
    const res = await t.call('POST', `/api/v1/trust/keys/${early.seal.keyId}/revoke`, { as: 'admin', body: { reason: '私钥疑似泄露', revokedAt: compromisedAt.toISOString() } });
    expect(res.json()).toMatchObject({ status: 'revoked', revokedAt: compromisedAt.toISOString() });
    expect((await verify(early.licence, early.seal)).valid).toBe(true);
    const lateCheck = await verify(late.licence, late.seal);
    expect(lateCheck.valid).toBe(false);
    expect(lateCheck.reasons.join()).toMatch(/revoked/);
    const again = await t.call('POST', `/api/v1/trust/keys/${early.seal.keyId}/revoke`, { as: 'admin', body: { reason: 'again' } });
    expect(again.json().error.code).toBe('KEY_INVALID');
    const next = await issue(socialCard({}, { cardNumber: 'A33010600081' }));
    expect(next.seal.keyId).not.toBe(early.seal.keyId);
    expect((await verify(next.licence, next.seal)).valid).toBe(true);
  });

  it('audits every key event', async () => {
    const entries = (await t.call('GET', '/api/v1/audit?entityType=node-key', { as: 'admin' })).json().items;
    expect(entries.map((e: any) => e.action).sort()).toEqual(['trust.key.revoke', 'trust.key.rotate']);
  });
});

describe('verification of bad seals', () => {
  let good: any;
  beforeAll(async () => { good = await issue(socialCard({}, { cardNumber: 'A33010600090' })); });

  it('says why: tampered field, another key, truncated, not base64, wrong algorithm, unknown key', async () => {
    const cases: [unknown, unknown, RegExp][] = [
      [{ ...good.licence, fields: { ...good.licence.fields, name: '王六' } }, good.seal, /does not match/],
      [good.licence, { ...good.seal, signature: Buffer.from(sm2Sign(canonicalJson(good.licence), generateSm2KeyPair()), 'hex').toString('base64') }, /does not match/],
      [good.licence, { ...good.seal, signature: good.seal.signature.slice(0, 40) }, /truncated or malformed/],
      [good.licence, { ...good.seal, signature: '!!not*base64!!' }, /truncated or malformed/],
      [good.licence, { ...good.seal, alg: 'RSA-SHA256' }, /not SM2-SM3/],
      [good.licence, { ...good.seal, keyId: 'gd-seal-20260101-abcdef' }, /unknown here/],
      [{ hello: 'world' }, good.seal, /not a tongban.e-licence/],
    ];
    for (const [licence, seal, reason] of cases) {
      const res = await t.call('POST', '/api/v1/licences/verify', { body: { licence, seal } });
      expect(res.statusCode).toBe(200);
      expect(res.json().valid).toBe(false);
      expect(res.json().reasons.join(' ')).toMatch(reason);
    }
    expect((await t.call('POST', '/api/v1/licences/verify', { body: { licence: 'text', seal: good.seal } })).statusCode).toBe(400);
  });

  it('refuses an expired licence with status 05', async () => {
    const old = await issue(socialCard({ validFrom: '2010-01-01', validTo: '2020-01-01' }, { cardNumber: 'A33010600091' }));
    expect(await verify(old.licence, old.seal)).toMatchObject({ valid: false, status: '05' });
  });
});

describe('bad issuing and status input', () => {
  const expectError = async (body: unknown, status: number, code: string, path?: string, as = 'issuer1') => {
    const res = await t.call('POST', '/api/v1/licences', { as, body });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    if (path) expect(res.json().error.details.map((d: any) => d.path)).toContain(path);
  };

  it('answers each with its error and issues nothing', async () => {
    const count = async () => (await t.call('GET', '/api/v1/audit?entityType=licence', { as: 'admin' })).json().items.length;
    const before = await count();
    const unknownPerson = `33010619900101123`;
    await expectError(socialCard({ holder: { kind: 'person', id: unknownPerson + residentIdCheckChar(unknownPerson) } }), 422, 'LICENCE_INVALID', '$.holder.id');
    await expectError(socialCard({ holder: { kind: 'person', id: '330106194905120019' } }), 422, 'IDENTIFIER_INVALID', '$.holder.id');
    await expectError(socialCard({ holder: { kind: 'company', id: DEMO_COMPANY.uscc } }), 422, 'LICENCE_INVALID', '$.holder.kind');
    await expectError(socialCard({ type: '11100000000013338W999' }), 422, 'LICENCE_INVALID', '$.type');
    await expectError(socialCard({}, { bloodType: 'A' }), 400, 'VALIDATION_FAILED', '$.fields.bloodType');
    await expectError(socialCard({}, { cardNumber: 'a-b' }), 400, 'VALIDATION_FAILED', '$.fields.cardNumber');
    await expectError(socialCard({ validTo: '2020-01-01' }), 400, 'VALIDATION_FAILED', '$.validTo');
    await expectError({ ...socialCard(), extra: 1 }, 400, 'VALIDATION_FAILED', '$.extra');
    await expectError(socialCard(), 403, 'FORBIDDEN', undefined, 'official1');
    await expectError(socialCard(), 403, 'FORBIDDEN', undefined, 'company1');
    expect(await count()).toBe(before);
  });

  it('lets only an issuer change a status, to a known code', async () => {
    const l = await issue(socialCard({}, { cardNumber: 'A33010600092' }));
    const change = (as: string, body: unknown) => t.call('POST', `/api/v1/licences/${l.id}/status`, { as, body });
    expect((await change('official1', { status: '02', reason: '暂扣' })).statusCode).toBe(403);
    expect((await change('company1', { status: '02', reason: '暂扣' })).statusCode).toBe(403);
    expect((await change('issuer1', { status: '08', reason: '暂扣' })).statusCode).toBe(400);
    expect((await change('issuer1', { status: '02', reason: '暂扣', version: 7 })).statusCode).toBe(409);
    expect((await change('issuer1', { status: '02', reason: '违规使用，暂扣' })).json()).toMatchObject({ status: '02', version: 2 });
    expect(await verify(l.licence, l.seal)).toMatchObject({ valid: false, status: '02' });
    expect((await change('issuer1', { status: '01', reason: '暂扣期满，恢复' })).json().status).toBe('01');
    expect((await verify(l.licence, l.seal)).valid).toBe(true);
    const detail = (await t.call('GET', `/api/v1/licences/${l.id}`, { as: 'issuer1' })).json();
    expect(detail.history.map((h: any) => `${h.from}>${h.to}`)).toEqual(['null>01', '01>02', '02>01']);
  });

  it('keeps the audit chain intact through all of the above', async () => {
    expect((await t.call('GET', '/api/v1/audit/verify', { as: 'admin' })).json()).toMatchObject({ ok: true });
  });

  it('explains an invalid identifier', async () => {
    const res = (await t.call('POST', '/api/v1/licences/identifiers/check', { body: { identifier: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V' } })).json();
    expect(res).toEqual({ valid: false, errors: ['check character is V, expected U'] });
  });
});
