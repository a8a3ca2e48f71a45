/**
 * Per-operation latency percentiles from a closed loop (for requests autocannon cannot vary: a
 * fresh Idempotency-Key or a different search text each time). Baseline and tongban alternate,
 * each keeping its best (lowest-p99) round, as BenchContext.compareOps does for throughput.
 */
import type { BenchContext } from './context.js';

export interface LatencyResult { p50: number; p99: number; opsPerSecond: number; samples: number }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function timeLatency(op: (i: number) => Promise<unknown>, seconds: number, concurrency = 1): Promise<LatencyResult> {
  for (let i = 0; i < Math.max(5, concurrency); i++) await op(-1 - i);
  const samples: number[] = [];
  let next = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const lane = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await op(next++);
      samples.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = (performance.now() - start) / 1000;
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), opsPerSecond: samples.length / elapsed, samples: samples.length };
}

export async function compareLatency(ctx: BenchContext, base: (i: number) => Promise<unknown>, ours: (i: number) => Promise<unknown>, concurrency = 1): Promise<{ base: LatencyResult; ours: LatencyResult }> {
  const rounds = ctx.quick ? 2 : 3;
  let b: LatencyResult | undefined;
  let o: LatencyResult | undefined;
  for (let r = 0; r < rounds; r++) {
    const rb = await timeLatency(base, ctx.opSeconds, concurrency);
    const ro = await timeLatency(ours, ctx.opSeconds, concurrency);
    if (!b || rb.p99 < b.p99) b = rb;
    if (!o || ro.p99 < o.p99) o = ro;
  }
  return { base: b!, ours: o! };
}

/** fetch that fails loudly on a status other than the expected one (a benchmark of errors measures nothing). */
export async function expectStatus(res: Promise<Response>, ...ok: number[]): Promise<unknown> {
  const r = await res;
  const body = await r.text();
  if (!ok.includes(r.status)) throw new Error(`${r.url}: ${r.status} ${body.slice(0, 300)}`);
  return body;
}
