/**
 * Issue 7 "done when": supervisor1 plans a joint task and draws entities and inspectors; an
 * outside script recomputes the same selection from the public draw JSON with its own SM3;
 * inspector1 and inspector2 record results that appear publicly; a listed company's 告知承诺
 * application is refused with the reason.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { plainSm3 } from '../../../test/support/plain-sm3.js';
import { DEMO_COMPANY } from '../../seed/demo-identity.js';
import { AppError } from '../../platform/errors.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

/**
 * The outsider: given only the public JSON, checks the commitment and recomputes every
 * selection with a separately written SM3. Shares no code with the module.
 */
function outsideRecompute(draw: any) {
  const commitmentOk = plainSm3(draw.seed) === draw.seedCommitment;
  const selected: { entityId: string; stratum: string; inspectors: string[] }[] = [];
  for (const stratum of draw.strata) {
    const ranked = [...stratum.candidates].sort((a: string, b: string) => {
      const ra = plainSm3(`${draw.seed}:${a}`); const rb = plainSm3(`${draw.seed}:${b}`);
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    });
    for (const entityId of ranked.slice(0, stratum.count)) {
      const recused = new Set(draw.recused.filter((r: any) => r.entityId === entityId).map((r: any) => r.inspectorId));
      const inspectors = draw.inspectorPool.filter((i: string) => !recused.has(i))
        .map((i: string) => ({ i, rank: plainSm3(`${draw.seed}:${entityId}:inspector:${i}`) }))
        .sort((x: any, y: any) => (x.rank < y.rank ? -1 : x.rank > y.rank ? 1 : 0))
        .map((x: any) => x.i);
      selected.push({ entityId, stratum: stratum.name, inspectors: inspectors.slice(0, 2) });
    }
  }
  return { commitmentOk, selected };
}

const body = (res: { json(): any }) => res.json();

describe('the demo data', () => {
  it('has at least one revealed draw that is public and recomputes from outside', async () => {
    const list = await t.call('GET', '/api/v1/supervision/draws');
    expect(list.statusCode).toBe(200);
    expect(body(list).items.length).toBeGreaterThanOrEqual(1);
    const draw = body(await t.call('GET', `/api/v1/supervision/draws/${body(list).items[0].id}`));
    expect(Object.keys(draw).sort()).toEqual(['id', 'inspectorPool', 'recused', 'seed', 'seedCommitment', 'selected', 'strata']);
    const outside = outsideRecompute(draw);
    expect(outside.commitmentOk).toBe(true);
    expect(draw.selected).toEqual(outside.selected);
    // The demo declares a recusal, and it is published for the outsider to honour.
    expect(draw.recused.length).toBeGreaterThanOrEqual(1);
  });

  it('agrees with OpenSSL on the SM3 the outsider uses (the seed commitment)', async () => {
    const id = body(await t.call('GET', '/api/v1/supervision/draws')).items[0].id;
    const draw = body(await t.call('GET', `/api/v1/supervision/draws/${id}`));
    const out = execFileSync('openssl', ['dgst', '-sm3'], { input: Buffer.from(draw.seed, 'utf8') }).toString();
    expect(out.trim().split('= ')[1]).toBe(draw.seedCommitment);
  });
});

describe('a joint 双随机 task from plan to public results', () => {
  let task: any;
  let draw: any;

  it('supervisor1 plans a joint task over two departments\' items', async () => {
    const items = body(await t.call('GET', '/api/v1/supervision/items?regionCode=330106')).items;
    const departments = new Set(items.map((i: any) => i.department));
    expect(departments.size).toBeGreaterThanOrEqual(2);
    const res = await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: '联合抽查（测试）', regionCode: '330106', itemIds: items.map((i: any) => i.id), ratios: { A: 0.2, B: 0.5 } } });
    expect(res.statusCode).toBe(201);
    task = body(res);
    expect(task.joint).toBe(true);
    expect(task.draw).toBeNull();
  });

  it('commits the draw: candidates frozen per grade, only SM3(seed) published, nothing public yet', async () => {
    const res = await t.call('POST', `/api/v1/supervision/tasks/${task.id}/draw`, { as: 'supervisor1' });
    expect(res.statusCode).toBe(201);
    const committed = body(res).draw;
    expect(committed.status).toBe('committed');
    expect(committed.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
    expect((await t.call('GET', `/api/v1/supervision/draws/${committed.id}`)).statusCode).toBe(404);
    draw = committed;
  });

  it('refuses to re-run a draw, before and after the reveal, changing nothing', async () => {
    const again = await t.call('POST', `/api/v1/supervision/tasks/${task.id}/draw`, { as: 'supervisor1' });
    expect(again.statusCode).toBe(422);
    expect(body(again).error.code).toBe('DRAW_STATE');
    const revealed = await t.call('POST', `/api/v1/supervision/draws/${draw.id}/reveal`, { as: 'supervisor1' });
    expect(revealed.statusCode).toBe(200);
    const second = await t.call('POST', `/api/v1/supervision/draws/${draw.id}/reveal`, { as: 'supervisor1' });
    expect(body(second).error.code).toBe('DRAW_STATE');
    const pub = body(await t.call('GET', `/api/v1/supervision/draws/${draw.id}`));
    expect(pub).toEqual(body(revealed));
  });

  it('an outside script recomputes exactly the published selection, and the server verifies it', async () => {
    const pub = body(await t.call('GET', `/api/v1/supervision/draws/${draw.id}`));
    expect(pub.seedCommitment).toBe(draw.seedCommitment);
    expect(pub.strata.map((s: any) => s.name)).toEqual(['A', 'B', 'C', 'D']);
    const outside = outsideRecompute(pub);
    expect(outside.commitmentOk).toBe(true);
    expect(pub.selected).toEqual(outside.selected);
    expect(pub.selected.length).toBeGreaterThan(0);
    for (const s of pub.selected) {
      expect(s.inspectors).toHaveLength(2);
      expect(new Set(s.inspectors).size).toBe(2);
      for (const i of s.inspectors) expect(pub.recused).not.toContainEqual({ entityId: s.entityId, inspectorId: i });
    }
    const verify = body(await t.call('GET', `/api/v1/supervision/draws/${draw.id}/verify`));
    expect(verify.ok).toBe(true);
    const listed = body(await t.call('GET', '/api/v1/supervision/draws')).items.map((d: any) => d.id);
    expect(listed).toContain(draw.id);
  });

  it('inspector1 and inspector2 record results (offline-tolerant, idempotent) that appear publicly', async () => {
    const answers = { licenceDisplayed: true, healthCertificates: true, storageTemperature: 3, pricesMarked: true, extinguishersValid: true, exitsClear: true };
    const mine = async (who: string) => body(await t.call('GET', '/api/v1/supervision/inspections?status=assigned', { as: who })).items
      .filter((i: any) => i.drawId === draw.id);
    const one = (await mine('inspector1'))[0];
    expect(one).toBeDefined();
    // The inspection names its joint task's items, whose forms the result answers.
    expect([...one.itemIds].sort()).toEqual([...task.itemIds].sort());
    const result1 = { submissionId: randomUUID(), inspectedAt: new Date().toISOString(), answers, outcome: 'pass', summary: '未发现问题' };
    const r1 = await t.call('POST', `/api/v1/supervision/inspections/${one.id}/result`, { as: 'inspector1', body: result1 });
    expect(r1.statusCode).toBe(200);
    expect(body(r1).status).toBe('published');
    // The device resends after a lost connection: same answer, nothing recorded twice.
    const retry = await t.call('POST', `/api/v1/supervision/inspections/${one.id}/result`, { as: 'inspector1', body: result1 });
    expect(retry.statusCode).toBe(200);
    expect(body(retry).publishedAt).toBe(body(r1).publishedAt);

    const two = (await mine('inspector2')).find((i: any) => i.id !== one.id);
    expect(two).toBeDefined();
    const rectifyBy = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
    const r2 = await t.call('POST', `/api/v1/supervision/inspections/${two.id}/result`, { as: 'inspector2', body: { submissionId: randomUUID(), inspectedAt: new Date().toISOString(), answers: { ...answers, exitsClear: false }, outcome: 'rectify', rectifyBy, summary: '疏散通道堆放杂物，责令整改' } });
    expect(r2.statusCode).toBe(200);

    const results = body(await t.call('GET', '/api/v1/supervision/results')).items;
    const byId = new Map(results.map((r: any) => [r.id, r]));
    expect(byId.get(one.id)).toMatchObject({ entityId: one.entityId, outcome: 'pass', late: false, drawId: draw.id });
    expect(byId.get(two.id)).toMatchObject({ entityId: two.entityId, outcome: 'rectify', rectifyBy });
    expect((byId.get(two.id) as any).publishDue > rectifyBy.slice(0, 8)).toBe(true);
  });

  it('refuses a result from someone not assigned, and an incomplete form, recording nothing', async () => {
    const assigned = body(await t.call('GET', '/api/v1/supervision/inspections?status=assigned', { as: 'supervisor1' })).items.filter((i: any) => i.drawId === draw.id);
    const users = { inspector1: body(await t.call('GET', '/api/v1/me', { as: 'inspector1' })).user.id, inspector2: body(await t.call('GET', '/api/v1/me', { as: 'inspector2' })).user.id, inspector3: body(await t.call('GET', '/api/v1/me', { as: 'inspector3' })).user.id };
    const target = assigned.find((i: any) => !i.inspectors.includes(users.inspector1));
    const outsider = target ? 'inspector1' : null;
    const base = { submissionId: randomUUID(), inspectedAt: new Date().toISOString(), outcome: 'pass', summary: 'x' };
    if (target && outsider) {
      const res = await t.call('POST', `/api/v1/supervision/inspections/${target.id}/result`, { as: outsider, body: { ...base, answers: {} } });
      expect(res.statusCode).toBe(403);
      expect(body(res).error.message).toMatch(/Only the inspectors drawn/);
    }
    const open = assigned.find((i: any) => i.inspectors.includes(users.inspector2) || i.inspectors.includes(users.inspector3));
    const who = open.inspectors.includes(users.inspector2) ? 'inspector2' : 'inspector3';
    const bad = await t.call('POST', `/api/v1/supervision/inspections/${open.id}/result`, { as: who, body: { ...base, answers: { pricesMarked: 'yes' } } });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.details.map((d: any) => d.path)).toEqual(expect.arrayContaining(['$.answers.pricesMarked', '$.answers.licenceDisplayed']));
    const still = body(await t.call('GET', `/api/v1/supervision/inspections/${open.id}`, { as: who }));
    expect(still.status).toBe('assigned');
  });
});

describe('joint discipline at application time', () => {
  it('refuses a listed company\'s 告知承诺 application with the reason and the list entry', async () => {
    const company = body(await t.call('GET', '/api/v1/me', { as: 'company1' })).company;
    const sv = t.services.supervision;
    expect(await sv.fastTrackRestriction({ companyId: company.id }, 'commitment')).toBeNull();

    const entities = body(await t.call('GET', '/api/v1/supervision/entities?limit=500', { as: 'supervisor1' })).items;
    const entity = entities.find((e: any) => e.uscc === DEMO_COMPANY.uscc);
    const entered = await t.call('POST', '/api/v1/supervision/list-entries', { as: 'supervisor1', body: { entityId: entity.id, list: 'abnormal', reason: '未按规定期限公示年度报告', legalBasis: '《企业经营异常名录管理暂行办法》第六条' } });
    expect(entered.statusCode).toBe(201);

    const err = await sv.assertFastTrackAllowed({ companyId: company.id }, 'commitment').catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('JOINT_DISCIPLINE');
    expect(err.status).toBe(422);
    expect(err.message).toContain('未按规定期限公示年度报告');
    expect(err.details[0].listEntry).toMatchObject({ id: body(entered).id, list: 'abnormal', listName: '经营异常名录' });
    // By USCC too, and through the HTTP check officials use.
    expect((await sv.fastTrackRestriction({ uscc: DEMO_COMPANY.uscc }, 'commitment'))?.entry.id).toBe(body(entered).id);
    const check = body(await t.call('POST', '/api/v1/supervision/discipline/check', { as: 'official1', body: { applicant: { uscc: DEMO_COMPANY.uscc }, fastTrack: 'commitment' } }));
    expect(check).toMatchObject({ restricted: true, restriction: 'no_commitment' });
    // The abnormal list does not, by default, forbid 容缺受理 (the serious list does).
    expect(await sv.fastTrackRestriction({ companyId: company.id }, 'tolerance')).toBeNull();
    // It is on the public list and the company's grade shows why.
    expect(body(await t.call('GET', '/api/v1/supervision/lists?list=abnormal')).items.map((e: any) => e.entityId)).toContain(entity.id);
    const grade = body(await t.call('GET', `/api/v1/supervision/entities/${entity.id}/grade`, { as: 'company1' }));
    expect(grade.fired.map((f: any) => f.code)).toContain('abnormal-list');
  });
});
