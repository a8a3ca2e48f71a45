/**
 * 跨省通办 between two real nodes: citizen2 (李四, 上海) applies through the 浙江 counter
 * (异地代收代办), 上海 decides, the result and e-licence come back; 全程网办 followed from home;
 * 多地联办 parts at each node. Delivery goes through each node's outbox job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type TestNode } from '../../../test/support/federation.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';

let zj: TestNode;
let sh: TestNode;
let close: () => Promise<void>;
beforeAll(async () => { ({ zj, sh, close } = await startFederation()); });
afterAll(async () => { await close?.(); });

const flush = async () => {
  for (let i = 0; i < 5; i++) {
    const [a, b] = [await zj.services.exchange.deliverDue(), await sh.services.exchange.deliverDue()];
    if (a.delivered + a.failed + a.retrying + b.delivered + b.failed + b.retrying === 0) return;
  }
};
const scan = { name: '户口簿扫描件.png', mediaType: 'image/png', contentBase64: Buffer.from('scanned household register').toString('base64') };

describe('异地代收代办: accepted at the 浙江 counter, decided in 上海', () => {
  it('carries the case to 上海 and the decision with its e-licence back to the applicant', async () => {
    const submitted = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'official1',
      body: {
        mode: '异地代收代办', parts: [{ node: 'sh', matterCode: 'SH-310101-HJ-001', matterName: '户口迁移', matterRegion: '310101' }],
        applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: { reason: '工作调动' }, materials: [scan],
      },
    });
    expect(submitted.statusCode).toBe(201);
    const [outCase] = submitted.json().items;
    expect(outCase.status).toBe('forwarding');
    await flush();

    const inbox = (await sh.call('GET', '/api/v1/exchange/cases', { as: 'official2' })).json().items;
    const received = inbox.find((c: any) => c.remoteCaseId === outCase.id);
    expect(received).toMatchObject({ direction: 'in', mode: '异地代收代办', peerNode: 'zj', status: 'received', applicantName: '李四' });
    expect(received.applicantResidentId).not.toContain(DEMO_PEOPLE.lisi.residentId.slice(6, 14));
    // An official of another region does not see it.
    expect((await sh.call('GET', `/api/v1/exchange/cases/${received.id}`, { as: 'official1' })).statusCode).toBe(404);

    const decided = await sh.call('POST', `/api/v1/exchange/cases/${received.id}/decide`, {
      as: 'official2', body: { decision: 'approved', opinion: '材料齐全，准予迁入', version: received.version, licence: { id: 'SH-HJ-2026-0001', name: '准予迁入证明' } },
    });
    expect(decided.statusCode).toBe(200);
    const again = await sh.call('POST', `/api/v1/exchange/cases/${received.id}/decide`, { as: 'official2', body: { decision: 'rejected', opinion: 'x', version: received.version } });
    expect(again.statusCode).toBe(409);
    await flush();

    const mine = (await zj.call('GET', '/api/v1/exchange/cases', { as: 'citizen2' })).json().items;
    const back = mine.find((c: any) => c.id === outCase.id);
    expect(back.status).toBe('approved');
    expect(back.result).toMatchObject({ decision: 'approved', licence: { name: '准予迁入证明' } });
    expect(back.timeline.map((e: any) => e.event)).toEqual(['accepted at the counter', 'received by the owning node', 'decided: approved', 'e-licence delivered']);
  });

  it('lets only counter officials forward for someone else', async () => {
    const res = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'citizen1', body: { mode: '异地代收代办', parts: [{ node: 'sh', matterCode: 'X', matterName: 'X', matterRegion: '310101' }], applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: {}, materials: [] },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('全程网办 and 多地联办', () => {
  it('lets the applicant follow a case at the owning node from home', async () => {
    const res = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'citizen1', body: { mode: '全程网办', parts: [{ node: 'sh', matterCode: 'SH-SB-002', matterName: '社保关系转移', matterRegion: '310101' }], form: {}, materials: [] },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().items[0].id;
    await flush();
    const followed = (await zj.call('GET', `/api/v1/exchange/cases/${id}`, { as: 'citizen1' })).json();
    expect(followed.status).toBe('received');
    expect(followed.timeline.map((e: any) => e.node)).toEqual(expect.arrayContaining(['zj', 'sh']));
    expect((await zj.call('GET', `/api/v1/exchange/cases/${id}`, { as: 'citizen2' })).statusCode).toBe(404);
  });

  it('splits a joint application into parts that share one group', async () => {
    const res = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'official1', body: {
        mode: '多地联办', applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: {}, materials: [],
        parts: [{ node: 'sh', matterCode: 'SH-A', matterName: '上海部分', matterRegion: '310101' }, { node: 'sh', matterCode: 'SH-B', matterName: '上海另一部分', matterRegion: '310101' }],
      },
    });
    expect(res.statusCode).toBe(201);
    const items = res.json().items;
    expect(items).toHaveLength(2);
    expect(items[0].jointGroup).toBe(items[1].jointGroup);
  });
});
