/**
 * The 双随机 draw as published: pure functions over the frozen draw record, so the service,
 * the verify endpoint and anyone outside compute the same thing from the same JSON.
 *  - seedCommitment = SM3(seed) as lowercase hex of the seed's UTF-8 bytes;
 *  - within each stratum, candidates are ranked by SM3(seed + ":" + entityId) ascending and the
 *    first `count` are taken;
 *  - for each selected entity, the pool is ranked by SM3(seed + ":" + entityId + ":inspector:" +
 *    inspectorId) ascending and the first `perEntity` inspectors not recused for it are taken.
 */
import { sm3Hex } from '../../platform/crypto/sm.js';

export interface Stratum { name: string; count: number; candidates: string[] }
export interface Recusal { entityId: string; inspectorId: string }
export interface Selection { entityId: string; stratum: string; inspectors: string[] }

export interface FrozenDraw {
  strata: Stratum[];
  inspectorPool: string[];
  recused: Recusal[];
  inspectorsPerEntity: number;
}

/**
 * How many a stratum of `n` gives at `ratio`: ⌈ratio·n⌉, at most n. The product is rounded to
 * six decimals first, because in binary 0.07 × 100 is 7.000000000000001 and would take 8.
 */
export const stratumCount = (ratio: number, n: number): number => Math.min(n, Math.ceil(Math.round(ratio * n * 1e6) / 1e6));

export const seedCommitment = (seed: string): string => sm3Hex(seed);
export const entityRank = (seed: string, entityId: string): string => sm3Hex(`${seed}:${entityId}`);
export const inspectorRank = (seed: string, entityId: string, inspectorId: string): string =>
  sm3Hex(`${seed}:${entityId}:inspector:${inspectorId}`);

/** Plain code-unit comparison: lowercase hex strings of equal length sort like the numbers they are. */
const byRank = <T extends { rank: string }>(a: T, b: T) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0);

interface Ranked { rank: string; index: number }
const byRankThenIndex = (a: Ranked, b: Ranked) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.index - b.index);

/**
 * Ranks the stratum and takes the first `count`, in rank order. One pass over the candidates:
 * each rank is hashed once and kept only while it could still be among the first `count` (not
 * above the current count-th best — a string comparison that usually stops at the first hex
 * digit). Kept ranks are compacted in batches (sort, cut to `count`, raise the bar), so a draw of
 * 100 from 1,000,000 keeps a few hundred ranks instead of sorting a million. When most of the
 * stratum is taken it degrades to one sort of everything, which such a draw needs anyway.
 */
export function pickEntities(seed: string, stratum: Stratum): string[] {
  const { candidates } = stratum;
  const k = Math.min(stratum.count, candidates.length);
  if (k <= 0) return [];
  const batch = Math.max(2 * k, k + 1024);
  let kept: Ranked[] = [];
  let bar: string | undefined;
  const prefix = `${seed}:`;
  for (let i = 0; i < candidates.length; i++) {
    const rank = sm3Hex(prefix + candidates[i]!);
    if (bar !== undefined && rank > bar) continue;
    kept.push({ rank, index: i });
    if (kept.length >= batch) {
      kept.sort(byRankThenIndex);
      kept.length = k;
      bar = kept[k - 1]!.rank;
    }
  }
  kept.sort(byRankThenIndex);
  if (kept.length > k) kept = kept.slice(0, k);
  return kept.map((r) => candidates[r.index]!);
}

/** Inspectors for one entity, or the eligible ones found when there are fewer than needed. */
export function pickInspectors(
  seed: string, entityId: string, draw: Pick<FrozenDraw, 'inspectorPool' | 'recused' | 'inspectorsPerEntity'>,
  recusedFor: Map<string, Set<string>> = recusalIndex(draw.recused),
): { inspectors: string[]; enough: boolean } {
  const recused = recusedFor.get(entityId) ?? new Set<string>();
  const eligible = draw.inspectorPool
    .filter((id) => !recused.has(id))
    .map((id) => ({ id, rank: inspectorRank(seed, entityId, id) }))
    .sort(byRank)
    .map((c) => c.id);
  return { inspectors: eligible.slice(0, draw.inspectorsPerEntity), enough: eligible.length >= draw.inspectorsPerEntity };
}

/** Recusals by entity, built once per draw (a city-wide draw has many of both). */
function recusalIndex(recused: Recusal[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const r of recused) {
    let set = index.get(r.entityId);
    if (!set) index.set(r.entityId, (set = new Set()));
    set.add(r.inspectorId);
  }
  return index;
}

export function computeSelection(seed: string, draw: FrozenDraw): Selection[] {
  const selected: Selection[] = [];
  const recusedFor = recusalIndex(draw.recused);
  for (const stratum of draw.strata) {
    for (const entityId of pickEntities(seed, stratum)) {
      selected.push({ entityId, stratum: stratum.name, inspectors: pickInspectors(seed, entityId, draw, recusedFor).inspectors });
    }
  }
  return selected;
}

/** Entities that could never get enough inspectors, whatever the seed: checked before committing. */
export function entitiesLackingInspectors(draw: FrozenDraw): string[] {
  const recusedCount = new Map<string, number>();
  const pool = new Set(draw.inspectorPool);
  for (const r of draw.recused) if (pool.has(r.inspectorId)) recusedCount.set(r.entityId, (recusedCount.get(r.entityId) ?? 0) + 1);
  return draw.strata.flatMap((s) => s.candidates)
    .filter((id) => pool.size - (recusedCount.get(id) ?? 0) < draw.inspectorsPerEntity);
}

export interface VerifyReport { ok: boolean; checks: { name: string; ok: boolean; detail?: string }[] }

/** Recomputes a revealed draw and compares it with what was published. */
export function verifyDraw(published: FrozenDraw & { seed: string; seedCommitment: string; selected: Selection[] }): VerifyReport {
  const checks: VerifyReport['checks'] = [];
  checks.push({ name: 'seedCommitment', ok: seedCommitment(published.seed) === published.seedCommitment });
  for (const s of published.strata) {
    checks.push({ name: `stratum ${s.name} count`, ok: s.count >= 0 && s.count <= s.candidates.length, detail: `${s.count} of ${s.candidates.length}` });
  }
  const expected = computeSelection(published.seed, published);
  // Compare field by field: a stored JSON document need not keep its key order.
  const normal = (list: Selection[]) => JSON.stringify(list.map((x) => [x.entityId, x.stratum, x.inspectors]));
  const same = normal(expected) === normal(published.selected);
  checks.push({ name: 'selected', ok: same, ...(same ? {} : { detail: 'the published selection differs from the recomputed one' }) });
  const short = expected.filter((e) => e.inspectors.length < published.inspectorsPerEntity).map((e) => e.entityId);
  checks.push({ name: 'inspectorsPerEntity', ok: short.length === 0, ...(short.length ? { detail: `too few inspectors for ${short.join(', ')}` } : {}) });
  return { ok: checks.every((c) => c.ok), checks };
}
