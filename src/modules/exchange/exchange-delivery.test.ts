/**
 * Exactly-once delivery through the outbox: 1,000 forwarded applications from zj (in this
 * process) to sh, a real server process on its own database. sh is killed with SIGKILL
 * mid-way — transactions in flight die with it, answers already committed are lost on the
 * wire — and started again on the same database and port: all 1,000 arrive as applications,
 * none twice, and both audit chains still verify.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createPlatform, createServices } from '../../app.js';
import { inTransaction } from '../../platform/db/database.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { chinaDate } from '../../platform/calendar/working-days.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';
import { demoPng } from '../../seed/demo-materials.js';
import { createTestDatabase, testConfig, type TestDatabase } from '../../../test/support/app.js';
import { TEST_MASTER_KEY } from '../../../test/support/pg.js';
import { freePort, startServer, type ServerProcess } from '../../../test/faults/support.js';
import { nodeFingerprint, startNode, type TestNode } from '../../../test/support/federation.js';
import { EXCHANGE_SERVICES } from './service.js';
import { keyFingerprint } from './envelope.js';

const TOTAL = 1000;
let zj: TestNode;
let shDb: TestDatabase;
let sh: ServerProcess | undefined;
let shServices: ReturnType<typeof createServices>;
let port: number;

beforeAll(async () => {
  zj = await startNode('zj', { retryBaseMs: 20, retryMaxMs: 300, batchSize: 50, concurrency: 8, leaseMs: 5000, deliverOnEnqueue: false });
  // sh's database: its own node key, and zj trusted — set up in-process before its server starts.
  shDb = await createTestDatabase(true);
  const platform = createPlatform(testConfig(shDb.url, { TONGBAN_NODE_ID: 'sh' }), shDb.database, TEST_MASTER_KEY);
  await platform.keys.rotate('node');
  shServices = createServices(platform);
  await shServices.exchange.trust.addPeer('test-admin', { baseUrl: zj.url, fingerprint: await nodeFingerprint(zj), allowedServices: [...EXCHANGE_SERVICES], nodeId: 'zj' });
  port = await freePort();
  sh = await startServer(shDb.url, { TONGBAN_NODE_ID: 'sh' }, { port, readyWithinMs: 300_000 });
  const shKey = await platform.keys.activeKey('node');
  await zj.services.exchange.trust.addPeer('test-admin', { baseUrl: sh.url, fingerprint: keyFingerprint(shKey.pair.publicKey), allowedServices: [...EXCHANGE_SERVICES], nodeId: 'sh' });
}, 400_000);
afterAll(async () => {
  await sh?.stop('SIGKILL');
  await zj?.close();
  await shDb?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(shDb.database.db)).rows[0]!.n);
const linked = () => count(sql`SELECT count(*) AS n FROM exchange_case_links WHERE origin_node = 'zj'`);

describe('the kill-the-receiver test', () => {
  it('delivers 1,000 forwarded applications exactly once across a SIGKILL of the receiving process', { timeout: 900_000 }, async () => {
    const { exchange } = zj.services;
    const card = demoPng(90).toString('base64');
    const material = { key: 'social-security-card', name: '社会保障卡.png', mediaType: 'image/png', sm3: sm3Hex(Buffer.from(card, 'base64')), contentBase64: card };
    const lisi = DEMO_PEOPLE.lisi;
    for (let batch = 0; batch < TOTAL / 100; batch++) {
      await inTransaction(zj.tdb.database.db, async (trx) => {
        for (let i = 0; i < 100; i++) {
          const n = batch * 100 + i;
          const [id, forwardId] = [randomUUID(), randomUUID()];
          const form = { targetRegion: `上海市黄浦区 ${n}` };
          await exchange.outgoing.create(trx, {
            id, forwardId, mode: '异地代收代办', owningNode: 'sh', matterCode: '310101-YB-001', matterName: '异地就医备案', regionCode: '330106',
            applicantPersonId: null, applicantResidentId: lisi.residentId, applicantName: lisi.name, form, materials: [material], acceptedBy: 'test counter',
          });
          await exchange.flows.forward(trx, 'sh', {
            originCaseId: id, mode: '异地代收代办', matterCode: '310101-YB-001', matterName: '异地就医备案', matterRegion: '310101', acceptedOn: chinaDate(),
            applicant: { residentId: lisi.residentId, name: lisi.name }, form, materials: [material], acceptedBy: { node: 'zj', label: 'test counter' },
          }, forwardId);
        }
      });
    }

    let running = true;
    const attempts = { delivered: 0, retrying: 0 };
    const worker = (async () => {
      while (running) {
        const r = await exchange.deliverDue();
        attempts.delivered += r.delivered;
        attempts.retrying += r.retrying;
        if (r.delivered + r.retrying + r.failed === 0) await sleep(20);
      }
    })();

    try {
      while ((await linked()) < TOTAL * 0.3) await sleep(50);
      expect(await sh!.stop('SIGKILL')).toBe(null); // killed by the signal, not exited
      const atKill = await linked();
      expect(atKill).toBeLessThan(TOTAL);
      const retriesBefore = attempts.retrying;
      while (attempts.retrying === retriesBefore) await sleep(20);

      // The same server, started again on the same database and port.
      sh = await startServer(shDb.url, { TONGBAN_NODE_ID: 'sh' }, { port, readyWithinMs: 300_000 });
      while ((await zj.services.exchange.outbox.counts()).pending) await sleep(200);
    } finally {
      running = false;
      await worker;
    }

    expect(await linked()).toBe(TOTAL);
    expect(await count(sql`SELECT count(DISTINCT forward_message_id) AS n FROM exchange_case_links`)).toBe(TOTAL);
    // Each forward is one application at sh — none lost, none twice.
    expect(await count(sql`SELECT count(*) AS n FROM applications WHERE matter_code = '310101-YB-001'`)).toBe(TOTAL);
    expect(await count(sql`SELECT count(*) AS n FROM exchange_inbox WHERE service = 'case.forward'`)).toBe(TOTAL);
    // The forwards travelled in signed batches (sh advertises them), each one still kept with its batch's proof.
    expect(await count(sql`SELECT count(*) AS n FROM exchange_inbox i JOIN exchange_batches b ON b.direction = 'in' AND b.peer = i.sender AND b.batch_id = i.batch_id`)).toBeGreaterThan(TOTAL / 2);
    expect(await zj.services.exchange.outbox.counts()).toEqual({ delivered: TOTAL });
    const acknowledged = await zj.tdb.database.db.selectFrom('exchange_cases').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('direction', '=', 'out').where('status', '=', 'with owning node').executeTakeFirstOrThrow();
    expect(Number(acknowledged.n)).toBe(TOTAL);
    expect(attempts.retrying).toBeGreaterThan(0);
    await sh.stop('SIGTERM');
    sh = undefined;
    while ((await shServices.audit.chainPending()) > 0);
    expect((await shServices.audit.verify()).ok).toBe(true);
    expect((await zj.services.audit.verify()).ok).toBe(true);
  });
});
