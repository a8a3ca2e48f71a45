/**
 * Batch envelopes on their own: the shape check never throws; each member of a signed batch is
 * provable alone (member + signed header), any change to a member or to the header breaks the
 * proof; and OpenSSL 3 — an independent SM3 and SM2 — checks a stored member's proof.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { generateSm2KeyPair } from '../../platform/crypto/sm.js';
import { sm2PublicKeyToPem } from '../../platform/crypto/sm2-pem.js';
import { batchProblems, headerOf, signBatch, verifyBatchedMessage, type Message } from './batch.js';
import { requestEnvelope } from './envelope.js';

const pair = generateSm2KeyPair();
const payloadArb = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) as fc.Arbitrary<Record<string, unknown>>;
const batchOf = (members: Message[]) => signBatch({ type: 'batch', sender: 'zj', receiver: 'sh' }, members, 'zj-node-1', pair);

describe('batch shape', () => {
  it('never throws on arbitrary JSON and refuses anything that is not a batch', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const { problems } = batchProblems(value, 'batch', 64);
      expect(problems.length).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });

  it('accepts a signed batch, and refuses one with a signed member, a duplicate id, too many members or a missing digest', () => {
    const members = [requestEnvelope('zj', 'sh', 'ping', { n: 1 }), requestEnvelope('zj', 'sh', 'ping', { n: 2 })];
    const batch = batchOf(members);
    expect(batchProblems(batch, 'batch', 64)).toEqual({ problems: [], tooMany: false });
    expect(batchProblems(batch, 'batch', 1).tooMany).toBe(true);
    expect(batchProblems({ ...batch, members: [{ ...members[0], keyId: 'k', signature: '00'.repeat(8) }, members[1]] }, 'batch', 64).problems.join()).toMatch(/no keyId or signature/);
    expect(batchProblems(batchOf([members[0]!, members[0]!]), 'batch', 64).problems.join()).toMatch(/appears twice/);
    expect(batchProblems({ ...batch, digests: batch.digests.slice(1) }, 'batch', 64).problems.join()).toMatch(/one digest per member/);
    expect(batchProblems({ ...batch, extra: 1 }, 'batch', 64).problems).toContain('$.extra: unknown property');
  });
});

describe('per-message proof', () => {
  it('proves each member alone, and breaks when a member or the header changes', () => {
    fc.assert(fc.property(fc.array(payloadArb, { minLength: 1, maxLength: 6 }), fc.nat(), (payloads, pick) => {
      const members = payloads.map((p) => requestEnvelope('zj', 'sh', 'data.query', p));
      const header = headerOf(batchOf(members));
      for (const m of members) expect(verifyBatchedMessage(m, header, pair.publicKey)).toBe(true);
      const m = members[pick % members.length]!;
      expect(verifyBatchedMessage({ ...m, payload: { ...m.payload, injected: 1 } }, header, pair.publicKey)).toBe(false);
      expect(verifyBatchedMessage({ ...m, service: 'case.forward' }, header, pair.publicKey)).toBe(false);
      expect(verifyBatchedMessage(m, { ...header, timestamp: new Date(0).toISOString() }, pair.publicKey)).toBe(false);
      expect(verifyBatchedMessage(m, header, generateSm2KeyPair().publicKey)).toBe(false);
    }), { numRuns: 10 });
  });

  it('is checked by OpenSSL 3: the member\'s SM3 is in the header, and the header\'s SM2 signature verifies', () => {
    const members = [requestEnvelope('zj', 'sh', 'case.forward', { 申请人: '李四', n: 1.5 }), requestEnvelope('zj', 'sh', 'ping', {})];
    const { signature, ...signed } = headerOf(batchOf(members));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-batch-'));
    try {
      fs.writeFileSync(path.join(dir, 'member'), canonicalJson(members[0]));
      const digest = execFileSync('openssl', ['dgst', '-sm3', '-r', 'member'], { cwd: dir }).toString().split(' ')[0];
      expect(signed.digests[0]).toBe(digest);
      fs.writeFileSync(path.join(dir, 'header'), canonicalJson(signed));
      fs.writeFileSync(path.join(dir, 'sig'), Buffer.from(signature, 'hex'));
      fs.writeFileSync(path.join(dir, 'pub.pem'), sm2PublicKeyToPem(pair.publicKey));
      const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', 'header', '-sigfile', 'sig'], { cwd: dir }).toString();
      expect(out).toMatch(/Signature Verified Successfully/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
