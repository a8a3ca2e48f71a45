/** The HTTP stack's own cost: tongban's Fastify pipeline against a raw node:http server. */
import { checkResidentId } from '../../src/modules/identity/resident-id.js';
import { DEMO_PEOPLE } from '../../src/seed/demo-identity.js';
import type { Benchmark } from '../lib/types.js';
import { handler, readBody, sendJson } from '../lib/raw.js';

export const benchmarks: Benchmark[] = [
  {
    name: 'http.overhead',
    unit: 'req/s',
    // Helmet headers, request ids, the auth hook, schema serialisation: about half of bare node:http.
    target: 0.35,
    description: 'GET /healthz through the whole pipeline vs a raw node:http hello-world',
    async run(ctx) {
      const node = await ctx.node();
      const raw = await ctx.rawServer(handler((_req, res) => sendJson(res, 200, { status: 'ok', db: 'postgres', node: 'zj' })));
      const { base, ours } = await ctx.compareLoad({ url: `${raw}/healthz` }, { url: `${node.url}/healthz` });
      return {
        value: ours.rps, baseline: 'raw node:http hello-world', baselineValue: base.rps,
        notes: { p50_ms: ours.p50, p99_ms: ours.p99, base_p99_ms: base.p99 },
      };
    },
  },
  {
    name: 'identity.check',
    unit: 'req/s',
    target: 0.3,
    description: 'POST /api/v1/identity/check (public, validated) vs node:http parsing JSON and running the same check',
    async run(ctx) {
      const node = await ctx.node();
      const raw = await ctx.rawServer(handler(async (req, res) => {
        const body = JSON.parse(await readBody(req)) as { value: string };
        const r = checkResidentId(body.value);
        sendJson(res, 200, { valid: r.valid, errors: r.errors, ...(r.info ? { info: r.info } : {}) });
      }));
      const spec = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'resident-id', value: DEMO_PEOPLE.zhangsan.residentId }) };
      const { base, ours } = await ctx.compareLoad({ ...spec, url: `${raw}/check` }, { ...spec, url: `${node.url}/api/v1/identity/check` });
      return {
        value: ours.rps, baseline: 'node:http + JSON.parse + same check', baselineValue: base.rps,
        notes: { p50_ms: ours.p50, p99_ms: ours.p99 },
      };
    },
  },
];
