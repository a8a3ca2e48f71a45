/**
 * 监管事项目录: per department, what is checked, on which legal basis, with which on-site form,
 * and (optionally) the item's own ratio and frequency per credit grade.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { requirePermission, type Actor } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { AppError } from '../../platform/errors.js';
import { requireRegion, type SupervisionDeps } from './context.js';
import { GRADES, type Grade, type GradePolicy } from './grading.js';

export interface FormField { key: string; label: string; type: 'boolean' | 'text' | 'number' }
export type ItemGradePolicy = Partial<Record<'A' | 'B' | 'C' | 'D', { ratio: number; perYear: number }>>;

export interface NewItem {
  code: string; name: string; department: string; regionCode: string; legalBasis: string; checks: string;
  form: FormField[]; gradePolicy?: ItemGradePolicy;
}

export interface ItemView extends NewItem { id: string; version: number }

export type GradeTargets = Record<Grade, { ratio: number; perYear: number }>;

/**
 * Per grade, how much and how often these items are inspected: the strictest item override
 * (highest ratio, most rounds a year), else the grade's default (A 3 %, B 5 %, C 20 %, D 100 %).
 */
export function gradeTargets(items: ItemView[], policy: GradePolicy[]): GradeTargets {
  const strictest = (values: (number | undefined)[], fallback: number) => {
    const given = values.filter((v): v is number => v !== undefined);
    return given.length ? Math.max(...given) : fallback;
  };
  return Object.fromEntries(GRADES.map((g) => {
    const base = policy.find((p) => p.grade === g)!;
    return [g, {
      ratio: strictest(items.map((i) => i.gradePolicy?.[g]?.ratio), base.ratio),
      perYear: strictest(items.map((i) => i.gradePolicy?.[g]?.perYear), base.perYear),
    }];
  })) as GradeTargets;
}

function itemView(r: Record<string, any>): ItemView {
  return {
    id: r.id, code: r.code, name: r.name, department: r.department, regionCode: r.region_code, legalBasis: r.legal_basis,
    checks: r.checks, form: r.form, ...(r.grade_policy ? { gradePolicy: r.grade_policy } : {}), version: r.version,
  };
}

export class Catalogue {
  constructor(private readonly deps: SupervisionDeps) {}

  async create(actor: Actor | undefined, input: NewItem, db: Executor = this.deps.db): Promise<ItemView> {
    const a = requirePermission(actor, 'supervision:plan');
    requireRegion(a, input.regionCode);
    return this.insert(a.userId, input, db);
  }

  async insert(by: string, input: NewItem, db: Executor = this.deps.db): Promise<ItemView> {
    const keys = input.form.map((f) => f.key);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) throw new AppError('VALIDATION_FAILED', `Form field ${dup} is defined twice`, [{ path: `$.form[${keys.lastIndexOf(dup)}].key`, message: 'duplicate key' }]);
    return inTransaction(db, async (trx) => {
      if (await trx.selectFrom('sup_items').select('id').where('code', '=', input.code).executeTakeFirst()) throw new AppError('DUPLICATE', `Item ${input.code} exists`);
      const row = await trx.insertInto('sup_items').values({
        code: input.code, name: input.name, department: input.department, region_code: input.regionCode, legal_basis: input.legalBasis,
        checks: input.checks, form: JSON.stringify(input.form), grade_policy: input.gradePolicy ? JSON.stringify(input.gradePolicy) : null,
      }).returningAll().executeTakeFirstOrThrow();
      await this.deps.audit.append({ actor: by, action: 'supervision.item.create', entityType: 'supervision_item', entityId: row.id, detail: { code: input.code, department: input.department } }, trx);
      return itemView(row);
    });
  }

  /** The catalogue is public information (事项目录 are published), filtered by department or region. */
  async list(q: { department?: string; regionCode?: string }): Promise<ItemView[]> {
    let query = this.deps.db.selectFrom('sup_items').selectAll().orderBy('code');
    if (q.department) query = query.where('department', '=', q.department);
    if (q.regionCode) query = query.where('region_code', 'like', `${scopePrefix(q.regionCode)}%`);
    return (await query.execute()).map(itemView);
  }

  async byIds(ids: string[], db: Executor = this.deps.db): Promise<ItemView[]> {
    if (!ids.length) return [];
    return (await db.selectFrom('sup_items').selectAll().where('id', 'in', ids).orderBy('code').execute()).map(itemView);
  }
}
