/**
 * Synthetic e-licences (100,000 at scale 1) from 20 synthetic issuing authorities, held by the
 * generated persons, 5% not valid; and the lookups verification, the wallet and the status-list
 * refresh run, which must stay index-driven.
 *
 * The sealed payload is not generated: `payload_enc` is `bench-unreadable` and the signature a
 * placeholder (SM4 and SM2 per row would take minutes for 100,000 rows), so these licences are for
 * listing and lookup load, not for reading or verifying through the API.
 */
import { randomUUID } from 'node:crypto';
import { LicenceRepository } from '../../src/modules/licences/repository.js';
import { codesOf, findLicenceType } from '../../src/modules/licences/types.js';
import type { GenContext, PlanQuery, TableGenerator } from './registry.js';

const AUTHORITIES = 20;
// Real type codes, a former one among them: the wallet's "of type" query asks for every code of a type.
const DRIVING = findLicenceType('机动车驾驶证')!;
const TYPES = [DRIVING.code, ...DRIVING.formerCodes, findLicenceType('社会保障卡')!.code, findLicenceType('不动产权证书')!.code];
const STATUSES = ['02', '03', '04', '05', '99'];

const pick = <T>(ctx: GenContext, items: readonly T[]): T => items[Math.floor(ctx.random() * items.length)]!;

const authorities: TableGenerator = {
  table: 'licence_authorities',
  columns: ['uscc', 'name', 'region_code', 'department'],
  rowsAtScale1: AUTHORITIES,
  async prepare(ctx) {
    // Authorities are unique by USCC and department: continue after those of earlier runs.
    const [{ n }] = await ctx.query<{ n: number }>('SELECT count(*)::int AS n FROM licence_authorities');
    ctx.shared.set('authorityOffset', n);
    ctx.shared.set('authorities', [] as string[]);
  },
  row(i, ctx) {
    const k = i + (ctx.shared.get('authorityOffset') as number);
    const uscc = `11330100${String(k).padStart(9, '0')}B`;
    (ctx.shared.get('authorities') as string[]).push(uscc);
    return [uscc, `合成发证机关${k}`, '330100', `合成发证部门${k}`];
  },
};

const licences: TableGenerator = {
  table: 'licences',
  columns: ['id', 'identifier', 'type_code', 'authority_uscc', 'holder_kind', 'holder_person_id', 'region_code', 'status', 'status_index',
    'valid_from', 'valid_to', 'payload_enc', 'key_id', 'signature', 'issued_at', 'issued_by'],
  rowsAtScale1: 100_000,
  after: ['persons', 'licence_authorities'],
  async prepare(ctx) {
    ctx.shared.set('statusIndexes', new Map<string, number>());
    ctx.shared.set('licenceRun', Date.now().toString(36));
  },
  row(i, ctx) {
    const personIds = ctx.shared.get('personIds') as string[];
    const authority = pick(ctx, ctx.shared.get('authorities') as string[]);
    const indexes = ctx.shared.get('statusIndexes') as Map<string, number>;
    const statusIndex = indexes.get(authority) ?? 0;
    indexes.set(authority, statusIndex + 1);
    const issued = Date.now() - Math.floor(ctx.random() * 3650 * 86400_000);
    const from = new Date(issued).toISOString().slice(0, 10);
    return [
      randomUUID(), `bench.${ctx.shared.get('licenceRun')}.${authority}.${statusIndex}`, pick(ctx, TYPES), authority, 'person', pick(ctx, personIds), '330106',
      ctx.random() < 0.95 ? '01' : pick(ctx, STATUSES), statusIndex, from, ctx.random() < 0.3 ? null : new Date(issued + 3652 * 86400_000).toISOString().slice(0, 10),
      'bench-unreadable', 'zj-seal-bench', 'bench-unsigned', new Date(issued), 'bench',
    ];
  },
};

export const tables: TableGenerator[] = [authorities, licences];

const repo = new LicenceRepository();

export const queries: PlanQuery[] = [
  { name: 'licences.by-identifier', largeTables: ['licences'], run: async (db, sample) => repo.licenceByIdentifier(db, await sample('SELECT identifier FROM licences LIMIT 1')) },
  { name: 'licences.wallet', largeTables: ['licences'], run: async (db, sample) => repo.licencesOfHolder(db, { personId: await sample('SELECT holder_person_id::text FROM licences WHERE holder_person_id IS NOT NULL LIMIT 1') }) },
  {
    name: 'licences.usable-of-type', largeTables: ['licences'],
    run: async (db, sample) => repo.licencesOfHolder(db, { personId: await sample('SELECT holder_person_id::text FROM licences WHERE holder_person_id IS NOT NULL LIMIT 1') },
      { typeCodes: codesOf(DRIVING), usableOn: new Date().toISOString().slice(0, 10) }),
  },
  { name: 'licences.status-list-refresh', largeTables: ['licences'], run: async (db, sample) => repo.notValidIndexes(db, await sample("SELECT authority_uscc FROM licences WHERE status <> '01' LIMIT 1")) },
];
