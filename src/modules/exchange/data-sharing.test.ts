/**
 * 政务数据共享 across two nodes: 浙江's counter (official1) asks 上海 for 户籍 and 社保 data about
 * 李四; 上海's owner approves a scope; queries return only approved fields, need 李四's consent
 * for the conditional resource, and 李四 sees each read — which department, fields, purpose,
 * from which node — in his data-access log on the 上海 node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type TestNode } from '../../../test/support/federation.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';

let zj: TestNode;
let sh: TestNode;
let close: () => Promise<void>;
beforeAll(async () => { ({ zj, sh, close } = await startFederation()); });
afterAll(async () => { await close?.(); });

const lisi = DEMO_PEOPLE.lisi.residentId;
const inAYear = new Date(Date.now() + 365 * 86400_000).toISOString();
const PURPOSE = '异地代收代办户口迁移身份核验';

async function approved(resourceCode: string, asked: string[], granted: string[]) {
  const req = await zj.call('POST', '/api/v1/data-sharing/access-requests', { as: 'official1', body: { node: 'sh', resourceCode, fields: asked, purpose: PURPOSE } });
  expect(req.statusCode).toBe(201);
  const r = req.json();
  expect(r).toMatchObject({ status: 'pending', requesterNode: 'zj', requesterDepartment: '西湖区行政审批局' });
  const decided = await sh.call('POST', `/api/v1/data-sharing/access-requests/${r.id}/decision`, { as: 'admin', body: { approve: true, fields: granted, expiresAt: inAYear, version: r.version } });
  expect(decided.statusCode).toBe(200);
  return decided.json();
}

describe('data sharing between nodes', () => {
  it('publishes the demo catalogue with sharing class and legal basis', async () => {
    const items = (await sh.call('GET', '/api/v1/data-sharing/resources', { as: 'official2' })).json().items;
    expect(items.map((r: any) => r.code).sort()).toEqual(['hj.basic', 'hy.status', 'sb.contributions']);
    expect(items.find((r: any) => r.code === 'sb.contributions')).toMatchObject({ sharingClass: 'conditional', legalBasis: expect.stringContaining('社会保险法') });
  });

  it('answers only approved fields and shows the read in the person\'s log with the reading node', async () => {
    const approval = await approved('hj.basic', ['name', 'residentId', 'birthDate', 'regionCode'], ['name', 'regionCode']);
    const res = await zj.call('POST', '/api/v1/data-sharing/query', { as: 'official1', body: { node: 'sh', requestId: approval.id, residentId: lisi, purpose: PURPOSE } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ resourceCode: 'hj.basic', fields: ['name', 'regionCode'], data: { name: '李四', regionCode: '310101' } });

    const beyond = await zj.call('POST', '/api/v1/data-sharing/query', { as: 'official1', body: { node: 'sh', requestId: approval.id, residentId: lisi, purpose: PURPOSE, fields: ['birthDate'] } });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json().error.code).toBe('DATA_ACCESS_NOT_APPROVED');
    const otherPurpose = await zj.call('POST', '/api/v1/data-sharing/query', { as: 'official1', body: { node: 'sh', requestId: approval.id, residentId: lisi, purpose: '营销' } });
    expect(otherPurpose.json().error.code).toBe('DATA_ACCESS_NOT_APPROVED');

    const log = (await sh.call('GET', '/api/v1/me/data-access-log', { as: 'citizen2' })).json().items;
    expect(log[0]).toMatchObject({ node: 'zj', department: '西湖区行政审批局', purpose: PURPOSE, fields: ['hj.basic.name', 'hj.basic.regionCode'] });
    const ownerLog = (await sh.call('GET', '/api/v1/data-sharing/query-log', { as: 'admin' })).json().items;
    expect(ownerLog[0]).toMatchObject({ requesterNode: 'zj', resourceCode: 'hj.basic', fields: ['name', 'regionCode'] });
  });

  it('needs the person\'s consent for a conditional resource, and honours its withdrawal', async () => {
    const approval = await approved('sb.contributions', ['paidMonths', 'lastPaidMonth', 'employer'], ['paidMonths', 'lastPaidMonth']);
    const ask = () => zj.call('POST', '/api/v1/data-sharing/query', { as: 'official1', body: { node: 'sh', requestId: approval.id, residentId: lisi, purpose: PURPOSE } });
    const without = await ask();
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CONSENT_REQUIRED');

    const mine = (await sh.call('GET', '/api/v1/me/data-consents', { as: 'citizen2' })).json();
    expect(mine.available.map((r: any) => r.id)).toContain(approval.id);
    const consent = await sh.call('POST', '/api/v1/me/data-consents', { as: 'citizen2', body: { accessRequestId: approval.id } });
    expect(consent.statusCode).toBe(201);
    const withConsent = await ask();
    expect(withConsent.statusCode).toBe(200);
    expect(withConsent.json().data).toEqual({ paidMonths: 146, lastPaidMonth: '2026-10' });

    const revoked = await sh.call('POST', `/api/v1/me/data-consents/${consent.json().id}/revoke`, { as: 'citizen2', body: { version: consent.json().version } });
    expect(revoked.statusCode).toBe(200);
    expect((await ask()).json().error.code).toBe('CONSENT_REQUIRED');
    // Someone else cannot withdraw it, nor see it.
    expect((await sh.call('POST', `/api/v1/me/data-consents/${consent.json().id}/revoke`, { as: 'citizen1', body: { version: 2 } })).statusCode).toBe(404);
  });

  it('refuses queries without an approval and requests by those who may not make them', async () => {
    const pending = (await zj.call('POST', '/api/v1/data-sharing/access-requests', { as: 'official1', body: { node: 'sh', resourceCode: 'hy.status', fields: ['maritalStatus'], purpose: PURPOSE } })).json();
    const res = await zj.call('POST', '/api/v1/data-sharing/query', { as: 'official1', body: { node: 'sh', requestId: pending.id, residentId: lisi, purpose: PURPOSE } });
    expect(res.json().error.code).toBe('DATA_ACCESS_NOT_APPROVED');
    expect((await zj.call('POST', '/api/v1/data-sharing/access-requests', { as: 'citizen1', body: { node: 'sh', resourceCode: 'hy.status', fields: ['maritalStatus'], purpose: PURPOSE } })).statusCode).toBe(403);
    const unknown = await zj.call('POST', '/api/v1/data-sharing/access-requests', { as: 'official1', body: { node: 'sh', resourceCode: 'hy.status', fields: ['salary'], purpose: PURPOSE } });
    expect(unknown.statusCode).toBe(400);
  });
});
