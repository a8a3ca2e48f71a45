/**
 * 国密 primitives checked against OpenSSL 3, an independent implementation: SM2 signatures
 * verify in both directions, SM3 and HMAC-SM3 digests agree, SM4-GCM detects tampering.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { sm2 } from 'sm-crypto-v2';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, hmacSm3Hex, sm2Sign, sm2Verify, sm3Hex, sm4Decrypt, sm4Encrypt } from './sm.js';
import { sm2PublicKeyFromPem, sm2PublicKeyToPem } from './sm2-pem.js';
import { canonicalJson } from './canonical.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-sm-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
};
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('SM2 signatures', () => {
  const key = generateSm2KeyPair();
  const message = canonicalJson({ 名称: '营业执照', b: [1, 2, { c: '统一社会信用代码' }], a: true });

  it('OpenSSL verifies a signature made here, over the UTF-8 canonical JSON', () => {
    const sig = Buffer.from(sm2Sign(message, key), 'hex');
    const pub = file('pub.pem', sm2PublicKeyToPem(key.publicKey));
    const out = openssl('pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3',
      '-pkeyopt', 'distid:1234567812345678', '-in', file('msg', message), '-sigfile', file('sig', sig));
    expect(out).toContain('Signature Verified Successfully');
  });

  it('OpenSSL verifies signatures made with ephemeral points computed ahead, and no point serves twice', async () => {
    sm2Sign(message, key);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the pool fills between other work
    const pub = file('pub-pool.pem', sm2PublicKeyToPem(key.publicKey));
    const sigs = Array.from({ length: 4 }, () => sm2Sign(message, key));
    expect(new Set(sigs.map((s) => s.slice(0, 80))).size).toBe(4); // same message, a fresh k (so a fresh r) each time
    sigs.forEach((sig, i) => {
      const out = openssl('pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3',
        '-pkeyopt', 'distid:1234567812345678', '-in', file(`msg-pool-${i}`, message), '-sigfile', file(`sig-pool-${i}`, Buffer.from(sig, 'hex')));
      expect(out).toContain('Signature Verified Successfully');
    });
  });

  it('OpenSSL refuses the same signature over a changed message', () => {
    const sig = Buffer.from(sm2Sign(message, key), 'hex');
    const pub = file('pub2.pem', sm2PublicKeyToPem(key.publicKey));
    expect(() => openssl('pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3',
      '-pkeyopt', 'distid:1234567812345678', '-in', file('msg2', `${message} `), '-sigfile', file('sig2', sig))).toThrow();
  });

  it('verifies here a signature made by OpenSSL', () => {
    const priv = path.join(dir, 'priv.pem');
    openssl('genpkey', '-algorithm', 'SM2', '-out', priv);
    const pubPem = openssl('pkey', '-in', priv, '-pubout');
    const msg = file('omsg', message);
    const sigFile = path.join(dir, 'osig');
    openssl('pkeyutl', '-sign', '-inkey', priv, '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', msg, '-out', sigFile);
    const pubHex = sm2PublicKeyFromPem(pubPem);
    expect(sm2Verify(message, fs.readFileSync(sigFile).toString('hex'), pubHex)).toBe(true);
    expect(sm2Verify(message + 'x', fs.readFileSync(sigFile).toString('hex'), pubHex)).toBe(false);
  });

  it('signs and verifies exactly as sm-crypto-v2 does when it hashes Z‖M itself (any text or bytes)', () => {
    // Here the digest e = SM3(Z_A ‖ M) is OpenSSL's, the curve arithmetic sm-crypto-v2's; its own all-JavaScript path must agree both ways.
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 300 })), (m) => {
      const ours = sm2Sign(m, key);
      const theirs = sm2.doSignature(m, key.privateKey, { der: true, hash: true, publicKey: key.publicKey });
      expect(sm2.doVerifySignature(m, ours, key.publicKey, { der: true, hash: true })).toBe(true);
      expect(sm2Verify(m, theirs, key.publicKey)).toBe(true);
      const other = typeof m === 'string' ? `${m}.` : Uint8Array.from([...m, 0]);
      expect(sm2Verify(other, ours, key.publicKey)).toBe(false);
    }), { numRuns: 25 });
  });

  it('treats malformed signatures as invalid instead of throwing', () => {
    for (const bad of ['', 'zz', '3044', '00'.repeat(70)]) expect(sm2Verify(message, bad, key.publicKey)).toBe(false);
  });

  it('round-trips public keys through SubjectPublicKeyInfo PEM that OpenSSL reads', () => {
    const pem = sm2PublicKeyToPem(key.publicKey);
    expect(sm2PublicKeyFromPem(pem)).toBe(key.publicKey);
    expect(openssl('pkey', '-pubin', '-in', file('k.pem', pem), '-text', '-noout')).toMatch(/SM2|1\.2\.156\.10197\.1\.301/);
  });
});

describe('SM3 and HMAC-SM3', () => {
  it('match OpenSSL on UTF-8 text', () => {
    const text = '双随机一公开:91350100M000100Y43';
    expect(openssl('dgst', '-sm3', file('t', text))).toContain(sm3Hex(text));
    const key = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    expect(openssl('dgst', '-sm3', '-mac', 'HMAC', '-macopt', `hexkey:${key.toString('hex')}`, file('t2', text))).toContain(hmacSm3Hex(key, text));
  });

  it('hashes the standard test vector "abc"', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
});

describe('SM4-GCM field encryption', () => {
  const keyHex = '0123456789abcdef0123456789abcdef';
  it('round-trips and never repeats a ciphertext', () => {
    const a = sm4Encrypt('11010519491231002X', keyHex, 'persons.resident_id:1');
    const b = sm4Encrypt('11010519491231002X', keyHex, 'persons.resident_id:1');
    expect(a).not.toBe(b);
    expect(sm4Decrypt(a, keyHex, 'persons.resident_id:1')).toBe('11010519491231002X');
  });

  it('refuses a ciphertext moved to another record or altered', () => {
    const a = sm4Encrypt('11010519491231002X', keyHex, 'persons.resident_id:1');
    expect(() => sm4Decrypt(a, keyHex, 'persons.resident_id:2')).toThrow();
    const parts = a.split('.');
    parts[2] = parts[2]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(() => sm4Decrypt(parts.join('.'), keyHex, 'persons.resident_id:1')).toThrow();
  });
});
