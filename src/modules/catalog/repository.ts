/** SQL for matters, their versions and 一件事 bundles. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { MatterBodyT } from './schemas.js';

export interface MatterRow {
  code: string; version: number; name: string; category: string; region_code: string; department: string;
  status: 'active' | 'retired'; definition: MatterBodyT; updated_by: string | null; updated_at: Date; created_at: Date;
}
export interface BundleRow {
  code: string; name: string; description: string; region_code: string; matter_codes: string[]; aliases: string[]; version: number;
}

export class CatalogRepository {
  async insertMatter(db: Executor, code: string, body: MatterBodyT, userId: string | null, note: string): Promise<MatterRow> {
    const row = await db.insertInto('catalog_matters').values({
      code, version: 1, name: body.name, category: body.category, region_code: body.regionCode, department: body.department,
      definition: JSON.stringify(body), updated_by: userId,
    }).returningAll().executeTakeFirstOrThrow() as MatterRow;
    await db.insertInto('catalog_matter_versions').values({ code, version: 1, definition: JSON.stringify(body), change_note: note, changed_by: userId }).execute();
    return row;
  }

  /** Writes the next version when `expectedVersion` is still current; undefined when stale. */
  async updateMatter(db: Executor, code: string, expectedVersion: number, body: MatterBodyT, userId: string, note: string): Promise<MatterRow | undefined> {
    const row = await db.updateTable('catalog_matters').set({
      version: sql`version + 1`, name: body.name, category: body.category, region_code: body.regionCode, department: body.department,
      definition: JSON.stringify(body), updated_by: userId, updated_at: sql`now()`,
    }).where('code', '=', code).where('version', '=', expectedVersion).returningAll().executeTakeFirst() as MatterRow | undefined;
    if (row) {
      await db.insertInto('catalog_matter_versions').values({ code, version: row.version, definition: JSON.stringify(body), change_note: note, changed_by: userId }).execute();
    }
    return row;
  }

  /**
   * Withdraws the matter as its next version (same definition, the reason as change note) when
   * `expectedVersion` is still current and it is still active; undefined otherwise.
   */
  async retireMatter(db: Executor, code: string, expectedVersion: number, userId: string, note: string): Promise<MatterRow | undefined> {
    const row = await db.updateTable('catalog_matters').set({ version: sql`version + 1`, status: 'retired', updated_by: userId, updated_at: sql`now()` })
      .where('code', '=', code).where('version', '=', expectedVersion).where('status', '=', 'active')
      .returningAll().executeTakeFirst() as MatterRow | undefined;
    if (row) {
      await db.insertInto('catalog_matter_versions').values({ code, version: row.version, definition: JSON.stringify(row.definition), change_note: note, changed_by: userId }).execute();
    }
    return row;
  }

  matter(db: Executor, code: string) {
    return db.selectFrom('catalog_matters').selectAll().where('code', '=', code).executeTakeFirst() as Promise<MatterRow | undefined>;
  }

  matterVersion(db: Executor, code: string, version: number) {
    return db.selectFrom('catalog_matter_versions').select(['code', 'version', 'definition']).where('code', '=', code)
      .where('version', '=', version).executeTakeFirst() as Promise<{ code: string; version: number; definition: MatterBodyT } | undefined>;
  }

  versions(db: Executor, code: string) {
    return db.selectFrom('catalog_matter_versions').select(['version', 'change_note', 'changed_at']).where('code', '=', code)
      .orderBy('version', 'desc').execute() as Promise<{ version: number; change_note: string; changed_at: Date }[]>;
  }

  activeMatters(db: Executor, filter: { regionPrefix?: string; category?: string } = {}) {
    let q = db.selectFrom('catalog_matters').selectAll().where('status', '=', 'active').orderBy('region_code').orderBy('code');
    if (filter.regionPrefix) q = q.where('region_code', 'like', `${filter.regionPrefix}%`);
    if (filter.category) q = q.where('category', '=', filter.category);
    return q.execute() as Promise<MatterRow[]>;
  }

  /** Changes whenever a matter or bundle is added, changed or retired (versions only grow). */
  async catalogueStamp(db: Executor): Promise<string> {
    const { rows } = await sql<{ stamp: string }>`SELECT concat_ws('/',
        (SELECT concat_ws(':', count(*), sum(version)) FROM catalog_matters),
        (SELECT concat_ws(':', count(*), sum(version)) FROM catalog_bundles)) AS stamp`.execute(db);
    return rows[0]!.stamp;
  }

  insertBundle(db: Executor, b: Omit<BundleRow, 'version'>) {
    return db.insertInto('catalog_bundles').values(b).execute();
  }
  bundle(db: Executor, code: string) {
    return db.selectFrom('catalog_bundles').selectAll().where('code', '=', code).executeTakeFirst() as Promise<BundleRow | undefined>;
  }
  bundles(db: Executor) {
    return db.selectFrom('catalog_bundles').selectAll().orderBy('code').execute() as Promise<BundleRow[]>;
  }
}
