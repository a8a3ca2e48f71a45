/** GB/T 36904 identifiers and their ISO/IEC 7064 MOD 37,36 check character. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildIdentifier, mod3736CheckChar, parseIdentifier } from './identifier.js';
import { findLicenceType, LICENCE_TYPES } from './types.js';
import { usccCheckChar } from '../identity/uscc.js';
import { decodeStatusBits, encodeStatusBits, statusBit } from './seal.js';

const PUBLISHED = '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U';
const CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const usccArb = fc.array(fc.constantFrom(...USCC_CHARS), { minLength: 17, maxLength: 17 }).map((cs) => {
  const first17 = cs.join('');
  return first17 + usccCheckChar(first17);
});
const partsArb = fc.record({
  typeCode: fc.tuple(usccArb, fc.integer({ min: 0, max: 999 })).map(([u, n]) => u + String(n).padStart(3, '0')),
  issuerUscc: usccArb,
  serial: fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 20 }).map((cs) => cs.join('')),
  version: fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')),
});

describe('GB/T 36904 identifier', () => {
  it('accepts the published example, whose check character is U', () => {
    const r = parseIdentifier(PUBLISHED);
    expect(r).toEqual({ valid: true, errors: [], parts: { typeCode: '11100000000013338W011', issuerUscc: '11430000006122244L', serial: '20230000403', version: '001', checkChar: 'U' } });
    expect(mod3736CheckChar('11100000000013338W01111430000006122244L20230000403001')).toBe('U');
  });

  it('rejects the published example with any other check character, naming the expected one', () => {
    for (const c of CHARS.replace('U', '')) {
      const r = parseIdentifier(PUBLISHED.slice(0, -1) + c);
      expect(r.valid).toBe(false);
      expect(r.errors.join()).toContain('expected U');
    }
  });

  it.each([
    ['', 'root'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.U', '5 parts'],
    ['1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U', 'licence-type code'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244K.20230000403.001.U', 'issuer USCC'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0403.001.U', 'serial'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U', 'version'],
  ])('explains what is wrong with %s', (value, fragment) => {
    const r = parseIdentifier(value);
    expect(r.valid).toBe(false);
    expect(r.errors.join(' ')).toContain(fragment);
  });

  it('builds identifiers that parse back to their parts (property)', () => {
    fc.assert(fc.property(partsArb, (parts) => {
      const r = parseIdentifier(buildIdentifier(parts));
      return r.valid && r.parts.typeCode === parts.typeCode && r.parts.serial === parts.serial && r.parts.version === parts.version;
    }));
  });

  it('detects every single-character substitution in the checked part (property)', () => {
    fc.assert(fc.property(partsArb, fc.nat(), fc.constantFrom(...CHARS), (parts, pos, ch) => {
      const data = parts.typeCode + parts.issuerUscc + parts.serial + parts.version;
      const i = pos % data.length;
      fc.pre(data[i] !== ch);
      const changed = data.slice(0, i) + ch + data.slice(i + 1);
      return mod3736CheckChar(changed) !== mod3736CheckChar(data);
    }));
  });

  it('detects almost every transposition of adjacent characters (a hybrid system misses a few)', () => {
    let swaps = 0;
    let missed = 0;
    for (const prefix of ['', '11100000000013338W011', '1143000000612224']) {
      for (const a of CHARS) {
        for (const b of CHARS) {
          if (a === b) continue;
          swaps += 1;
          if (mod3736CheckChar(`${prefix}${a}${b}0403001`) === mod3736CheckChar(`${prefix}${b}${a}0403001`)) missed += 1;
        }
      }
    }
    expect(missed / swaps).toBeLessThan(0.01);
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (s) => {
      const r = parseIdentifier(s);
      return typeof r.valid === 'boolean' && (r.valid || r.errors.length > 0);
    }));
  });
});

describe('licence-type codes', () => {
  it('are 21 characters: a defining body with valid USCC check characters and a 3-digit sequence, none shared', () => {
    const all = LICENCE_TYPES.flatMap((t) => [t.code, ...t.formerCodes]);
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) {
      expect(code).toMatch(/^[0-9A-HJ-NP-RTUW-Y]{18}\d{3}$/);
      expect(usccCheckChar(code.slice(0, 17))).toBe(code[17]);
      expect(parseIdentifier(buildIdentifier({ typeCode: code, issuerUscc: '11330100002548969Q', serial: '20260000001', version: '001' })).valid).toBe(true);
    }
  });

  it('stay outside the national sequence of 11100000000013338W (…W001 is 二级建造师执业资格证书 there)', () => {
    for (const t of LICENCE_TYPES) expect(t.code.startsWith('11100000000013338W')).toBe(false);
  });

  it('a former code still finds its type, so licences sealed under it are still that type', () => {
    for (const t of LICENCE_TYPES) for (const former of t.formerCodes) expect(findLicenceType(former)).toBe(t);
    expect(findLicenceType('11100000000013338W005')?.name).toBe('机动车驾驶证');
  });
});

describe('status bitstring', () => {
  it('round-trips set bits through compression (property)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.nat(16_383), { maxLength: 200 }), (set) => {
      const bits = decodeStatusBits(encodeStatusBits(set, 16_384));
      const wanted = new Set(set);
      for (let i = 0; i < 16_384; i += 97) if (statusBit(bits, i) !== wanted.has(i)) return false;
      return set.every((i) => statusBit(bits, i) === true) && statusBit(bits, 16_384) === undefined;
    }), { numRuns: 50 });
  });
});
