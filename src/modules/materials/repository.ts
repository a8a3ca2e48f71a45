/** SQL for the material library and its content-addressed blobs. */
import type { Executor } from '../../platform/db/database.js';
import type { Holder } from './ports.js';

export interface MaterialRow {
  id: string; owner_person_id: string | null; owner_company_id: string | null; material_type: string;
  kind: 'file' | 'form'; title: string; content_hash: string; media_type: string | null; size_bytes: number;
  form_data: Record<string, unknown> | null; produced_on: string; uploaded_by: string; created_at: Date;
}

export class MaterialsRepository {
  /** Stores a blob once; a second store of the same hash is a no-op. */
  async putBlob(db: Executor, blob: { hash: string; media_type: string; size_bytes: number; content: Buffer }): Promise<void> {
    await db.insertInto('material_blobs').values(blob).onConflict((oc) => oc.column('hash').doNothing()).execute();
  }

  blob(db: Executor, hash: string) {
    return db.selectFrom('material_blobs').select(['media_type', 'content']).where('hash', '=', hash)
      .executeTakeFirst() as Promise<{ media_type: string; content: Buffer } | undefined>;
  }

  /** Inserts a library entry, or returns the existing one for identical content. */
  async upsert(db: Executor, row: Omit<MaterialRow, 'id' | 'created_at'>): Promise<MaterialRow> {
    const values = { ...row, form_data: row.form_data === null ? null : JSON.stringify(row.form_data) };
    const inserted = await db.insertInto('materials').values(values)
      .onConflict((oc) => oc.doNothing()) // the only unique key besides the id is materials_once
      .returningAll().executeTakeFirst() as MaterialRow | undefined;
    if (inserted) return inserted;
    return this.ownedBy(db, row.owner_person_id ? { personId: row.owner_person_id } : { companyId: row.owner_company_id! })
      .where('material_type', '=', row.material_type).where('content_hash', '=', row.content_hash)
      .where('produced_on', '=', row.produced_on).executeTakeFirstOrThrow() as Promise<MaterialRow>;
  }

  private ownedBy(db: Executor, holder: Holder) {
    const q = db.selectFrom('materials').selectAll();
    return holder.personId ? q.where('owner_person_id', '=', holder.personId) : q.where('owner_company_id', '=', holder.companyId!);
  }

  byId(db: Executor, id: string) {
    return db.selectFrom('materials').selectAll().where('id', '=', id).executeTakeFirst() as Promise<MaterialRow | undefined>;
  }

  library(db: Executor, holder: Holder, types?: string[]) {
    let q = this.ownedBy(db, holder).orderBy('produced_on', 'desc').orderBy('created_at', 'desc');
    if (types) q = q.where('material_type', 'in', types.length ? types : ['']);
    return q.execute() as Promise<MaterialRow[]>;
  }
}
