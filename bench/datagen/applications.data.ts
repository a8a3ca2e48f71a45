/**
 * Synthetic applications (1,000,000 at scale 1) across the demo matters, departments and regions,
 * in every status, and the listings that must stay index-driven at that size: an official's queue
 * (first page, next page, overdue), a citizen's own applications.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationsRepository } from '../../src/modules/applications/repository.js';
import { FieldSealer } from '../../src/platform/crypto/sealed-json.js';
import { DEPARTMENTS } from '../../src/seed/demo-identity.js';
import type { GenContext, PlanQuery, TableGenerator } from './registry.js';

const MATTERS = [
  ['330106-SB-001', '社会保险关系转移'], ['330106-SB-006', '社会保障卡申领'], ['330106-GJJ-003', '住房公积金提取'],
  ['330106-CRJ-001', '普通护照签发'], ['330106-HJ-002', '户口迁移'], ['310101-SB-001', '社会保险关系转移'],
] as const;
const PLACES: Array<[string, string]> = [
  ['330106', DEPARTMENTS.xihuApproval], ['330102', '上城区行政审批局'], ['330105', '拱墅区行政审批局'], ['310101', DEPARTMENTS.huangpuApproval],
];
const STATUSES = ['submitted', 'submitted', 'accepted', 'accepted', 'approved', 'delivered', 'refused', 'withdrawn', 'correction_requested', 'not_accepted'];

const pick = <T>(ctx: GenContext, items: readonly T[]): T => items[Math.floor(ctx.random() * items.length)]!;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const applications: TableGenerator = {
  table: 'applications',
  columns: ['id', 'matter_code', 'matter_version', 'matter_name', 'matter_snapshot', 'applicant_person_id', 'submitted_by', 'region_code', 'department',
    'status', 'form', 'materials', 'submitted_at', 'accepted_on', 'due_on', 'created_at'],
  rowsAtScale1: 1_000_000,
  after: ['users'],
  row(i, ctx) {
    const [code, name] = pick(ctx, MATTERS);
    const [region, department] = pick(ctx, PLACES);
    const personIds = ctx.shared.get('personIds') as string[];
    const userIds = ctx.shared.get('userIds') as string[];
    const who = Math.floor(ctx.random() * userIds.length);
    const status = pick(ctx, STATUSES);
    // Spread over the last two years, so keyset pages and due dates are realistic.
    const submitted = Date.now() - Math.floor(ctx.random() * 730 * 86400_000);
    const accepted = status !== 'submitted' && status !== 'not_accepted' && status !== 'withdrawn';
    return [
      randomUUID(), code, 1, name, JSON.stringify({ code, name, version: 1, timeLimit: { workingDays: 10 } }),
      personIds[who % personIds.length]!, userIds[who]!, region, department, status,
      JSON.stringify({ note: `合成申请 ${i}` }), JSON.stringify([{ key: 'id-card', materialId: randomUUID() }]),
      new Date(submitted), accepted ? day(submitted + 86400_000) : null, accepted ? day(submitted + 15 * 86400_000) : null, new Date(submitted),
    ];
  },
};

export const tables: TableGenerator[] = [applications];

// The plan check reads no form: a throwaway key is enough (the generated forms are legacy plaintext rows).
const repo = new ApplicationsRepository(new FieldSealer('00000000000000000000000000000000'));
const xihu = { regionPrefix: '330106', department: DEPARTMENTS.xihuApproval };

export const queries: PlanQuery[] = [
  { name: 'applications.queue', largeTables: ['applications'], run: (db) => repo.queue(db, { ...xihu, limit: 51 }) },
  {
    name: 'applications.queue-next-page', largeTables: ['applications'],
    run: async (db, sample) => {
      const [micros, id] = (await sample(`SELECT (extract(epoch from submitted_at) * 1000000)::bigint::text || '|' || id FROM applications WHERE region_code = '330106' ORDER BY submitted_at OFFSET 500 LIMIT 1`)).split('|');
      return repo.queue(db, { ...xihu, limit: 51, after: { micros: micros!, id: id! } });
    },
  },
  { name: 'applications.queue-accepted', largeTables: ['applications'], run: (db) => repo.queue(db, { ...xihu, statuses: ['accepted'], limit: 51 }) },
  { name: 'applications.queue-overdue', largeTables: ['applications'], run: (db) => repo.queue(db, { ...xihu, statuses: ['accepted'], dueBefore: day(Date.now()), limit: 51 }) },
  { name: 'applications.mine', largeTables: ['applications'], run: async (db, sample) => repo.mine(db, { personId: await sample('SELECT applicant_person_id::text FROM applications LIMIT 1') }, 51) },
];
