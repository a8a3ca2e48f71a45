/**
 * The ports other engineers' modules plug into, exercised with stand-in adapters: the e-licence
 * wallet (a licence replaces a material) and joint-discipline restrictions (JOINT_DISCIPLINE at
 * submit). Also the officials' overdue and near-due lists.
 */
import type { FieldSealer } from '../../platform/crypto/sealed-json.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { MaterialsService } from '../materials/service.js';
import type { HeldLicence, LicenceWallet } from '../materials/ports.js';
import { chinaDate, workingDayCalendar } from '../../platform/calendar/working-days.js';
import type { ApplicantRestrictions } from './ports.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const ID_CARD: HeldLicence = { licenceId: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U', typeName: '居民身份证', status: '01', issuedOn: '2020-01-01', validUntil: '2040-01-01' };
const submit = (body: object, key: string) => t.call('POST', '/api/v1/applications', { as: 'citizen1', body, headers: { 'idempotency-key': key } });
const addressOf = async () => (await t.call('GET', '/api/v1/materials?materialType=form-address', { as: 'citizen1' })).json().items[0].id;

describe('e-licence wallet port', () => {
  it('once wired, a valid e-licence of an accepted type replaces the material; a revoked one is refused', async () => {
    const licences: HeldLicence[] = [ID_CARD, { ...ID_CARD, licenceId: 'revoked-1', status: '03' }];
    const wallet: LicenceWallet = { listHolderLicences: async () => licences };
    const deps = t.services.applications.deps as { materials: MaterialsService; sealer: FieldSealer };
    const original = deps.materials;
    deps.materials = new MaterialsService(t.platform.database.db, t.services.audit, deps.sealer, wallet);
    try {
      const prep = (await t.call('GET', '/api/v1/applications/prepare?matterCode=330106-SB-001', { as: 'citizen1' })).json();
      expect(prep.licencesAvailable).toBe(true);
      expect(prep.materials.find((m: any) => m.key === 'id-card').licences.map((l: any) => l.licenceId)).toEqual([ID_CARD.licenceId]);
      const form = { fromRegion: '上海', fromAgency: '黄浦区社保中心' };
      const ok = await submit({ matterCode: '330106-SB-001', form, materials: [{ key: 'id-card', licenceId: ID_CARD.licenceId }, { key: 'address', materialId: await addressOf() }] }, 'licence-path-0001');
      expect(ok.statusCode).toBe(201);
      expect(ok.json().application.materials.find((m: any) => m.key === 'id-card')).toMatchObject({ source: 'licence', licenceId: ID_CARD.licenceId });
      const revoked = await submit({ matterCode: '330106-SB-001', form, materials: [{ key: 'id-card', licenceId: 'revoked-1' }, { key: 'address', materialId: await addressOf() }] }, 'licence-path-0002');
      expect(revoked.json().error.code).toBe('LICENCE_INVALID');
      const wrongType = await submit({ matterCode: '330106-YB-001', form: { targetRegion: '上海', kind: '转诊' }, materials: [{ key: 'social-security-card', licenceId: ID_CARD.licenceId }] }, 'licence-path-0003');
      expect(wrongType.json().error.code).toBe('LICENCE_INVALID');
    } finally {
      deps.materials = original;
    }
  });
});

describe('joint-discipline restrictions port', () => {
  it('a restricted applicant is refused with JOINT_DISCIPLINE and nothing is filed', async () => {
    const deps = t.services.applications.deps as { restrictions: ApplicantRestrictions };
    const original = deps.restrictions;
    const asked: boolean[] = [];
    deps.restrictions = { check: async (_a, _m, fastTrack) => { asked.push(fastTrack); return { allowed: false, reason: '列入严重违法失信名单，不适用告知承诺' }; } };
    try {
      const res = await submit({ matterCode: '330106-SB-006', form: {}, materials: [] }, 'restricted-0001');
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'JOINT_DISCIPLINE', message: expect.stringContaining('失信') });
      expect(asked).toEqual([false]);
    } finally {
      deps.restrictions = original;
    }
  });
});

describe('overdue and near-due lists', () => {
  it('shows officials what is overdue and what falls due within three working days', async () => {
    const make = async (key: string) => {
      const app = (await submit({ matterCode: '330106-SB-006', form: {}, materials: [] }, key)).json().application;
      return (await t.call('POST', `/api/v1/applications/${app.id}/actions`, { as: 'official1', body: { action: 'accept', version: app.version } })).json();
    };
    const late = await make('due-list-late');
    const soon = await make('due-list-soon');
    const today = chinaDate();
    const db = t.platform.database.db;
    await db.updateTable('applications').set({ due_on: new Date(Date.parse(`${today}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10) }).where('id', '=', late.id).execute();
    await db.updateTable('applications').set({ due_on: workingDayCalendar.addWorkingDays(today, 2) }).where('id', '=', soon.id).execute();
    const overdue = (await t.call('GET', '/api/v1/applications/queue?due=overdue', { as: 'official1' })).json().items;
    expect(overdue.map((i: any) => i.id)).toEqual([late.id]);
    expect(overdue[0].workingDaysLeft).toBeLessThan(0);
    const near = (await t.call('GET', '/api/v1/applications/queue?due=near', { as: 'official1' })).json().items;
    expect(near.map((i: any) => i.id)).toContain(soon.id);
    expect(near.map((i: any) => i.id)).not.toContain(late.id);
  });
});
