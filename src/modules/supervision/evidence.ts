/**
 * Inspection evidence (photos, documents) as uploaded with a result, and who may download it:
 *  - the inspectors drawn for the inspection, and supervisors (and admins) of its region;
 *  - anyone, once the result is published, but only evidence declared free of personal data.
 * Everyone else gets 404, as for a record that does not exist. Each file is served with the media
 * type it was uploaded as, always as an attachment, and only after its SM3 still matches the one
 * recorded at upload (the digest is sent along so the downloader can check it too).
 */
import { hasPermission, type Actor } from '../../platform/access/policy.js';
import { isWithinRegion } from '../../platform/access/region-scope.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Executor } from '../../platform/db/database.js';
import type { SupervisionDeps } from './context.js';

export interface EvidenceUpload { name: string; mediaType: string; contentBase64: string; personal?: boolean }

export interface EvidenceView { id: string; name: string; mediaType: string; sm3: string; size: number; personal: boolean; createdAt: string }

interface InspectionScope { status: string; inspectors: string[]; region_code: string }

/** Whether `actor` (or the public, when undefined) may see this piece of evidence. */
export function mayDownload(actor: Actor | undefined, inspection: InspectionScope, personal: boolean): boolean {
  if (inspection.status === 'published' && !personal) return true;
  if (!actor) return false;
  if (actor.roles.includes('admin')) return true;
  if (inspection.inspectors.includes(actor.userId) && hasPermission(actor, 'supervision:inspect')) return true;
  return hasPermission(actor, 'supervision:plan') && isWithinRegion(inspection.region_code, actor.regionCode);
}

const view = (r: Record<string, any>): EvidenceView => ({
  id: r.id, name: r.name, mediaType: r.media_type, sm3: r.sm3, size: r.size_bytes, personal: r.personal, createdAt: (r.created_at as Date).toISOString(),
});

/** A phone photo; the result route's body limit leaves room for several. */
export const EVIDENCE_MAX_BYTES = 8 * 1_048_576;

export class Evidence {
  constructor(private readonly deps: SupervisionDeps) {}

  /** Stores the uploads of one result, inside its transaction. Personal unless declared otherwise. */
  async store(trx: Executor, inspectionId: string, uploads: EvidenceUpload[]): Promise<void> {
    for (const [position, ev] of uploads.entries()) {
      const content = Buffer.from(ev.contentBase64, 'base64');
      // The schema bounds the base64 text; this bounds the file itself (the transaction rolls back).
      if (content.length > EVIDENCE_MAX_BYTES) {
        throw new AppError('PAYLOAD_TOO_LARGE', `${ev.name} is ${(content.length / 1_048_576).toFixed(1)} MiB; evidence files may be at most 8 MiB`, [{ path: `$.evidence[${position}].contentBase64`, message: 'larger than 8 MiB' }]);
      }
      await trx.insertInto('sup_evidence').values({
        inspection_id: inspectionId, name: ev.name, media_type: ev.mediaType, sm3: sm3Hex(content), content,
        size_bytes: content.length, personal: ev.personal ?? true, position,
      }).execute();
    }
  }

  private inspection(id: string) {
    return this.deps.db.selectFrom('sup_inspections as i').innerJoin('sup_entities as e', 'e.id', 'i.entity_id')
      .select(['i.id', 'i.status', 'i.inspectors', 'e.region_code']).where('i.id', '=', id).executeTakeFirst() as Promise<(InspectionScope & { id: string }) | undefined>;
  }

  /** The evidence of one inspection that `actor` may download (the public sees the non-personal part of published results). */
  async list(actor: Actor | undefined, inspectionId: string): Promise<EvidenceView[]> {
    const inspection = await this.inspection(inspectionId);
    const rows = inspection
      ? await this.deps.db.selectFrom('sup_evidence').select(['id', 'name', 'media_type', 'sm3', 'size_bytes', 'personal', 'created_at'])
        .where('inspection_id', '=', inspectionId).orderBy('created_at').orderBy('position').execute()
      : [];
    const visible = inspection ? rows.filter((r) => mayDownload(actor, inspection, r.personal as boolean)) : [];
    // A published result is public (its evidence list may be empty); otherwise only those who may see personal evidence learn it exists.
    if (!inspection || (inspection.status !== 'published' && !mayDownload(actor, inspection, true))) throw notFound('No such inspection');
    return visible.map(view);
  }

  async download(actor: Actor | undefined, evidenceId: string): Promise<EvidenceView & { content: Buffer }> {
    const row = await this.deps.db.selectFrom('sup_evidence').selectAll().where('id', '=', evidenceId).executeTakeFirst();
    const inspection = row && await this.inspection(row.inspection_id as string);
    if (!row || !inspection || !mayDownload(actor, inspection, row.personal as boolean)) throw notFound('No such evidence');
    const content = Buffer.from(row.content as Uint8Array);
    // A file changed at rest (disk fault, a manual UPDATE) is refused rather than served as evidence.
    if (sm3Hex(content) !== row.sm3) throw new AppError('INTEGRITY_FAILED', `Evidence ${evidenceId} no longer matches the SM3 recorded at upload`);
    return { ...view(row), content };
  }
}

/** `Content-Disposition` for a file name in any script (RFC 6266 / RFC 5987), with an ASCII fallback. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
