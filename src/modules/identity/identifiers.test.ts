/** GB 11643 resident IDs and GB 32100 / GB 11714 credit codes, against published examples and properties. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkResidentId, maskResidentId, residentIdCheckChar } from './resident-id.js';
import { checkUscc, organizationCodeCheckChar, usccCheckChar } from './uscc.js';
import { DEMO_COMPANY, DEMO_PEOPLE } from '../../seed/demo-identity.js';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('resident ID (GB 11643-1999)', () => {
  it('accepts the example from the standard and reads birth date, sex and region', () => {
    expect(checkResidentId('11010519491231002X')).toEqual({
      valid: true, errors: [], info: { birthDate: '1949-12-31', sex: 'F', regionCode: '110105' },
    });
  });

  it('accepts a lower-case x check character', () => {
    expect(checkResidentId('11010519491231002x').valid).toBe(true);
  });

  it('refuses a wrong check character and says which one was expected', () => {
    const r = checkResidentId('110105194912310021');
    expect(r.valid).toBe(false);
    expect(r.errors.join()).toContain('expected X');
  });

  it.each([
    ['11010519490230002', 'not a real date'],
    ['11010520991231002', 'in the future'],
    ['99010519491231002', 'names no province'],
  ])('refuses %s (%s)', (first17, reason) => {
    const r = checkResidentId(first17 + residentIdCheckChar(first17), new Date('2026-11-29'));
    expect(r.valid).toBe(false);
    expect(r.errors.join()).toContain(reason);
  });

  it('masks all but the region and the last four characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });

  it('the demo people have valid IDs', () => {
    for (const p of Object.values(DEMO_PEOPLE)) expect(checkResidentId(p.residentId).valid).toBe(true);
  });

  const validId = fc.record({
    region: fc.constantFrom('110105', '330106', '310101', '440305', '510104'),
    date: fc.date({ min: new Date('1900-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
    order: fc.integer({ min: 0, max: 999 }),
  }).map(({ region, date, order }) => {
    const first17 = region + date.toISOString().slice(0, 10).replace(/-/g, '') + String(order).padStart(3, '0');
    return { id: first17 + residentIdCheckChar(first17), date: date.toISOString().slice(0, 10), male: order % 2 === 1 };
  });

  it('property: every well-formed ID is valid and reports its own birth date and sex', () => {
    fc.assert(fc.property(validId, ({ id, date, male }) => {
      const r = checkResidentId(id);
      expect(r.valid).toBe(true);
      expect(r.info).toMatchObject({ birthDate: date, sex: male ? 'M' : 'F' });
    }), { numRuns: 500 });
  });

  it('property: changing any one character of a valid ID makes it invalid', () => {
    fc.assert(fc.property(validId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), ({ id }, pos, delta) => {
      const chars = [...id];
      const current = chars[pos] === 'X' ? 10 : Number(chars[pos]);
      const next = (current + delta) % (pos === 17 ? 11 : 10);
      chars[pos] = next === 10 ? 'X' : String(next);
      expect(checkResidentId(chars.join('')).valid).toBe(false);
    }), { numRuns: 500 });
  });

  it('property: any string at all gets an answer, never an exception', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      const r = checkResidentId(s);
      expect(typeof r.valid).toBe('boolean');
      if (!r.valid) expect(r.errors.length).toBeGreaterThan(0);
    }), { numRuns: 1000 });
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts the example from the standard and splits it into its parts', () => {
    expect(checkUscc('91350100M000100Y43')).toMatchObject({
      valid: true,
      info: { registrationAuthority: '9', entityType: '1', regionCode: '350100', organizationCode: 'M000100Y4' },
    });
  });

  it('checks the embedded GB 11714 organisation code on its own', () => {
    expect(organizationCodeCheckChar('M000100Y')).toBe('4');
    // Correct outer check char but a broken organisation code is still refused.
    const first17 = '91350100M000100Y5';
    const r = checkUscc(first17 + usccCheckChar(first17));
    expect(r.valid).toBe(false);
    expect(r.errors.join()).toContain('organisation code');
  });

  it('refuses letters outside the alphabet (I O S V Z) with a reason', () => {
    const r = checkUscc('91350100M000100YO3');
    expect(r.valid).toBe(false);
    expect(r.errors.join()).toContain('O');
  });

  it('accepts bodies registered at national level (region 100000), but no other non-province region', () => {
    // 国务院办公厅: the defining body of the national e-licence type codes.
    expect(checkUscc('11100000000013338W')).toMatchObject({ valid: true, info: { regionCode: '100000', entityTypeName: '机关' } });
    const first17 = '11990000000013338';
    const r = checkUscc(first17 + usccCheckChar(first17));
    expect(r.valid).toBe(false);
    expect(r.errors.join()).toContain('region code 990000');
  });

  it('the demo company has a valid code', () => {
    expect(checkUscc(DEMO_COMPANY.uscc).valid).toBe(true);
  });

  const validUscc = fc.tuple(
    fc.constantFrom('91', '92', '93', '11', '12', '51', '52', '53'),
    fc.constantFrom('330106', '110105', '310101', '100000'),
    fc.array(fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), { minLength: 8, maxLength: 8 }),
  ).map(([head, region, org8]) => {
    const org = org8.join('');
    const first17 = head + region + org + organizationCodeCheckChar(org);
    return first17 + usccCheckChar(first17);
  }).filter((code) => [...code].every((c) => USCC_ALPHABET.includes(c)));

  it('property: well-formed codes are valid, and any single substitution is caught', () => {
    fc.assert(fc.property(validUscc, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, pos, delta) => {
      expect(checkUscc(code).valid).toBe(true);
      const chars = [...code];
      chars[pos] = USCC_ALPHABET[(USCC_ALPHABET.indexOf(chars[pos]!) + delta) % 31]!;
      expect(checkUscc(chars.join('')).valid).toBe(false);
    }), { numRuns: 500 });
  });

  it('property: any string gets an answer, never an exception', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      expect(typeof checkUscc(s).valid).toBe('boolean');
    }), { numRuns: 1000 });
  });
});
