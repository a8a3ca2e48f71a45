/**
 * 用证 with consent, the 加注件, the holder's data-access log, and the service API the
 * materials module will call; plus 亮证 tokens that are forged or expired.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEPARTMENTS } from '../../seed/demo-identity.js';

let t: TestApp;
let driving: { id: string; identifier: string };
beforeAll(async () => {
  t = await startTestApp();
  const items = (await t.call('GET', '/api/v1/me/licences', { as: 'citizen1' })).json().items;
  driving = items.find((i: any) => i.typeName === '机动车驾驶证');
});
afterAll(async () => { await t.close(); });

const loanBody = (overrides: Record<string, unknown> = {}) => ({
  applicationRef: 'BJ-2026-000123', matterCode: '330106-XK-001', matterName: '机动车驾驶证期满换证', purpose: '核验驾驶证信息',
  recipientRegionCode: '330106', recipientDepartment: DEPARTMENTS.xihuApproval, consent: true, ...overrides,
});

describe('lending a licence to an application (用证)', () => {
  let loan: any;

  it('needs the holder\'s explicit consent', async () => {
    const res = await t.call('POST', `/api/v1/licences/${driving.id}/loans`, { as: 'citizen1', body: loanBody({ consent: false }) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CONSENT_REQUIRED');
    expect((await t.call('POST', `/api/v1/licences/${driving.id}/loans`, { as: 'official1', body: loanBody() })).statusCode).toBe(404);
  });

  it('keeps the licence from the reviewing official until the holder consents', async () => {
    expect((await t.call('GET', `/api/v1/licences/${driving.id}`, { as: 'official1' })).statusCode).toBe(404);
  });

  it('produces a sealed 加注件 stamped with the matter and date', async () => {
    const res = await t.call('POST', `/api/v1/licences/${driving.id}/loans`, { as: 'citizen1', body: loanBody() });
    expect(res.statusCode).toBe(201);
    loan = res.json();
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(loan.annotatedCopy.document.annotation.text).toBe(`仅供机动车驾驶证期满换证使用，${today}`);
    expect(loan.annotatedCopy.document.licence.identifier).toBe(driving.identifier);
    expect(loan.loan).toMatchObject({ active: true, applicationRef: 'BJ-2026-000123' });
    expect(loan.loan.consentStatement).toContain('张三 同意');
    // The 加注件's seal is the node's, over its canonical JSON: check it with the same verifier primitives.
    const check = await t.services.licences.trust.sealProblems(loan.annotatedCopy.document, loan.annotatedCopy.seal, new Date(loan.annotatedCopy.document.issuedAt), 'zj');
    expect(check.reasons).toEqual([]);
  });

  it('lets an official of the recipient department read it, and logs each use for the holder', async () => {
    expect((await t.call('GET', `/api/v1/licences/${driving.id}`, { as: 'official1' })).statusCode).toBe(200);
    expect((await t.call('GET', `/api/v1/licence-loans/${loan.loan.id}`, { as: 'official1' })).statusCode).toBe(200);
    expect((await t.call('GET', `/api/v1/licences/${driving.id}`, { as: 'official2' })).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/licence-loans/${loan.loan.id}`, { as: 'official2' })).statusCode).toBe(404);
    const log = (await t.call('GET', '/api/v1/me/data-access-log', { as: 'citizen1' })).json().items;
    const uses = log.filter((e: any) => e.purpose.includes('机动车驾驶证期满换证'));
    expect(uses.length).toBeGreaterThanOrEqual(3);
    expect(uses.some((e: any) => e.actor.includes('陈审批'))).toBe(true);
    expect(uses.every((e: any) => e.fields.includes(`licence:${driving.identifier}`))).toBe(true);
  });

  it('ends the official\'s access when the holder withdraws the consent', async () => {
    const mine = (await t.call('GET', '/api/v1/me/licence-loans', { as: 'citizen1' })).json().items;
    expect(mine.map((l: any) => l.id)).toContain(loan.loan.id);
    expect((await t.call('POST', `/api/v1/licence-loans/${loan.loan.id}/withdraw`, { as: 'citizen1', body: { version: 99 } })).statusCode).toBe(409);
    const res = await t.call('POST', `/api/v1/licence-loans/${loan.loan.id}/withdraw`, { as: 'citizen1', body: { version: loan.loan.version } });
    expect(res.json().active).toBe(false);
    expect((await t.call('GET', `/api/v1/licences/${driving.id}`, { as: 'official1' })).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/licence-loans/${loan.loan.id}`, { as: 'official1' })).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/licence-loans/${loan.loan.id}`, { as: 'citizen1' })).statusCode).toBe(200);
  });
});

describe('service API for the materials module', () => {
  it('lists a holder\'s usable licences by type and lends one with consent', async () => {
    const { licences, lending } = t.services.licences;
    const company = await t.services.identity.userByUsername('company1');
    const permits = await licences.validLicencesOf({ companyId: company!.companyId! }, '食品经营许可证');
    expect(permits).toHaveLength(1);
    expect(await licences.validLicencesOf({ companyId: company!.companyId! }, '结婚证')).toEqual([]);
    const actor = await t.services.identity.authenticate(await t.token('company1'));
    const { annotatedCopy } = await lending.lendToApplication(actor!, permits[0]!.id, loanBody({ matterName: '食品经营许可变更', matterCode: '330106-XK-009' }));
    expect(annotatedCopy.document.annotation.text).toMatch(/^仅供食品经营许可变更使用/);
  });
});

describe('showing a licence by QR (亮证) — bad tokens', () => {
  let created: any;
  beforeAll(async () => {
    created = (await t.call('POST', `/api/v1/licences/${driving.id}/presentations`, { as: 'citizen1', body: { fields: ['vehicleClass'], purpose: '交警路检' } })).json();
  });

  it('refuses a forged token and a token for fields the type does not have', async () => {
    const forged = created.token.slice(0, -2) + (created.token.endsWith('AA') ? 'BB' : 'AA');
    const res = await t.call('GET', `/api/v1/presentations/${forged}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PRESENTATION_INVALID');
    expect((await t.call('GET', '/api/v1/presentations/not-a-token')).json().error.code).toBe('PRESENTATION_INVALID');
    const longer = created.token.replace(/\.([0-9a-z]+)\./, (_: string, exp: string) => `.${(parseInt(exp, 36) + 3600).toString(36)}.`);
    expect((await t.call('GET', `/api/v1/presentations/${longer}`)).json().error.code).toBe('PRESENTATION_INVALID');
    const bad = await t.call('POST', `/api/v1/licences/${driving.id}/presentations`, { as: 'citizen1', body: { fields: ['spouseName'], purpose: '测试' } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a token after five minutes', async () => {
    expect((await t.call('GET', `/api/v1/presentations/${created.token}`)).statusCode).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 5 * 60_000 + 1000);
      const res = await t.call('GET', `/api/v1/presentations/${created.token}`);
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('PRESENTATION_EXPIRED');
    } finally {
      vi.useRealTimers();
    }
  });
});
