/**
 * The query-plan check: runs each registered query through the module's real repository code on a
 * Kysely instance that records its SQL, EXPLAINs (FORMAT JSON) every SELECT, WITH, UPDATE or DELETE it
 * issued with the same parameters, and fails on a sequential scan of a table registered as large.
 * (A query that writes runs its statement in a transaction it rolls back: see ROLLBACK_ONLY.)
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { PlanQuery } from './registry.js';

export interface PlanVerdict { name: string; ok: boolean; tooSmall?: string[]; seqScans: string[]; statements: number; error?: string; plan?: string }

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] }

export function seqScansIn(node: PlanNode, large: string[]): string[] {
  const found = node['Node Type'] === 'Seq Scan' && node['Relation Name'] && large.includes(node['Relation Name']) ? [node['Relation Name']] : [];
  return [...found, ...(node.Plans ?? []).flatMap((p) => seqScansIn(p, large))];
}

function summarise(node: PlanNode, depth = 0): string {
  const self = `${'  '.repeat(depth)}${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}`;
  return [self, ...(node.Plans ?? []).map((p) => summarise(p, depth + 1))].join('\n');
}

/** Thrown by a plan query that writes, to roll back its transaction once the statement was captured. */
export class RollbackOnly extends Error {}

/** Runs `work` in a transaction that is always rolled back: the plan check sees its statements, the data stays. */
export async function rollbackOnly(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<unknown>): Promise<void> {
  await db.transaction().execute(async (trx) => { await work(trx); throw new RollbackOnly(); }).catch((err) => { if (!(err instanceof RollbackOnly)) throw err; });
}

/** Below this many rows the planner rightly prefers a sequential scan: such a table cannot be judged. */
export const LARGE_TABLE_MIN_ROWS = 10_000;

export async function checkPlans(pool: pg.Pool, queries: PlanQuery[]): Promise<PlanVerdict[]> {
  const verdicts: PlanVerdict[] = [];
  for (const q of queries) {
    const sizes = await pool.query<{ relname: string; n: number }>(
      'SELECT relname, reltuples::bigint AS n FROM pg_class WHERE relname = ANY($1) AND relkind = $2', [q.largeTables, 'r']);
    const tooSmall = q.largeTables.filter((t) => (sizes.rows.find((r) => r.relname === t)?.n ?? 0) < LARGE_TABLE_MIN_ROWS);
    if (tooSmall.length) {
      verdicts.push({ name: q.name, ok: true, tooSmall, seqScans: [], statements: 0 });
      continue;
    }
    const captured: CompiledQuery[] = [];
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => { if (event.level === 'query') captured.push(event.query); },
    });
    const sample = async (text: string) => {
      const { rows } = await pool.query(text);
      const value = rows[0] ? Object.values(rows[0])[0] : undefined;
      if (value === undefined || value === null) throw new Error(`no sample value: ${text} returned nothing (generate data first)`);
      return String(value);
    };
    try {
      await q.run(db, sample);
      const selects = captured.filter((c) => /^\s*(select|with|update|delete)\b/i.test(c.sql));
      const scans: string[] = [];
      const plans: string[] = [];
      for (const c of selects) {
        const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${c.sql}`, c.parameters as unknown[]);
        const root = (rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0]!.Plan;
        scans.push(...seqScansIn(root, q.largeTables));
        plans.push(summarise(root));
      }
      verdicts.push({ name: q.name, ok: scans.length === 0 && selects.length > 0, seqScans: scans, statements: selects.length, plan: plans.join('\n---\n'),
        ...(selects.length === 0 ? { error: 'issued no SELECT' } : {}) });
    } catch (err) {
      verdicts.push({ name: q.name, ok: false, seqScans: [], statements: 0, error: (err as Error).message });
    }
  }
  return verdicts;
}
