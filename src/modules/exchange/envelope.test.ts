/**
 * The envelope on its own: shape checking never throws and accepts exactly well-formed requests;
 * any signed envelope verifies, and any change to a signed member breaks it; OpenSSL 3, as an
 * independent SM2 implementation, verifies the signature over the RFC 8785 text.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../platform/crypto/sm.js';
import { sm2PublicKeyToPem } from '../../platform/crypto/sm2-pem.js';
import { contentHash, keyFingerprint, normaliseFingerprint, requestEnvelope, signEnvelope, signingInput, verifyEnvelope } from './envelope.js';
import { envelopeProblems } from './inbound.js';

const pair = generateSm2KeyPair();
const payloadArb = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) as fc.Arbitrary<Record<string, unknown>>;

describe('envelope shape', () => {
  it('never throws on arbitrary JSON and refuses anything that is not an envelope', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const problems = envelopeProblems(value);
      expect(Array.isArray(problems)).toBe(true);
      expect(problems.length).toBeGreaterThan(0);
    }), { numRuns: 500 });
  });

  it('accepts every signed request envelope and names each unknown member', () => {
    fc.assert(fc.property(payloadArb, fc.constantFrom('ping', 'case.forward', 'data.query'), (payload, service) => {
      const env = signEnvelope(requestEnvelope('zj', 'sh', service, payload), 'zj-node-1', pair);
      expect(envelopeProblems(env)).toEqual([]);
      expect(envelopeProblems({ ...env, extra: true })).toContain('$.extra: unknown property');
    }), { numRuns: 30 });
  });
});

describe('signatures', () => {
  it('verify for any payload and break when any signed member changes', () => {
    fc.assert(fc.property(payloadArb, fc.constantFrom('id', 'sender', 'receiver', 'service', 'timestamp', 'keyId'), (payload, member) => {
      const env = signEnvelope(requestEnvelope('zj', 'sh', 'ping', payload), 'zj-node-1', pair);
      expect(verifyEnvelope(env, pair.publicKey)).toBe(true);
      const changed = { ...env, [member]: member === 'timestamp' ? new Date(0).toISOString() : `${(env as any)[member]}x` };
      expect(verifyEnvelope(changed, pair.publicKey)).toBe(false);
      expect(verifyEnvelope({ ...env, payload: { ...payload, injected: 1 } }, pair.publicKey)).toBe(false);
    }), { numRuns: 20 });
  });

  it('treats a retry (new timestamp and signature, same id and payload) as the same message', () => {
    const first = requestEnvelope('zj', 'sh', 'ping', { a: 1 });
    const retry = { ...first, timestamp: new Date(Date.now() + 60_000).toISOString() };
    expect(contentHash(signEnvelope(first, 'k1', pair))).toBe(contentHash(signEnvelope(retry, 'k2', pair)));
    expect(contentHash(signEnvelope({ ...first, payload: { a: 2 } }, 'k1', pair))).not.toBe(contentHash(signEnvelope(first, 'k1', pair)));
  });

  it('is verified by OpenSSL 3 over the canonical text (an independent SM2 implementation)', () => {
    const env = signEnvelope(requestEnvelope('zj', 'sh', 'case.forward', { 申请人: '李四', n: 1.5, list: [3, 'x'] }), 'zj-node-1', pair);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-envelope-'));
    try {
      const { signature, ...signed } = env;
      fs.writeFileSync(path.join(dir, 'msg'), signingInput(signed));
      fs.writeFileSync(path.join(dir, 'sig'), Buffer.from(signature, 'hex'));
      fs.writeFileSync(path.join(dir, 'pub.pem'), sm2PublicKeyToPem(pair.publicKey));
      const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', 'msg', '-sigfile', 'sig'], { cwd: dir }).toString();
      expect(out).toMatch(/Signature Verified Successfully/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fingerprints keys with SM3 and reads pinned fingerprints with separators', () => {
    const fp = keyFingerprint(pair.publicKey);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(normaliseFingerprint(fp.toUpperCase().replace(/(.{4})/g, '$1:'))).toBe(fp);
  });
});
