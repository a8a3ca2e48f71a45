/**
 * Appending an audit entry (inserting it and queueing it for the chainer, which links queued
 * entries into the SM3 chain in batches) against the same row written by a plain parameterised
 * INSERT; and verifying the chain against reading it.
 */
import type { Benchmark } from '../lib/types.js';

const CONCURRENCY = 8;

export const benchmarks: Benchmark[] = [
  {
    name: 'audit.append',
    unit: 'ops/s',
    target: 0.3,
    description: `AuditService.append (entry + chaining queue) vs a plain INSERT of the same row through pg, ${CONCURRENCY} concurrent writers`,
    async run(ctx) {
      const node = await ctx.node();
      const pool = ctx.pool();
      await pool.query(`CREATE TABLE IF NOT EXISTS bench_plain_log (
        seq bigserial PRIMARY KEY, at timestamptz NOT NULL, node_id text NOT NULL, actor text NOT NULL, action text NOT NULL,
        entity_type text NOT NULL, entity_id text NOT NULL, detail jsonb NOT NULL)`);
      const detail = { purpose: 'benchmark', fields: ['name', 'residentId'] };
      const { base, ours } = await ctx.compareOps(
        (i) => pool.query(
          'INSERT INTO bench_plain_log (at, node_id, actor, action, entity_type, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [new Date(), 'zj', 'bench', 'bench.write', 'bench', String(i), JSON.stringify(detail)]),
        (i) => node.services.audit.append({ actor: 'bench', action: 'bench.write', entityType: 'bench', entityId: String(i), detail }),
        { concurrency: CONCURRENCY });
      return { value: ours, baseline: 'plain parameterised INSERT (pg)', baselineValue: base };
    },
  },
  {
    name: 'audit.verify',
    unit: 'rows/s',
    target: 0.1,
    description: 'AuditService.verify (recompute every SM3 link) vs reading the same rows with a plain SELECT',
    async run(ctx) {
      const node = await ctx.node();
      const pool = ctx.pool();
      // Entries the append benchmark queued are chained first, so both sides read the same rows.
      await node.services.audit.chainPending();
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_chain');
      const n = rows[0]!.n;
      let t = performance.now();
      for (let after = 0; ; after += 5000) {
        const r = await pool.query('SELECT * FROM audit_log e JOIN audit_chain c ON c.entry_id = e.id WHERE c.chain_seq > $1 ORDER BY c.chain_seq LIMIT 5000', [after]);
        if (r.rowCount === 0) break;
      }
      const base = n / ((performance.now() - t) / 1000);
      t = performance.now();
      const v = await node.services.audit.verify();
      if (!v.ok) throw new Error(`audit chain broken during the benchmark: ${JSON.stringify(v.firstBroken)}`);
      const ours = v.entries / ((performance.now() - t) / 1000);
      return { value: ours, baseline: 'plain keyset SELECT of the rows (pg)', baselineValue: base, notes: { entries: v.entries } };
    },
  },
];
