/**
 * Job licences.status-lists.fetch, with two nodes that are exchange peers: once zj holds sh's
 * signed status list, a revocation on sh reaches zj's offline verification by the job alone —
 * no administrator import — and a peer answering with a forged list changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type TestNode } from '../../../test/support/federation.js';
import { peerStatusLists } from '../../adapters.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';

let zj: TestNode;
let sh: TestNode;
let close: () => Promise<void>;
beforeAll(async () => { ({ zj, sh, close } = await startFederation()); });
afterAll(async () => { await close(); });

const verifyOnZj = async (s: { licence: unknown; seal: unknown }) => (await zj.call('POST', '/api/v1/licences/verify', { body: { licence: s.licence, seal: s.seal } })).json();
const runJob = () => zj.services.licences.licences.statusLists.refreshForeign(peerStatusLists(zj.services.exchange));

describe('fetching trusted peers\' status lists', () => {
  it('follows a revocation on the other node without an administrator', async () => {
    const issued = await sh.call('POST', '/api/v1/licences', {
      as: 'issuer1', body: {
        type: '社会保障卡', holder: { kind: 'person', id: DEMO_PEOPLE.lisi.residentId },
        fields: { name: '李四', socialSecurityNumber: DEMO_PEOPLE.lisi.residentId, cardNumber: 'S31010100001', issuedOn: '2026-02-01' }, validFrom: '2026-02-01', validTo: '2036-01-31',
      },
    });
    expect(issued.statusCode).toBe(201);
    const shLicence = issued.json();
    const keys = (await sh.call('GET', '/api/v1/trust/keys')).json();
    const fingerprint = keys.keys.find((k: any) => k.status === 'active').fingerprint;
    expect((await zj.call('POST', '/api/v1/trust/nodes', { as: 'admin', body: { nodeId: 'sh', fingerprints: [fingerprint], keys } })).statusCode).toBe(200);

    const uscc = shLicence.licence.issuer.uscc;
    expect(await runJob()).toEqual({ updated: [], failed: [] }); // no list held yet: nothing to follow
    expect((await zj.call('POST', '/api/v1/trust/status-lists', { as: 'admin', body: (await sh.call('GET', `/api/v1/licences/status-lists/${uscc}`)).json() })).statusCode).toBe(200);
    expect(await verifyOnZj(shLicence)).toMatchObject({ valid: true, statusSource: 'status-list' });

    await sh.call('POST', `/api/v1/licences/${shLicence.id}/status`, { as: 'issuer1', body: { status: '03', reason: '登记错误，依法撤销' } });
    expect(await runJob()).toEqual({ updated: [`sh/${uscc}`], failed: [] });
    expect(await verifyOnZj(shLicence)).toMatchObject({ valid: false, statusSource: 'status-list' });
    expect(await runJob()).toEqual({ updated: [], failed: [] }); // nothing newer
  });

  it('keeps the held list when a peer answers with a forged one, and reports it', async () => {
    const [held] = await zj.platform.database.db.selectFrom('licence_status_lists').select(['authority_uscc', 'list_json']).where('node_id', '=', 'sh').execute();
    const genuine = (await sh.call('GET', `/api/v1/licences/status-lists/${held!.authority_uscc}`)).json();
    const forged = { list: { ...genuine.list, bits: JSON.parse(held!.list_json).bits, updatedAt: new Date(Date.now() + 60_000).toISOString() }, seal: genuine.seal };
    const result = await zj.services.licences.licences.statusLists.refreshForeign(async () => forged);
    expect(result.updated).toEqual([]);
    expect(result.failed[0]!.reason).toMatch(/seal does not hold/);
    const [after] = await zj.platform.database.db.selectFrom('licence_status_lists').select('list_json').where('node_id', '=', 'sh').execute();
    expect(after!.list_json).toBe(held!.list_json);
  });
});
