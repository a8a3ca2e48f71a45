/**
 * Hostile input against every route in /openapi.json, as anonymous and as each demo role: no 5xx,
 * no stack trace or SQL, errors in the contract's shape, no other person's unmasked resident ID.
 * The routes come from the OpenAPI document at run time, so routes that modules add are covered
 * without editing this file. Bounded here (TONGBAN_FUZZ_RUNS per route and role, default 3);
 * `npm run fuzz` runs many more.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../../src/seed/demo-identity.js';
import { operationsOf, requestFor, type FuzzRequest, type Operation } from './openapi-arbitraries.js';
import { problemsWith } from './response-checks.js';

const RUNS = Number(process.env.TONGBAN_FUZZ_RUNS ?? 3);
const SEED = process.env.TONGBAN_FUZZ_SEED ? Number(process.env.TONGBAN_FUZZ_SEED) : undefined;

/** Anonymous plus one account per demo role; `person` is whose unmasked resident ID they may see. */
const ACTORS: Array<{ username: string | null; person?: keyof typeof DEMO_PEOPLE }> = [
  { username: null },
  { username: 'citizen1', person: 'zhangsan' },
  { username: 'citizen2', person: 'lisi' },
  { username: 'company1', person: 'wangwu' },
  { username: 'official1' },
  { username: 'official2' },
  { username: 'issuer1' },
  { username: 'inspector1' },
  { username: 'supervisor1' },
  { username: 'grid1' },
  { username: 'admin' },
];

let t: TestApp;
let operations: Operation[] = [];
const tokens = new Map<string, string>();

async function tokenFor(username: string): Promise<string> {
  let token = tokens.get(username);
  if (!token) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    token = res.json().token as string;
    tokens.set(username, token);
  }
  return token;
}

async function send(actor: (typeof ACTORS)[number], req: FuzzRequest) {
  const headers: Record<string, string> = {};
  if (actor.username) headers.authorization = `Bearer ${await tokenFor(actor.username)}`;
  if (req.contentType) headers['content-type'] = req.contentType;
  const res = await t.app.inject({ method: req.method as 'GET', url: req.url, headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
  // A fuzzed logout ends the session: sign in afresh for the next request.
  if (actor.username && res.statusCode === 401) tokens.delete(actor.username);
  return res;
}

beforeAll(async () => {
  t = await startTestApp();
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  operations = operationsOf(doc);
});
afterAll(async () => { await t?.close(); });

describe('hostile input on every documented route', () => {
  it('finds the routes in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/persons/{id}']));
  });

  it('answers every generated request without a 5xx, a leak, or a malformed error', async () => {
    const failures: string[] = [];
    let lastProblem = '';
    for (const op of operations) {
      for (const actor of ACTORS) {
        const foreign = Object.entries(DEMO_PEOPLE).filter(([key]) => key !== actor.person).map(([, p]) => p.residentId);
        lastProblem = '';
        await fc.assert(fc.asyncProperty(requestFor(op), async (req) => {
          const res = await send(actor, req);
          // An ID the caller sent may come back to them (a check result, a validation message).
          const leaks = foreign.filter((id) => !(req.url + (req.payload ?? '')).includes(id));
          const problems = problemsWith({ statusCode: res.statusCode, body: res.body, headers: res.headers }, req.url, leaks);
          if (problems.length) {
            lastProblem = (`${req.method} ${req.url.slice(0, 200)} as ${actor.username ?? 'anonymous'} → ${res.statusCode}: ${problems.join('; ')}\n  body: ${res.body.slice(0, 300)}\n  payload: ${(req.payload ?? '').slice(0, 300)}`);
            throw new Error(lastProblem);
          }
        }), { numRuns: RUNS, seed: SEED, endOnFailure: true }).catch((err: Error) => {
          const seed = /seed: (-?\d+)/.exec(err.message)?.[1];
          failures.push(`${lastProblem || err.message.slice(0, 500)}\n  (replay: TONGBAN_FUZZ_SEED=${seed})`);
        });
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, Math.max(300_000, RUNS * 100_000));
});
