/**
 * 国密 through the platform wrappers (src/platform/crypto/sm.ts, the node's key store) against
 * sm-crypto-v2 called directly with the fastest options (public key passed, key precomputed).
 */
import { sm2, sm3 } from 'sm-crypto-v2';
import { generateSm2KeyPair, sm2Sign, sm2Verify, sm3Hex } from '../../src/platform/crypto/sm.js';
import type { Benchmark } from '../lib/types.js';

const MESSAGE = JSON.stringify({ licence: 'ZJ-330106-2026-000123', holder: '杭州西湖味道餐饮有限公司', validTo: '2031-11-29' });
const CANDIDATES = Array.from({ length: 2000 }, (_, i) => `applicant-${String(i).padStart(6, '0')}`);

/** Orders candidates by SM3(seed ‖ id): the public, reproducible draw. */
function rank(hash: (s: string) => string, seed: string): string[] {
  return CANDIDATES.map((id) => ({ id, h: hash(`${seed}|${id}`) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0)).map((x) => x.id);
}

export const benchmarks: Benchmark[] = [
  {
    name: 'crypto.sm2.seal-sign',
    unit: 'ops/s',
    target: 0.9,
    description: "NodeKeyStore.sign('seal') (sm.ts) vs sm2.doSignature with the public key passed",
    async run(ctx) {
      const node = await ctx.node();
      const { pair } = await node.platform.keys.activeKey('seal');
      const { base, ours } = await ctx.compareOps(
        () => sm2.doSignature(MESSAGE, pair.privateKey, { der: true, hash: true, publicKey: pair.publicKey }),
        () => node.platform.keys.sign('seal', MESSAGE));
      return { value: ours, baseline: 'raw sm-crypto-v2 doSignature', baselineValue: base };
    },
  },
  {
    name: 'crypto.sm2.verify',
    unit: 'ops/s',
    target: 0.9,
    description: 'sm2Verify (sm.ts, cached precomputed key) vs doVerifySignature with a precomputed key',
    async run(ctx) {
      const pair = generateSm2KeyPair();
      const sig = sm2Sign(MESSAGE, pair);
      const pre = sm2.precomputePublicKey(pair.publicKey);
      const { base, ours } = await ctx.compareOps(
        () => sm2.doVerifySignature(MESSAGE, sig, pre, { der: true, hash: true }),
        () => {
          if (!sm2Verify(MESSAGE, sig, pair.publicKey)) throw new Error('signature did not verify');
        });
      return { value: ours, baseline: 'raw doVerifySignature, precomputed key', baselineValue: base };
    },
  },
  {
    name: 'crypto.sm3.rank',
    unit: 'ops/s',
    target: 0.9,
    description: `ranking ${CANDIDATES.length} candidates by sm3Hex(seed‖id) vs raw sm3()`,
    async run(ctx) {
      const { base, ours } = await ctx.compareOps((i) => rank((s) => sm3(s), `seed-${i}`), (i) => rank(sm3Hex, `seed-${i}`));
      return { value: ours, baseline: 'raw sm-crypto-v2 sm3', baselineValue: base, notes: { candidates: CANDIDATES.length } };
    },
  },
];
