/** Properties of the published draw rule and of the repair-period arithmetic. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeSelection, entitiesLackingInspectors, pickEntities, seedCommitment, verifyDraw, type FrozenDraw } from './draw-algorithm.js';
import { earliestRepairDate } from './repair.js';
import { plainSm3 } from '../../../test/support/plain-sm3.js';

const drawArb = fc.record({
  seed: fc.string({ minLength: 1, maxLength: 40 }),
  strata: fc.array(fc.record({
    name: fc.constantFrom('A', 'B', 'C', 'D'),
    candidates: fc.uniqueArray(fc.uuid(), { maxLength: 12 }),
    ratio: fc.double({ min: 0, max: 1, noNaN: true }),
  }), { maxLength: 4 }),
  pool: fc.uniqueArray(fc.uuid(), { minLength: 2, maxLength: 6 }),
});

function toDraw(a: { strata: { name: string; candidates: string[]; ratio: number }[]; pool: string[] }): FrozenDraw {
  return {
    strata: a.strata.map((s) => ({ name: s.name, candidates: s.candidates, count: Math.ceil(s.ratio * s.candidates.length) })),
    inspectorPool: a.pool, recused: [], inspectorsPerEntity: 2,
  };
}

describe('the 双随机 rule', () => {
  it('commits with the SM3 of the UTF-8 seed, as an independent SM3 computes it', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (seed) => seedCommitment(seed) === plainSm3(seed)));
  });

  it('takes exactly `count` per stratum, two distinct pool inspectors each, whatever the candidate order', () => {
    fc.assert(fc.property(drawArb, (a) => {
      const draw = toDraw(a);
      const selected = computeSelection(a.seed, draw);
      let offset = 0;
      for (const s of draw.strata) {
        const part = selected.slice(offset, offset + s.count);
        expect(part.every((x) => x.stratum === s.name && s.candidates.includes(x.entityId))).toBe(true);
        offset += s.count;
      }
      expect(selected.length).toBe(draw.strata.reduce((n, s) => n + s.count, 0));
      for (const x of selected) {
        expect(new Set(x.inspectors).size).toBe(2);
        for (const i of x.inspectors) expect(draw.inspectorPool).toContain(i);
      }
      const shuffled = { ...draw, strata: draw.strata.map((s) => ({ ...s, candidates: [...s.candidates].reverse() })), inspectorPool: [...draw.inspectorPool].reverse() };
      expect(computeSelection(a.seed, shuffled)).toEqual(selected);
      expect(verifyDraw({ ...draw, seed: a.seed, seedCommitment: seedCommitment(a.seed), selected }).ok).toBe(true);
    }), { numRuns: 60 });
  });

  it('takes the same entities, in the same order, as ranking everyone by the full SM3 hex (an independent SM3)', () => {
    // Thousands of candidates, so the bounded selection compacts several times before it ends.
    const candidates = Array.from({ length: 3000 }, (_, i) => `entity-${i}`);
    fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.constantFrom(0, 1, 5, 700, 2999, 3000, 4000), (seed, count) => {
      const expected = candidates.map((id) => ({ id, rank: plainSm3(`${seed}:${id}`) }))
        .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).slice(0, count).map((x) => x.id);
      expect(pickEntities(seed, { name: 'A', count, candidates })).toEqual(expected);
    }), { numRuns: 8 });
  });

  it('never assigns a recused inspector, and says in advance when recusals leave too few', () => {
    const pool = ['i1', 'i2', 'i3'];
    const draw: FrozenDraw = { strata: [{ name: 'D', count: 2, candidates: ['e1', 'e2'] }], inspectorPool: pool, recused: [{ entityId: 'e1', inspectorId: 'i2' }], inspectorsPerEntity: 2 };
    const e1 = computeSelection('seed', draw).find((s) => s.entityId === 'e1')!;
    expect(e1.inspectors.sort()).toEqual(['i1', 'i3']);
    expect(entitiesLackingInspectors(draw)).toEqual([]);
    expect(entitiesLackingInspectors({ ...draw, recused: [...draw.recused, { entityId: 'e1', inspectorId: 'i3' }] })).toEqual(['e1']);
  });

  it('detects a tampered selection or seed', () => {
    const draw: FrozenDraw = { strata: [{ name: 'A', count: 1, candidates: ['e1', 'e2', 'e3'] }], inspectorPool: ['i1', 'i2', 'i3'], recused: [], inspectorsPerEntity: 2 };
    const selected = computeSelection('s', draw);
    const other = ['e1', 'e2', 'e3'].find((e) => e !== selected[0]!.entityId)!;
    expect(verifyDraw({ ...draw, seed: 's', seedCommitment: seedCommitment('s'), selected: [{ ...selected[0]!, entityId: other }] }).ok).toBe(false);
    expect(verifyDraw({ ...draw, seed: 't', seedCommitment: seedCommitment('s'), selected }).ok).toBe(false);
  });
});

describe('repair periods', () => {
  it('adds calendar months, clamping to the month end', () => {
    expect(earliestRepairDate(new Date('2026-01-31T00:00:00Z'), 1).toISOString().slice(0, 10)).toBe('2026-02-28');
    expect(earliestRepairDate(new Date('2025-06-15T00:00:00Z'), 12).toISOString().slice(0, 10)).toBe('2026-06-15');
  });
});
