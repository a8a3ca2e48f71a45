/** SQL for the material library and its content-addressed blobs. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { FieldSealer } from '../../platform/crypto/sealed-json.js';
import type { Holder } from './ports.js';

export interface MaterialRow {
  id: string; owner_person_id: string | null; owner_company_id: string | null; material_type: string;
  kind: 'file' | 'form'; title: string; content_hash: string; media_type: string | null; size_bytes: number;
  form_data: Record<string, unknown> | null; produced_on: string; uploaded_by: string; created_at: Date;
  /** SM4-sealed form data (migration 0106); `form_data` is opened from it. NULL: a file, or a legacy plaintext row. */
  form_sealed?: string | null;
}

const FORM_DATA = 'materials.form_data';

export class MaterialsRepository {
  /** Form data (addresses, bank accounts) is personal: sealed on write, opened on read. */
  constructor(private readonly sealer: FieldSealer) {}

  private opened = <R extends MaterialRow | undefined>(row: R): R => (row ? this.sealer.openLazily(row, 'form_data', FORM_DATA, row.form_sealed) : row);

  /** Stores a blob once; a second store of the same hash is a no-op. */
  async putBlob(db: Executor, blob: { hash: string; media_type: string; size_bytes: number; content: Buffer }): Promise<void> {
    await db.insertInto('material_blobs').values(blob).onConflict((oc) => oc.column('hash').doNothing()).execute();
  }

  blob(db: Executor, hash: string) {
    return db.selectFrom('material_blobs').select(['media_type', 'content']).where('hash', '=', hash)
      .executeTakeFirst() as Promise<{ media_type: string; content: Buffer } | undefined>;
  }

  /** Inserts a library entry, or returns the existing one for identical content. */
  async upsert(db: Executor, row: Omit<MaterialRow, 'id' | 'created_at' | 'form_sealed'>): Promise<MaterialRow> {
    const id = randomUUID();
    const values = row.form_data === null ? { ...row, id } : { ...row, id, form_data: '{}', form_sealed: this.sealer.seal(FORM_DATA, id, row.form_data) };
    const inserted = await db.insertInto('materials').values(values)
      .onConflict((oc) => oc.doNothing()) // the only unique key besides the id is materials_once
      .returningAll().executeTakeFirst() as MaterialRow | undefined;
    if (inserted) return this.opened(inserted);
    return this.opened(await this.ownedBy(db, row.owner_person_id ? { personId: row.owner_person_id } : { companyId: row.owner_company_id! })
      .where('material_type', '=', row.material_type).where('content_hash', '=', row.content_hash)
      .where('produced_on', '=', row.produced_on).executeTakeFirstOrThrow() as MaterialRow);
  }

  /** Seals up to `limit` form data left in plaintext from before migration 0106; returns how many. */
  async sealLegacy(db: Executor, limit: number): Promise<number> {
    const rows = await db.selectFrom('materials').select(['id', 'form_data']).where('form_sealed', 'is', null).where('form_data', 'is not', null)
      .where(sql<boolean>`form_data <> '{}'::jsonb`).limit(limit).execute() as { id: string; form_data: Record<string, unknown> }[];
    for (const r of rows) {
      await db.updateTable('materials').set({ form_data: '{}', form_sealed: this.sealer.seal(FORM_DATA, r.id, r.form_data) }).where('id', '=', r.id).where('form_sealed', 'is', null).execute();
    }
    return rows.length;
  }

  private ownedBy(db: Executor, holder: Holder) {
    const q = db.selectFrom('materials').selectAll();
    return holder.personId ? q.where('owner_person_id', '=', holder.personId) : q.where('owner_company_id', '=', holder.companyId!);
  }

  async byId(db: Executor, id: string) {
    return this.opened(await db.selectFrom('materials').selectAll().where('id', '=', id).executeTakeFirst() as MaterialRow | undefined);
  }

  async byIds(db: Executor, ids: string[]): Promise<MaterialRow[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom('materials').selectAll().where('id', 'in', ids).execute() as MaterialRow[]).map(this.opened);
  }

  async library(db: Executor, holder: Holder, types?: string[]) {
    let q = this.ownedBy(db, holder).orderBy('produced_on', 'desc').orderBy('created_at', 'desc');
    if (types) q = q.where('material_type', 'in', types.length ? types : ['']);
    return (await q.execute() as MaterialRow[]).map(this.opened);
  }
}
