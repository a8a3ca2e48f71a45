/**
 * The catalogue of matters (事项) and 一件事 bundles. A region's officials maintain their own
 * region's matters; every change makes a new version and keeps the old one, because an
 * application records the version it was filed under. Reading the catalogue is public.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { accessBasis, authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import { isWithinRegion } from '../../platform/access/region-scope.js';
import type { AuditService } from '../audit/service.js';
import { materialType } from '../materials/material-types.js';
import { CatalogRepository, type BundleRow, type MatterRow } from './repository.js';
import { SearchIndex, type SearchHit } from './search.js';
import type { MatterBodyT, MatterDefinitionT } from './schemas.js';

export type MatterSummaryT = Pick<MatterDefinitionT, 'code' | 'name' | 'category' | 'department' | 'regionCode' | 'promisedLimitDays' | 'crossProvince' | 'version'>;
export interface BundleView { code: string; name: string; description: string; regionCode: string; version: number; matters: MatterDefinitionT[] }

/**
 * Other processes may change the catalogue too: at most this often a search asks the database for
 * the catalogue's stamp (one cheap aggregate, off the search's own path) and rebuilds the index
 * only when the stamp moved. A change made through this process drops the index at once.
 */
const INDEX_CHECK_MS = 10_000;

function definition(row: Pick<MatterRow, 'code' | 'version' | 'definition'>): MatterDefinitionT {
  return { code: row.code, version: row.version, ...row.definition };
}
export function summary(d: MatterDefinitionT): MatterSummaryT {
  return { code: d.code, name: d.name, category: d.category, department: d.department, regionCode: d.regionCode, promisedLimitDays: d.promisedLimitDays, crossProvince: d.crossProvince, version: d.version };
}

/**
 * Checks a matter's result-licence mapping against the licence types (the licences module
 * knows them; app.ts passes its check in). Returns the problems as JSON paths.
 */
export type ResultLicenceCheck = (spec: NonNullable<MatterBodyT['resultLicence']>, body: MatterBodyT) => ErrorDetail[];

/** Rules a matter must satisfy beyond its shape; each failure names the field. */
function checkMatter(body: MatterBodyT, checkResultLicence?: ResultLicenceCheck): void {
  const problems: ErrorDetail[] = [];
  if (body.promisedLimitDays > body.legalLimitDays) problems.push({ path: '$.promisedLimitDays', message: 'the promised limit cannot exceed the legal limit' });
  const keys = new Set<string>();
  body.materials.forEach((m, i) => {
    if (!materialType(m.materialType)) problems.push({ path: `$.materials[${i}].materialType`, message: `unknown material type ${m.materialType}` });
    if (keys.has(m.key)) problems.push({ path: `$.materials[${i}].key`, message: 'duplicate key' });
    keys.add(m.key);
  });
  const fields = new Set<string>();
  body.formFields.forEach((f, i) => {
    if (fields.has(f.key)) problems.push({ path: `$.formFields[${i}].key`, message: 'duplicate key' });
    fields.add(f.key);
  });
  if (body.resultLicence) {
    if (!checkResultLicence) problems.push({ path: '$.resultLicence', message: 'this node cannot issue result licences' });
    else problems.push(...checkResultLicence(body.resultLicence, body));
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', 'The matter definition is not consistent', problems);
}

/** The active catalogue as this process last loaded it: the search index and each matter's current definition. */
interface Snapshot { checked: number; stamp: string; index: SearchIndex; matters: Map<string, MatterDefinitionT> }

const retired = (code: string) => new AppError('MATTER_RETIRED', `Matter ${code} has been withdrawn from the catalogue and takes no new applications`);

export class CatalogService {
  private readonly repo = new CatalogRepository();
  private index?: Snapshot;
  private rebuilding?: Promise<unknown>;
  private building?: Promise<Snapshot>;
  /** Bumped by every change made through this process: a build begun before it is not kept. */
  private generation = 0;

  constructor(private readonly db: Executor, private readonly audit: AuditService, private readonly checkResultLicence?: ResultLicenceCheck) {}

  /** Only officials of the matter's region and department (or an admin) maintain it. */
  private requireMaintainer(actor: Actor | undefined, body: Pick<MatterBodyT, 'regionCode' | 'department'>): Actor {
    const a = requirePermission(actor, 'catalog:manage');
    if (!accessBasis(a, { regionCode: body.regionCode, department: body.department }, { permission: 'catalog:manage', sameDepartment: true, allowAgent: false })) {
      throw new AppError('REGION_OUT_OF_SCOPE', 'You may only maintain matters of your own region and department');
    }
    return a;
  }

  /** `actor` undefined means the system (demo data, imports). */
  async createMatter(actor: Actor | undefined, code: string, body: MatterBodyT, db: Executor = this.db): Promise<MatterDefinitionT> {
    const who = actor ? this.requireMaintainer(actor, body) : undefined;
    checkMatter(body, this.checkResultLicence);
    const row = await inTransaction(db, async (trx) => {
      if (await this.repo.matter(trx, code)) throw new AppError('DUPLICATE', `A matter with code ${code} already exists`);
      const r = await this.repo.insertMatter(trx, code, body, who?.userId ?? null, 'created');
      await this.audit.append({ actor: who?.userId ?? 'system:catalog', action: 'catalog.matter.create', entityType: 'matter', entityId: code, detail: { version: 1 } }, trx);
      return r;
    });
    this.invalidateIndex();
    return definition(row);
  }

  /** The matter as its maintainer may change it: 404 outside their region and department. */
  private async maintainedMatter(actor: Actor | undefined, code: string): Promise<{ actor: Actor; current: MatterRow }> {
    const a = requirePermission(actor, 'catalog:manage');
    const current = await this.repo.matter(this.db, code);
    authorize(a, { regionCode: current?.region_code, department: current?.department }, { permission: 'catalog:manage', sameDepartment: true, allowAgent: false });
    if (!current) throw new AppError('NOT_FOUND');
    if (current.status === 'retired') throw retired(code);
    return { actor: a, current };
  }

  async updateMatter(actor: Actor | undefined, code: string, expectedVersion: number, changeNote: string, body: MatterBodyT): Promise<MatterDefinitionT> {
    await this.maintainedMatter(actor, code);
    const a = this.requireMaintainer(actor, body);
    checkMatter(body, this.checkResultLicence);
    const row = await inTransaction(this.db, async (trx) => {
      const r = await this.repo.updateMatter(trx, code, expectedVersion, body, a.userId, changeNote);
      if (!r) throw new AppError('CONFLICT');
      await this.audit.append({ actor: a.userId, action: 'catalog.matter.update', entityType: 'matter', entityId: code, detail: { version: r.version, note: changeNote } }, trx);
      return r;
    });
    this.invalidateIndex();
    return definition(row);
  }

  /**
   * Withdraws a matter: it leaves the list, the search and new applications at once (in this
   * process; see docs/scaling.md for others), while applications already filed keep the version
   * they were filed under. Recorded as the matter's next version with the reason as its note.
   */
  async retireMatter(actor: Actor | undefined, code: string, expectedVersion: number, reason: string): Promise<{ code: string; version: number; status: 'retired'; reason: string }> {
    const { actor: a } = await this.maintainedMatter(actor, code);
    const row = await inTransaction(this.db, async (trx) => {
      const r = await this.repo.retireMatter(trx, code, expectedVersion, a.userId, `退役: ${reason}`);
      if (!r) throw new AppError('CONFLICT');
      await this.audit.append({ actor: a.userId, action: 'catalog.matter.retire', entityType: 'matter', entityId: code, detail: { version: r.version, reason } }, trx);
      return r;
    });
    this.invalidateIndex();
    return { code, version: row.version, status: 'retired', reason };
  }

  /**
   * The current definition to file a new application under: 404 unknown, 422 MATTER_RETIRED
   * withdrawn. Active matters come from the in-memory snapshot the search index is built from
   * (no query per submission); a change made through another process reaches it within
   * INDEX_CHECK_MS, as it reaches the search.
   */
  async matterToApply(code: string): Promise<MatterDefinitionT> {
    const known = (await this.snapshot()).matters.get(code);
    if (known) return known;
    const row = await this.repo.matter(this.db, code);
    if (!row) throw new AppError('NOT_FOUND', `No matter with code ${code}`, [{ path: '$.matterCode', message: 'unknown matter' }]);
    if (row.status !== 'active') throw retired(code);
    return definition(row);
  }

  async getMatter(code: string, version?: number): Promise<MatterDefinitionT> {
    if (version !== undefined) {
      const v = await this.repo.matterVersion(this.db, code, version);
      if (!v) throw new AppError('NOT_FOUND', `No version ${version} of matter ${code}`);
      return definition(v);
    }
    const row = await this.repo.matter(this.db, code);
    if (!row || row.status !== 'active') throw new AppError('NOT_FOUND', `No matter ${code}`);
    return definition(row);
  }

  async versions(code: string) {
    const rows = await this.repo.versions(this.db, code);
    if (rows.length === 0) throw new AppError('NOT_FOUND', `No matter ${code}`);
    return rows.map((r) => ({ version: r.version, changeNote: r.change_note, changedAt: r.changed_at.toISOString() }));
  }

  /** Matters serving a region: its own, those of regions below it, and those of the levels above. */
  async listMatters(filter: { region?: string; category?: string; crossProvince?: string }): Promise<MatterSummaryT[]> {
    const rows = await this.repo.activeMatters(this.db, { category: filter.category });
    return rows.map(definition)
      .filter((d) => !filter.region || isWithinRegion(d.regionCode, filter.region) || isWithinRegion(filter.region, d.regionCode))
      .filter((d) => !filter.crossProvince || d.crossProvince === filter.crossProvince)
      .map(summary);
  }

  async search(q: string, region: string | undefined, limit: number): Promise<readonly SearchHit[]> {
    return (await this.snapshot()).index.search(q, region, limit);
  }

  /**
   * The in-memory index (segmentation and pinyin of every name and alias, computed once per
   * catalogue state). A possibly stale index keeps answering while the stamp is checked and a
   * fresh one built, so no search waits on the database once the first index exists.
   */
  private async snapshot(): Promise<Snapshot> {
    if (!this.index) {
      if (!this.building) {
        const b: Promise<Snapshot> = this.buildIndex().finally(() => { if (this.building === b) this.building = undefined; });
        this.building = b;
      }
      return this.building;
    }
    const current = this.index;
    if (Date.now() - current.checked >= INDEX_CHECK_MS && !this.rebuilding) {
      current.checked = Date.now();
      this.rebuilding = this.repo.catalogueStamp(this.db)
        .then((stamp) => (stamp === current.stamp || this.index !== current ? undefined : this.buildIndex()))
        .catch(() => undefined).finally(() => { this.rebuilding = undefined; });
    }
    return current;
  }

  private async buildIndex(): Promise<Snapshot> {
    // The stamp is read first: a change landing during the build then shows as a newer stamp.
    const generation = this.generation;
    const stamp = await this.repo.catalogueStamp(this.db);
    const [matters, bundles] = await Promise.all([this.repo.activeMatters(this.db), this.repo.bundles(this.db)]);
    const departments = new Map(matters.map((m) => [m.code, m.department]));
    const index = new SearchIndex([
      ...matters.map((m) => ({ code: m.code, name: m.name, kind: 'matter' as const, regionCode: m.region_code, department: m.department, category: m.category, aliases: m.definition.aliases })),
      ...bundles.map((b) => ({
        code: b.code, name: b.name, kind: 'bundle' as const, regionCode: b.region_code, category: '一件事', aliases: b.aliases,
        department: [...new Set(b.matter_codes.map((c) => departments.get(c)).filter(Boolean))].join('、'),
      })),
    ]);
    const snapshot: Snapshot = { checked: Date.now(), stamp, index, matters: new Map(matters.map((m) => [m.code, definition(m)])) };
    if (generation === this.generation) this.index = snapshot;
    return snapshot;
  }

  private invalidateIndex(): void {
    this.generation++;
    this.index = undefined;
    this.building = undefined;
  }

  // ── 一件事 bundles ────────────────────────────────────────────────────────────────────────

  async createBundle(b: Omit<BundleRow, 'version'>, db: Executor = this.db): Promise<void> {
    for (const code of b.matter_codes) {
      if (!(await this.repo.matter(db, code))) throw new AppError('VALIDATION_FAILED', `Unknown matter ${code} in bundle ${b.code}`);
    }
    await this.repo.insertBundle(db, b);
    await this.audit.append({ actor: 'system:catalog', action: 'catalog.bundle.create', entityType: 'bundle', entityId: b.code, detail: { matters: b.matter_codes } }, db);
    this.invalidateIndex();
  }

  async getBundle(code: string): Promise<BundleView> {
    const b = await this.repo.bundle(this.db, code);
    if (!b) throw new AppError('NOT_FOUND', `No 一件事 ${code}`);
    const matters = await Promise.all(b.matter_codes.map((c) => this.matterToApply(c)));
    return { code: b.code, name: b.name, description: b.description, regionCode: b.region_code, version: b.version, matters };
  }

  async listBundles() {
    return (await this.repo.bundles(this.db)).map((b) => ({ code: b.code, name: b.name, regionCode: b.region_code, matterCodes: b.matter_codes }));
  }
}
