/** The printed table: absolute figures, baseline, ratio (higher is better) and whether it meets its target. */
import type { BenchResult } from './types.js';

export interface RunInfo { cores: number; cpu: string; node: string; seconds: number; rssMb: number; quick: boolean; load: [number, number] }

export function formatTable(results: BenchResult[], notes: Map<string, Record<string, number | string>>, info: RunInfo): string {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    `${fmt(r.baselineValue)} ${r.unit}`,
    r.baseline,
    r.ratio.toFixed(3),
    `≥ ${r.target}`,
    r.ratio >= r.target ? 'ok' : 'BELOW',
    Object.entries(notes.get(r.name) ?? {}).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(' '),
  ]);
  const header = ['benchmark', 'tongban', 'baseline', 'baseline is', 'ratio', 'target', '', 'notes'];
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join('  ').trimEnd();
  const below = results.filter((r) => r.ratio < r.target).length;
  return [
    '',
    `tongban benchmarks — ${info.cores} cores (${info.cpu}), Node ${info.node}, ${info.quick ? 'quick' : 'full'} run in ${info.seconds.toFixed(0)} s, bench process RSS ${info.rssMb.toFixed(0)} MB`,
    // Other work on the machine moves absolute figures; ratios are measured side by side and move less.
    `load average ${info.load[0].toFixed(1)} at start, ${info.load[1].toFixed(1)} at end${info.load[0] > info.cores ? ' — the machine was busy: absolute figures are low' : ''}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `${results.length} measured, ${results.length - below} at or above target, ${below} below`,
    '',
  ].join('\n');
}

function fmt(n: number): string {
  if (n >= 100 || Number.isInteger(n)) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** East Asian characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
