/**
 * The grid tree below a 社区 (网格 → 楼栋 → 户), maintained by officials of the region: add,
 * move, merge and split units with a history of every code change, import from CSV or GeoJSON,
 * record area outlines, and assign grid workers to grids. Unit codes extend their parent's, so a
 * move gives the unit and everything below it new codes; open events, households' choices and
 * assignments follow them, and the history maps old codes to new.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import type { HouseholdsService } from './households-service.js';
import { TreeRepository, type AssignmentRow, type HistoryRow } from './tree-repository.js';
import { boundingBox, checkGeometry, unitLevel, type AreaGeometry, type UnitLevel } from './units.js';

type Identity = Pick<IdentityService, 'addUnit' | 'unitByCode' | 'unitsWithin' | 'retireUnitsWithin' | 'userByUsername'>;
export interface UnitInput { code?: string; parentCode: string; level: UnitLevel; name: string; geometry?: unknown }

const LETTER: Record<UnitLevel, string> = { grid: 'G', building: 'B', household: 'H' };
const WIDTH: Record<UnitLevel, number> = { grid: 2, building: 2, household: 4 };
const PARENT_LEVEL: Record<UnitLevel, string> = { grid: 'community', building: 'grid', household: 'building' };

export class TreeService {
  private readonly repo = new TreeRepository();

  constructor(
    private readonly db: Executor,
    private readonly audit: AuditService,
    private readonly identity: Identity,
    private readonly households: HouseholdsService,
  ) {}

  private manager(actor: Actor | undefined, code: string): Actor {
    const a = requirePermission(actor, 'governance:manage');
    authorize(a, { regionCode: code }, { permission: 'governance:manage', allowAgent: false });
    return a;
  }

  /** The first free code for a new child (retired codes are never reused: history points at them). */
  private async freeCode(trx: Executor, parentCode: string, level: UnitLevel): Promise<string> {
    for (let n = 1; n < 10 ** WIDTH[level]; n += 1) {
      const code = `${parentCode}${LETTER[level]}${String(n).padStart(WIDTH[level], '0')}`;
      if (!(await this.identity.unitByCode(code, trx))) return code;
    }
    throw new AppError('RULE_VIOLATION', `No free ${level} code left under ${parentCode}`);
  }

  private async checkParent(trx: Executor, parentCode: string, level: UnitLevel): Promise<void> {
    const parentLevel = unitLevel(parentCode);
    if (parentLevel !== PARENT_LEVEL[level]) {
      throw new AppError('VALIDATION_FAILED', `A ${level} belongs to a ${PARENT_LEVEL[level]}`, [{ path: '$.parentCode', message: `must be a ${PARENT_LEVEL[level]} code` }]);
    }
    if (parentLevel !== 'community') {
      const parent = await this.identity.unitByCode(parentCode, trx);
      if (!parent || (parent as { retired_at?: Date | null }).retired_at) throw new AppError('UNIT_UNKNOWN', `No live unit ${parentCode}`);
    }
  }

  private async create(trx: Executor, input: UnitInput): Promise<string> {
    await this.checkParent(trx, input.parentCode, input.level);
    const code = input.code ?? await this.freeCode(trx, input.parentCode, input.level);
    if (unitLevel(code) !== input.level || !code.startsWith(input.parentCode)) {
      throw new AppError('VALIDATION_FAILED', `${code} is not a ${input.level} code under ${input.parentCode}`, [{ path: '$.code', message: 'wrong shape' }]);
    }
    if (await this.identity.unitByCode(code, trx)) throw new AppError('DUPLICATE', `Unit ${code} already exists`);
    await this.identity.addUnit(undefined, { code, parentCode: input.parentCode, level: input.level, name: input.name }, trx);
    if (input.level === 'household') await this.households.ensureHousehold(code, trx);
    if (input.geometry !== undefined) await this.setArea(trx, code, input.geometry);
    return code;
  }

  private async setArea(trx: Executor, code: string, geometry: unknown): Promise<void> {
    const g = checkGeometry(geometry);
    if (typeof g === 'string') throw new AppError('VALIDATION_FAILED', g, [{ path: '$.geometry', message: g }]);
    await this.repo.upsertArea(trx, { code, geometry: g, ...boundingBox(g as AreaGeometry) });
  }

  async addUnit(actor: Actor | undefined, input: UnitInput): Promise<string> {
    const a = this.manager(actor, input.parentCode);
    return inTransaction(this.db, async (trx) => {
      const code = await this.create(trx, input);
      await this.record(trx, a, 'create', { [code]: code }, input.name);
      return code;
    });
  }

  /** Re-creates `code` and its subtree under `newParent`; returns old → new codes. */
  private async moveSubtree(trx: Executor, code: string, newParent: string): Promise<Record<string, string>> {
    const units = await this.identity.unitsWithin(code, trx);
    const root = units.find((u) => u.code === code);
    if (!root) throw new AppError('UNIT_UNKNOWN', `No live unit ${code}`);
    const level = root.level as UnitLevel;
    await this.checkParent(trx, newParent, level);
    const newCode = await this.freeCode(trx, newParent, level);
    const map: Record<string, string> = {};
    for (const u of units) {
      const to = newCode + u.code.slice(code.length);
      map[u.code] = to;
      await this.identity.addUnit(undefined, { code: to, parentCode: u.code === code ? newParent : map[u.parent_code]!, level: u.level as UnitLevel, name: u.name }, trx);
    }
    await this.identity.retireUnitsWithin(code, trx);
    await this.repo.recodeGovernanceRecords(trx, code, newCode);
    return map;
  }

  async move(actor: Actor | undefined, code: string, newParent: string, note?: string): Promise<Record<string, string>> {
    const a = this.manager(actor, code);
    this.manager(actor, newParent);
    if (newParent.startsWith(code)) throw new AppError('VALIDATION_FAILED', 'A unit cannot move under itself', [{ path: '$.newParentCode', message: 'inside the unit' }]);
    return inTransaction(this.db, async (trx) => {
      const map = await this.moveSubtree(trx, code, newParent);
      await this.record(trx, a, 'move', map, note);
      return map;
    });
  }

  /** Moves the children of each source under `target` and retires the sources. */
  async merge(actor: Actor | undefined, sources: string[], target: string, note?: string): Promise<Record<string, string>> {
    const a = this.manager(actor, target);
    for (const s of sources) this.manager(actor, s);
    if (sources.includes(target)) throw new AppError('VALIDATION_FAILED', 'The target cannot be one of the sources', [{ path: '$.sources', message: 'contains the target' }]);
    return inTransaction(this.db, async (trx) => {
      const targetUnit = await this.identity.unitByCode(target, trx);
      if (!targetUnit || (targetUnit as { retired_at?: Date | null }).retired_at) throw new AppError('UNIT_UNKNOWN', `No live unit ${target}`);
      const map: Record<string, string> = {};
      for (const source of sources) {
        const units = await this.identity.unitsWithin(source, trx);
        const root = units.find((u) => u.code === source);
        if (!root || root.level !== targetUnit.level) throw new AppError('VALIDATION_FAILED', `${source} is not a live ${targetUnit.level}`, [{ path: '$.sources', message: 'not mergeable' }]);
        for (const child of units.filter((u) => u.parent_code === source)) Object.assign(map, await this.moveSubtree(trx, child.code, target));
        await this.identity.retireUnitsWithin(source, trx);
        // Records still pointing at the source itself (events filed at grid level) follow it into the target.
        await this.repo.recodeGovernanceRecords(trx, source, target);
        map[source] = target;
      }
      await this.record(trx, a, 'merge', map, note);
      return map;
    });
  }

  /** Splits a unit into new siblings, each taking the listed children; every child must be placed. */
  async split(actor: Actor | undefined, code: string, parts: { name: string; children: string[] }[], note?: string): Promise<Record<string, string>> {
    const a = this.manager(actor, code);
    return inTransaction(this.db, async (trx) => {
      const units = await this.identity.unitsWithin(code, trx);
      const root = units.find((u) => u.code === code);
      if (!root) throw new AppError('UNIT_UNKNOWN', `No live unit ${code}`);
      const children = units.filter((u) => u.parent_code === code).map((u) => u.code);
      const listed = parts.flatMap((p) => p.children);
      const unplaced = children.filter((c) => !listed.includes(c));
      const strangers = listed.filter((c) => !children.includes(c));
      if (unplaced.length || strangers.length || new Set(listed).size !== listed.length) {
        throw new AppError('VALIDATION_FAILED', 'Each child of the unit must go to exactly one part', [
          ...unplaced.map((c) => ({ path: '$.parts', message: `${c} is not placed` })),
          ...strangers.map((c) => ({ path: '$.parts', message: `${c} is not a child of ${code}` })),
        ]);
      }
      const map: Record<string, string> = {};
      for (const part of parts) {
        const partCode = await this.create(trx, { parentCode: root.parent_code, level: root.level as UnitLevel, name: part.name });
        map[`${code}#${part.name}`] = partCode;
        for (const child of part.children) Object.assign(map, await this.moveSubtree(trx, child, partCode));
      }
      await this.identity.retireUnitsWithin(code, trx);
      await this.record(trx, a, 'split', map, note);
      return map;
    });
  }

  /** Creates units (parents first) and records areas; all or nothing, every bad row named. */
  async importUnits(actor: Actor | undefined, rows: (UnitInput & { line: number; code: string })[], withinCode: string, db: Executor = this.db): Promise<{ created: string[]; areas: string[]; unchanged: string[] }> {
    // Without an actor only the seed imports (it runs inside its own transaction).
    const a = actor ? this.manager(actor, withinCode) : undefined;
    const errors: ErrorDetail[] = rows.filter((r) => !r.code.startsWith(withinCode)).map((r) => ({ path: `$[${r.line}]`, message: `${r.code} is outside ${withinCode}` }));
    if (errors.length) throw new AppError('VALIDATION_FAILED', 'Some rows are outside the region', errors);
    return inTransaction(db, async (trx) => {
      const created: string[] = []; const areas: string[] = []; const unchanged: string[] = [];
      for (const r of [...rows].sort((x, y) => x.code.length - y.code.length)) {
        try {
          const exists = unitLevel(r.code) === 'community' || !!(await this.identity.unitByCode(r.code, trx));
          if (!exists) { await this.create(trx, r); created.push(r.code); } else if (r.geometry === undefined) unchanged.push(r.code);
          if (r.geometry !== undefined) { if (exists) await this.setArea(trx, r.code, r.geometry); areas.push(r.code); }
        } catch (err) {
          if (err instanceof AppError && err.status < 500) throw new AppError(err.code, `Row ${r.line} (${r.code}): ${err.message}`, err.details?.map((d) => ({ ...d, path: `$[${r.line}]` })));
          throw err;
        }
      }
      await this.record(trx, a, 'import', Object.fromEntries(created.map((c) => [c, c])), `${created.length} created, ${areas.length} areas`);
      return { created, areas, unchanged };
    });
  }

  history(actor: Actor | undefined, code: string, limit: number): Promise<HistoryRow[]> {
    this.manager(actor, code);
    return this.repo.history(this.db, code, limit);
  }

  private async record(trx: Executor, a: Actor | undefined, action: 'create' | 'move' | 'merge' | 'split' | 'import', map: Record<string, string>, note?: string) {
    const h = await this.repo.insertHistory(trx, { action, code_map: map, note: note ?? null, actor_user_id: a?.userId ?? null });
    await this.audit.append({ actor: a?.userId ?? 'system:seed', action: `gov-tree.${action}`, entityType: 'gov-tree', entityId: h.id, detail: { units: Object.keys(map).length } }, trx);
  }

  // ── Grid workers ───────────────────────────────────────────────────────────────────────

  workers(actor: Actor | undefined, gridCode: string): Promise<AssignmentRow[]> {
    const a = requirePermission(actor, 'governance:handle');
    authorize(a, { regionCode: gridCode }, { permission: 'governance:handle', allowAgent: false });
    return this.repo.liveAssignments(this.db, gridCode);
  }

  /** Assigns a grid worker to a grid (also used by the seed, without an actor). */
  async assign(actor: Actor | undefined, gridCode: string, username: string, db: Executor = this.db): Promise<AssignmentRow> {
    const a = actor ? this.manager(actor, gridCode) : undefined;
    if (unitLevel(gridCode) !== 'grid') throw new AppError('UNIT_UNKNOWN', 'Workers are assigned to grids');
    return inTransaction(db, async (trx) => {
      if (!(await this.identity.unitByCode(gridCode, trx))) throw new AppError('UNIT_UNKNOWN', `No grid ${gridCode}`);
      const user = await this.identity.userByUsername(username, trx);
      if (!user || !user.roles.includes('grid_worker')) throw new AppError('VALIDATION_FAILED', `${username} is not a grid worker`, [{ path: '$.username', message: 'not a grid worker' }]);
      const row = await this.repo.insertAssignment(trx, { grid_code: gridCode, user_id: user.id, assigned_by: a?.userId ?? null });
      await this.audit.append({ actor: a?.userId ?? 'system:seed', action: 'gov-grid.assign', entityType: 'gov-grid', entityId: gridCode, detail: { userId: user.id } }, trx);
      return row;
    });
  }

  async unassign(actor: Actor | undefined, gridCode: string, username: string): Promise<void> {
    const a = this.manager(actor, gridCode);
    const user = await this.identity.userByUsername(username);
    await inTransaction(this.db, async (trx) => {
      const ended = user ? await this.repo.endAssignment(trx, gridCode, user.id) : undefined;
      if (!ended) throw new AppError('NOT_FOUND');
      await this.audit.append({ actor: a.userId, action: 'gov-grid.unassign', entityType: 'gov-grid', entityId: gridCode, detail: { userId: user!.id } }, trx);
    });
  }
}
