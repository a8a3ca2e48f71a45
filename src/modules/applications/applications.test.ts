/** Applications: bad input, access, concurrency, corrections and 好差评 follow-up, on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { demoPng } from '../../seed/demo-materials.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

let key = 0;
const submit = (as: string, body: object, idem: string | null = `test-key-${++key}-${Date.now()}`) =>
  t.call('POST', '/api/v1/applications', { as, body, headers: idem ? { 'idempotency-key': idem } : {} });
const library = async (as: string) => (await t.call('GET', '/api/v1/materials', { as })).json().items as any[];
const count = async (as = 'citizen1') => (await t.call('GET', '/api/v1/applications', { as })).json().items.length;
const act = (as: string, id: string, body: object) => t.call('POST', `/api/v1/applications/${id}/actions`, { as, body });

async function socialSecurityTransfer(as = 'citizen1') {
  const lib = await library(as);
  const res = await submit(as, {
    matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: '黄浦区社保中心' },
    materials: [{ key: 'id-card', materialId: lib.find((m) => m.materialType === 'id-card-scan').id }, { key: 'address', materialId: lib.find((m) => m.materialType === 'form-address').id }],
  });
  expect(res.statusCode).toBe(201);
  return res.json().application;
}

describe('refusals that leave nothing behind', () => {
  it('an unknown matter code is 404 naming the field', async () => {
    const res = await submit('citizen1', { matterCode: '330106-XX-404', form: {}, materials: [] });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.details[0].path).toBe('$.matterCode');
  });

  it('missing form fields and materials are named, and nothing is filed', async () => {
    const before = await count();
    const res = await submit('citizen1', { matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: 'x' }, materials: [] });
    expect(res.json().error.code).toBe('MATERIAL_MISSING');
    expect(res.json().error.details.map((d: any) => d.key).sort()).toEqual(['address', 'id-card']);
    const form = await submit('citizen1', { matterCode: '330106-SB-001', form: { name: '李四' }, materials: [] });
    expect(form.statusCode).toBe(400);
    expect(form.json().error.details.map((d: any) => d.path)).toEqual(expect.arrayContaining(['$.form.name', '$.form.fromRegion']));
    expect(await count()).toBe(before);
  });

  it('needs an Idempotency-Key to submit, and refuses a key reused for another request', async () => {
    expect((await submit('citizen1', { matterCode: '330106-SB-006', form: {}, materials: [] }, null)).statusCode).toBe(400);
    const first = await submit('citizen1', { matterCode: '330106-SB-006', form: {}, materials: [] }, 'same-key-for-two');
    expect(first.statusCode).toBe(201);
    const other = await submit('citizen1', { matterCode: '330106-GJJ-003', form: {}, materials: [] }, 'same-key-for-two');
    expect(other.statusCode).toBe(409);
  });

  it('concurrent retries of one submission file it once', async () => {
    const before = await count();
    const body = { matterCode: '330106-SB-006', form: {}, materials: [] };
    const results = await Promise.all([1, 2, 3].map(() => submit('citizen1', body, 'parallel-retry-key')));
    expect(new Set(results.map((r) => r.json().application.id)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('a photo older than the matter accepts is MATERIAL_EXPIRED; given afresh it is accepted', async () => {
    const lib = await library('citizen1');
    const idCard = lib.find((m) => m.materialType === 'id-card-scan').id;
    const oldPhoto = lib.find((m) => m.materialType === 'id-photo');
    const body = (photo: string) => ({ matterCode: '330106-CRJ-001', form: {}, materials: [{ key: 'id-card', materialId: idCard }, { key: 'id-photo', materialId: photo }] });
    const expired = await submit('citizen1', body(oldPhoto.id));
    expect(expired.statusCode).toBe(422);
    expect(expired.json().error).toMatchObject({ code: 'MATERIAL_EXPIRED', details: [expect.objectContaining({ key: 'id-photo' })] });
    const prep = (await t.call('GET', '/api/v1/applications/prepare?matterCode=330106-CRJ-001', { as: 'citizen1' })).json();
    expect(prep.materials.find((m: any) => m.key === 'id-photo').library[0]).toMatchObject({ id: oldPhoto.id, fresh: false });
    const fresh = await t.call('POST', '/api/v1/materials', { as: 'citizen1', body: { materialType: 'id-photo', title: '出入境证件照', contentBase64: demoPng(90, 33, 48).toString('base64') } });
    expect(fresh.statusCode).toBe(201);
    expect((await submit('citizen1', body(fresh.json().id))).statusCode).toBe(201);
  });

  it('a material of the wrong type is MATERIAL_INVALID, and someone else\'s material is not found', async () => {
    const lib = await library('citizen1');
    const address = lib.find((m) => m.materialType === 'form-address').id;
    const wrong = await submit('citizen1', { matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: 'x' }, materials: [{ key: 'id-card', materialId: address }, { key: 'address', materialId: address }] });
    expect(wrong.json().error.code).toBe('MATERIAL_INVALID');
    const theirs = await submit('citizen2', { matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: 'x' }, materials: [{ key: 'id-card', materialId: address }, { key: 'address', materialId: address }] });
    expect(theirs.statusCode).toBe(404);
  });

  it('an e-licence cannot be used while the licence module is not wired', async () => {
    const res = await submit('citizen1', { matterCode: '330106-SB-001', form: { fromRegion: '上海', fromAgency: 'x' }, materials: [{ key: 'id-card', licenceId: '1.2.156.3005.2.X' }, { key: 'address', materialId: (await library('citizen1')).find((m) => m.kind === 'form').id }] });
    expect(res.json().error.code).toBe('LICENCE_INVALID');
  });

  it('a company-only matter refuses a person, and a fast track only where offered', async () => {
    expect((await submit('citizen1', { matterCode: '330106-SC-005', form: {}, materials: [] })).json().error.code).toBe('RULE_VIOLATION');
    expect((await submit('citizen1', { matterCode: '330106-SB-006', form: {}, materials: [], fastTrack: true })).json().error.code).toBe('RULE_VIOLATION');
  });
});

describe('who may act', () => {
  it('another applicant gets 404, another region\'s official 404, a citizen deciding 403', async () => {
    const app = await socialSecurityTransfer();
    expect((await t.call('GET', `/api/v1/applications/${app.id}`, { as: 'citizen2' })).statusCode).toBe(404);
    expect((await t.call('POST', `/api/v1/applications/${app.id}/withdraw`, { as: 'citizen2', body: { version: app.version } })).statusCode).toBe(404);
    expect((await act('official2', app.id, { action: 'accept', version: app.version })).statusCode).toBe(404);
    expect((await act('citizen1', app.id, { action: 'accept', version: app.version })).statusCode).toBe(403);
    expect((await t.call('GET', `/api/v1/applications/${app.id}`)).statusCode).toBe(401);
  });

  it('two officials acting at once: the second gets 409', async () => {
    const app = await socialSecurityTransfer();
    const [a, b] = await Promise.all([act('official1', app.id, { action: 'accept', version: app.version }), act('admin', app.id, { action: 'not_accept', version: app.version, reason: '材料不全' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const stale = await act('official1', app.id, { action: 'approve', version: app.version });
    expect(stale.statusCode).toBe(409);
  });

  it('invalid transitions are 422, and a refusal needs a reason', async () => {
    const app = await socialSecurityTransfer();
    expect((await act('official1', app.id, { action: 'approve', version: app.version })).json().error.code).toBe('INVALID_TRANSITION');
    expect((await act('official1', app.id, { action: 'not_accept', version: app.version })).statusCode).toBe(400);
  });
});

describe('corrections, withdrawal and ratings', () => {
  it('a correction request pauses the clock, the applicant answers with a new material, and it resumes', async () => {
    const app = await socialSecurityTransfer();
    const accepted = (await act('official1', app.id, { action: 'accept', version: app.version })).json();
    const asked = (await act('official1', app.id, { action: 'request_correction', version: accepted.version, reason: '请补充劳动合同' })).json();
    expect(asked).toMatchObject({ status: 'correction_requested', paused: true });
    const contract = await t.call('POST', '/api/v1/materials', { as: 'citizen1', body: { materialType: 'employment-proof', title: '劳动合同', contentBase64: demoPng(10).toString('base64') } });
    const res = await t.call('POST', `/api/v1/applications/${app.id}/correct`, { as: 'citizen1', body: { version: asked.version, materials: [{ key: 'employment-proof', materialId: contract.json().id }] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', paused: false, dueOn: accepted.dueOn });
    expect(res.json().materials.map((m: any) => m.key).sort()).toEqual(['address', 'employment-proof', 'id-card']);
    expect(res.json().timeline.map((e: any) => e.action)).toEqual(['submit', 'accept', 'request_correction', 'correct']);
  });

  it('withdrawal is possible until decided, not after', async () => {
    const app = await socialSecurityTransfer();
    const w = await t.call('POST', `/api/v1/applications/${app.id}/withdraw`, { as: 'citizen1', body: { version: app.version, reason: '不需要了' } });
    expect(w.json().status).toBe('withdrawn');
    const other = await socialSecurityTransfer();
    const acc = (await act('official1', other.id, { action: 'accept', version: other.version })).json();
    const done = (await act('official1', other.id, { action: 'approve', version: acc.version })).json();
    const late = await t.call('POST', `/api/v1/applications/${other.id}/withdraw`, { as: 'citizen1', body: { version: done.version } });
    expect(late.json().error.code).toBe('INVALID_TRANSITION');
  });

  it('a poor rating opens a rectification task whose reply the applicant sees', async () => {
    const app = await socialSecurityTransfer();
    expect((await t.call('POST', `/api/v1/applications/${app.id}/rating`, { as: 'citizen1', body: { score: 1 } })).json().error.code).toBe('INVALID_TRANSITION');
    await act('official1', app.id, { action: 'not_accept', version: app.version, reason: '不属于本机关职权范围' });
    const rated = await t.call('POST', `/api/v1/applications/${app.id}/rating`, { as: 'citizen1', body: { score: 2, comment: '没说清楚去哪办' } });
    expect(rated.json().rating.rectification).toMatchObject({ status: 'open', reply: null });
    expect((await t.call('POST', `/api/v1/applications/${app.id}/rating`, { as: 'citizen1', body: { score: 5 } })).statusCode).toBe(409);
    const tasks = (await t.call('GET', '/api/v1/rectifications?status=open', { as: 'official1' })).json().items;
    const task = tasks.find((x: any) => x.applicationId === app.id);
    expect(task).toMatchObject({ score: 2, overdue: false });
    expect((await t.call('GET', '/api/v1/rectifications', { as: 'official2' })).json().items).toEqual([]);
    const reply = await t.call('POST', `/api/v1/rectifications/${task.id}/reply`, { as: 'official1', body: { version: task.version, reply: '已电话联系，指引至原参保地办理，并完善了一次性告知单' } });
    expect(reply.json().status).toBe('replied');
    const seen = (await t.call('GET', `/api/v1/applications/${app.id}`, { as: 'citizen1' })).json();
    expect(seen.rating.rectification).toMatchObject({ status: 'replied', reply: expect.stringContaining('一次性告知') });
  });
});

describe('versions and 代办', () => {
  it('a new version of the matter does not change an application already filed', async () => {
    const app = await socialSecurityTransfer();
    const { code, version, ...matter } = (await t.call('GET', '/api/v1/catalog/matters/330106-SB-001')).json();
    const put = await t.call('PUT', `/api/v1/catalog/matters/${code}`, { as: 'official1', body: { version, changeNote: '承诺时限压缩', matter: { ...matter, promisedLimitDays: 5 } } });
    expect(put.json().version).toBe(version + 1);
    const accepted = (await act('official1', app.id, { action: 'accept', version: app.version })).json();
    expect(accepted).toMatchObject({ matterVersion: version, workingDaysLeft: 15 });
    const next = await socialSecurityTransfer();
    expect(next.matterVersion).toBe(version + 1);
  });

  it('a relative with a 代办 grant applies for an elder person, reusing the elder\'s materials', async () => {
    const me = (await t.call('GET', '/api/v1/me', { as: 'citizen1' })).json();
    const body = { matterCode: '330106-SB-005', form: {}, materials: [{ key: 'id-card', materialId: (await library('citizen1')).find((m) => m.materialType === 'id-card-scan').id }], onBehalfOf: me.person.id };
    expect((await submit('company1', body)).statusCode).toBe(404);
    const grant = await t.call('POST', '/api/v1/me/agent-grants', { as: 'citizen1', body: {
      granteeUsername: 'company1', relationship: '子女', matters: ['330106-SB-005'], purpose: '代为办理养老金资格认证',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), consent: true,
    } });
    expect(grant.statusCode).toBe(201);
    const prep = (await t.call('GET', `/api/v1/applications/prepare?matterCode=330106-SB-005&onBehalfOf=${me.person.id}`, { as: 'company1' })).json();
    expect(prep.form.name).toBe('张三');
    const res = await submit('company1', body);
    expect(res.statusCode).toBe(201);
    expect(res.json().application.applicant).toEqual({ kind: 'person', id: me.person.id });
    expect((await t.call('GET', `/api/v1/applications/${res.json().application.id}`, { as: 'citizen1' })).statusCode).toBe(200);
    expect((await submit('company1', { ...body, matterCode: '330106-SB-002' })).statusCode).toBe(404); // outside the grant

    // Each side's list says who filed it: 张三 sees it filed by the relative; the relative finds it
    // among the applications filed for others, naming 张三; 张三's own filings say nothing.
    const id = res.json().application.id;
    const agent = (await t.call('GET', '/api/v1/me', { as: 'company1' })).json();
    const his = (await t.call('GET', '/api/v1/applications', { as: 'citizen1' })).json().items;
    expect(his.find((a: { id: string }) => a.id === id)).toMatchObject({ filedBy: { userId: agent.user.id, name: agent.user.displayName }, applicantName: null });
    expect(his.filter((a: { id: string }) => a.id !== id).every((a: { filedBy: unknown }) => a.filedBy === null)).toBe(true);
    const forOthers = (await t.call('GET', '/api/v1/applications?filed=for-others', { as: 'company1' })).json().items;
    expect(forOthers.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(forOthers[0]).toMatchObject({ applicantName: '张三', filedBy: null });
    expect((await t.call('GET', '/api/v1/applications?filed=for-others', { as: 'citizen1' })).json().items).toEqual([]);
    expect((await t.call('GET', '/api/v1/applications?filed=for-others&forCompany=true', { as: 'company1' })).statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/applications?filed=mine', { as: 'company1' })).statusCode).toBe(400);
  });
});

describe('records that do not exist', () => {
  it('answers 404 to everyone, administrators included', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await act('admin', missing, { action: 'accept', version: 1 })).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/applications/${missing}`, { as: 'admin' })).statusCode).toBe(404);
    expect((await t.call('POST', `/api/v1/rectifications/${missing}/reply`, { as: 'admin', body: { version: 1, reply: '已整改' } })).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/applications/not-a-uuid', { as: 'citizen1' })).statusCode).toBe(400);
  });
});

describe('personal data at rest', () => {
  const db = () => t.platform.database.db;
  const rawApplication = async (id: string) =>
    (await sql<{ form: string; form_sealed: string | null }>`SELECT form::text AS form, form_sealed FROM applications WHERE id = ${id}`.execute(db())).rows[0]!;

  it('seals forms and form-type materials with SM4: the raw rows hold no ID number, name or address; the applicant and the reviewing official read them', async () => {
    const app = await socialSecurityTransfer();
    const residentId: string = app.form.residentId;
    expect(residentId).toMatch(/^33010619490512001[0-9X]$/);
    const raw = await rawApplication(app.id);
    expect(raw.form).toBe('{}');
    expect(raw.form_sealed).toMatch(/^v1\./);
    const everything = JSON.stringify((await sql`SELECT * FROM applications WHERE id = ${app.id}`.execute(db())).rows);
    for (const plain of [residentId, '张三', '黄浦区社保中心', '13805710001']) expect(everything).not.toContain(plain);

    const addresses = (await sql<{ form_data: string; form_sealed: string }>`SELECT form_data::text AS form_data, form_sealed FROM materials WHERE material_type = 'form-address'`.execute(db())).rows;
    expect(addresses.length).toBeGreaterThan(0);
    expect(JSON.stringify(addresses)).not.toContain('保俶路');
    expect(addresses.every((r) => r.form_data === '{}' && r.form_sealed.startsWith('v1.'))).toBe(true);
    expect((await library('citizen1')).find((m) => m.materialType === 'form-address').data.detail).toBe('保俶路12号1幢0201室');

    expect((await t.call('GET', `/api/v1/applications/${app.id}`, { as: 'citizen1' })).json().form).toMatchObject({ residentId, name: '张三' });
    expect((await t.call('GET', `/api/v1/applications/${app.id}`, { as: 'official1' })).json().form.residentId).toBe(residentId);
    for (const other of ['official2', 'citizen2']) expect((await t.call('GET', `/api/v1/applications/${app.id}`, { as: other })).statusCode).toBe(404);
  });

  it('a sealed form copied onto another row does not open, and legacy plaintext rows are re-sealed by the job', async () => {
    const a = await socialSecurityTransfer();
    const b = await socialSecurityTransfer();
    await sql`UPDATE applications SET form_sealed = (SELECT form_sealed FROM applications WHERE id = ${a.id}) WHERE id = ${b.id}`.execute(db());
    expect((await t.call('GET', `/api/v1/applications/${b.id}`, { as: 'citizen1' })).statusCode).toBe(500);

    // A row as filed before migration 0106: plaintext jsonb, nothing sealed.
    await sql`UPDATE applications SET form = ${JSON.stringify(a.form)}::jsonb, form_sealed = NULL WHERE id = ${b.id}`.execute(db());
    expect((await t.call('GET', `/api/v1/applications/${b.id}`, { as: 'citizen1' })).json().form).toEqual(a.form);
    expect(await t.services.applications.sealLegacyForms()).toBeGreaterThanOrEqual(1);
    const raw = await rawApplication(b.id);
    expect(raw.form).toBe('{}');
    expect(raw.form_sealed).toMatch(/^v1\./);
    expect((await t.call('GET', `/api/v1/applications/${b.id}`, { as: 'citizen1' })).json().form).toEqual(a.form);
    expect(await t.services.applications.sealLegacyForms()).toBe(0);
  });
});

describe('keyset pages', () => {
  it('walking the queue and my list a page at a time gives every item once, in order', async () => {
    const filed = [await socialSecurityTransfer(), await socialSecurityTransfer(), await socialSecurityTransfer(), await socialSecurityTransfer()];
    // Four filed within one millisecond, apart only in microseconds (PostgreSQL keeps them; a
    // JS Date does not): a cursor cut to the millisecond would skip or repeat some of them.
    for (const [i, a] of filed.entries()) {
      await sql`UPDATE applications SET created_at = ${`2026-03-02 08:00:00.12345${i}+08`}::timestamptz, submitted_at = ${`2026-03-02 08:00:00.12345${i}+08`}::timestamptz WHERE id = ${a.id}`.execute(t.tdb.database.db);
    }
    for (const [as, url] of [['official1', '/api/v1/applications/queue'], ['citizen1', '/api/v1/applications']] as const) {
      const all = (await t.call('GET', `${url}?limit=200`, { as })).json().items.map((i: any) => i.id);
      expect(all.length).toBeGreaterThanOrEqual(2);
      const walked: string[] = [];
      let after: string | undefined;
      do {
        const page = (await t.call('GET', `${url}?limit=1${after ? `&after=${after}` : ''}`, { as })).json();
        walked.push(...page.items.map((i: any) => i.id));
        after = page.nextCursor;
      } while (after && walked.length <= all.length);
      expect(walked).toEqual(all);
      expect(walked.filter((id) => filed.some((a) => a.id === id))).toHaveLength(filed.length);
    }
    const bad = await t.call('GET', '/api/v1/applications?after=not-a-cursor', { as: 'citizen1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });
});
