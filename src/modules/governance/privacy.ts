/**
 * Household-defined privacy in statistics. A household says the smallest unit its data may be
 * shown at (or that it is not counted at all); a cell of a statistic counts only households that
 * allow that level, and then k-anonymity suppresses every cell with fewer than k households —
 * plus as many further cells as needed so a suppressed cell cannot be recovered by subtracting
 * the shown cells from a coarser total.
 */
import type { MinUnit } from './households-repository.js';

export const STAT_LEVELS = ['household', 'building', 'grid', 'community'] as const;
export type StatLevel = (typeof STAT_LEVELS)[number];

export const K_ANONYMITY = 5;

/** May a household with this choice be counted in a cell at `level`? */
export function countableAt(minUnit: MinUnit, level: StatLevel): boolean {
  if (minUnit === 'excluded') return false;
  return STAT_LEVELS.indexOf(level) >= STAT_LEVELS.indexOf(minUnit);
}

export interface RawCell { unit: string; households: number; measures: Record<string, number> }
export interface ShownCell { unit: string; suppressed: boolean; households: number | null; measures: Record<string, number | null> }

export function anonymise(cells: RawCell[], k = K_ANONYMITY): ShownCell[] {
  const suppressed = new Set(cells.filter((c) => c.households > 0 && c.households < k).map((c) => c.unit));
  // Complementary suppression: the hidden households together must be 0 or at least k.
  const hiddenSum = () => cells.filter((c) => suppressed.has(c.unit)).reduce((s, c) => s + c.households, 0);
  const shownBySize = cells.filter((c) => !suppressed.has(c.unit) && c.households > 0).sort((a, b) => a.households - b.households || a.unit.localeCompare(b.unit));
  while (hiddenSum() > 0 && hiddenSum() < k && shownBySize.length) suppressed.add(shownBySize.shift()!.unit);
  return cells.map((c) => {
    if (suppressed.has(c.unit)) {
      return { unit: c.unit, suppressed: true, households: null, measures: Object.fromEntries(Object.keys(c.measures).map((m) => [m, null])) };
    }
    // A sub-count below k inside a shown cell would point at a few households: shown as null.
    const measures = Object.fromEntries(Object.entries(c.measures).map(([m, v]) => [m, v > 0 && v < k ? null : v]));
    return { unit: c.unit, suppressed: false, households: c.households, measures };
  });
}
