/** COPY … FROM STDIN (text format) with back-pressure and a progress bar. */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { CopyValue } from './registry.js';

const { from: copyFrom } = copyStreams;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function arrayLiteral(items: string[]): string {
  return `{${items.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export function copyLine(values: CopyValue[]): string {
  return `${values.map((v) => {
    if (v === null) return '\\N';
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return escapeText(arrayLiteral(v));
    return escapeText(String(v));
  }).join('\t')}\n`;
}

export class ProgressBar {
  private last = 0;
  constructor(private readonly label: string, private readonly total: number, private readonly out = process.stderr) {}

  update(done: number, started: number, force = false): void {
    const now = performance.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    const rate = done / Math.max((now - started) / 1000, 0.001);
    const line = `${this.label.padEnd(16)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}  ${Math.round(rate).toLocaleString('en-US')} rows/s`;
    this.out.write(this.out.isTTY ? `\r${line}` : (force ? `${line}\n` : ''));
    if (force && this.out.isTTY) this.out.write('\n');
  }
}

/** Streams `rows` generated lines into `table` through COPY; resolves with rows/s. */
export async function copyRows(client: pg.PoolClient | pg.Client, table: string, columns: string[], rows: number, line: (i: number) => string, label = table): Promise<number> {
  const bar = new ProgressBar(label, rows);
  const started = performance.now();
  const BATCH = 500;
  let i = 0;
  const source = Readable.from((function* () {
    while (i < rows) {
      let chunk = '';
      const end = Math.min(i + BATCH, rows);
      for (; i < end; i++) chunk += line(i);
      bar.update(i, started);
      yield chunk;
    }
  })());
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(source, sink);
  bar.update(rows, started, true);
  return rows / ((performance.now() - started) / 1000);
}
