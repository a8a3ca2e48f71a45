/**
 * Synthetic market entities (1,000,000 at scale 1: companies, 个体户, rental apartments) and the
 * supervisor's entity listing (first and next keyset page), which must stay index-driven.
 * USCC-shaped identifiers are unique per row (the check character is not computed: nothing reads it).
 */
import { randomUUID } from 'node:crypto';
import { EntityRegistry } from '../../src/modules/supervision/entities.js';
import type { Actor } from '../../src/platform/access/policy.js';
import { DEPARTMENTS } from '../../src/seed/demo-identity.js';
import type { GenContext, PlanQuery, TableGenerator } from './registry.js';

const REGIONS = ['330102', '330105', '330106', '330108', '330109', '330110'];
const KINDS = ['company', 'company', 'company', 'individual', 'individual', 'rental_apartment', 'sharing_economy'];
const TRADES = ['餐饮', '超市', '理发', '五金', '药店', '民宿', '快递', '服装'];

const pick = <T>(ctx: GenContext, items: readonly T[]): T => items[Math.floor(ctx.random() * items.length)]!;

const entities: TableGenerator = {
  table: 'sup_entities',
  columns: ['id', 'kind', 'name', 'uscc', 'region_code', 'address', 'status'],
  rowsAtScale1: 1_000_000,
  async prepare(ctx) {
    const [{ n }] = await ctx.query<{ n: number }>('SELECT count(*)::int AS n FROM sup_entities');
    ctx.shared.set('entityOffset', n);
  },
  row(i, ctx) {
    const region = pick(ctx, REGIONS);
    const serial = String(i + (ctx.shared.get('entityOffset') as number)).padStart(9, '0');
    return [randomUUID(), pick(ctx, KINDS), `杭州合成${pick(ctx, TRADES)}${serial}号店`, `9${region}${serial}X`, region, `合成路${i % 500}号`, ctx.random() < 0.95 ? 'active' : 'closed'];
  },
};

export const tables: TableGenerator[] = [entities];

const supervisor = { userId: randomUUID(), username: 'supervisor1', roles: ['supervisor'], regionCode: '330106', department: DEPARTMENTS.xihuMarket, assuranceLevel: 2 } as Actor;
// The listing reads only the database; the audit, identity and calendar ports are not touched by it.
const registry = (db: ConstructorParameters<typeof EntityRegistry>[0]['db']) => new EntityRegistry({ db, audit: undefined as never, identity: undefined as never, calendar: undefined as never });

export const queries: PlanQuery[] = [
  { name: 'supervision.entities', largeTables: ['sup_entities'], run: (db) => registry(db).list(supervisor, { limit: 51 }) },
  {
    name: 'supervision.entities-next-page', largeTables: ['sup_entities'],
    run: async (db, sample) => registry(db).list(supervisor, { limit: 51, after: await sample(`SELECT id::text FROM sup_entities WHERE region_code = '330106' ORDER BY id OFFSET 500 LIMIT 1`) }),
  },
];
