/**
 * Batch envelopes between two real nodes over loopback (and a third that predates batches):
 * concurrent messages to one peer travel together under one signature, each one stays provable
 * on its own afterwards, and every bad batch or bad member gets a signed refusal, is logged, and
 * is never applied — nor is anything applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../platform/crypto/sm.js';
import { startFederation, startNode, trust, type TestNode } from '../../../test/support/federation.js';
import { headerOf, signBatch, verifyBatchedMessage, type Batch, type Message } from './batch.js';
import { requestEnvelope, verifyEnvelope, type Envelope } from './envelope.js';
import type { BatchHeader } from './batch.js';

let zj: TestNode;
let sh: TestNode;
let close: () => Promise<void>;
beforeAll(async () => { ({ zj, sh, close } = await startFederation()); });
afterAll(async () => { await close?.(); });

const publicKey = async (n: TestNode) => (await n.platform.keys.activeKey('node')).pair.publicKey;
async function batchByZj(members: Message[], over: Partial<{ receiver: string }> = {}): Promise<Batch> {
  const { keyId, pair } = await zj.platform.keys.activeKey('node');
  return signBatch({ type: 'batch', sender: 'zj', receiver: over.receiver ?? 'sh' }, members, keyId, pair);
}
async function post(body: unknown) {
  const res = await fetch(`${sh.url}/exchange/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() as Batch & Envelope };
}
const ping = (payload: Record<string, unknown>) => requestEnvelope('zj', 'sh', 'ping', payload);
const inboxCount = () => sh.services.exchange.inbound['repo'].countInbox(sh.tdb.database.db);
const errorCode = (m: Message) => (m.payload as { error?: { code: string } }).error?.code;

/** A verified batch response: signed by sh, each member in its digest list. */
async function expectBatchAnswer(res: { status: number; body: Batch }, members: number): Promise<Message[]> {
  expect(res.status).toBe(200);
  expect(res.body.type).toBe('batch-response');
  expect(res.body.members).toHaveLength(members);
  const header = headerOf(res.body);
  for (const m of res.body.members) expect(verifyBatchedMessage(m, header, await publicKey(sh))).toBe(true);
  return res.body.members;
}
async function expectSignedRefusal(res: { status: number; body: Envelope }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body.status).toBe('error');
  expect(errorCode(res.body)).toBe(code);
  expect(verifyEnvelope(res.body, await publicKey(sh))).toBe(true);
  const logged = await sh.tdb.database.db.selectFrom('exchange_refusals').select('code').where('code', '=', code).execute();
  expect(logged.length).toBeGreaterThan(0);
}

describe('batches between two nodes', () => {
  it('advertises batches in the signed node description', async () => {
    const d = await (await fetch(`${sh.url}/exchange/v1/node`)).json();
    expect(d.batch).toEqual({ maxMessages: 256, maxBytes: 4 * 1024 * 1024 });
    expect((await zj.services.exchange.trust.peer('sh'))?.batch_max_messages).toBe(256);
  });

  it('sends concurrent asks together, and keeps each message provable on its own at both ends', async () => {
    const before = await inboxCount();
    const answers = await Promise.all(Array.from({ length: 24 }, (_, n) => zj.services.exchange.ask('sh', 'ping', { n })));
    answers.forEach(({ payload }, n) => expect(payload).toEqual({ pong: true, echo: { n } }));
    expect(await inboxCount()).toBe(before + 24);
    const inbox = await sh.tdb.database.db.selectFrom('exchange_inbox').selectAll().where('batch_id', 'is not', null).execute();
    const batches = new Set(inbox.map((r) => r.batch_id));
    expect(batches.size).toBeGreaterThan(0);
    expect(batches.size).toBeLessThan(24);
    // A third party's check at sh: the stored request + the stored signed batch header, with zj's key.
    for (const row of inbox) {
      const batch = await sh.tdb.database.db.selectFrom('exchange_batches').selectAll().where('direction', '=', 'in').where('batch_id', '=', row.batch_id).executeTakeFirstOrThrow();
      expect(verifyBatchedMessage(row.request as Message, batch.request as BatchHeader, await publicKey(zj))).toBe(true);
      expect(verifyBatchedMessage(row.response as Message, batch.response as BatchHeader, await publicKey(sh))).toBe(true);
    }
    // … and at zj: the answer it keeps is provably sh's.
    const sent = await zj.tdb.database.db.selectFrom('exchange_outbox').selectAll().where('batch_id', 'is not', null).execute();
    expect(sent.length).toBeGreaterThan(0);
    for (const row of sent) {
      const batch = await zj.tdb.database.db.selectFrom('exchange_batches').selectAll().where('direction', '=', 'out').where('batch_id', '=', row.batch_id).executeTakeFirstOrThrow();
      expect(verifyBatchedMessage(row.response as Message, batch.response as BatchHeader, await publicKey(sh))).toBe(true);
    }
    const audit = await sh.services.audit.list({ entityType: 'exchange_batch', limit: 100 });
    expect(audit.filter((a) => a.action === 'exchange.in.batch').length).toBe(batches.size);
    const sentAudit = await zj.services.audit.list({ entityType: 'exchange_batch', limit: 100 });
    expect(sentAudit.filter((a) => a.action === 'exchange.out.batch').length).toBe(new Set(sent.map((r) => r.batch_id)).size);
    for (const node of [sh, zj]) {
      while ((await node.services.audit.chainPending()) > 0);
      expect((await node.services.audit.verify()).ok).toBe(true);
    }
  });
});

describe('a batch larger than the peer takes', () => {
  it('falls back to single envelopes when the peer answers 413, and every message still arrives once', async () => {
    const settings = zj.services.exchange.settings;
    const own = settings.maxBatchBytes;
    await zj.tdb.database.db.updateTable('exchange_peers').set({ batch_max_bytes: 64 * 1024 * 1024 }).where('node_id', '=', 'sh').execute();
    zj.services.exchange.trust['cache'].delete('sh');
    settings.maxBatchBytes = 64 * 1024 * 1024; // this node's estimate now lets a batch outgrow sh's 4 MiB
    try {
      const before = await inboxCount();
      const blob = '数'.repeat(100 * 1024); // 300 KiB as UTF-8, under the 512 KiB of a single envelope
      const answers = await Promise.all(Array.from({ length: 16 }, (_, n) => zj.services.exchange.ask('sh', 'ping', { n, blob })));
      expect(answers.map((a) => (a.payload.echo as { n: number }).n)).toEqual(Array.from({ length: 16 }, (_, n) => n));
      expect(await inboxCount()).toBe(before + 16);
      const refused = await sh.tdb.database.db.selectFrom('exchange_refusals').select('code').where('code', '=', 'PAYLOAD_TOO_LARGE').execute();
      expect(refused.length).toBeGreaterThan(0); // the oversize batch was refused (signed, logged) before the fallback
    } finally {
      settings.maxBatchBytes = own;
      await zj.tdb.database.db.updateTable('exchange_peers').set({ batch_max_bytes: own }).where('node_id', '=', 'sh').execute();
      zj.services.exchange.trust['cache'].delete('sh');
    }
  });
});

describe('refusals of batches and members', () => {
  it('refuses a forged batch signature as a whole, applying nothing', async () => {
    const before = await inboxCount();
    const batch = await batchByZj([ping({ n: 1 }), ping({ n: 2 })]);
    await expectSignedRefusal(await post({ ...batch, timestamp: new Date(Date.now() - 1000).toISOString() }), 401, 'EXCHANGE_SIGNATURE_INVALID');
    const stranger = signBatch({ type: 'batch', sender: 'zj', receiver: 'sh' }, batch.members, batch.keyId, generateSm2KeyPair());
    await expectSignedRefusal(await post(stranger), 401, 'EXCHANGE_SIGNATURE_INVALID');
    expect(await inboxCount()).toBe(before);
  });

  it('refuses a member that does not belong to its batch, and handles the others', async () => {
    const strayed = requestEnvelope('gd', 'sh', 'ping', { stray: true });
    const elsewhere = requestEnvelope('zj', 'gd', 'ping', { elsewhere: true });
    const good = ping({ good: true });
    const batch = await batchByZj([strayed, good, elsewhere]);
    const before = await inboxCount();
    const [a, b, c] = await expectBatchAnswer(await post(batch), 3);
    expect(errorCode(a!)).toBe('EXCHANGE_BATCH_MEMBER_INVALID');
    expect(b!.status).toBe('ok');
    expect(errorCode(c!)).toBe('EXCHANGE_BATCH_MEMBER_INVALID');
    expect(await inboxCount()).toBe(before + 1);
    // A member swapped after signing is not covered by the signature.
    const swapped = await batchByZj([ping({ n: 1 }), ping({ n: 2 })]);
    swapped.members[1] = ping({ n: 3 });
    const [, d] = await expectBatchAnswer(await post(swapped), 2);
    expect(errorCode(d!)).toBe('EXCHANGE_BATCH_MEMBER_INVALID');
    const refusals = await sh.services.audit.list({ entityType: 'exchange_message', limit: 200 });
    // Logged under the node whose signature the batch carries, whatever the stray member claims.
    expect(refusals.some((r) => r.action === 'exchange.in.refused' && r.entity_id === `zj/${strayed.id}` && (r.detail as any).code === 'EXCHANGE_BATCH_MEMBER_INVALID')).toBe(true);
  });

  it('answers a replayed member inside a new batch with its original response, applied once', async () => {
    const first = ping({ once: true });
    const [original] = await expectBatchAnswer(await post(await batchByZj([first, ping({ other: 1 })])), 2);
    const before = await inboxCount();
    const retry = { ...first, timestamp: new Date().toISOString() }; // a retry: same id and content, fresh timestamp
    const [again, fresh] = await expectBatchAnswer(await post(await batchByZj([retry, ping({ other: 2 })])), 2);
    expect(again).toEqual(original);
    expect(fresh!.status).toBe('ok');
    expect(await inboxCount()).toBe(before + 1);
    // Reusing the id for other content is refused; sent alone, the original comes back signed on its own.
    const [reused] = await expectBatchAnswer(await post(await batchByZj([{ ...first, payload: { once: false } }])), 1);
    expect(errorCode(reused!)).toBe('EXCHANGE_MESSAGE_ID_REUSED');
    const { keyId, pair } = await zj.platform.keys.activeKey('node');
    const { signEnvelope } = await import('./envelope.js');
    const alone = await fetch(`${sh.url}/exchange/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signEnvelope(first, keyId, pair)) });
    const signed = await alone.json() as Envelope;
    expect(signed).toMatchObject({ id: original!.id, timestamp: original!.timestamp, payload: original!.payload });
    expect(verifyEnvelope(signed, await publicKey(sh))).toBe(true);
    expect(await inboxCount()).toBe(before + 1);
  });

  it('refuses only the member for a service the sender may not call', async () => {
    const peer = (await sh.services.exchange.trust.peer('zj'))!;
    await sh.services.exchange.trust.updatePeer('test-admin', 'zj', peer.version, { allowedServices: ['ping'] });
    try {
      const denied = requestEnvelope('zj', 'sh', 'case.status', { caseId: '00000000-0000-4000-8000-000000000000' });
      const missing = requestEnvelope('zj', 'sh', 'no.such-service', {});
      const [a, b, c] = await expectBatchAnswer(await post(await batchByZj([denied, ping({ allowed: true }), missing])), 3);
      expect(errorCode(a!)).toBe('EXCHANGE_SERVICE_DENIED');
      expect(b!.status).toBe('ok');
      expect(errorCode(c!)).toBe('NOT_FOUND');
      const logged = await sh.tdb.database.db.selectFrom('exchange_refusals').select(['code', 'batch_id']).where('message_id', '=', denied.id).executeTakeFirstOrThrow();
      expect(logged.code).toBe('EXCHANGE_SERVICE_DENIED');
      expect(logged.batch_id).not.toBeNull();
    } finally {
      const now = (await sh.services.exchange.trust.peer('zj'))!;
      await sh.services.exchange.trust.updatePeer('test-admin', 'zj', now.version, { allowedServices: peer.allowed_services });
    }
  });

  it('refuses malformed, misaddressed and oversize batches as a whole', async () => {
    const before = await inboxCount();
    const batch = await batchByZj([ping({ n: 1 }), ping({ n: 2 })]);
    await expectSignedRefusal(await post({ ...batch, digests: batch.digests.slice(1) }), 400, 'VALIDATION_FAILED');
    await expectSignedRefusal(await post({ ...batch, members: [batch.members[0], batch.members[0]] }), 400, 'VALIDATION_FAILED');
    await expectSignedRefusal(await post('{"protocol": "tongban-exchange/1", "type":'), 400, 'VALIDATION_FAILED');
    await expectSignedRefusal(await post(await batchByZj([ping({ n: 1 }), ping({ n: 2 })], { receiver: 'gd' })), 422, 'EXCHANGE_WRONG_RECEIVER');
    await expectSignedRefusal(await post(await batchByZj(Array.from({ length: sh.services.exchange.settings.maxBatchMessages + 1 }, (_, n) => ping({ n })))), 413, 'PAYLOAD_TOO_LARGE');
    await expectSignedRefusal(await post(await batchByZj([ping({ blob: 'x'.repeat(4 * 1024 * 1024) }), ping({})])), 413, 'PAYLOAD_TOO_LARGE');
    expect(await inboxCount()).toBe(before);
  });
});

describe('a peer that predates batches', () => {
  let gd: TestNode;
  beforeAll(async () => {
    gd = await startNode('gd', { acceptBatches: false });
    await trust(zj, gd);
    await trust(gd, zj);
  });
  afterAll(async () => { await gd?.close(); });

  it('gets single envelopes, also after claiming batches it then cannot take', async () => {
    expect((await zj.services.exchange.trust.peer('gd'))?.batch_max_messages).toBeNull();
    const first = await Promise.all(Array.from({ length: 10 }, (_, n) => zj.services.exchange.ask('gd', 'ping', { n })));
    expect(first.every((a) => a.payload.pong === true)).toBe(true);
    // Its description claimed batches, but its endpoint is not there (a downgrade): zj falls back.
    await zj.tdb.database.db.updateTable('exchange_peers').set({ batch_max_messages: 64, batch_max_bytes: 1 << 20 }).where('node_id', '=', 'gd').execute();
    zj.services.exchange.trust['cache'].delete('gd');
    const second = await Promise.all(Array.from({ length: 10 }, (_, n) => zj.services.exchange.ask('gd', 'ping', { n })));
    expect(second.every((a) => a.payload.pong === true)).toBe(true);
    const rows = await gd.tdb.database.db.selectFrom('exchange_inbox').select('batch_id').where('sender', '=', 'zj').execute();
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.batch_id === null)).toBe(true);
  });
});
