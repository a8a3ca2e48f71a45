/**
 * The shape every benchmark plugs into. A module adds `bench/suites/<area>.bench.ts` exporting
 * `benchmarks: Benchmark[]`; the runner (bench/run.ts) discovers the file, runs each benchmark
 * and its baseline in the same run, and writes one row per benchmark to bench/results/latest.json.
 */
import type { BenchContext } from './context.js';

/** Throughput units are higher-is-better; latency units are lower-is-better. */
export type ThroughputUnit = 'req/s' | 'ops/s' | 'rows/s' | 'MB/s';
export type LatencyUnit = 'ms' | 'µs';
export type Unit = ThroughputUnit | LatencyUnit;

export interface Measurement {
  /** The figure for tongban's own path, in `unit`. */
  value: number;
  /** What the baseline is, in words ("raw node:http hello-world"). */
  baseline: string;
  /** The baseline's figure in the same unit, measured in this run. */
  baselineValue: number;
  /** Extra absolute figures to print (p50/p99 latency, RSS…); not part of the ratio. */
  notes?: Record<string, number | string>;
}

export interface Benchmark {
  /** Dotted, stable: `<area>.<what>`, e.g. `http.overhead`, `audit.append`. */
  name: string;
  unit: Unit;
  /** The ratio (higher is better) this benchmark must reach. */
  target: number;
  /** One line on what is measured, shown by `--list`. */
  description: string;
  run(ctx: BenchContext): Promise<Measurement>;
}

export interface BenchResult {
  name: string;
  value: number;
  unit: Unit;
  baseline: string;
  baselineValue: number;
  ratio: number;
  target: number;
}

export function isLatency(unit: Unit): boolean {
  return unit === 'ms' || unit === 'µs';
}

/** Oriented so that higher is always better: throughput ÷ baseline, or baseline latency ÷ latency. */
export function ratioOf(unit: Unit, value: number, baselineValue: number): number {
  if (value <= 0 || baselineValue <= 0) return 0;
  return isLatency(unit) ? baselineValue / value : value / baselineValue;
}
