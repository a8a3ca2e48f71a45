/**
 * Synthetic identity and audit data (persons, users, 代办 grants, the audit chain) and the
 * identity/audit queries whose plans must stay index-driven at scale.
 *
 * Persons: resident IDs are valid (GB 11643 check character), blind indexes are the real keyed
 * HMAC-SM3 (so search by resident ID finds them), but only the first READABLE persons carry a real
 * SM4-GCM ciphertext: sm-crypto-v2's SM4-GCM runs at a few thousand a second, which would make
 * a million rows take many minutes. The others carry `bench-unreadable` and must not be read
 * through the API (the vault refuses them); load tests pick persons with `resident_id_enc LIKE 'v1.%'`.
 * The audit entries and their audit_chain links continue the real chain (OpenSSL's SM3, checked
 * against the platform's entryHash).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { hash as argonHash } from '@node-rs/argon2';
import { entryHash, GENESIS_HASH } from '../../src/modules/audit/service.js';
import { AuditRepository } from '../../src/modules/audit/repository.js';
import { IdentityRepository } from '../../src/modules/identity/repository.js';
import { PersonalDataVault, maskPhone } from '../../src/modules/identity/personal-data.js';
import { maskResidentId, residentIdCheckChar } from '../../src/modules/identity/resident-id.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-identity.js';
import type { GenContext, PlanQuery, TableGenerator } from './registry.js';

const READABLE = 2000;
const REGIONS = ['330102', '330105', '330106', '330108', '330109', '330110', '330111', '330112', '310101', '310104', '310105', '310106'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红文辉玉梅';

const pick = <T>(ctx: GenContext, items: ArrayLike<T>): T => items[Math.floor(ctx.random() * items.length)]!;
const nativeSm3 = (s: string) => createHash('sm3').update(s, 'utf8').digest('hex');

/** Distinct for every i < 1,000,000 × 1000 days: birth date from i / 1000, sequence from i % 1000. */
function residentIdFor(i: number, region: string): { id: string; birth: string; sex: 'M' | 'F' } {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(i / 1000) * 86400_000);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const seq = String(i % 1000).padStart(3, '0');
  const first17 = `${region}${ymd}${seq}`;
  return { id: first17 + residentIdCheckChar(first17), birth: birth.toISOString().slice(0, 10), sex: Number(seq[2]) % 2 ? 'M' : 'F' };
}

const persons: TableGenerator = {
  table: 'persons',
  columns: ['id', 'name', 'resident_id_enc', 'resident_id_bidx', 'resident_id_masked', 'birth_date', 'sex', 'region_code', 'phone_enc', 'phone_bidx', 'phone_masked', 'assurance_level'],
  rowsAtScale1: 1_000_000,
  async prepare(ctx, rows) {
    ctx.shared.set('personIds', new Array<string>(rows));
    ctx.shared.set('vault', new PersonalDataVault(ctx.secrets));
    // Resident IDs of earlier runs must not collide: continue after the persons already there.
    const [{ n }] = await ctx.query<{ n: number }>('SELECT count(*)::int AS n FROM persons');
    ctx.shared.set('personOffset', n);
  },
  row(i, ctx) {
    const id = randomUUID();
    (ctx.shared.get('personIds') as string[])[i] = id;
    const vault = ctx.shared.get('vault') as PersonalDataVault;
    const region = pick(ctx, REGIONS);
    const rid = residentIdFor(i + (ctx.shared.get('personOffset') as number), region);
    const readable = i < READABLE;
    const phone = `13${String(Math.floor(ctx.random() * 1e9)).padStart(9, '0')}`;
    const bidx = (field: string, v: string) => createHmac('sm3', ctx.secrets.blindIndexKey).update(`${field}:${v.trim().toUpperCase()}`).digest('hex');
    return [
      id, pick(ctx, SURNAMES) + pick(ctx, GIVEN) + (ctx.random() < 0.5 ? pick(ctx, GIVEN) : ''),
      readable ? vault.encrypt('resident_id', id, rid.id) : 'bench-unreadable', bidx('resident_id', rid.id), maskResidentId(rid.id),
      rid.birth, rid.sex, region,
      readable ? vault.encrypt('phone', id, phone) : null, readable ? bidx('phone', phone) : null, readable ? maskPhone(phone) : null,
      ctx.random() < 0.6 ? 2 : 1,
    ];
  },
};

const users: TableGenerator = {
  table: 'users',
  columns: ['id', 'username', 'password_hash', 'display_name', 'person_id', 'roles'],
  rowsAtScale1: 1_000_000,
  after: ['persons'],
  async prepare(ctx, rows) {
    // One real argon2id hash for every generated account (one hash takes ~55 ms; a million would take hours).
    ctx.shared.set('passwordHash', await argonHash(DEMO_PASSWORD));
    ctx.shared.set('userIds', new Array<string>(rows));
    ctx.shared.set('userPrefix', `bench${Date.now().toString(36)}`);
  },
  row(i, ctx) {
    const id = randomUUID();
    (ctx.shared.get('userIds') as string[])[i] = id;
    const personIds = ctx.shared.get('personIds') as string[];
    return [id, `${ctx.shared.get('userPrefix')}_${i}`, ctx.shared.get('passwordHash') as string, `居民${i}`, personIds[i % personIds.length]!, ['citizen']];
  },
};

const agentGrants: TableGenerator = {
  table: 'agent_grants',
  columns: ['grantor_person_id', 'grantee_user_id', 'relationship', 'matters', 'purpose', 'consent_statement', 'consent_channel', 'recorded_by', 'expires_at'],
  rowsAtScale1: 100_000,
  after: ['users'],
  row(_i, ctx) {
    const personIds = ctx.shared.get('personIds') as string[];
    const userIds = ctx.shared.get('userIds') as string[];
    const grantee = pick(ctx, userIds);
    return [pick(ctx, personIds), grantee, pick(ctx, ['子女', '配偶', '父母', '兄弟姐妹']), ['*'], '代为办理社保业务', '本人授权代办（合成数据）', 'online', grantee,
      new Date(Date.now() + Math.floor(ctx.random() * 300) * 86400_000)];
  },
};

// Entries go to audit_log with ids reserved from its sequence; their links (already chained, as
// the chainer would have done) are kept here and written to audit_chain by the next generator.
const AUDIT_ROWS_AT_SCALE_1 = 1_000_000;

const auditLog: TableGenerator = {
  table: 'audit_log',
  columns: ['id', 'at', 'node_id', 'actor', 'action', 'entity_type', 'entity_id', 'detail'],
  rowsAtScale1: AUDIT_ROWS_AT_SCALE_1,
  after: ['users'],
  async prepare(ctx, rows) {
    // Generated links continue the chain head; entries the seed left queued are chained after
    // them by the node's chainer (no server may run during the load).
    const [head] = await ctx.query<{ seq: number; hash: string }>('SELECT chain_seq AS seq, hash FROM audit_chain ORDER BY chain_seq DESC LIMIT 1');
    // Reserve a block of entry ids so appends after the load do not collide with generated ones.
    const [block] = await ctx.query<{ last: number }>(`SELECT setval('audit_log_id_seq', nextval('audit_log_id_seq') + ${rows}) AS last`);
    ctx.shared.set('auditPrev', { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH, nextId: Number(block!.last) - rows });
    ctx.shared.set('auditLinks', [] as string[]);
    // The chain formula lives in the audit module; make sure this fast copy still computes it.
    for (const detail of [{}, { purpose: '业务办理 "引号"', fields: ['name', 'phone'] }]) {
      const probe = { seq: 12, at: new Date(0), node_id: 'zj', actor: 'a\u2028', action: 'person.data.read', entity_type: 'c', entity_id: 'd', detail };
      if (fastEntryHash(GENESIS_HASH, probe) !== entryHash(GENESIS_HASH, probe)) throw new Error('audit entry hash formula changed: update bench/datagen/platform.data.ts');
    }
  },
  row(_i, ctx) {
    const prev = ctx.shared.get('auditPrev') as { seq: number; hash: string; nextId: number };
    const userIds = ctx.shared.get('userIds') as string[];
    const personIds = ctx.shared.get('personIds') as string[];
    const read = ctx.random() < 0.3;
    const row = {
      seq: prev.seq + 1, at: new Date(), node_id: 'zj', actor: pick(ctx, userIds),
      action: read ? 'person.data.read' : 'auth.login', entity_type: read ? 'person' : 'user',
      entity_id: read ? pick(ctx, personIds) : pick(ctx, userIds), detail: read ? { purpose: '业务办理', fields: ['name'] } : {},
    };
    const hash = fastEntryHash(prev.hash, row);
    (ctx.shared.get('auditLinks') as string[]).push(`${row.seq}\t${prev.nextId}\t${prev.hash}\t${hash}`);
    ctx.shared.set('auditPrev', { seq: row.seq, hash, nextId: prev.nextId + 1 });
    return [prev.nextId, row.at, row.node_id, row.actor, row.action, row.entity_type, row.entity_id, JSON.stringify(row.detail)];
  },
};

const auditChain: TableGenerator = {
  table: 'audit_chain',
  columns: ['chain_seq', 'entry_id', 'prev_hash', 'hash'],
  rowsAtScale1: AUDIT_ROWS_AT_SCALE_1,
  after: ['audit_log'],
  row(i, ctx) {
    const [seq, id, prev, hash] = (ctx.shared.get('auditLinks') as string[])[i]!.split('\t');
    return [Number(seq), Number(id), prev!, hash!];
  },
};

/**
 * The audit module's entryHash, with OpenSSL's SM3 (identical digests, far faster than JS) and
 * the RFC 8785 text of this one entry shape written out directly: keys in sorted order, strings
 * through JSON.stringify (RFC 8785 escapes strings exactly so), detail one of the two shapes the
 * generator makes. The probe in auditLog.prepare checks both shapes against the real entryHash.
 */
function fastEntryHash(prevHash: string, row: AuditRowShape): string {
  const d = row.detail as { purpose?: string; fields?: string[] };
  const detail = d.purpose === undefined ? '{}' : `{"fields":${JSON.stringify(d.fields)},"purpose":${JSON.stringify(d.purpose)}}`;
  const text = `{"action":${JSON.stringify(row.action)},"actor":${JSON.stringify(row.actor)},"at":"${row.at.toISOString()}","detail":${detail},`
    + `"entityId":${JSON.stringify(row.entity_id)},"entityType":${JSON.stringify(row.entity_type)},"node":${JSON.stringify(row.node_id)},"seq":${row.seq}}`;
  return nativeSm3(prevHash + text);
}

interface AuditRowShape { seq: number; at: Date; node_id: string; actor: string; action: string; entity_type: string; entity_id: string; detail: unknown }

const dataAccessLog: TableGenerator = {
  table: 'data_access_log',
  columns: ['subject_person_id', 'actor_user_id', 'actor_label', 'actor_department', 'actor_node', 'purpose', 'fields', 'accessed_at'],
  rowsAtScale1: 300_000,
  after: ['users'],
  row(_i, ctx) {
    const personIds = ctx.shared.get('personIds') as string[];
    const userIds = ctx.shared.get('userIds') as string[];
    return [pick(ctx, personIds), pick(ctx, userIds), '西湖区行政审批局 · 审批员', '西湖区行政审批局', 'zj', '办理申请核验身份', ['name', 'residentId'],
      new Date(Date.now() - Math.floor(ctx.random() * 365 * 86400_000))];
  },
};

export const tables: TableGenerator[] = [persons, users, agentGrants, dataAccessLog, auditLog, auditChain];

const identity = new IdentityRepository();
const audit = new AuditRepository();

export const queries: PlanQuery[] = [
  { name: 'identity.person-by-resident-id', largeTables: ['persons'], run: async (db, sample) => identity.personByBlindIndex(db, await sample('SELECT resident_id_bidx FROM persons LIMIT 1')) },
  { name: 'identity.user-by-username', largeTables: ['users'], run: async (db, sample) => identity.userByUsername(db, await sample('SELECT username FROM users ORDER BY created_at DESC LIMIT 1')) },
  { name: 'identity.users-of-person', largeTables: ['users'], run: async (db, sample) => identity.usersByPerson(db, await sample('SELECT person_id::text FROM users WHERE person_id IS NOT NULL LIMIT 1')) },
  { name: 'identity.grants-given', largeTables: ['agent_grants'], run: async (db, sample) => identity.grantsByGrantor(db, await sample('SELECT grantor_person_id::text FROM agent_grants LIMIT 1')) },
  { name: 'identity.grants-received', largeTables: ['agent_grants'], run: async (db, sample) => identity.activeGrantsForGrantee(db, await sample('SELECT grantee_user_id::text FROM agent_grants LIMIT 1')) },
  { name: 'audit.recent', largeTables: ['audit_log'], run: (db) => audit.list(db, { limit: 50 }) },
  { name: 'audit.by-entity', largeTables: ['audit_log'], run: async (db, sample) => audit.list(db, { entityType: 'person', entityId: await sample(`SELECT entity_id FROM audit_log WHERE entity_type = 'person' LIMIT 1`), limit: 50 }) },
  { name: 'audit.page-before', largeTables: ['audit_log'], run: async (db, sample) => audit.list(db, { beforeId: Number(await sample('SELECT (max(id) / 2)::text FROM audit_log')), limit: 50 }) },
  { name: 'audit.head', largeTables: ['audit_chain'], run: (db) => audit.head(db) },
  { name: 'audit.verify-batch', largeTables: ['audit_log', 'audit_chain'], run: (db) => audit.linksAfter(db, 1000, 5000) },
  { name: 'audit.data-access-of-person', largeTables: ['data_access_log'], run: async (db, sample) => audit.listDataAccess(db, await sample('SELECT id::text FROM persons LIMIT 1'), 50) },
];
