/**
 * Exactly-once delivery through the outbox: 1,000 forwarded applications, the receiving node
 * stopped mid-way (its open connections cut, so some answers are lost after the receiver has
 * committed) and started again in-process on the same database and port: all 1,000 arrive,
 * none twice, and the audit chains still verify.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createServices } from '../../app.js';
import { inTransaction } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import { startFederation, type TestNode } from '../../../test/support/federation.js';

const TOTAL = 1000;
let zj: TestNode;
let sh: TestNode;
let close: () => Promise<void>;
let restarted: HttpServer | undefined;
beforeAll(async () => {
  ({ zj, sh, close } = await startFederation({ retryBaseMs: 20, retryMaxMs: 300, batchSize: 50, concurrency: 8, leaseMs: 5000 }));
});
afterAll(async () => {
  await restarted?.close();
  await close?.();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the kill-the-receiver test', () => {
  it('delivers 1,000 forwarded applications exactly once across a receiver stop and restart', { timeout: 600_000 }, async () => {
    const { exchange } = zj.services;
    for (let batch = 0; batch < TOTAL / 100; batch++) {
      await inTransaction(zj.tdb.database.db, async (trx) => {
        for (let i = 0; i < 100; i++) {
          const id = randomUUID();
          const forwardId = randomUUID();
          await exchange.caseStore.createOutgoing(trx, {
            id, forwardId, mode: '异地代收代办', owningNode: 'sh', matterCode: 'SH-TEST', matterName: '测试事项', regionCode: '330106',
            applicantPersonId: null, applicantResidentId: '31010119860315003X', applicantName: `申请人${batch * 100 + i}`, form: { n: batch * 100 + i }, materials: [], acceptedBy: 'test counter',
          });
          await exchange.flows.forward(trx, 'sh', {
            originCaseId: id, mode: '异地代收代办', matterCode: 'SH-TEST', matterName: '测试事项', matterRegion: '310101',
            applicant: { residentId: '31010119860315003X', name: `申请人${batch * 100 + i}` }, form: { n: batch * 100 + i }, materials: [], acceptedBy: { node: 'zj', label: 'test counter' },
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

    const received = () => sh.services.exchange.caseStore.count('in');
    while ((await received()).rows < TOTAL * 0.3) await sleep(20);

    // Stop the receiver mid-flight: stop accepting and cut the connections in progress.
    const port = Number(new URL(sh.url).port);
    const closing = sh.app.close();
    sh.app.server.closeAllConnections();
    await closing;
    const atStop = (await received()).rows;
    expect(atStop).toBeLessThan(TOTAL);
    const retriesBefore = attempts.retrying;
    while (attempts.retrying === retriesBefore) await sleep(20);

    // Start it again: new services and HTTP stack on the same database and port.
    const services = createServices(sh.platform);
    restarted = await buildApp(sh.platform, services, false);
    await restarted.listen({ host: '127.0.0.1', port });

    while ((await zj.services.exchange.outbox.counts()).pending) await sleep(200);
    running = false;
    await worker;

    expect(await received()).toEqual({ rows: TOTAL, distinctForwards: TOTAL });
    expect(await services.exchange.inbound['repo'].countInbox(sh.tdb.database.db, 'case.forward')).toBe(TOTAL);
    expect(await zj.services.exchange.outbox.counts()).toEqual({ delivered: TOTAL });
    const acknowledged = await zj.tdb.database.db.selectFrom('exchange_cases').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('direction', '=', 'out').where('status', '=', 'with owning node').executeTakeFirstOrThrow();
    expect(Number(acknowledged.n)).toBe(TOTAL);
    expect(attempts.retrying).toBeGreaterThan(0);
    expect((await services.audit.verify()).ok).toBe(true);
    expect((await zj.services.audit.verify()).ok).toBe(true);
  });
});
