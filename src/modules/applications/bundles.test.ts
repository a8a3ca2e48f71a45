/** 一件事: one form, materials once, one submission fanning out to each matter, on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { demoPng } from '../../seed/demo-materials.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const BUNDLE = '330106-YJS-001'; // 新生儿出生一件事

describe('新生儿出生一件事', () => {
  const ids: Record<string, string> = {};

  it('asks each shared field and material once', async () => {
    const prep = (await t.call('GET', `/api/v1/bundles/${BUNDLE}/prepare`, { as: 'company1' })).json();
    expect(prep.bundle.matterCodes).toHaveLength(3);
    const keys = prep.materials.map((m: any) => m.key);
    expect(keys.filter((k: string) => k === 'household-register')).toHaveLength(1); // needed by 出生登记 and 医保参保
    expect(prep.formFields.filter((f: any) => f.key === 'name')).toHaveLength(1);
    expect(prep.form.name).toBe('王五');
    const shade = { 'birth-certificate': 1, 'household-register-scan': 2, 'marriage-certificate': 3, 'id-card-scan': 4, 'id-photo': 5 } as Record<string, number>;
    for (const [type, s] of Object.entries(shade)) {
      const res = await t.call('POST', '/api/v1/materials', { as: 'company1', body: { materialType: type, title: type, contentBase64: demoPng(s * 20).toString('base64') } });
      ids[type] = res.json().id;
    }
    ids.address = (await t.call('POST', '/api/v1/materials', { as: 'company1', body: { materialType: 'form-address', title: '地址', data: { detail: '西湖区文三路1号' } } })).json().id;
  });

  let bundleId: string;
  const body = () => ({
    form: { childName: '王小宝', childBirthDate: '2026-11-20', insuredName: '王小宝' },
    materials: [
      { key: 'birth-certificate', materialId: ids['birth-certificate'] }, { key: 'household-register', materialId: ids['household-register-scan'] },
      { key: 'marriage-certificate', materialId: ids['marriage-certificate'] }, { key: 'id-card', materialId: ids['id-card-scan'] },
      { key: 'id-photo', materialId: ids['id-photo'] }, { key: 'address', materialId: ids.address },
    ],
  });

  it('one submission files one application per matter, each in the department\'s queue', async () => {
    const res = await t.call('POST', `/api/v1/bundles/${BUNDLE}/applications`, { as: 'company1', body: body(), headers: { 'idempotency-key': 'newborn-wang-0001' } });
    expect(res.statusCode).toBe(201);
    const b = res.json().bundle;
    expect(b.name).toBe('新生儿出生一件事');
    expect(b.applications.map((a: any) => a.matterCode).sort()).toEqual(['330106-HJ-002', '330106-SB-002', '330106-YB-005']);
    expect(b.applications.every((a: any) => a.status === 'submitted' && a.bundleId === b.id)).toBe(true);
    const hj = b.applications.find((a: any) => a.matterCode === '330106-HJ-002');
    const detail = (await t.call('GET', `/api/v1/applications/${hj.id}`, { as: 'company1' })).json();
    expect(detail.form).toEqual({ name: '王五', residentId: expect.any(String), phone: '13606810003', childName: '王小宝', childBirthDate: '2026-11-20' });
    const queue = (await t.call('GET', '/api/v1/applications/queue?status=submitted', { as: 'official1' })).json().items;
    expect(queue.filter((i: any) => i.bundleId === b.id)).toHaveLength(3);
    bundleId = b.id;
  });

  it('a retry returns the same bundle; the person tracks it as one; others cannot see it', async () => {
    const retry = await t.call('POST', `/api/v1/bundles/${BUNDLE}/applications`, { as: 'company1', body: body(), headers: { 'idempotency-key': 'newborn-wang-0001' } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().bundle.id).toBe(bundleId);
    expect((await t.call('GET', `/api/v1/application-bundles/${bundleId}`, { as: 'company1' })).json().applications).toHaveLength(3);
    expect((await t.call('GET', `/api/v1/application-bundles/${bundleId}`, { as: 'citizen2' })).statusCode).toBe(404);
  });

  it('a missing shared material refuses the whole 一件事 and files nothing', async () => {
    const before = (await t.call('GET', '/api/v1/applications', { as: 'company1' })).json().items.length;
    const b = body();
    b.materials = b.materials.filter((m) => m.key !== 'household-register');
    const res = await t.call('POST', `/api/v1/bundles/${BUNDLE}/applications`, { as: 'company1', body: b, headers: { 'idempotency-key': 'newborn-wang-0002' } });
    expect(res.json().error.code).toBe('MATERIAL_MISSING');
    const stray = await t.call('POST', `/api/v1/bundles/${BUNDLE}/applications`, { as: 'company1', body: { ...body(), form: { ...body().form, shoeSize: '42' } }, headers: { 'idempotency-key': 'newborn-wang-0003' } });
    expect(stray.statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/applications', { as: 'company1' })).json().items.length).toBe(before);
    expect((await t.call('POST', '/api/v1/bundles/330106-YJS-999/applications', { as: 'company1', body: body(), headers: { 'idempotency-key': 'newborn-wang-0004' } })).statusCode).toBe(404);
  });
});
