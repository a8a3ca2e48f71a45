/**
 * 亮证: the holder shows a licence by QR code. The code carries a short-lived token MAC'd with
 * the node's token key for this one purpose; whoever scans it sees only what the holder chose
 * (some fields, or just "age ≥ N"), checked live against the register and sealed by the node.
 * Each scan appears in the holder's data-access log.
 */
import { timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { hmacSm3Hex } from '../../platform/crypto/sm.js';
import type { Actor } from '../../platform/access/policy.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import { LicenceRepository } from './repository.js';
import type { LicenceService } from './service.js';
import type { TrustService } from './trust.js';
import { findLicenceType } from './types.js';
import { chinaToday, PRESENTATION_DOC_TYPE, type LicenceDocument } from './document.js';

export const DEFAULT_PRESENTATION_TTL_SECONDS = 300;
/** The web page a scanned code opens (web/src/pages/VerifyPresentationPage.tsx), before the token. */
export const PRESENTATION_PAGE_PATH = '/verify/licence/';
const HOLDER_FIELDS = ['holder.name', 'holder.id'];
const TOKEN = /^v1\.([0-9a-f]{32})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

export interface PresentationInput { fields: string[]; ageAtLeast?: number; purpose: string; ttlSeconds?: number }

export class PresentationService {
  private readonly repo = new LicenceRepository();

  constructor(
    private readonly db: Executor,
    private readonly tokenKey: Uint8Array,
    private readonly licences: LicenceService,
    private readonly trust: TrustService,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    /** Where people reach the web pages (config TONGBAN_PUBLIC_URL); else the request's own origin. */
    private readonly publicUrl?: string,
  ) {}

  private mac(id: string, exp: string): string {
    return Buffer.from(hmacSm3Hex(this.tokenKey, `licence-presentation|${id}|${exp}`), 'hex').subarray(0, 16).toString('base64url');
  }

  private token(id: string, expiresAt: Date): string {
    const exp = Math.floor(expiresAt.getTime() / 1000).toString(36);
    return `v1.${id.replace(/-/g, '')}.${exp}.${this.mac(id, exp)}`;
  }

  /**
   * The holder (or their company's agent) makes a QR presentation of a valid licence. The QR code
   * carries the absolute address of the web page that checks it (`pageUrl`), so the phone that
   * scans it opens something a person can read; `url` is the same check as JSON for programs.
   */
  async create(actor: Actor | undefined, licenceId: string, input: PresentationInput, requestOrigin: string) {
    const { row, basis } = await this.licences.reachableLicence(actor, licenceId);
    if (basis !== 'self' && basis !== 'company') throw new AppError('NOT_FOUND');
    const doc = this.licences.sealed(row).licence;
    const type = findLicenceType(doc.licenceType.code);
    const allowed = [...HOLDER_FIELDS, ...Object.keys(type?.fields.properties ?? doc.fields)];
    const unknown = input.fields.filter((f) => !allowed.includes(f));
    if (unknown.length) {
      throw new AppError('VALIDATION_FAILED', `These are not fields of a ${doc.licenceType.name}: ${unknown.join(', ')}`, unknown.map((f) => ({ path: '$.fields', message: `${f} is not one of ${allowed.join(', ')}` })));
    }
    if (input.ageAtLeast !== undefined && row.holder_kind !== 'person') throw new AppError('VALIDATION_FAILED', 'Only a person holder has an age', [{ path: '$.ageAtLeast', message: 'not for a company licence' }]);
    const check = await this.licences.verify(doc, this.licences.sealed(row).seal);
    if (!check.valid) throw new AppError('LICENCE_INVALID', `This licence cannot be shown: ${check.reasons.join('; ')}`);
    const expiresAt = new Date(Date.now() + (input.ttlSeconds ?? DEFAULT_PRESENTATION_TTL_SECONDS) * 1000);
    const a = actor!;
    const p = await inTransaction(this.db, async (trx) => {
      const inserted = await this.repo.insertPresentation(trx, {
        licence_id: row.id, created_by: a.userId, fields: [...new Set(input.fields)], age_at_least: input.ageAtLeast ?? null, purpose: input.purpose, expires_at: expiresAt,
      });
      await this.audit.append({ actor: a.userId, action: 'licence.present', entityType: 'licence', entityId: row.id, detail: { presentation: inserted.id, fields: inserted.fields, ageAtLeast: inserted.age_at_least } }, trx);
      return inserted;
    });
    const token = this.token(p.id, p.expires_at);
    const url = `/api/v1/presentations/${token}`;
    const pageUrl = `${this.publicUrl ?? requestOrigin}${PRESENTATION_PAGE_PATH}${token}`;
    const [png, svg] = await Promise.all([
      QRCode.toBuffer(pageUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 }),
      QRCode.toString(pageUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    ]);
    return { id: p.id, token, url, pageUrl, expiresAt: p.expires_at.toISOString(), fields: p.fields, ageAtLeast: p.age_at_least, qr: { png: `data:image/png;base64,${png.toString('base64')}`, svg } };
  }

  /** What a scanner sees: public, no login; forged, expired or unknown tokens are refused. */
  async view(token: string) {
    const m = TOKEN.exec(token);
    if (!m) throw new AppError('PRESENTATION_INVALID');
    const hex = m[1]!;
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const expected = Buffer.from(this.mac(id, m[2]!));
    const given = Buffer.from(m[3]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError('PRESENTATION_INVALID');
    const exp = parseInt(m[2]!, 36) * 1000;
    if (exp <= Date.now()) throw new AppError('PRESENTATION_EXPIRED');
    const p = await this.repo.presentationById(this.db, id);
    if (!p || Math.floor(p.expires_at.getTime() / 1000) * 1000 !== exp) throw new AppError('PRESENTATION_INVALID');
    const row = await this.repo.licenceById(this.db, p.licence_id);
    if (!row) throw new AppError('PRESENTATION_INVALID');
    const { licence, seal } = this.licences.sealed(row);
    const check = await this.licences.verify(licence, seal);
    const presentation = {
      type: PRESENTATION_DOC_TYPE, presentationId: p.id, identifier: licence.identifier, licenceType: licence.licenceType,
      issuer: { name: licence.issuer.name, node: licence.issuer.node, uscc: licence.issuer.uscc },
      disclosed: await this.disclosed(licence, p.fields, row.holder_person_id, p.age_at_least),
      validFrom: licence.validFrom, validTo: licence.validTo, status: check.status, valid: check.valid, reasons: check.reasons,
      checkedAt: new Date().toISOString(), expiresAt: p.expires_at.toISOString(),
    };
    if (row.holder_person_id) {
      await this.audit.recordDataAccess({
        subjectPersonId: row.holder_person_id, actor: { userId: null, label: '亮证扫码核验' }, purpose: `亮证：${p.purpose}`,
        fields: [...p.fields, ...(p.age_at_least ? [`ageAtLeast${p.age_at_least}`] : [])],
      });
    }
    return { presentation, seal: await this.trust.seal(presentation) };
  }

  private async disclosed(licence: LicenceDocument, fields: string[], personId: string | null, ageAtLeast: number | null) {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (f === 'holder.name') out[f] = licence.holder.name;
      else if (f === 'holder.id') out[f] = licence.holder.id;
      else if (f in licence.fields) out[f] = licence.fields[f];
    }
    if (ageAtLeast && personId) {
      const person = await this.identity.personIdentity(personId);
      if (person) out[`ageAtLeast${ageAtLeast}`] = ageOn(person.birthDate, chinaToday()) >= ageAtLeast;
    }
    return out;
  }
}

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}
