/**
 * 跨省通办 exchange: a signed (SM2), logged, exactly-once request/response between two local
 * nodes — zj (the run's node) asking a second node `sh` on its own database — against plain
 * unsigned JSON over HTTP between the same two: the same client process posting to the same
 * `sh` HTTP server (same hooks as the exchange route), answered without signing, checking, de-duplicating or logging. The difference is
 * what the exchange itself costs. Issue 6 asks ratio ≥ 0.5 (X-Road deployments report about
 * 0.1 through their security servers).
 *
 * The 8 concurrent asks share batch envelopes (docs/exchange.md §2.1: one signature per batch,
 * each message still provable alone), which is where the throughput comes from; the notes say
 * how many messages each request carried on average, and the ratio with one ask at a time —
 * no batching, every message signed alone — so nobody mistakes what was measured.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../src/platform/config.js';
import { openPostgres } from '../../src/platform/db/database.js';
import { prepareNode } from '../../src/node.js';
import { buildApp } from '../../src/app.js';
import { keyFingerprint } from '../../src/modules/exchange/envelope.js';
import { createScratchDatabase } from '../lib/pg-admin.js';
import { BENCH_MASTER_KEY, type BenchContext } from '../lib/context.js';
import type { Benchmark } from '../lib/types.js';
import { expectStatus } from '../lib/latency.js';

const CONCURRENCY = 8;

/** A second node, `sh`, on a database of its own on the same server; closed and dropped at the end. */
async function startPeerNode(ctx: BenchContext) {
  const scratch = await createScratchDatabase(ctx.databaseUrl, 'tb_bench_sh');
  ctx.onClose(() => scratch.drop());
  const config = loadConfig({
    DATABASE_URL: scratch.url, TONGBAN_MASTER_KEY: BENCH_MASTER_KEY, TONGBAN_NODE_ID: 'sh', TONGBAN_DEMO: '0', LOG_LEVEL: 'silent', TONGBAN_PUBLIC_RATE_LIMIT: '1000000',
    TONGBAN_DATA_DIR: '/tmp/tongban-bench-data-sh',
  });
  const database = await openPostgres(scratch.url, 10);
  const { platform, services } = await prepareNode(config, database);
  const app = await buildApp(platform, services, false);
  // The baseline: plain unsigned JSON between the same two nodes, public like /exchange/v1/messages (its rate limit is set out of reach).
  app.post('/bench/plain', { config: { public: true }, schema: { hide: true } },
    async (req) => ({ pong: true, echo: req.body }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  ctx.onClose(async () => { await app.close(); await database.close(); });
  return { url, platform, services };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'exchange.message',
    unit: 'ops/s',
    target: 0.5,
    description: `ExchangeService.ask zj → sh 'ping' (SM2-signed both ways, logged, de-duplicated) vs unsigned JSON POST to the same sh node's HTTP server, ${CONCURRENCY} concurrent`,
    async run(ctx) {
      const zj = await ctx.node();
      const sh = await startPeerNode(ctx);
      const fingerprint = async (n: { platform: typeof zj.platform }) => keyFingerprint((await n.platform.keys.activeKey('node')).pair.publicKey);
      await zj.services.exchange.trust.addPeer('bench', { baseUrl: sh.url, fingerprint: await fingerprint(sh), allowedServices: ['ping'], nodeId: 'sh' });
      await sh.services.exchange.trust.addPeer('bench', { baseUrl: zj.url, fingerprint: await fingerprint(zj), allowedServices: ['ping'], nodeId: zj.platform.config.nodeId });
      const plain = (i: number) => expectStatus(fetch(`${sh.url}/bench/plain`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: i }) }), 200);
      const ask = async (i: number) => {
        const { payload } = await zj.services.exchange.ask('sh', 'ping', { n: i });
        if (payload.pong !== true) throw new Error(`sh answered ${JSON.stringify(payload)}`);
      };
      const shDb = sh.platform.database.db;
      const requestsSoFar = async () => {
        const { rows: [r] } = await sql<{ messages: string; alone: string; batches: string }>`
          SELECT (SELECT count(*) FROM exchange_inbox) AS messages, (SELECT count(*) FROM exchange_inbox WHERE batch_id IS NULL) AS alone,
                 (SELECT count(*) FROM exchange_batches WHERE direction = 'in') AS batches`.execute(shDb);
        return { messages: Number(r!.messages), requests: Number(r!.alone) + Number(r!.batches) };
      };
      const { base, ours } = await ctx.compareOps(plain, ask, { concurrency: CONCURRENCY });
      const seen = await requestsSoFar();
      // One at a time: nothing to batch, so this is the signed single envelope against one plain POST (a latency ratio).
      const one = await ctx.compareOps(plain, ask, { concurrency: 1 });
      return {
        value: ours, baseline: 'unsigned JSON POST to the same sh server', baselineValue: base,
        notes: {
          issue_target_ratio: 0.5, x_road_reported_ratio: 0.1,
          messages_per_request: Math.round((seen.messages / Math.max(1, seen.requests)) * 10) / 10,
          concurrency1_ratio: Math.round((one.ours / one.base) * 1000) / 1000,
        },
      };
    },
  },
];
