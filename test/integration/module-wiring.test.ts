/**
 * The modules working together as app.ts wires them: an e-licence from the wallet replaces a
 * material in an application, and a company on a discipline list is refused 告知承诺 with the
 * list entry (联合惩戒), while the same application without the fast track goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { DEMO_COMPANY, DEMO_PEOPLE } from '../../src/seed/demo-identity.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

describe('e-licences in applications', () => {
  it('offers citizen1\'s own 社会保障卡 e-licence for a matter that accepts it, and files the application with it', async () => {
    const prep = (await t.call('GET', '/api/v1/applications/prepare?matterCode=330106-YB-001', { as: 'citizen1' })).json();
    expect(prep.licencesAvailable).toBe(true);
    const offer = prep.materials.find((m: any) => m.licences?.length);
    expect(offer.licences[0]).toMatchObject({ typeName: '社会保障卡', status: '01' });
    // The referral (转诊证明) is optional for this matter; the licence alone makes the application complete.
    const res = await t.call('POST', '/api/v1/applications', {
      as: 'citizen1', headers: { 'idempotency-key': 'wiring-licence-0001' },
      body: { matterCode: '330106-YB-001', form: { targetRegion: '上海市', kind: '异地长期居住' }, materials: [{ key: offer.key, licenceId: offer.licences[0].licenceId }] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().application.materials.find((m: any) => m.key === offer.key)).toMatchObject({ source: 'licence' });
  });

  it('does not offer another person\'s licences', async () => {
    const prep = (await t.call('GET', '/api/v1/applications/prepare?matterCode=330106-YB-001', { as: 'citizen2' })).json();
    expect(prep.materials.flatMap((m: any) => m.licences ?? [])).toEqual([]);
  });
});

describe('joint discipline at application time', () => {
  it('refuses a listed company\'s 告知承诺 application with the reason and the list entry, and files nothing', async () => {
    const entities = (await t.call('GET', '/api/v1/supervision/entities?limit=500', { as: 'supervisor1' })).json().items;
    const entity = entities.find((e: any) => e.uscc === DEMO_COMPANY.uscc);
    const entered = await t.call('POST', '/api/v1/supervision/list-entries', {
      as: 'supervisor1', body: { entityId: entity.id, list: 'abnormal', reason: '未按规定期限公示年度报告', legalBasis: '《企业经营异常名录管理暂行办法》第六条' },
    });
    expect(entered.statusCode).toBe(201);

    const before = (await t.call('GET', '/api/v1/applications?forCompany=true', { as: 'company1' })).json().items.length;
    const apply = (key: string, fastTrack: boolean) => t.call('POST', '/api/v1/applications', {
      as: 'company1', headers: { 'idempotency-key': key },
      body: { matterCode: '330106-SC-003', forCompany: true, fastTrack, form: { operatorName: DEMO_COMPANY.name, foodCategories: '热食类食品制售', residentId: DEMO_PEOPLE.wangwu.residentId }, materials: [] },
    });
    const refused = await apply('wiring-discipline-0001', true);
    expect(refused.json()).toMatchObject({ error: { code: 'JOINT_DISCIPLINE' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('JOINT_DISCIPLINE');
    expect(refused.json().error.message).toContain('未按规定期限公示年度报告');
    expect(refused.json().error.details[0].listEntry).toMatchObject({ id: entered.json().id, listName: '经营异常名录' });
    expect((await t.call('GET', '/api/v1/applications?forCompany=true', { as: 'company1' })).json().items.length).toBe(before);

    // Without the fast track the restriction does not apply (materials are then what is missing).
    const ordinary = await apply('wiring-discipline-0002', false);
    expect(ordinary.json().error?.code).not.toBe('JOINT_DISCIPLINE');
  });
});
