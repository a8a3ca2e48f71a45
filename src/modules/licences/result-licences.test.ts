/**
 * 审批即发证: approving an application whose matter names a result licence issues it to the
 * applicant in the approval's own transaction — it is in their wallet and its seal verifies;
 * a matter with none issues none; a retry never issues twice; a licence that cannot be issued
 * leaves the application as it was. On PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { demoPng } from '../../seed/demo-materials.js';
import { DEMO_COMPANY, DEMO_PEOPLE } from '../../seed/demo-identity.js';
import { DEMO_APPROVAL_AUTHORITY } from '../../seed/demo-licences.js';
import { renderFields, resultLicenceProblems, validUntil } from './result-licences.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

let n = 0;
const act = (id: string, body: object) => t.call('POST', `/api/v1/applications/${id}/actions`, { as: 'official1', body });
const wallet = async (as: string) => (await t.call('GET', '/api/v1/me/licences', { as })).json().items as any[];

async function upload(as: string, materialType: string, forCompany = false): Promise<string> {
  const res = await t.call('POST', '/api/v1/materials', { as, body: { materialType, title: `${materialType} ${++n}`, contentBase64: demoPng(20 + n).toString('base64'), forCompany } });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

/** company1 applies for 食品经营许可 for the company, and official1 accepts it. */
async function acceptedFoodLicence(form: Record<string, string> = {}) {
  const materials = [{ key: 'premises-proof', materialId: await upload('company1', 'premises-proof', true) }, { key: 'floor-plan', materialId: await upload('company1', 'floor-plan', true) }];
  const res = await t.call('POST', '/api/v1/applications', {
    as: 'company1', headers: { 'idempotency-key': `result-licence-${++n}-${Date.now()}` },
    body: { matterCode: '330106-SC-003', forCompany: true, form: { operatorName: DEMO_COMPANY.name, foodCategories: '热食类食品制售、冷食类食品制售', premises: '浙江省杭州市西湖区文三路100号二层', residentId: DEMO_PEOPLE.wangwu.residentId, ...form }, materials },
  });
  expect(res.statusCode, res.body).toBe(201);
  const app = res.json().application;
  const accepted = await act(app.id, { action: 'accept', version: app.version });
  expect(accepted.statusCode).toBe(200);
  return accepted.json();
}

describe('approving an application issues its result licence', () => {
  it('puts the licence in the holder\'s wallet, names it on the application, and the seal verifies', async () => {
    const before = (await wallet('company1')).length;
    const app = await acceptedFoodLicence();
    const approved = await act(app.id, { action: 'approve', version: app.version });
    expect(approved.statusCode).toBe(200);
    const done = approved.json();
    expect(done.status).toBe('approved');

    const items = await wallet('company1');
    expect(items).toHaveLength(before + 1);
    const issued = items.find((l) => done.result.includes(l.identifier));
    expect(issued).toMatchObject({ typeName: '食品经营许可证', holderKind: 'company', status: '01', issuer: DEMO_APPROVAL_AUTHORITY.name });
    expect(done.result).toContain('已签发电子证照：食品经营许可证');
    const event = done.timeline.find((e: any) => e.action === 'issue_licence');
    expect(event.reason).toContain(issued.identifier);
    expect(event.reason).toContain(issued.id);

    const sealed = (await t.call('GET', `/api/v1/licences/${issued.id}`, { as: 'company1' })).json();
    expect(sealed.licence.holder).toMatchObject({ kind: 'company', id: DEMO_COMPANY.uscc, name: DEMO_COMPANY.name });
    expect(sealed.licence.fields).toMatchObject({
      operatorName: DEMO_COMPANY.name, legalRepresentative: DEMO_COMPANY.legalRepresentative, premises: '浙江省杭州市西湖区文三路100号二层',
      items: ['热食类食品制售', '冷食类食品制售'], businessForm: '餐饮服务经营者',
    });
    expect(sealed.licence.fields.licenceNumber).toMatch(/^JY1330106\d{7}$/);
    expect(sealed.licence.validTo).toBe(validUntil(sealed.licence.validFrom, 5));
    const verified = (await t.call('POST', '/api/v1/licences/verify', { body: { licence: sealed.licence, seal: sealed.seal } })).json();
    expect(verified).toMatchObject({ valid: true, status: '01', reasons: [] });
  });

  it('a matter with no result licence issues none', async () => {
    const lib = (await t.call('GET', '/api/v1/materials', { as: 'citizen1' })).json().items as any[];
    const res = await t.call('POST', '/api/v1/applications', {
      as: 'citizen1', headers: { 'idempotency-key': `no-result-${Date.now()}` },
      body: { matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: '黄浦区社保中心' }, materials: [{ key: 'id-card', materialId: lib.find((m) => m.materialType === 'id-card-scan').id }, { key: 'address', materialId: lib.find((m) => m.materialType === 'form-address').id }] },
    });
    const app = res.json().application;
    const before = (await wallet('citizen1')).length;
    const accepted = (await act(app.id, { action: 'accept', version: app.version })).json();
    const done = (await act(app.id, { action: 'approve', version: accepted.version })).json();
    expect(done.status).toBe('approved');
    expect(done.result).toBe('准予办理');
    expect(done.timeline.map((e: any) => e.action)).not.toContain('issue_licence');
    expect(await wallet('citizen1')).toHaveLength(before);
  });

  it('a retried or racing approval issues one licence, and a direct retry returns that same licence', async () => {
    const app = await acceptedFoodLicence();
    const before = (await wallet('company1')).length;
    const results = await Promise.all([1, 2, 3].map(() => act(app.id, { action: 'approve', version: app.version })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const again = await act(app.id, { action: 'approve', version: app.version });
    expect([409, 422]).toContain(again.statusCode);
    const items = await wallet('company1');
    expect(items).toHaveLength(before + 1);

    // The port itself is idempotent per application: the same approval replayed finds the licence.
    const row = (await t.call('GET', `/api/v1/applications/${app.id}`, { as: 'official1' })).json();
    const matter = (await t.call('GET', '/api/v1/catalog/matters/330106-SC-003')).json();
    const replay = await t.services.licences.results.issue({ id: app.id, matter, applicant: { kind: 'company', companyId: row.applicant.id }, form: row.form, approvedOn: '2026-01-01' }, t.platform.database.db);
    expect(replay).toMatchObject({ replayed: true });
    expect(row.result).toContain((replay as { identifier: string }).identifier);
    expect(await wallet('company1')).toHaveLength(before + 1);
  });

  it('a licence that cannot be issued refuses the approval and changes nothing', async () => {
    const app = await acceptedFoodLicence({ premises: '' });
    const before = (await wallet('company1')).length;
    const res = await act(app.id, { action: 'approve', version: app.version });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('RESULT_LICENCE_FAILED');
    expect(JSON.stringify(res.json().error.details)).toContain('premises');
    const still = (await t.call('GET', `/api/v1/applications/${app.id}`, { as: 'official1' })).json();
    expect(still).toMatchObject({ status: 'accepted', version: app.version, result: null });
    expect(await wallet('company1')).toHaveLength(before);
  });

  it('a person applying for a company\'s licence is approved without one, and the timeline says why', async () => {
    const materials = [{ key: 'premises-proof', materialId: await upload('citizen2', 'premises-proof') }, { key: 'floor-plan', materialId: await upload('citizen2', 'floor-plan') }];
    const res = await t.call('POST', '/api/v1/applications', {
      as: 'citizen2', headers: { 'idempotency-key': `person-food-${Date.now()}` },
      body: { matterCode: '330106-SC-003', form: { operatorName: '李四小吃', foodCategories: '热食类食品制售', premises: '上海' }, materials },
    });
    const app = res.json().application;
    const accepted = (await act(app.id, { action: 'accept', version: app.version })).json();
    const done = (await act(app.id, { action: 'approve', version: accepted.version })).json();
    expect(done.status).toBe('approved');
    expect(done.timeline.find((e: any) => e.action === 'licence_not_issued').reason).toContain('未自动签发');
    expect((await wallet('citizen2')).some((l) => l.typeName === '食品经营许可证')).toBe(false);
  });
});

describe('a matter\'s result-licence mapping is checked when it is saved', () => {
  const matter = { formFields: [{ key: 'spouseName' }], applicantKinds: ['person' as const] };
  it('names the unknown type, the wrong field, the unmapped required field and the unknown placeholder', () => {
    expect(resultLicenceProblems({ type: '不存在证', fields: [] }, matter)[0]!.path).toBe('$.resultLicence.type');
    const problems = resultLicenceProblems({ type: '结婚证', fields: [{ field: 'colour', value: 'x' }, { field: 'spouseName', value: '{form.spouse}' }, { field: 'name', value: '{oops}' }] }, matter);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['$.resultLicence.fields[0].field', '$.resultLicence.fields[1].value', '$.resultLicence.fields[2].value', '$.resultLicence.fields']));
    expect(resultLicenceProblems({ type: '营业执照', fields: [] }, matter).some((p) => p.message.includes('held by a company'))).toBe(true);
  });

  it('the catalogue refuses a bad mapping with 400 and the paths', async () => {
    const current = (await t.call('GET', '/api/v1/catalog/matters/330106-MZ-001')).json();
    const { code, version, ...body } = current;
    const res = await t.call('PUT', `/api/v1/catalog/matters/${code}`, {
      as: 'official1', body: { version, changeNote: '结果证照映射', matter: { ...body, resultLicence: { type: '结婚证', fields: [{ field: 'name', value: '{form.nope}' }] } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: any) => d.path)).toEqual(expect.arrayContaining(['$.resultLicence.fields[0].value', '$.resultLicence.fields']));
  });

  it('{ref:N} is N digits and the same for the same application (property)', () => {
    fc.assert(fc.property(fc.uuid(), fc.integer({ min: 1, max: 12 }), (id, digits) => {
      const spec = { type: '结婚证', fields: [{ field: 'certificateNumber', value: `{ref:${digits}}` }] };
      const a = renderFields(spec, {}, id).certificateNumber as string;
      return a.length === digits && /^\d+$/.test(a) && a === renderFields(spec, {}, id).certificateNumber;
    }));
  });
});

describe('marriage registration issues a 结婚证 to the applicant', () => {
  it('with the spouse from the form and the approval date as the registration date', async () => {
    const photo = await upload('citizen2', 'id-photo');
    const household = await upload('citizen2', 'household-register-scan');
    const res = await t.call('POST', '/api/v1/applications', {
      as: 'citizen2', headers: { 'idempotency-key': `marriage-${Date.now()}` },
      body: { matterCode: '330106-MZ-001', form: { spouseName: '王芳', spouseResidentId: '11010519491231002X' }, materials: [{ key: 'household-register', materialId: household }, { key: 'id-photo', materialId: photo }] },
    });
    expect(res.statusCode).toBe(201);
    const app = res.json().application;
    const accepted = (await act(app.id, { action: 'accept', version: app.version })).json();
    const done = (await act(app.id, { action: 'approve', version: accepted.version })).json();
    const licence = (await wallet('citizen2')).find((l) => l.typeName === '结婚证');
    expect(done.result).toContain(licence.identifier);
    const sealed = (await t.call('GET', `/api/v1/licences/${licence.id}`, { as: 'citizen2' })).json();
    expect(sealed.licence.holder).toMatchObject({ kind: 'person', id: DEMO_PEOPLE.lisi.residentId });
    expect(sealed.licence.fields).toMatchObject({ name: '李四', spouseName: '王芳', spouseIdNumber: '11010519491231002X', registeredOn: sealed.licence.validFrom });
    expect(sealed.licence.fields.certificateNumber).toMatch(/^J330106-\d{4}-\d{6}$/);
  });
});
