/**
 * 电子证照: verification is what every counter and QR scan does, so it must cost little more
 * than the SM2 verify itself (parsed keys and status lists are cached); issuance seals, stores
 * and audits one licence.
 */
import { randomUUID } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { DEMO_PEOPLE } from '../../src/seed/demo-identity.js';
import { base64ToDerHex, sealMessage, derHexToBase64, type Seal } from '../../src/modules/licences/seal.js';
import { findLicenceType } from '../../src/modules/licences/types.js';
import type { BenchNode } from '../lib/context.js';
import type { Benchmark } from '../lib/types.js';
import { handler, readBody, sendJson } from '../lib/raw.js';
import { compareLatency, expectStatus } from '../lib/latency.js';

/** 机动车驾驶证, as the licences tests issue it. */
const DRIVING = findLicenceType('机动车驾驶证')!.code;
const drivingLicence = () => ({
  type: DRIVING,
  holder: { kind: 'person', id: DEMO_PEOPLE.lisi.residentId },
  fields: { licenceNumber: DEMO_PEOPLE.lisi.residentId, name: '李四', sex: '男', birthDate: '1986-03-15', firstIssuedOn: '2008-07-01', vehicleClass: 'C1' },
  validFrom: '2024-07-01', validTo: '2030-07-01',
});

interface Issued { licence: unknown; seal: Seal }

/** One licence issued through the API, shared by the verify benchmarks. */
let issued: Promise<Issued> | undefined;
function issueOne(node: BenchNode): Promise<Issued> {
  return (issued ??= (async () => {
    const res = await fetch(`${node.url}/api/v1/licences`, {
      method: 'POST', body: JSON.stringify(drivingLicence()),
      headers: { authorization: `Bearer ${await node.token('issuer1')}`, 'content-type': 'application/json' },
    });
    if (res.status !== 201) throw new Error(`issuing the benchmark licence: ${res.status} ${await res.text()}`);
    return await res.json() as Issued;
  })());
}

/** The raw verify: the canonical message and a precomputed public key, nothing else. */
async function rawVerifier(node: BenchNode) {
  const { licence, seal } = await issueOne(node);
  const { pair } = await node.platform.keys.activeKey('seal');
  const pre = sm2.precomputePublicKey(pair.publicKey);
  const der = base64ToDerHex(seal.signature)!;
  const message = sealMessage(licence);
  if (!sm2.doVerifySignature(message, der, pre, { der: true, hash: true })) throw new Error('the raw baseline does not verify the issued seal');
  return { licence, seal, pre, verify: (m: string, sigDer: string) => sm2.doVerifySignature(m, sigDer, pre, { der: true, hash: true }) };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'licences.verify',
    unit: 'ops/s',
    target: 0.8,
    description: 'LicenceService.verify (identifier, seal, key, status list, validity) vs raw doVerifySignature with a precomputed key',
    async run(ctx) {
      const node = await ctx.node();
      const raw = await rawVerifier(node);
      const der = base64ToDerHex(raw.seal.signature)!;
      const message = sealMessage(raw.licence);
      const { base, ours } = await ctx.compareOps(
        () => { if (!raw.verify(message, der)) throw new Error('raw verify failed'); },
        async () => {
          const r = await node.services.licences.licences.verify(raw.licence, raw.seal);
          if (!r.valid) throw new Error(`licence did not verify: ${r.reasons.join('; ')}`);
        });
      return { value: ours, baseline: 'raw doVerifySignature, precomputed key', baselineValue: base };
    },
  },
  {
    name: 'licences.verify-http',
    unit: 'ms',
    target: 0.5,
    description: 'p99 of POST /api/v1/licences/verify (4 clients) vs node:http + JSON.parse + canonicalise + raw doVerifySignature',
    async run(ctx) {
      const node = await ctx.node();
      const raw = await rawVerifier(node);
      const server = await ctx.rawServer(handler(async (req, res) => {
        const body = JSON.parse(await readBody(req)) as Issued;
        const ok = raw.verify(sealMessage(body.licence), base64ToDerHex(body.seal.signature) ?? '');
        sendJson(res, 200, { valid: ok, status: ok ? '01' : null, reasons: [], statusSource: 'not-checked', warnings: [] });
      }));
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ licence: raw.licence, seal: raw.seal }) };
      const { base, ours } = await compareLatency(ctx,
        () => expectStatus(fetch(`${server}/verify`, init), 200),
        () => expectStatus(fetch(`${node.url}/api/v1/licences/verify`, init), 200), 4);
      return {
        value: ours.p99, baseline: 'node:http + raw verify', baselineValue: base.p99,
        notes: { p50_ms: +ours.p50.toFixed(2), per_s: Math.round(ours.opsPerSecond), base_per_s: Math.round(base.opsPerSecond) },
      };
    },
  },
  {
    name: 'licences.issue',
    unit: 'req/s',
    target: 0.2,
    description: 'POST /api/v1/licences as issuer1 (identifier, SM2 seal, status list, audit) vs node:http + raw doSignature + INSERT row + log row (pg), 4 concurrent',
    async run(ctx) {
      const node = await ctx.node();
      const pool = ctx.pool();
      const { keyId, pair } = await node.platform.keys.activeKey('seal');
      await pool.query('CREATE TABLE IF NOT EXISTS bench_plain_licences (id uuid PRIMARY KEY, document jsonb NOT NULL, seal jsonb NOT NULL, issued_at timestamptz NOT NULL DEFAULT now())');
      await pool.query(`CREATE TABLE IF NOT EXISTS bench_plain_log (
        seq bigserial PRIMARY KEY, at timestamptz NOT NULL, node_id text NOT NULL, actor text NOT NULL, action text NOT NULL,
        entity_type text NOT NULL, entity_id text NOT NULL, detail jsonb NOT NULL)`);
      const server = await ctx.rawServer(handler(async (req, res) => {
        const input = JSON.parse(await readBody(req)) as Record<string, unknown>;
        const id = randomUUID();
        const document = { ...input, id, issuedAt: new Date().toISOString() };
        const signature = sm2.doSignature(sealMessage(document), pair.privateKey, { der: true, hash: true, publicKey: pair.publicKey });
        const seal = { alg: 'SM2-SM3', keyId, signature: derHexToBase64(signature) };
        await pool.query('INSERT INTO bench_plain_licences (id, document, seal) VALUES ($1, $2, $3)', [id, JSON.stringify(document), JSON.stringify(seal)]);
        await pool.query('INSERT INTO bench_plain_log (at, node_id, actor, action, entity_type, entity_id, detail) VALUES (now(), $1, $2, $3, $4, $5, $6)',
          ['zj', 'issuer1', 'licence.issue', 'licence', id, JSON.stringify({ type: DRIVING })]);
        sendJson(res, 201, { licence: document, seal });
      }));
      const body = JSON.stringify(drivingLicence());
      const headers = { authorization: `Bearer ${await node.token('issuer1')}`, 'content-type': 'application/json' };
      const { base, ours } = await ctx.compareOps(
        () => expectStatus(fetch(`${server}/licences`, { method: 'POST', body, headers }), 201),
        () => expectStatus(fetch(`${node.url}/api/v1/licences`, { method: 'POST', body, headers }), 201),
        { concurrency: 4 });
      return { value: ours, baseline: 'node:http + raw sign + INSERT (pg)', baselineValue: base };
    },
  },
];
