/** Inspection evidence downloads: who may fetch which file, with its media type and an SM3 that still matches. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { plainSm3 } from '../../../test/support/plain-sm3.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const json = (res: { json(): any }) => res.json();
const answers = { licenceDisplayed: true, healthCertificates: true, storageTemperature: 4, pricesMarked: true, extinguishersValid: true, exitsClear: true };
const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
const report = Buffer.from('%PDF-1.4 整改通知书', 'utf8');
const userId = async (name: string) => json(await t.call('GET', '/api/v1/me', { as: name })).user.id as string;

/** Draws every entity of 西湖区 and returns two of inspector1's assignments. */
async function assignments() {
  const itemIds = json(await t.call('GET', '/api/v1/supervision/items')).items.map((i: any) => i.id);
  const task = json(await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: 'evidence', regionCode: '330106', itemIds, ratios: { A: 1, B: 1, C: 1, D: 1 } } }));
  const committed = json(await t.call('POST', `/api/v1/supervision/tasks/${task.id}/draw`, { as: 'supervisor1' }));
  await t.call('POST', `/api/v1/supervision/draws/${committed.draw.id}/reveal`, { as: 'supervisor1' });
  return json(await t.call('GET', '/api/v1/supervision/inspections?status=assigned', { as: 'inspector1' })).items as any[];
}

async function record(inspection: any, outcome: 'pass' | 'penalty', submissionId: string) {
  const res = await t.call('POST', `/api/v1/supervision/inspections/${inspection.id}/result`, { as: 'inspector1', body: {
    submissionId, inspectedAt: new Date().toISOString(), answers, outcome, summary: '现场检查',
    ...(outcome === 'penalty' ? { penalty: { severity: 'minor', decision: '警告' } } : {}),
    evidence: [
      { name: '店员健康证.jpg', mediaType: 'image/jpeg', contentBase64: photo.toString('base64') },
      { name: '检查记录.pdf', mediaType: 'application/pdf', contentBase64: report.toString('base64'), personal: false },
    ],
  } });
  expect(res.statusCode).toBe(200);
  return json(await t.call('GET', `/api/v1/supervision/inspections/${inspection.id}/evidence`, { as: 'inspector1' })).items as any[];
}

describe('evidence downloads', () => {
  let published: any; let held: any; let files: any[]; let heldFiles: any[]; let outsider: string;

  beforeAll(async () => {
    const mine = await assignments();
    [published, held] = mine;
    files = await record(published, 'pass', '0a8d6c1e-3f7b-4a55-9a0e-5d2c7b1e4f01');
    heldFiles = await record(held, 'penalty', '0a8d6c1e-3f7b-4a55-9a0e-5d2c7b1e4f02');
    // The region's inspector who was not drawn for this inspection.
    const ids = { inspector2: await userId('inspector2'), inspector3: await userId('inspector3') };
    outsider = published.inspectors.includes(ids.inspector2) ? 'inspector3' : 'inspector2';
  });

  it('gives the drawn inspector every file with its media type, a UTF-8 file name and the SM3 recorded at upload', async () => {
    expect(files.map((f) => [f.name, f.mediaType, f.personal, f.size])).toEqual([['店员健康证.jpg', 'image/jpeg', true, photo.length], ['检查记录.pdf', 'application/pdf', false, report.length]]);
    for (const [f, content] of [[files[0], photo], [files[1], report]] as const) {
      const res = await t.call('GET', `/api/v1/supervision/evidence/${f.id}`, { as: 'inspector1' });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(content)).toBe(true);
      expect(res.headers['content-type']).toBe(f.mediaType);
      expect(res.headers['x-content-sm3']).toBe(plainSm3(content));
      expect(f.sm3).toBe(plainSm3(content));
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(f.name)}`);
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('lets the supervisor of the region and the administrator download personal evidence, but not an undrawn inspector or another department', async () => {
    for (const who of ['supervisor1', 'admin']) {
      expect((await t.call('GET', `/api/v1/supervision/evidence/${files[0].id}`, { as: who })).statusCode).toBe(200);
      expect(json(await t.call('GET', `/api/v1/supervision/inspections/${published.id}/evidence`, { as: who })).items).toHaveLength(2);
    }
    for (const who of [outsider, 'official1', 'official2', 'company1', 'citizen1']) {
      const res = await t.call('GET', `/api/v1/supervision/evidence/${files[0].id}`, { as: who });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('PDF');
      expect(json(await t.call('GET', `/api/v1/supervision/inspections/${published.id}/evidence`, { as: who })).items.map((f: any) => f.id)).toEqual([files[1].id]);
    }
  });

  it('shows the public only non-personal evidence, and only of published results', async () => {
    expect(json(await t.call('GET', `/api/v1/supervision/inspections/${published.id}/evidence`)).items.map((f: any) => f.name)).toEqual(['检查记录.pdf']);
    const pub = await t.call('GET', `/api/v1/supervision/evidence/${files[1].id}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.rawPayload.equals(report)).toBe(true);
    expect((await t.call('GET', `/api/v1/supervision/evidence/${files[0].id}`)).statusCode).toBe(404);
    // A penalty waiting for the supervisor's confirmation is not public yet, files included.
    expect((await t.call('GET', `/api/v1/supervision/evidence/${heldFiles[1].id}`)).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/supervision/inspections/${held.id}/evidence`)).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/supervision/evidence/${heldFiles[1].id}`, { as: 'supervisor1' })).statusCode).toBe(200);
    expect((await t.call('GET', '/api/v1/supervision/evidence/00000000-0000-4000-8000-000000000000', { as: 'admin' })).statusCode).toBe(404);
  });

  it('refuses to serve a file that no longer matches its SM3', async () => {
    await t.tdb.database.db.updateTable('sup_evidence').set({ content: Buffer.from('forged') }).where('id', '=', files[1].id).execute();
    const res = await t.call('GET', `/api/v1/supervision/evidence/${files[1].id}`);
    expect(res.statusCode).toBe(500);
    expect(json(res).error.code).toBe('INTEGRITY_FAILED');
    expect(res.body).not.toContain('forged');
  });

  it('refuses an upload whose personal flag is not a boolean, storing nothing', async () => {
    const [, , third] = await assignments().then((a) => a.filter((i) => i.id !== published.id && i.id !== held.id));
    const res = await t.call('POST', `/api/v1/supervision/inspections/${(third ?? held).id}/result`, { as: 'inspector1', body: {
      submissionId: '0a8d6c1e-3f7b-4a55-9a0e-5d2c7b1e4f03', inspectedAt: new Date().toISOString(), answers, outcome: 'pass', summary: 'x',
      evidence: [{ name: 'a.jpg', mediaType: 'image/jpeg', contentBase64: 'AAAA', personal: 'no' }],
    } });
    expect(res.statusCode).toBe(400);
  });

  it('takes a phone photo of several megabytes, and refuses one over 8 MiB with 413, storing nothing', async () => {
    const rest = await assignments().then((a) => a.filter((i) => i.id !== published.id && i.id !== held.id && i.status !== 'recorded' && i.status !== 'published'));
    const target = rest[0]!;
    const body = (bytes: number, submissionId: string) => ({
      submissionId, inspectedAt: new Date().toISOString(), answers, outcome: 'pass', summary: '现场照片',
      evidence: [{ name: '现场.jpg', mediaType: 'image/jpeg', contentBase64: Buffer.concat([photo, Buffer.alloc(bytes - photo.length, 7)]).toString('base64'), personal: false }],
    });
    const tooBig = await t.call('POST', `/api/v1/supervision/inspections/${target.id}/result`, { as: 'inspector1', body: body(8 * 1_048_576 + 1, '0a8d6c1e-3f7b-4a55-9a0e-5d2c7b1e4f05') });
    expect(tooBig.statusCode).toBe(413);
    expect(await t.tdb.database.db.selectFrom('sup_evidence').select('id').where('inspection_id', '=', target.id).execute()).toEqual([]);

    const ok = await t.call('POST', `/api/v1/supervision/inspections/${target.id}/result`, { as: 'inspector1', body: body(5 * 1_048_576, '0a8d6c1e-3f7b-4a55-9a0e-5d2c7b1e4f06') });
    expect(ok.statusCode).toBe(200);
    const stored = await t.tdb.database.db.selectFrom('sup_evidence').select(['size_bytes']).where('inspection_id', '=', target.id).execute();
    expect(stored).toEqual([{ size_bytes: 5 * 1_048_576 }]);
  });
});
