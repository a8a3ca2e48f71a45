/**
 * The bench harness's own rules, checked in `npm test` so a module's new suite or generator that
 * breaks them fails at once rather than at the next benchmark run: every suite loads and names its
 * benchmarks uniquely, ratios are oriented higher-is-better, generators have a valid order, COPY
 * text is escaped, and the plan check sees sequential scans.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discoverBenchmarks } from '../../bench/run.js';
import { discoverDataModules, orderByDependencies } from '../../bench/data.js';
import { copyLine, copyTimestamp } from '../../bench/datagen/copy.js';
import { seqScansIn } from '../../bench/datagen/plans.js';
import { ratioOf } from '../../bench/lib/types.js';
import type { TableGenerator } from '../../bench/datagen/registry.js';

describe('bench suites', () => {
  it('load from bench/suites with unique dotted names, a unit, a positive target and a description', async () => {
    const all = await discoverBenchmarks();
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const b of all) {
      expect(b.name).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
      expect(['req/s', 'ops/s', 'rows/s', 'MB/s', 'ms', 'µs']).toContain(b.unit);
      expect(b.target).toBeGreaterThan(0);
      expect(b.description.length).toBeGreaterThan(10);
    }
  });

  it('orients every ratio so that higher is better', () => {
    expect(ratioOf('req/s', 500, 1000)).toBe(0.5);
    expect(ratioOf('ms', 20, 10)).toBe(0.5);
    expect(ratioOf('ms', 5, 10)).toBe(2);
    expect(ratioOf('ops/s', 0, 10)).toBe(0);
  });
});

describe('bench data generators', () => {
  it('load from bench/datagen, in an order where every table comes after the ones it needs', async () => {
    const { tables, queries } = await discoverDataModules();
    const seen = new Set<string>();
    for (const t of tables) {
      for (const dep of t.after ?? []) expect(seen.has(dep), `${t.table} after ${dep}`).toBe(true);
      seen.add(t.table);
    }
    expect(seen.has('persons') && seen.has('audit_log')).toBe(true);
    expect(queries.length).toBeGreaterThan(5);
  });

  it('refuses a dependency cycle or a missing dependency', () => {
    const gen = (table: string, after: string[]): TableGenerator => ({ table, columns: [], rowsAtScale1: 1, after, row: () => [] });
    expect(() => orderByDependencies([gen('a', ['b']), gen('b', ['a'])])).toThrow(/cycle/);
    expect(() => orderByDependencies([gen('a', ['nowhere'])])).toThrow(/no generator/);
  });

  it('writes COPY text with escapes, NULLs, arrays and timestamps', () => {
    // The array literal's own backslash is escaped again for COPY's text format.
    expect(copyLine(['a\tb', null, ['x', 'y"z'], new Date(0), 3])).toBe('a\\tb\t\\N\t{"x","y\\\\"z"}\t1970-01-01 00:00:00.000+00\t3\n');
    expect(copyLine(['back\\slash\nline'])).toBe('back\\\\slash\\nline\n');
  });

  it('writes every instant as the timestamp toISOString names, before and after 1970', () => {
    fc.assert(fc.property(fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }), (ms) => {
      const iso = new Date(ms).toISOString();
      expect(copyTimestamp(new Date(ms))).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`);
    }), { numRuns: 2000 });
  });

  it('finds a sequential scan of a large table anywhere in a plan', () => {
    const plan = { 'Node Type': 'Limit', Plans: [{ 'Node Type': 'Sort', Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'audit_log' }] }] };
    expect(seqScansIn(plan, ['audit_log'])).toEqual(['audit_log']);
    expect(seqScansIn(plan, ['persons'])).toEqual([]);
  });
});
