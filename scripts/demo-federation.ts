/**
 * `npm run demo:federation`: two tongban nodes on this machine — `zj` (浙江) on 8080 and `sh`
 * (上海) on 8081 — each with its own embedded database (data/zj, data/sh) and demo data, and
 * each trusting the other the way an administrator would: by URL and the pinned fingerprint of
 * the other's node key. `--walkthrough` then plays the 跨省通办 story over HTTP; `--exit` stops
 * after it (a smoke check). Ctrl-C stops both nodes.
 */
import path from 'node:path';
import { loadConfig } from '../src/platform/config.js';
import { createLogger, startNode, type RunningNode } from '../src/node.js';
import { EXCHANGE_SERVICES } from '../src/modules/exchange/service.js';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../src/seed/demo-identity.js';
import { demoPng } from '../src/seed/demo-materials.js';

// TONGBAN_DEMO_PORTS=18080,18081 moves the pair when 8080/8081 are taken.
const ports = (process.env.TONGBAN_DEMO_PORTS ?? '8080,8081').split(',').map(Number);
const NODES = [
  { id: 'zj', name: '浙江省', port: ports[0] ?? 8080 },
  { id: 'sh', name: '上海市', port: ports[1] ?? 8081 },
] as const;
const args = new Set(process.argv.slice(2));
const dataRoot = process.env.TONGBAN_DATA_DIR ?? 'data';

async function start(node: (typeof NODES)[number]): Promise<RunningNode> {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const config = loadConfig({
    ...env, TONGBAN_NODE_ID: node.id, PORT: String(node.port), TONGBAN_DATA_DIR: path.join(dataRoot, node.id), LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  return startNode(config, createLogger(config));
}

async function api(base: string, method: string, url: string, token?: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${base}${url} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const login = async (base: string, username: string) => (await api(base, 'POST', '/api/v1/auth/login', undefined, { username, password: DEMO_PASSWORD })).token as string;

/** What an administrator does on each side: pin the other node's key fingerprint, grant its services. */
async function connect(from: RunningNode, to: RunningNode): Promise<void> {
  const admin = await login(from.url, 'admin');
  const peers = await api(from.url, 'GET', '/api/v1/exchange/peers', admin);
  const description = await api(to.url, 'GET', '/exchange/v1/node');
  if (peers.items.some((p: any) => p.nodeId === description.nodeId)) return;
  // In a real federation the fingerprint comes from the other administrator, out of band.
  const fingerprint = description.keys.find((k: any) => k.status === 'active').fingerprint;
  await api(from.url, 'POST', '/api/v1/exchange/peers', admin, { baseUrl: to.url, fingerprint, nodeId: description.nodeId, allowedServices: [...EXCHANGE_SERVICES] });
}

const until = async (what: string, check: () => Promise<boolean>) => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** The issue's story: citizen2 of 上海 applies through the 浙江 counter and gets the result; a cross-node data query shows in his log. */
async function walkthrough(zj: RunningNode, sh: RunningNode): Promise<void> {
  const say = (s: string) => process.stdout.write(`  ${s}\n`);
  const official1 = await login(zj.url, 'official1');
  const official2 = await login(sh.url, 'official2');
  const citizen2zj = await login(zj.url, 'citizen2');
  const citizen2sh = await login(sh.url, 'citizen2');
  const shAdmin = await login(sh.url, 'admin');

  say('1. 浙江 counter (official1) accepts 李四\'s paper materials for a 上海 matter, scans and forwards them (异地代收代办)');
  const scan = (key: string, name: string, shade: number) => ({ key, name, mediaType: 'image/png', contentBase64: demoPng(shade).toString('base64') });
  const [out] = (await api(zj.url, 'POST', '/api/v1/exchange/cases', official1, {
    mode: '异地代收代办', parts: [{ node: 'sh', matterCode: '310101-HJ-001', matterName: '户口迁移（跨省迁入）', matterRegion: '310101' }],
    applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: { fromAddress: '浙江省杭州市西湖区北山街道保俶路12号' },
    materials: [scan('id-card', '居民身份证.png', 30), scan('household-register', '户口簿.png', 60), scan('residence-proof', '房产证.png', 90)],
  })).items;
  let remoteId: string | undefined;
  await until('the case to reach 上海', async () => {
    remoteId = (await api(zj.url, 'GET', `/api/v1/exchange/cases/${out.id}`, official1)).remoteCaseId ?? undefined;
    return !!remoteId;
  });
  const queued = (await api(sh.url, 'GET', '/api/v1/applications/queue?limit=100', official2)).items.find((a: any) => a.id === remoteId);
  say(`2. 上海 (official2) finds application ${queued.id} (${queued.matterName}, ${queued.status}) in the ordinary queue, accepts and approves it`);
  const accepted = await api(sh.url, 'POST', `/api/v1/applications/${queued.id}/actions`, official2, { action: 'accept', version: queued.version });
  await api(sh.url, 'POST', `/api/v1/applications/${queued.id}/actions`, official2, { action: 'approve', version: accepted.version });
  let back: any;
  await until('the result to come back to 浙江', async () => {
    back = (await api(zj.url, 'GET', `/api/v1/exchange/cases/${out.id}`, citizen2zj));
    return back.result !== null;
  });
  say(`3. 李四 at ${zj.url} sees: ${back.status} (${back.result.opinion}, ${back.result.decidedBy}); timeline: ${back.timeline.map((e: any) => `${e.node}:${e.event}`).join(' → ')}`);

  say('4. 浙江 asks 上海 for 户籍 basic info (unconditional) for identity checks; 上海\'s admin approves name + region only');
  const request = await api(zj.url, 'POST', '/api/v1/data-sharing/access-requests', official1, { node: 'sh', resourceCode: 'hj.basic', fields: ['name', 'regionCode', 'birthDate'], purpose: '异地代收代办身份核验' });
  await api(sh.url, 'POST', `/api/v1/data-sharing/access-requests/${request.id}/decision`, shAdmin, { approve: true, fields: ['name', 'regionCode'], expiresAt: new Date(Date.now() + 180 * 86400_000).toISOString(), version: request.version });
  const answer = await api(zj.url, 'POST', '/api/v1/data-sharing/query', official1, { node: 'sh', requestId: request.id, residentId: DEMO_PEOPLE.lisi.residentId, purpose: '异地代收代办身份核验' });
  say(`   answer: ${JSON.stringify(answer.data)}`);
  const log = (await api(sh.url, 'GET', '/api/v1/me/data-access-log', citizen2sh)).items[0];
  say(`5. 李四's data-access log on 上海: ${log.department} from node ${log.node} read ${log.fields.join(', ')} for "${log.purpose}" at ${log.accessedAt}`);
}

async function main() {
  const running: RunningNode[] = [];
  const stop = async () => {
    await Promise.all(running.map((n) => n.close().catch(() => {})));
  };
  try {
    for (const node of NODES) running.push(await start(node));
    const [zj, sh] = running as [RunningNode, RunningNode];
    await connect(zj, sh);
    await connect(sh, zj);
    process.stdout.write([
      'tongban federation is running:',
      `  zj 浙江省  ${zj.url}   (data in ${path.join(dataRoot, 'zj')})`,
      `  sh 上海市  ${sh.url}   (data in ${path.join(dataRoot, 'sh')})`,
      '  each trusts the other (pinned SM2 node-key fingerprints); demo accounts on both, password Tongban#2026',
      `  try: official1 on ${zj.url} forwards a case for citizen2 to sh; official2 on ${sh.url} decides it in the applications queue (docs/exchange.md);`,
      '  or run it with --walkthrough to play the whole 跨省通办 story',
      '',
    ].join('\n'));
    if (args.has('--walkthrough')) await walkthrough(zj, sh);
  } catch (err) {
    process.stderr.write(`demo:federation: ${(err as Error).message}\n`);
    await stop();
    process.exit(1);
  }
  if (args.has('--exit')) {
    await stop();
    process.exit(0);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void stop().then(() => process.exit(0)); });
}

void main();
