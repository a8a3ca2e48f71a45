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

export const seedCommitment = (seed: string): string => sm3Hex(seed);
export const entityRank = (seed: string, entityId: string): string => sm3Hex(`${seed}:${entityId}`);
export const inspectorRank = (seed: string, entityId: string, inspectorId: string): string =>
  sm3Hex(`${seed}:${entityId}:inspector:${inspectorId}`);

/** Plain code-unit comparison: lowercase hex strings of equal length sort like the numbers they are. */
const byRank = <T extends { rank: string }>(a: T, b: T) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0);

/**
 * Ranks the stratum and takes the first `count`. Sorting a million hex strings is slow (they
 * are concatenated strings, compared char by char), so candidates are ordered by the rank's
 * first 48 bits as a number, falling back to the full hex only on a tie: the same order.
 */
export function pickEntities(seed: string, stratum: Stratum): string[] {
  const n = stratum.candidates.length;
  const ranks = new Array<string>(n);
  const prefix = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rank = entityRank(seed, stratum.candidates[i]!);
    ranks[i] = rank;
    prefix[i] = parseInt(rank.slice(0, 12), 16);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => prefix[a]! - prefix[b]! || (ranks[a]! < ranks[b]! ? -1 : ranks[a]! > ranks[b]! ? 1 : 0));
  return order.slice(0, stratum.count).map((i) => stratum.candidates[i]!);
}

/** Inspectors for one entity, or the eligible ones found when there are fewer than needed. */
export function pickInspectors(seed: string, entityId: string, draw: Pick<FrozenDraw, 'inspectorPool' | 'recused' | 'inspectorsPerEntity'>): { inspectors: string[]; enough: boolean } {
  const recused = new Set(draw.recused.filter((r) => r.entityId === entityId).map((r) => r.inspectorId));
  const eligible = draw.inspectorPool
    .filter((id) => !recused.has(id))
    .map((id) => ({ id, rank: inspectorRank(seed, entityId, id) }))
    .sort(byRank)
    .map((c) => c.id);
  return { inspectors: eligible.slice(0, draw.inspectorsPerEntity), enough: eligible.length >= draw.inspectorsPerEntity };
}

export function computeSelection(seed: string, draw: FrozenDraw): Selection[] {
  const selected: Selection[] = [];
  for (const stratum of draw.strata) {
    for (const entityId of pickEntities(seed, stratum)) {
      selected.push({ entityId, stratum: stratum.name, inspectors: pickInspectors(seed, entityId, draw).inspectors });
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
