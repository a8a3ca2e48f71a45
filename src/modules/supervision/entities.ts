/**
 * Market entity registry: companies, individual businesses and the new business forms (微商
 * identified by platform + shop id, sharing-economy operators, 长租公寓), the platforms that
 * host them with their API keys, the data those platforms report, the inspector pool and
 * declared conflicts of interest.
 */
import { randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { requirePermission, type Actor } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { AppError, notFound } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { checkUscc } from '../identity/uscc.js';
import { entityInScope, requireRegion, type EntityRow, type SupervisionDeps } from './context.js';
import type { Grade } from './grading.js';

export type EntityKind = 'company' | 'individual' | 'micro_seller' | 'sharing_economy' | 'rental_apartment';

export interface NewEntity {
  kind: EntityKind; name: string; regionCode: string; uscc?: string; address?: string;
  platformCode?: string; shopId?: string; companyId?: string; personId?: string;
}

export interface PlatformReportBatch {
  batchId: string;
  period: string;
  reports: { shopId: string; listings: number; complaints: number; salesVolume: number }[];
}

export interface PlatformRow { id: string; code: string; name: string; region_code: string }

export function entityView(e: EntityRow & { grade?: string | null; platform_code?: string | null }) {
  return {
    id: e.id, kind: e.kind as EntityKind, name: e.name, uscc: e.uscc, regionCode: e.region_code, address: e.address,
    platform: e.platform_code ?? null, shopId: e.shop_id, status: e.status, grade: (e.grade ?? null) as Grade | null, version: e.version,
  };
}

export class EntityRegistry {
  constructor(private readonly deps: SupervisionDeps) {}

  async register(actor: Actor | undefined, input: NewEntity, db: Executor = this.deps.db) {
    const a = requirePermission(actor, 'supervision:plan');
    requireRegion(a, input.regionCode);
    return this.insert(a.userId, input, db);
  }

  /** Used by the registry route and the demo seed; rules apply to both. */
  async insert(by: string, input: NewEntity, db: Executor = this.deps.db) {
    const uscc = input.uscc?.trim().toUpperCase();
    if (uscc) {
      const check = checkUscc(uscc);
      if (!check.valid) throw new AppError('IDENTIFIER_INVALID', `The USCC is not valid: ${check.errors.join('; ')}`, [{ path: '$.uscc', message: check.errors.join('; ') }]);
    } else if (input.kind !== 'micro_seller') {
      throw new AppError('VALIDATION_FAILED', 'Only a 微商 may be registered without a USCC', [{ path: '$.uscc', message: 'is required for this kind' }]);
    }
    let platformId: string | null = null;
    if (input.platformCode || input.shopId) {
      if (!input.platformCode || !input.shopId) throw new AppError('VALIDATION_FAILED', 'platformCode and shopId go together', [{ path: input.platformCode ? '$.shopId' : '$.platformCode', message: 'is required' }]);
      const platform = await db.selectFrom('sup_platforms').select('id').where('code', '=', input.platformCode).executeTakeFirst();
      if (!platform) throw new AppError('VALIDATION_FAILED', `Unknown platform ${input.platformCode}`, [{ path: '$.platformCode', message: 'unknown platform' }]);
      platformId = platform.id as string;
    } else if (input.kind === 'micro_seller') {
      throw new AppError('VALIDATION_FAILED', 'A 微商 is identified by its platform and shop id', [{ path: '$.platformCode', message: 'is required for a micro_seller' }]);
    }
    let companyId = input.companyId ?? null;
    if (!companyId && uscc) companyId = (await this.deps.identity.companyByUscc(uscc))?.id ?? null;
    return inTransaction(db, async (trx) => {
      const dup = await trx.selectFrom('sup_entities').select('id')
        .where((eb) => eb.or([
          ...(uscc ? [eb('uscc', '=', uscc)] : []),
          ...(platformId ? [eb.and([eb('platform_id', '=', platformId), eb('shop_id', '=', input.shopId!)])] : []),
        ])).executeTakeFirst();
      if (dup) throw new AppError('DUPLICATE', 'This market entity is already registered');
      const row = await trx.insertInto('sup_entities').values({
        kind: input.kind, name: input.name, uscc: uscc ?? null, company_id: companyId, person_id: input.personId ?? null,
        platform_id: platformId, shop_id: input.shopId ?? null, region_code: input.regionCode, address: input.address ?? null,
      }).returningAll().executeTakeFirstOrThrow() as EntityRow;
      await this.deps.audit.append({ actor: by, action: 'supervision.entity.register', entityType: 'market_entity', entityId: row.id, detail: { kind: row.kind, uscc: row.uscc } }, trx);
      return entityView({ ...row, platform_code: input.platformCode ?? null });
    });
  }

  async list(actor: Actor | undefined, q: { regionCode?: string; kind?: EntityKind; grade?: string; limit: number; after?: string }) {
    const a = requirePermission(actor, 'supervision:list');
    const region = q.regionCode ?? a.regionCode ?? '';
    if (!a.roles.includes('admin')) requireRegion(a, region || '000000');
    let query = this.deps.db.selectFrom('sup_entities as e').leftJoin('sup_grades as g', 'g.entity_id', 'e.id')
      .leftJoin('sup_platforms as p', 'p.id', 'e.platform_id')
      .selectAll('e').select(['g.grade', 'p.code as platform_code'])
      .where('e.region_code', 'like', `${scopePrefix(region)}%`).orderBy('e.id').limit(q.limit);
    if (q.kind) query = query.where('e.kind', '=', q.kind);
    if (q.grade) query = query.where('g.grade', '=', q.grade);
    if (q.after) query = query.where('e.id', '>', q.after);
    const rows = await query.execute();
    return rows.map((r) => entityView(r as never));
  }

  async get(actor: Actor | undefined, id: string) {
    const e = await entityInScope(this.deps.db, actor, id, 'supervision:list');
    const extra = await this.deps.db.selectFrom('sup_entities as e').leftJoin('sup_grades as g', 'g.entity_id', 'e.id')
      .leftJoin('sup_platforms as p', 'p.id', 'e.platform_id').select(['g.grade', 'p.code as platform_code'])
      .where('e.id', '=', id).executeTakeFirstOrThrow();
    return entityView({ ...e, ...extra } as never);
  }

  // ── platforms and their reports ─────────────────────────────────────────────────────────

  /** Registers a platform and returns its API key once; only its SM3 is stored. */
  async createPlatform(actor: Actor | undefined, input: { code: string; name: string; regionCode: string }, db: Executor = this.deps.db, apiKey = randomBytes(24).toString('base64url')) {
    const a = requirePermission(actor, 'supervision:plan');
    requireRegion(a, input.regionCode);
    return inTransaction(db, async (trx) => {
      if (await trx.selectFrom('sup_platforms').select('id').where('code', '=', input.code).executeTakeFirst()) throw new AppError('DUPLICATE', 'A platform with this code exists');
      const row = await trx.insertInto('sup_platforms').values({ code: input.code, name: input.name, region_code: input.regionCode, key_hash: sm3Hex(apiKey) })
        .returning(['id', 'code', 'name']).executeTakeFirstOrThrow();
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.platform.create', entityType: 'platform', entityId: row.id as string, detail: { code: input.code } }, trx);
      return { id: row.id as string, code: input.code, name: input.name, apiKey };
    });
  }

  async platformByKey(apiKey: string | undefined): Promise<PlatformRow> {
    if (!apiKey) throw new AppError('UNAUTHENTICATED', 'Send the platform API key in the x-api-key header');
    const row = await this.deps.db.selectFrom('sup_platforms').select(['id', 'code', 'name', 'region_code']).where('key_hash', '=', sm3Hex(apiKey)).executeTakeFirst();
    if (!row) throw new AppError('UNAUTHENTICATED', 'The platform API key is not valid');
    return row as PlatformRow;
  }

  /** A whole batch is accepted or none of it: an unknown shop refuses the batch and names each. */
  async report(apiKey: string | undefined, batch: PlatformReportBatch) {
    const platform = await this.platformByKey(apiKey);
    const shopIds = batch.reports.map((r) => r.shopId);
    const repeated = shopIds.filter((s, i) => shopIds.indexOf(s) !== i);
    if (repeated.length) {
      throw new AppError('VALIDATION_FAILED', 'A shop appears more than once in the batch', repeated.map((s) => ({ path: `$.reports[${shopIds.lastIndexOf(s)}].shopId`, message: `duplicate shop ${s}` })));
    }
    return inTransaction(this.deps.db, async (trx) => {
      const known = await trx.selectFrom('sup_entities').select(['id', 'shop_id']).where('platform_id', '=', platform.id).where('shop_id', 'in', shopIds).execute();
      const byShop = new Map(known.map((k) => [k.shop_id as string, k.id as string]));
      const unknown = batch.reports.map((r, i) => ({ r, i })).filter(({ r }) => !byShop.has(r.shopId));
      if (unknown.length) {
        throw new AppError('RULE_VIOLATION', `Unknown shop(s) on ${platform.code}; the batch was not stored`, unknown.map(({ r, i }) => ({ path: `$.reports[${i}].shopId`, message: `unknown shop ${r.shopId}` })));
      }
      const seen = await trx.selectFrom('sup_platform_reports').select('id').where('platform_id', '=', platform.id).where('batch_id', '=', batch.batchId).executeTakeFirst();
      if (seen) throw new AppError('DUPLICATE', `Batch ${batch.batchId} was already received`);
      await trx.insertInto('sup_platform_reports').values(batch.reports.map((r) => ({
        platform_id: platform.id, batch_id: batch.batchId, entity_id: byShop.get(r.shopId)!, period: batch.period,
        listings: r.listings, complaints: r.complaints, sales_volume: r.salesVolume,
      }))).execute();
      await this.deps.audit.append({ actor: `platform:${platform.code}`, action: 'supervision.platform.report', entityType: 'platform', entityId: platform.id, detail: { batchId: batch.batchId, period: batch.period, reports: batch.reports.length } }, trx);
      return { batchId: batch.batchId, platform: platform.code, accepted: batch.reports.length };
    });
  }

  // ── inspectors and recusals ─────────────────────────────────────────────────────────────

  async addInspector(input: { userId: string; username: string; name: string; personId?: string | null; regionCode: string; department: string }, db: Executor = this.deps.db) {
    await db.insertInto('sup_inspectors').values({
      user_id: input.userId, username: input.username, name: input.name, person_id: input.personId ?? null,
      region_code: input.regionCode, department: input.department,
    }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  }

  /** An inspector declares a conflict of interest with an entity: never drawn for it again. */
  async declareRecusal(actor: Actor | undefined, entityId: string, reason: string) {
    const a = requirePermission(actor, 'supervision:inspect');
    const entity = await entityInScope(this.deps.db, a, entityId, 'supervision:inspect');
    return inTransaction(this.deps.db, async (trx) => {
      const me = await trx.selectFrom('sup_inspectors').select('user_id').where('user_id', '=', a.userId).executeTakeFirst();
      if (!me) throw notFound('You are not in the inspector pool');
      await trx.insertInto('sup_recusals').values({ entity_id: entity.id, inspector_id: a.userId, reason })
        .onConflict((oc) => oc.columns(['entity_id', 'inspector_id']).doUpdateSet({ reason })).execute();
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.recusal.declare', entityType: 'market_entity', entityId: entity.id, detail: { reason } }, trx);
      return { entityId: entity.id, inspectorId: a.userId, reason };
    });
  }

  async addComplaint(entityId: string, source: string, summary: string, db: Executor = this.deps.db) {
    await db.insertInto('sup_complaints').values({ entity_id: entityId, source, summary }).execute();
  }
}
