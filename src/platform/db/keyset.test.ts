/** The one cursor format: round trips, old ISO cursors still read, anything else is a 400. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { decodeKeyset, encodeKeyset } from './keyset.js';

const uuid = '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b';

describe('keyset cursors', () => {
  it('property: every keyset comes back as it went, microseconds included', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 4_102_444_800_000_000n }), fc.uuid(), (micros, id) => {
      expect(decodeKeyset(encodeKeyset({ micros: String(micros), id }))).toEqual({ micros: String(micros), id });
    }), { numRuns: 500 });
  });

  it('reads a cursor handed out before microseconds (an ISO time) to the millisecond', () => {
    const old = Buffer.from(`2026-03-02T00:00:00.123Z|${uuid}`).toString('base64url');
    expect(decodeKeyset(old)).toEqual({ micros: String(Date.parse('2026-03-02T00:00:00.123Z') * 1000), id: uuid });
  });

  it('property: any other string is refused as VALIDATION_FAILED, never an exception of another kind', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      try {
        const k = decodeKeyset(s);
        // The rare string that decodes: it must then be a well-formed keyset.
        if (k) expect(k.micros).toMatch(/^\d{1,17}$/);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('VALIDATION_FAILED');
      }
    }), { numRuns: 1000 });
    expect(decodeKeyset(undefined)).toBeUndefined();
    expect(() => decodeKeyset(Buffer.from(`12|not-a-uuid`).toString('base64url'))).toThrow(AppError);
  });
});
