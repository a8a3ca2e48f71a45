/** The platform's SM3 and HMAC-SM3 (OpenSSL when available) give sm-crypto-v2's digests exactly. */
import fc from 'fast-check';
import { sm3 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { hmacSm3Hex, sm3Hex } from './sm.js';

describe('SM3', () => {
  it('matches the GB/T 32905 example', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('equals sm-crypto-v2 for any string or bytes, and HMAC-SM3 for any key', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => sm3Hex(s) === sm3(s)));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => sm3Hex(b) === sm3(b)));
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.string({ maxLength: 200 }), (key, s) =>
      hmacSm3Hex(key, s) === sm3(s, { key, mode: 'hmac' })));
  });
});
