/**
 * `npm run bench [-- --quick] [--only <text>] [--list]`: runs every benchmark in
 * bench/suites/*.bench.ts against a fresh database on the real PostgreSQL server (DATABASE_URL,
 * default the local one), each together with its baseline in the same run, prints a table with
 * the machine's core count and writes bench/results/latest.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createContext } from './lib/context.js';
import { createScratchDatabase, DEFAULT_DATABASE_URL } from './lib/pg-admin.js';
import { formatTable } from './lib/report.js';
import { ratioOf, type Benchmark, type BenchResult } from './lib/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function discoverBenchmarks(dir = path.join(here, 'suites')): Promise<Benchmark[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const all: Benchmark[] = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href) as { benchmarks?: Benchmark[] };
    if (!Array.isArray(mod.benchmarks)) throw new Error(`${file} must export \`benchmarks: Benchmark[]\``);
    all.push(...mod.benchmarks);
  }
  const seen = new Set<string>();
  for (const b of all) {
    if (seen.has(b.name)) throw new Error(`two benchmarks are named ${b.name}`);
    seen.add(b.name);
  }
  return all;
}

function parseArgs(argv: string[]) {
  const args = { quick: false, list: false, only: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--list') args.list = true;
    else if (a === '--only') args.only.push(argv[++i] ?? '');
    else throw new Error(`unknown argument ${a}; usage: npm run bench -- [--quick] [--only <name part>] [--list]`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const benchmarks = (await discoverBenchmarks()).filter((b) => args.only.length === 0 || args.only.some((o) => b.name.includes(o)));
  if (args.list) {
    for (const b of benchmarks) process.stdout.write(`${b.name.padEnd(28)} ${b.description}\n`);
    return 0;
  }
  const cores = os.cpus().length;
  const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const scratch = await createScratchDatabase(serverUrl, 'tb_bench');
  const log = (m: string) => process.stderr.write(`  ${m}\n`);
  const ctx = createContext({ quick: args.quick, cores, databaseUrl: scratch.url, log });
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  const results: BenchResult[] = [];
  const notes = new Map<string, Record<string, number | string>>();
  const failures: string[] = [];
  let interrupted = false;
  process.once('SIGINT', () => { interrupted = true; process.stderr.write('interrupted: finishing the current benchmark, then cleaning up\n'); });
  process.stderr.write(`tongban bench: ${benchmarks.length} benchmarks, ${args.quick ? 'quick' : 'full'} mode, ${cores} cores, database ${scratch.name}\n`);
  try {
    for (const b of benchmarks) {
      if (interrupted) break;
      process.stderr.write(`- ${b.name} … `);
      const t0 = Date.now();
      try {
        const m = await b.run(ctx);
        const ratio = ratioOf(b.unit, m.value, m.baselineValue);
        results.push({ name: b.name, value: round(m.value), unit: b.unit, baseline: m.baseline, baselineValue: round(m.baselineValue), ratio: round(ratio, 3), target: b.target });
        if (m.notes) notes.set(b.name, m.notes);
        process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      } catch (err) {
        failures.push(`${b.name}: ${(err as Error).stack ?? err}`);
        process.stderr.write(`FAILED: ${(err as Error).message}\n`);
      }
    }
  } finally {
    await ctx.close();
    await scratch.drop();
  }
  const rssMb = process.memoryUsage().rss / 1_048_576;
  process.stdout.write(formatTable(results, notes, {
    cores, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, seconds: (Date.now() - started) / 1000, rssMb, quick: args.quick, load: [loadBefore, os.loadavg()[0]!],
  }));
  const outDir = path.join(here, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(outDir, 'latest.json'))}\n`);
  for (const f of failures) process.stderr.write(`\nbenchmark failed: ${f}\n`);
  return failures.length > 0 ? 1 : 0;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then((code) => process.exit(code), (err) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
