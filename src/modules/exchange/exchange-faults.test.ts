/**
 * The protocol's refusals between two real nodes over loopback: each bad message gets a signed
 * error envelope (verifiable with the receiver's node key) and is logged; nothing is applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../platform/crypto/sm.js';
import { startFederation, type TestNode } from '../../../test/support/federation.js';
import { requestEnvelope, signEnvelope, verifyEnvelope, type Envelope, type UnsignedEnvelope } from './envelope.js';

let zj: TestNode;
let sh: TestNode;
let close: () => Promise<void>;
beforeAll(async () => { ({ zj, sh, close } = await startFederation()); });
afterAll(async () => { await close?.(); });

async function post(body: string, contentType = 'application/json') {
  const res = await fetch(`${sh.url}/exchange/v1/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, env: (await res.json()) as Envelope };
}
async function signedByZj(env: UnsignedEnvelope): Promise<Envelope> {
  const { keyId, pair } = await zj.platform.keys.activeKey('node');
  return signEnvelope(env, keyId, pair);
}
async function shPublicKey(): Promise<string> {
  return (await sh.platform.keys.activeKey('node')).pair.publicKey;
}
async function expectSignedRefusal(res: { status: number; env: Envelope }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.env.sender).toBe('sh');
  expect(res.env.status).toBe('error');
  expect((res.env.payload as any).error.code).toBe(code);
  expect(verifyEnvelope(res.env, await shPublicKey())).toBe(true);
  const logged = await sh.tdb.database.db.selectFrom('exchange_refusals').selectAll().where('code', '=', code).execute();
  expect(logged.length).toBeGreaterThan(0);
  const audit = await sh.services.audit.list({ entityType: 'exchange_message', limit: 500 });
  expect(audit.some((a) => a.action === 'exchange.in.refused' && (a.detail as any).code === code)).toBe(true);
}
const inboxCount = () => sh.services.exchange.inbound['repo'].countInbox(sh.tdb.database.db);

describe('a well-formed exchange', () => {
  it('describes each node publicly with its signed node keys', async () => {
    const d = await (await fetch(`${sh.url}/exchange/v1/node`)).json();
    expect(d.nodeId).toBe('sh');
    expect(d.keys.some((k: any) => k.status === 'active' && k.fingerprint.length === 64)).toBe(true);
    expect(d.services).toContain('ping');
  });

  it('answers a signed ping with a signed response, kept and chained in both audit logs', async () => {
    const { payload, response } = await zj.services.exchange.ask('sh', 'ping', { hello: '你好' });
    expect(payload).toMatchObject({ pong: true, echo: { hello: '你好' } });
    expect(verifyEnvelope(response as Envelope, await shPublicKey())).toBe(true);
    const inAudit = await sh.services.audit.list({ entityType: 'exchange_message', limit: 50 });
    expect(inAudit.some((a) => a.action === 'exchange.in.ping' && a.entity_id === `zj/${response.inReplyTo}`)).toBe(true);
    const outAudit = await zj.services.audit.list({ entityType: 'exchange_message', limit: 50 });
    expect(outAudit.some((a) => a.action === 'exchange.out.ping' && a.entity_id === `sh/${response.inReplyTo}`)).toBe(true);
    expect((await sh.services.audit.verify()).ok).toBe(true);
  });
});

describe('refusals', () => {
  it('refuses a forged signature', async () => {
    const env = await signedByZj(requestEnvelope('zj', 'sh', 'ping', { n: 1 }));
    const forged = { ...env, payload: { n: 2 } };
    await expectSignedRefusal(await post(JSON.stringify(forged)), 401, 'EXCHANGE_SIGNATURE_INVALID');
    const other = signEnvelope(requestEnvelope('zj', 'sh', 'ping', {}), env.keyId, generateSm2KeyPair());
    await expectSignedRefusal(await post(JSON.stringify(other)), 401, 'EXCHANGE_SIGNATURE_INVALID');
  });

  it('refuses an unknown sender', async () => {
    const env = signEnvelope(requestEnvelope('gd', 'sh', 'ping', {}), 'gd-node-1', generateSm2KeyPair());
    await expectSignedRefusal(await post(JSON.stringify(env)), 403, 'EXCHANGE_SENDER_UNKNOWN');
  });

  it('answers a replayed message with the original signed response and applies it once', async () => {
    const before = await inboxCount();
    const env = await signedByZj(requestEnvelope('zj', 'sh', 'ping', { once: true }));
    const first = await post(JSON.stringify(env));
    const again = await post(JSON.stringify(env));
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    expect(await inboxCount()).toBe(before + 1);
    const reused = await signedByZj({ ...requestEnvelope('zj', 'sh', 'ping', { once: false }), id: env.id });
    await expectSignedRefusal(await post(JSON.stringify(reused)), 409, 'EXCHANGE_MESSAGE_ID_REUSED');
  });

  it('refuses a timestamp outside the clock skew window, either way', async () => {
    const late = await signedByZj(requestEnvelope('zj', 'sh', 'ping', {}, undefined, new Date(Date.now() - 6 * 60_000)));
    await expectSignedRefusal(await post(JSON.stringify(late)), 422, 'EXCHANGE_CLOCK_SKEW');
    const early = await signedByZj(requestEnvelope('zj', 'sh', 'ping', {}, undefined, new Date(Date.now() + 6 * 60_000)));
    await expectSignedRefusal(await post(JSON.stringify(early)), 422, 'EXCHANGE_CLOCK_SKEW');
  });

  it('refuses a service the sender has no right to call', async () => {
    const peer = (await sh.services.exchange.trust.peer('zj'))!;
    await sh.services.exchange.trust.updatePeer('test-admin', 'zj', peer.version, { allowedServices: ['case.forward'] });
    try {
      const env = await signedByZj(requestEnvelope('zj', 'sh', 'ping', {}));
      await expectSignedRefusal(await post(JSON.stringify(env)), 403, 'EXCHANGE_SERVICE_DENIED');
    } finally {
      const now = (await sh.services.exchange.trust.peer('zj'))!;
      await sh.services.exchange.trust.updatePeer('test-admin', 'zj', now.version, { allowedServices: peer.allowed_services });
    }
  });

  it('refuses malformed envelopes and bodies that are not JSON', async () => {
    const env = await signedByZj(requestEnvelope('zj', 'sh', 'ping', {}));
    const { signature: _s, ...unsigned } = env;
    await expectSignedRefusal(await post(JSON.stringify(unsigned)), 400, 'VALIDATION_FAILED');
    await expectSignedRefusal(await post(JSON.stringify({ ...env, extra: 1 })), 400, 'VALIDATION_FAILED');
    await expectSignedRefusal(await post(JSON.stringify({ ...env, id: 'not-a-uuid' })), 400, 'VALIDATION_FAILED');
    await expectSignedRefusal(await post('{"protocol": "tongban-exchange/1",'), 400, 'VALIDATION_FAILED');
    await expectSignedRefusal(await post('[1,2,3]'), 400, 'VALIDATION_FAILED');
  });

  it('refuses an oversize payload', async () => {
    const env = await signedByZj(requestEnvelope('zj', 'sh', 'ping', { blob: 'x'.repeat(600 * 1024) }));
    await expectSignedRefusal(await post(JSON.stringify(env)), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a message addressed to another node', async () => {
    const env = await signedByZj(requestEnvelope('zj', 'gd', 'ping', {}));
    await expectSignedRefusal(await post(JSON.stringify(env)), 422, 'EXCHANGE_WRONG_RECEIVER');
  });
});

describe('key rotation', () => {
  it('keeps working across a rotation: the peer learns the endorsed key, the old one verifies during the grace period', async () => {
    const oldSigned = await signedByZj(requestEnvelope('zj', 'sh', 'ping', { before: true }));
    const rotated = await zj.services.exchange.trust.rotateOwnKey('test-admin');
    expect(rotated.previousKeyId).toBe(oldSigned.keyId);
    const { response } = await zj.services.exchange.ask('sh', 'ping', { after: true });
    expect(response.status).toBe('ok');
    const keys = await sh.services.exchange.trust.peerKeys('zj');
    expect(keys.find((k) => k.key_id === rotated.keyId)?.endorsed_by).toBe(oldSigned.keyId);
    expect((await post(JSON.stringify(oldSigned))).status).toBe(200);
    // A key that no trusted key endorsed is never learned.
    const stranger = signEnvelope(requestEnvelope('zj', 'sh', 'ping', {}), 'zj-node-unendorsed', generateSm2KeyPair());
    await expectSignedRefusal(await post(JSON.stringify(stranger)), 401, 'EXCHANGE_SIGNATURE_INVALID');
  });
});
