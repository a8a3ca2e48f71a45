/**
 * The signed-in path every page takes: bearer token → session → user → actor, and sign-in itself
 * (dominated by the argon2id hash), each against node:http doing the same SQL through plain pg.
 */
import { randomBytes } from 'node:crypto';
import { verify as argonVerify } from '@node-rs/argon2';
import { sm3Hex } from '../../src/platform/crypto/sm.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-identity.js';
import type { Benchmark } from '../lib/types.js';
import { handler, readBody, sendJson } from '../lib/raw.js';

export const benchmarks: Benchmark[] = [
  {
    name: 'identity.me',
    unit: 'req/s',
    target: 0.25,
    description: 'GET /api/v1/me signed in vs node:http + one parameterised SELECT (session⋈user⋈person) through pg',
    async run(ctx) {
      const node = await ctx.node();
      const token = await node.token('citizen1');
      const pool = ctx.pool();
      const raw = await ctx.rawServer(handler(async (req, res) => {
        const t = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const { rows } = await pool.query(
          `SELECT u.id, u.username, u.roles, u.display_name, p.id AS person_id, p.name, p.resident_id_masked
             FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN persons p ON p.id = u.person_id
            WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`, [sm3Hex(t)]);
        if (!rows[0]) return sendJson(res, 401, { error: 'unauthenticated' });
        sendJson(res, 200, rows[0]);
      }));
      const headers = { authorization: `Bearer ${token}` };
      const { base, ours } = await ctx.compareLoad({ url: `${raw}/me`, headers }, { url: `${node.url}/api/v1/me`, headers });
      return { value: ours.rps, baseline: 'node:http + pg SELECT', baselineValue: base.rps, notes: { p50_ms: ours.p50, p99_ms: ours.p99 } };
    },
  },
  {
    name: 'identity.login',
    unit: 'req/s',
    target: 0.6,
    description: 'POST /api/v1/auth/login vs node:http + argon2 verify + INSERT session through pg',
    async run(ctx) {
      const node = await ctx.node();
      const pool = ctx.pool();
      const raw = await ctx.rawServer(handler(async (req, res) => {
        const body = JSON.parse(await readBody(req)) as { username: string; password: string };
        const { rows } = await pool.query('SELECT id, password_hash FROM users WHERE username = $1', [body.username]);
        if (!rows[0] || !(await argonVerify(rows[0].password_hash as string, body.password))) return sendJson(res, 401, { error: 'bad credentials' });
        const token = randomBytes(32).toString('base64url');
        await pool.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '12 hours')`, [sm3Hex(token), rows[0].id]);
        sendJson(res, 200, { token });
      }));
      const spec = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'official1', password: DEMO_PASSWORD }), connections: 4 };
      const { base, ours } = await ctx.compareLoad({ ...spec, url: `${raw}/login` }, { ...spec, url: `${node.url}/api/v1/auth/login` });
      return { value: ours.rps, baseline: 'node:http + argon2 + pg INSERT', baselineValue: base.rps, notes: { p50_ms: ours.p50, p99_ms: ours.p99 } };
    },
  },
];
