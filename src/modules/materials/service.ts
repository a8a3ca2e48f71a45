/**
 * Shared materials (非重复、可选择). What a person or company gave once is kept in their library
 * and offered again, together with the e-licences they hold; for each application they choose
 * to reuse something or to give it afresh. Files are checked for what they really are (sniffed
 * from the bytes) and for size, stored once by SM3 hash, and refused when older than the
 * matter accepts.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { Executor } from '../../platform/db/database.js';
import type { ChangeFeed } from '../../platform/db/change-feed.js';
import { NotifiedCache } from '../../platform/db/notified-cache.js';
import type { FieldSealer } from '../../platform/crypto/sealed-json.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { authorize, requireActor, type Actor } from '../../platform/access/policy.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { chinaDate } from '../../platform/calendar/working-days.js';
import type { AuditService } from '../audit/service.js';
import { materialType } from './material-types.js';
import type { HeldLicence, Holder, LicenceWallet } from './ports.js';
import { MaterialsRepository, type MaterialRow } from './repository.js';
import { UUID_ANY_CASE } from '../../platform/uuid.js';

export interface MaterialView {
  id: string; materialType: string; kind: 'file' | 'form'; title: string; contentHash: string; mediaType: string | null;
  sizeBytes: number; data: Record<string, unknown> | null; producedOn: string; createdAt: string;
}

export interface NewMaterial {
  materialType: string; title: string; producedOn?: string; contentBase64?: string; data?: Record<string, unknown>; forCompany?: boolean;
  /** 代办: the upload goes into this person's library; their grant to the actor must cover `matterCode`. */
  onBehalfOf?: string; matterCode?: string;
}

/** What a matter asks for, as far as materials go (a subset of the catalogue's requirement). */
export interface Requirement { key: string; name: string; materialType: string; required: boolean; freshnessDays?: number; licenceTypes?: string[] }

/** The applicant's choice for one requirement: a library material (reused or just given afresh) or an e-licence. */
export type MaterialChoice = { key: string; materialId: string; licenceId?: undefined } | { key: string; licenceId: string; materialId?: undefined };

/** A material as it is fixed into an application at submission. */
export interface SubmittedMaterial {
  key: string; name: string; source: 'library' | 'licence'; materialId: string | null; licenceId: string | null;
  materialType: string; contentHash: string | null; producedOn: string | null; title: string;
}

export interface RequirementOffer {
  key: string; name: string; required: boolean; freshnessDays: number | null;
  library: (MaterialView & { fresh: boolean; usableUntil: string | null })[];
  licences: HeldLicence[];
}

const day = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export function view(r: MaterialRow): MaterialView {
  return {
    id: r.id, materialType: r.material_type, kind: r.kind, title: r.title, contentHash: r.content_hash, mediaType: r.media_type,
    sizeBytes: r.size_bytes, data: r.form_data, producedOn: r.produced_on, createdAt: r.created_at.toISOString(),
  };
}

/** The last day a material produced on `producedOn` is fresh enough for a requirement. */
export function usableUntil(producedOn: string, freshnessDays: number | undefined): string | null {
  return freshnessDays ? day(producedOn, freshnessDays) : null;
}

/** The fields of a library entry an application records (an entry is never changed once given). */
type LibraryEntry = Readonly<Pick<MaterialRow, 'id' | 'owner_person_id' | 'owner_company_id' | 'material_type' | 'title' | 'content_hash' | 'produced_on'>>;
const libraryEntry = (r: MaterialRow): LibraryEntry => Object.freeze({
  id: r.id, owner_person_id: r.owner_person_id, owner_company_id: r.owner_company_id, material_type: r.material_type,
  title: r.title, content_hash: r.content_hash, produced_on: r.produced_on,
});
const MATERIAL = 'material:';
const materialKey = (id: string) => `${MATERIAL}${id}`;

export class MaterialsService {
  private readonly repo: MaterialsRepository;

  constructor(
    private readonly db: Executor,
    private readonly audit: AuditService,
    /** Seals form-type materials at rest (they hold personal data). */
    sealer: FieldSealer,
    /** Absent until the e-licence module is wired: then only uploaded materials can be used. */
    private readonly wallet?: LicenceWallet,
    /** Changes announced by the database (PostgreSQL): library entries are then kept in memory. */
    changes?: ChangeFeed,
  ) {
    this.repo = new MaterialsRepository(sealer);
    this.known = new NotifiedCache<LibraryEntry>(changes, { maxEntries: 100_000, maxAgeMs: 10 * 60_000 });
  }

  /** What an application needs of a library entry, kept in memory (see migration 0107). */
  private readonly known: NotifiedCache<LibraryEntry>;

  /** Library entries by id: from memory outside a transaction, else read. */
  private async entries(db: Executor, ids: string[]): Promise<Map<string, LibraryEntry>> {
    const read = async (wanted: string[]) => new Map((await this.repo.byIds(db, wanted)).map((r) => [r.id, libraryEntry(r)]));
    if (db !== this.db) return read(ids);
    const found = await this.known.getMany(ids.map(materialKey), (keys) => read(keys.map((k) => k.slice(MATERIAL.length)))
      .then((m) => new Map([...m].map(([id, e]) => [materialKey(id), e]))));
    return new Map([...found].map(([k, e]) => [k.slice(MATERIAL.length), e]));
  }

  /** Re-seals form data stored before migration 0106 (job `personal-data.seal-legacy`). */
  sealLegacyForms(batch = 500): Promise<number> {
    return this.repo.sealLegacy(this.db, batch);
  }

  get licencesAvailable(): boolean {
    return !!this.wallet;
  }

  /** Whose library the actor works with: their own, or their company's when acting for it. */
  holderOf(actor: Actor, forCompany = false): Holder {
    if (forCompany) {
      if (!actor.companyId || !actor.roles.includes('company_agent')) throw new AppError('FORBIDDEN', 'Only a company\'s authorised agent acts for the company');
      return { companyId: actor.companyId };
    }
    if (!actor.personId) throw new AppError('FORBIDDEN', 'Only a person or a company agent has a material library');
    return { personId: actor.personId };
  }

  async upload(actorIn: Actor | undefined, input: NewMaterial, db: Executor = this.db): Promise<MaterialView> {
    const actor = requireActor(actorIn);
    return this.store(this.uploadHolder(actor, input), input, actor.userId, db);
  }

  /**
   * Whose library an upload goes into. A relative acting under a 代办 grant uploads into the
   * person's library, for a matter the grant covers (the person's consent names the matters);
   * the entry records the relative as uploader. Out of the grant's reach it is 404, as for reads.
   */
  private uploadHolder(actor: Actor, input: NewMaterial): Holder {
    if (input.onBehalfOf === undefined) {
      if (input.matterCode !== undefined) throw new AppError('VALIDATION_FAILED', 'matterCode goes with onBehalfOf', [{ path: '$.matterCode', message: 'only with onBehalfOf' }]);
      return this.holderOf(actor, input.forCompany);
    }
    if (input.forCompany) throw new AppError('VALIDATION_FAILED', 'Choose either forCompany or onBehalfOf', [{ path: '$.onBehalfOf', message: 'not with forCompany' }]);
    if (input.onBehalfOf === actor.personId) return { personId: actor.personId };
    if (input.matterCode === undefined) throw new AppError('VALIDATION_FAILED', 'Name the matter the upload is for', [{ path: '$.matterCode', message: 'is required with onBehalfOf' }]);
    const basis = authorize(actor, { ownerPersonId: input.onBehalfOf, matterCode: input.matterCode }, { allowAgent: true });
    if (basis !== 'agent') throw new AppError('NOT_FOUND');
    return { personId: input.onBehalfOf };
  }

  /** Checks and stores a material into a holder's library (system use: imports, demo data). */
  async store(holder: Holder, input: NewMaterial, uploadedBy: string, db: Executor = this.db): Promise<MaterialView> {
    const type = materialType(input.materialType);
    if (!type) throw new AppError('VALIDATION_FAILED', `Unknown material type ${input.materialType}`, [{ path: '$.materialType', message: 'unknown material type' }]);
    const today = chinaDate();
    const producedOn = input.producedOn ?? today;
    if (producedOn > today) throw new AppError('VALIDATION_FAILED', 'A material cannot be produced in the future', [{ path: '$.producedOn', message: 'is in the future' }]);
    let stored: { hash: string; mediaType: string | null; size: number; content?: Buffer; data: Record<string, unknown> | null };
    if (type.kind === 'file') {
      if (input.contentBase64 === undefined || input.data !== undefined) {
        throw new AppError('VALIDATION_FAILED', `${type.name} is a file: send contentBase64`, [{ path: '$.contentBase64', message: 'is required for a file' }]);
      }
      const content = Buffer.from(input.contentBase64, 'base64');
      if (content.length === 0) throw new AppError('VALIDATION_FAILED', 'The file is empty', [{ path: '$.contentBase64', message: 'is empty' }]);
      if (content.length > type.maxBytes) {
        throw new AppError('PAYLOAD_TOO_LARGE', `${type.name} may be at most ${Math.round(type.maxBytes / 1024)} KB; this file is ${Math.ceil(content.length / 1024)} KB`, [{ path: '$.contentBase64', message: 'too large' }]);
      }
      const sniffed = await fileTypeFromBuffer(content);
      if (!sniffed || !type.mediaTypes?.includes(sniffed.mime)) {
        throw new AppError('MATERIAL_INVALID', `${type.name} must be ${type.mediaTypes?.join(' or ')}; this file is ${sniffed?.mime ?? 'not a recognised file type'}`, [{ path: '$.contentBase64', message: 'wrong file type' }]);
      }
      stored = { hash: sm3Hex(content), mediaType: sniffed.mime, size: content.length, content, data: null };
    } else {
      if (input.data === undefined || input.contentBase64 !== undefined) {
        throw new AppError('VALIDATION_FAILED', `${type.name} is form data: send data`, [{ path: '$.data', message: 'is required for form data' }]);
      }
      const json = canonicalJson(input.data);
      if (Buffer.byteLength(json) > type.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `${type.name} is too large`, [{ path: '$.data', message: 'too large' }]);
      stored = { hash: sm3Hex(json), mediaType: null, size: Buffer.byteLength(json), data: input.data };
    }
    return inTransaction(db, async (trx) => {
      if (stored.content) await this.repo.putBlob(trx, { hash: stored.hash, media_type: stored.mediaType!, size_bytes: stored.size, content: stored.content });
      const row = await this.repo.upsert(trx, {
        owner_person_id: holder.personId ?? null, owner_company_id: holder.companyId ?? null, material_type: input.materialType,
        kind: type.kind, title: input.title, content_hash: stored.hash, media_type: stored.mediaType, size_bytes: stored.size,
        form_data: stored.data, produced_on: producedOn, uploaded_by: uploadedBy,
      });
      await this.audit.append({ actor: uploadedBy, action: 'material.upload', entityType: 'material', entityId: row.id, detail: { type: input.materialType, hash: stored.hash } }, trx);
      return view(row);
    });
  }

  async library(actor: Actor, forCompany = false, materialTypeFilter?: string): Promise<MaterialView[]> {
    const rows = await this.repo.library(this.db, this.holderOf(actor, forCompany), materialTypeFilter ? [materialTypeFilter] : undefined);
    return rows.map(view);
  }

  /** A library entry and its bytes, for its owner only (404 for anyone else). */
  async content(actor: Actor, id: string): Promise<{ material: MaterialView; mediaType: string; content: Buffer }> {
    const row = await this.ownedMaterial(actor, id);
    if (row.kind !== 'file') throw new AppError('NOT_FOUND', 'Form data has no file content');
    const blob = await this.repo.blob(this.db, row.content_hash);
    if (!blob) throw new AppError('NOT_FOUND');
    return { material: view(row), mediaType: blob.media_type, content: blob.content };
  }

  /** Bytes by content hash, for a module that has already decided the caller may see them. */
  async blobByHash(hash: string): Promise<{ mediaType: string; content: Buffer } | undefined> {
    const blob = await this.repo.blob(this.db, hash);
    return blob && { mediaType: blob.media_type, content: blob.content };
  }

  async get(actor: Actor, id: string): Promise<MaterialView> {
    return view(await this.ownedMaterial(actor, id));
  }

  private async ownedMaterial(actor: Actor, id: string): Promise<MaterialRow> {
    const row = await this.repo.byId(this.db, id);
    const mine = row && ((row.owner_person_id && row.owner_person_id === actor.personId)
      || (row.owner_company_id && row.owner_company_id === actor.companyId && actor.roles.includes('company_agent')));
    if (!row || !mine) throw new AppError('NOT_FOUND');
    return row;
  }

  /** The holder's e-licences, or none when the e-licence module is not wired. */
  async licences(holder: Holder): Promise<HeldLicence[]> {
    return this.wallet ? this.wallet.listHolderLicences(holder) : [];
  }

  /** For each requirement, what the holder could reuse: fresh library entries first, and e-licences. */
  async offers(holder: Holder, requirements: Requirement[], today = chinaDate()): Promise<RequirementOffer[]> {
    const [rows, licences] = await Promise.all([
      this.repo.library(this.db, holder, [...new Set(requirements.map((r) => r.materialType))]),
      this.licences(holder),
    ]);
    return requirements.map((req) => ({
      key: req.key, name: req.name, required: req.required, freshnessDays: req.freshnessDays ?? null,
      library: rows.filter((r) => r.material_type === req.materialType).map((r) => {
        const until = usableUntil(r.produced_on, req.freshnessDays);
        return { ...view(r), fresh: !until || until >= today, usableUntil: until };
      }).sort((a, b) => Number(b.fresh) - Number(a.fresh)),
      licences: licences.filter((l) => l.status === '01' && req.licenceTypes?.includes(l.typeName)),
    }));
  }

  /**
   * Checks the applicant's choices against a matter's requirements and fixes them for the
   * application: every required material present, each of the right type, the holder's own,
   * fresh enough on `today`; an e-licence only of an accepted type, valid, and the holder's.
   * Any failure refuses the whole submission with details naming each requirement.
   */
  async resolve(holder: Holder, requirements: Requirement[], choices: MaterialChoice[], opts: { today?: string; partial?: boolean } = {}, db: Executor = this.db): Promise<SubmittedMaterial[]> {
    const today = opts.today ?? chinaDate();
    const byKey = new Map(requirements.map((r) => [r.key, r]));
    const unknown = choices.filter((c) => !byKey.has(c.key));
    if (unknown.length) {
      throw new AppError('VALIDATION_FAILED', 'Materials were given for requirements this matter does not have', unknown.map((c) => ({ path: '$.materials', message: `unknown requirement ${c.key}` })));
    }
    const seen = new Set<string>();
    for (const c of choices) {
      if (seen.has(c.key)) throw new AppError('VALIDATION_FAILED', `Material ${c.key} was given twice`, [{ path: '$.materials', message: `duplicate ${c.key}` }]);
      seen.add(c.key);
    }
    // A draft may lack materials; a submission may not.
    const missing = opts.partial ? [] : requirements.filter((r) => r.required && !seen.has(r.key));
    if (missing.length) {
      throw new AppError('MATERIAL_MISSING', `Missing: ${missing.map((m) => m.name).join('、')}`, missing.map((m) => ({ path: '$.materials', message: `${m.key} (${m.name}) is required`, key: m.key })));
    }
    // Every chosen library entry in one query, and the wallet only when a licence was chosen.
    const [licences, byId] = await Promise.all([
      choices.some((c) => c.licenceId) ? this.licences(holder) : [],
      this.entries(db, choices.flatMap((c) => (c.materialId && UUID_ANY_CASE.test(c.materialId) ? [c.materialId] : []))),
    ]);
    const out: SubmittedMaterial[] = [];
    for (const c of choices) {
      const req = byKey.get(c.key)!;
      const at: ErrorDetail = { path: '$.materials', message: '', key: c.key };
      if (c.licenceId) {
        if (!this.wallet) throw new AppError('LICENCE_INVALID', 'E-licences cannot be used on this node yet; upload the material instead', [{ ...at, message: 'e-licences unavailable' }]);
        const lic = licences.find((l) => l.licenceId === c.licenceId);
        if (!lic || !req.licenceTypes?.includes(lic.typeName)) throw new AppError('LICENCE_INVALID', `That e-licence cannot replace ${req.name}`, [{ ...at, message: 'not an accepted licence of yours' }]);
        if (lic.status !== '01' || (lic.validUntil && lic.validUntil < today)) throw new AppError('LICENCE_INVALID', `The e-licence for ${req.name} is not valid`, [{ ...at, message: `status ${lic.status}` }]);
        out.push({ key: c.key, name: req.name, source: 'licence', materialId: null, licenceId: lic.licenceId, materialType: req.materialType, contentHash: null, producedOn: lic.issuedOn, title: lic.typeName });
        continue;
      }
      const row = byId.get(c.materialId!);
      const owned = row && (holder.personId ? row.owner_person_id === holder.personId : row.owner_company_id === holder.companyId);
      if (!row || !owned) throw new AppError('NOT_FOUND', `No such material in your library for ${req.name}`, [{ ...at, message: 'not in your library' }]);
      if (row.material_type !== req.materialType) {
        throw new AppError('MATERIAL_INVALID', `${req.name} must be a ${materialType(req.materialType)?.name ?? req.materialType}, not a ${materialType(row.material_type)?.name ?? row.material_type}`, [{ ...at, message: 'wrong material type' }]);
      }
      const until = usableUntil(row.produced_on, req.freshnessDays);
      if (until && until < today) {
        throw new AppError('MATERIAL_EXPIRED', `${req.name} must be at most ${req.freshnessDays} days old; this one is from ${row.produced_on}. Provide it afresh.`, [{ ...at, message: `usable until ${until}` }]);
      }
      out.push({ key: c.key, name: req.name, source: 'library', materialId: row.id, licenceId: null, materialType: row.material_type, contentHash: row.content_hash, producedOn: row.produced_on, title: row.title });
    }
    return out;
  }
}

