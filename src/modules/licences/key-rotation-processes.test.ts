/**
 * Two server processes on one database: a sealing-key rotation or revocation made through one
 * is used by the other within ACTIVE_KEY_RECHECK_MS — never "until restart". The second
 * process's clock is moved by the test instead of sleeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { openPostgres, type Database } from '../../platform/db/database.js';
import { ACTIVE_KEY_RECHECK_MS, NodeKeyStore } from '../../platform/crypto/node-keys.js';
import { createServices, type Services } from '../../app.js';
import { DEMO_AUTHORITY } from '../../seed/demo-licences.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';

let t: TestApp;
let otherDb: Database;
let other: Services;
let clock = Date.now();

beforeAll(async () => {
  t = await startTestApp();
  // The second process: its own connection pool, key store and services on the same database.
  otherDb = await openPostgres(t.tdb.url, 2);
  const keys = new NodeKeyStore(otherDb.db, t.platform.config.nodeId, t.platform.secrets.fieldKeyHex, { now: () => clock });
  other = createServices({ ...t.platform, database: otherDb, keys });
});
afterAll(async () => {
  await otherDb.close();
  await t.close();
});

let n = 0;
/** The other process seals a 社会保障卡 for 李四; returns the sealed licence. */
const sealElsewhere = () => other.licences.licences.issueBySystem(DEMO_AUTHORITY.uscc, 'system:test', {
  type: '社会保障卡', holder: { kind: 'person', id: DEMO_PEOPLE.lisi.residentId },
  fields: { name: '李四', socialSecurityNumber: DEMO_PEOPLE.lisi.residentId, cardNumber: `B3101010${String(++n).padStart(4, '0')}`, issuedOn: '2026-01-05' },
  validFrom: '2026-01-05', validTo: '2036-01-04',
});
const verifyHere = async (s: Awaited<ReturnType<typeof sealElsewhere>>) =>
  (await t.call('POST', '/api/v1/licences/verify', { body: { licence: s.licence, seal: s.seal } })).json();

describe('the active sealing key across processes', () => {
  it('a rotation in one process is used by the other within the bound, and both seals verify', async () => {
    const before = await sealElsewhere();
    const rotated = await t.call('POST', '/api/v1/trust/keys/rotate', { as: 'admin', body: { reason: '定期轮换' } });
    expect(rotated.statusCode).toBe(201);
    const newKey = rotated.json().keyId as string;
    expect(newKey).not.toBe(before.seal.keyId);

    // Inside the bound the other process may still seal with the retired key: those seals verify.
    const inWindow = await sealElsewhere();
    expect(inWindow.seal.keyId).toBe(before.seal.keyId);
    expect(await verifyHere(inWindow)).toMatchObject({ valid: true });

    clock += ACTIVE_KEY_RECHECK_MS;
    const after = await sealElsewhere();
    expect(after.seal.keyId).toBe(newKey);
    expect(await verifyHere(after)).toMatchObject({ valid: true, reasons: [] });
  });

  it('after a revocation in one process, the other stops sealing with the revoked key within the bound', async () => {
    const current = (await sealElsewhere()).seal.keyId;
    const revoked = await t.call('POST', `/api/v1/trust/keys/${current}/revoke`, { as: 'admin', body: { reason: '私钥疑似泄露' } });
    expect(revoked.statusCode).toBe(200);
    clock += ACTIVE_KEY_RECHECK_MS;
    const after = await sealElsewhere();
    expect(after.seal.keyId).not.toBe(current);
    expect(await verifyHere(after)).toMatchObject({ valid: true, reasons: [] });
  });

  it('while nothing changes, the cached key is reused (the same key id on every seal)', async () => {
    const a = await sealElsewhere();
    clock += ACTIVE_KEY_RECHECK_MS;
    const b = await sealElsewhere();
    expect(b.seal.keyId).toBe(a.seal.keyId);
  });
});
