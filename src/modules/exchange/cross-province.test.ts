/**
 * 跨省通办 between two real nodes, each case a real application at the node that owns the
 * matter: citizen2 (李四, 上海) applies through the 浙江 counter (异地代收代办), official2 of
 * 上海 finds it in the ordinary applications queue and decides it, and the result with its
 * e-licence comes back; 全程网办 followed from home; 多地联办 parts seen as one timeline.
 * Delivery goes through each node's outbox and result jobs, run here by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type TestNode } from '../../../test/support/federation.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';
import { demoPng } from '../../seed/demo-materials.js';
import { DEMO_AUTHORITY } from '../../seed/demo-licences.js';
import { exchangeNodeUserId } from '../../adapters.js';

let zj: TestNode;
let sh: TestNode;
let close: () => Promise<void>;
beforeAll(async () => { ({ zj, sh, close } = await startFederation()); });
afterAll(async () => { await close?.(); });

/** Runs both nodes' outbox and result jobs until nothing moves. */
const flush = async () => {
  for (let i = 0; i < 6; i++) {
    const results = (await zj.services.exchange.flows.sendDueResults()) + (await sh.services.exchange.flows.sendDueResults());
    const [a, b] = [await zj.services.exchange.deliverDue(), await sh.services.exchange.deliverDue()];
    if (results + a.delivered + a.failed + a.retrying + b.delivered + b.failed + b.retrying === 0) return;
  }
};
const scan = (key: string, shade: number) => ({ key, name: `${key}.png`, mediaType: 'image/png', contentBase64: demoPng(shade).toString('base64') });
const HJ = { node: 'sh', matterCode: '310101-HJ-001', matterName: '户口迁移（跨省迁入）', matterRegion: '310101' };
const YB = { node: 'sh', matterCode: '310101-YB-001', matterName: '异地就医备案', matterRegion: '310101' };
const queueOf = async (node: TestNode, as: string) => (await node.call('GET', '/api/v1/applications/queue?limit=100', { as })).json().items as any[];
const act = (id: string, action: string, version: number, reason?: string) =>
  sh.call('POST', `/api/v1/applications/${id}/actions`, { as: 'official2', body: { action, version, ...(reason ? { reason } : {}) } });

describe('异地代收代办: accepted at the 浙江 counter, decided in 上海 as a real application', () => {
  it('files the case in 上海\'s applications queue, and brings the decision and e-licence back to the applicant', async () => {
    const submitted = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'official1',
      body: {
        mode: '异地代收代办', parts: [HJ], applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: { fromAddress: '杭州市西湖区北山街道保俶路12号' },
        materials: [scan('id-card', 10), scan('household-register', 20), scan('residence-proof', 30)],
      },
    });
    expect(submitted.statusCode).toBe(201);
    const [outCase] = submitted.json().items;
    expect(outCase.status).toBe('forwarding');
    await flush();

    const forwarded = (await zj.call('GET', `/api/v1/exchange/cases/${outCase.id}`, { as: 'official1' })).json();
    expect(forwarded.remoteCaseId).toBeTruthy();
    expect(forwarded.status).toBe('submitted');

    // At 上海 it is an ordinary application: in official2's queue, filed for 李四 as known there.
    const queued = (await queueOf(sh, 'official2')).find((a) => a.id === forwarded.remoteCaseId);
    expect(queued).toMatchObject({ matterCode: '310101-HJ-001', status: 'submitted' });
    const app = (await sh.call('GET', `/api/v1/applications/${queued.id}`, { as: 'official2' })).json();
    const lisiAtSh = await sh.services.identity.personIdByResidentId(DEMO_PEOPLE.lisi.residentId);
    expect(app.applicant).toEqual({ kind: 'person', id: lisiAtSh });
    expect(app.form).toMatchObject({ name: '李四', fromAddress: '杭州市西湖区北山街道保俶路12号' });
    expect(app.materials.map((m: any) => m.key).sort()).toEqual(['household-register', 'id-card', 'residence-proof']);
    // Nobody at 浙江's region sees it at 上海, and the owning node keeps just one application per forward.
    expect((await sh.call('GET', `/api/v1/applications/${queued.id}`, { as: 'official1' })).statusCode).toBe(404);
    expect((await queueOf(sh, 'official2')).filter((a) => a.id === queued.id)).toHaveLength(1);

    const accepted = (await act(queued.id, 'accept', queued.version)).json();
    // The applicant, from home, sees the live status at the owning node.
    const following = (await zj.call('GET', `/api/v1/exchange/cases/${outCase.id}`, { as: 'citizen2' })).json();
    expect(following.status).toBe('accepted');
    expect(following.timeline.map((e: any) => e.event)).toEqual(expect.arrayContaining(['accepted at the counter', 'filed as an application', 'accepted (受理)']));

    const approved = await act(queued.id, 'approve', accepted.version);
    expect(approved.statusCode).toBe(200);
    expect((await act(queued.id, 'refuse', approved.json().version, '重复')).statusCode).toBe(422); // decided once
    const card = await sh.services.licences.licences.issueForApplication(DEMO_AUTHORITY.uscc, queued.id, {
      type: '社会保障卡', holder: { kind: 'person', id: DEMO_PEOPLE.lisi.residentId },
      fields: { name: '李四', socialSecurityNumber: DEMO_PEOPLE.lisi.residentId, cardNumber: 'SH3101010001', issuedOn: '2026-01-05' }, validFrom: '2026-01-05', validTo: null,
    });
    await flush();

    const mine = (await zj.call('GET', '/api/v1/exchange/cases', { as: 'citizen2' })).json().items;
    const back = mine.find((c: any) => c.id === outCase.id);
    expect(back.status).toBe('approved');
    expect(back.result).toMatchObject({ decision: 'approved', opinion: '准予办理', decidedBy: expect.stringContaining('周审批'), licence: { id: card.id, name: '社会保障卡' } });
    expect(back.timeline.map((e: any) => e.event)).toEqual(['accepted at the counter', 'received by the owning node', 'decided: approved', 'e-licence delivered']);
    // The result left 上海 once, however often the job runs.
    await flush();
    expect(await sh.services.exchange.outbox.counts()).toEqual({ delivered: 1 });
  });

  it('lets only counter officials forward for someone else', async () => {
    const res = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'citizen1', body: { mode: '异地代收代办', parts: [HJ], applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: {}, materials: [] },
    });
    expect(res.statusCode).toBe(403);
  });

  it('is refused by the owning node when materials are missing or the name does not match, and nothing is filed', async () => {
    const before = (await queueOf(sh, 'official2')).length;
    const forward = async (applicantName: string, materials: unknown[]) => (await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'official1', body: { mode: '异地代收代办', parts: [HJ], applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName, form: { fromAddress: '杭州' }, materials },
    })).json().items[0].id;
    const missing = await forward('李四', [scan('id-card', 11)]);
    const wrongName = await forward('王五', [scan('id-card', 12), scan('household-register', 13), scan('residence-proof', 14)]);
    await flush();
    const refused = async (id: string) => (await zj.call('GET', `/api/v1/exchange/cases/${id}`, { as: 'official1' })).json();
    expect(await refused(missing)).toMatchObject({ status: 'refused by owning node' });
    expect((await refused(missing)).timeline.at(-1).note).toMatch(/^MATERIAL_MISSING/);
    expect((await refused(wrongName)).timeline.at(-1).note).toMatch(/^VALIDATION_FAILED.*name/);
    expect((await queueOf(sh, 'official2')).length).toBe(before);
  });
});

describe('全程网办 and 多地联办', () => {
  it('lets a citizen apply at home for the other node\'s matter and follow it there until the refusal comes back', async () => {
    const res = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'citizen1', body: { mode: '全程网办', parts: [YB], form: { targetRegion: '上海市黄浦区' }, materials: [scan('social-security-card', 50)] },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().items[0].id;
    await flush();
    const followed = (await zj.call('GET', `/api/v1/exchange/cases/${id}`, { as: 'citizen1' })).json();
    expect(followed.status).toBe('submitted');
    expect(followed.timeline.map((e: any) => e.node)).toEqual(expect.arrayContaining(['zj', 'sh']));
    expect((await zj.call('GET', `/api/v1/exchange/cases/${id}`, { as: 'citizen2' })).statusCode).toBe(404);

    // 上海's application was submitted by node zj for 张三 as known at 上海.
    const app = await sh.services.applications.get(
      { userId: exchangeNodeUserId('zj'), username: 'node:zj', roles: ['citizen'], personId: await sh.services.identity.personIdByResidentId(DEMO_PEOPLE.zhangsan.residentId), assuranceLevel: 1, grants: [], label: 'test' },
      followed.remoteCaseId);
    expect(app).toMatchObject({ matterCode: '310101-YB-001', status: 'submitted' });
    const accepted = (await act(app.id, 'accept', app.version)).json();
    expect((await act(app.id, 'refuse', accepted.version, '参保信息不符')).statusCode).toBe(200);
    await flush();
    const back = (await zj.call('GET', `/api/v1/exchange/cases/${id}`, { as: 'citizen1' })).json();
    expect(back).toMatchObject({ status: 'rejected', result: { decision: 'rejected', opinion: '参保信息不符' } });
  });

  it('refuses 全程网办 for a matter the owning node handles only at a counter', async () => {
    const res = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'citizen1', body: { mode: '全程网办', parts: [HJ], form: { fromAddress: '杭州' }, materials: [] },
    });
    await flush();
    const view = (await zj.call('GET', `/api/v1/exchange/cases/${res.json().items[0].id}`, { as: 'citizen1' })).json();
    expect(view.status).toBe('refused by owning node');
    expect(view.timeline.at(-1).note).toMatch(/^RULE_VIOLATION/);
  });

  it('shows the parts of a joint application as one timeline', async () => {
    const res = await zj.call('POST', '/api/v1/exchange/cases', {
      as: 'official1', body: {
        mode: '多地联办', applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: { fromAddress: '杭州', targetRegion: '上海市黄浦区' },
        materials: [scan('id-card', 60), scan('household-register', 61), scan('residence-proof', 62), scan('social-security-card', 63)], parts: [HJ, YB],
      },
    });
    expect(res.statusCode).toBe(201);
    const items = res.json().items;
    expect(items).toHaveLength(2);
    expect(items[0].jointGroup).toBe(items[1].jointGroup);
    await flush();
    const one = (await zj.call('GET', `/api/v1/exchange/cases/${items[0].id}`, { as: 'citizen2' })).json();
    const notes = one.timeline.map((e: any) => e.note ?? '');
    expect(notes.some((n: string) => n.startsWith('户口迁移'))).toBe(true);
    expect(notes.some((n: string) => n.startsWith('异地就医备案'))).toBe(true);
  });

  it('takes a part owned by this node too: each node decides its own part, the applicant follows one timeline', async () => {
    const ZJ = { node: 'zj', matterCode: '330106-HJ-005', matterName: '户籍类证明开具', matterRegion: '330106' };
    const body = (parts: unknown[], mode = '多地联办') => ({
      mode, applicantResidentId: DEMO_PEOPLE.lisi.residentId, applicantName: '李四', form: { fromAddress: '杭州市西湖区北山街道保俶路12号', purpose: '户口迁往上海' },
      materials: [scan('id-card', 70), scan('household-register', 71), scan('residence-proof', 72)], parts,
    });
    // Outside 多地联办 a matter of this node is an ordinary application; the same matter twice is one part.
    expect((await zj.call('POST', '/api/v1/exchange/cases', { as: 'official1', body: body([ZJ], '异地代收代办') })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await zj.call('POST', '/api/v1/exchange/cases', { as: 'official1', body: body([HJ, HJ]) })).json().error.details).toEqual([expect.objectContaining({ message: 'a matter appears twice' })]);

    const res = await zj.call('POST', '/api/v1/exchange/cases', { as: 'official1', body: body([ZJ, HJ]) });
    expect(res.statusCode).toBe(201);
    const [own, other] = res.json().items as any[];
    expect([own.peerNode, other.peerNode]).toEqual(['zj', 'sh']);
    await flush();

    // Each part is an ordinary application in its owning node's queue, filed once.
    const ownPart = (await zj.call('GET', `/api/v1/exchange/cases/${own.id}`, { as: 'official1' })).json();
    const otherPart = (await zj.call('GET', `/api/v1/exchange/cases/${other.id}`, { as: 'official1' })).json();
    const atZj = (await queueOf(zj, 'official1')).filter((a) => a.id === ownPart.remoteCaseId);
    const atSh = (await queueOf(sh, 'official2')).filter((a) => a.id === otherPart.remoteCaseId);
    expect(atZj).toEqual([expect.objectContaining({ matterCode: '330106-HJ-005', status: 'submitted' })]);
    expect(atSh).toEqual([expect.objectContaining({ matterCode: '310101-HJ-001', status: 'submitted' })]);

    const decide = async (node: TestNode, as: string, app: any) => {
      const accepted = (await node.call('POST', `/api/v1/applications/${app.id}/actions`, { as, body: { action: 'accept', version: app.version } })).json();
      expect((await node.call('POST', `/api/v1/applications/${app.id}/actions`, { as, body: { action: 'approve', version: accepted.version } })).statusCode).toBe(200);
    };
    await decide(zj, 'official1', atZj[0]);
    await flush();
    // Half decided: 浙江's part is approved, 上海's still open — and the applicant sees both on one timeline.
    const half = (await zj.call('GET', `/api/v1/exchange/cases/${own.id}`, { as: 'citizen2' })).json();
    expect(half).toMatchObject({ status: 'approved', result: { decision: 'approved' } });
    expect((await zj.call('GET', `/api/v1/exchange/cases/${other.id}`, { as: 'citizen2' })).json().status).toBe('submitted');
    await decide(sh, 'official2', atSh[0]);
    await flush();
    const done = (await zj.call('GET', `/api/v1/exchange/cases/${other.id}`, { as: 'citizen2' })).json();
    expect(done).toMatchObject({ status: 'approved', result: { decision: 'approved' } });
    const decided = done.timeline.filter((e: any) => e.event === 'decided: approved');
    expect(decided.map((e: any) => `${e.node} ${e.note.split(':')[0]}`).sort()).toEqual(['sh 户口迁移（跨省迁入）', 'zj 户籍类证明开具']);
    // The part to itself went through the exchange like the other: kept once in this node's inbox.
    const ownInbox = await zj.tdb.database.db.selectFrom('exchange_inbox').select('service').where('sender', '=', 'zj').where('service', '=', 'case.forward').execute();
    expect(ownInbox).toHaveLength(1);
  });
});
