/**
 * The shapes of sealed documents: the licence itself, the status list, and small helpers
 * to read untrusted copies of them safely (a verifier receives whatever a client sends).
 */
import type { HolderKind } from './types.js';
import type { StatusCode } from './repository.js';

export const LICENCE_DOC_TYPE = 'tongban.e-licence/v1';
export const STATUS_LIST_DOC_TYPE = 'tongban.licence-status-list/v1';
export const ANNOTATED_COPY_DOC_TYPE = 'tongban.e-licence-annotated-copy/v1';
export const PRESENTATION_DOC_TYPE = 'tongban.e-licence-presentation/v1';

export const STATUS_NAMES: Record<StatusCode, string> = {
  '01': '正常', '02': '暂扣', '03': '撤销', '04': '注销', '05': '失效', '06': '办理转出', '07': '吊销', '99': '其他',
};

export interface LicenceDocument {
  type: typeof LICENCE_DOC_TYPE;
  identifier: string;
  licenceType: { code: string; name: string };
  issuer: { node: string; uscc: string; name: string; regionCode: string };
  holder: { kind: HolderKind; id: string; name: string };
  fields: Record<string, unknown>;
  validFrom: string;
  validTo: string | null;
  issuedAt: string;
  /** Where the licence's bit sits in its authority's signed status list. */
  status: { list: string; index: number };
}

export interface StatusListDocument {
  type: typeof STATUS_LIST_DOC_TYPE;
  node: string;
  issuer: { uscc: string; name: string };
  size: number;
  encoding: 'gzip-base64';
  /** One bit per licence, most significant bit first: 1 = the licence is not valid (status ≠ 01). */
  bits: string;
  updatedAt: string;
}

/** Today in China Standard Time, YYYY-MM-DD: validity dates on licences are local dates. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The parts of an untrusted licence a verifier needs, or the reason they cannot be read. */
export function readLicenceClaims(doc: unknown): { identifier: string; node: string; uscc: string; issuedAt: Date; validFrom: string; validTo: string | null; statusIndex: number } | { problem: string } {
  if (!isRecord(doc) || doc.type !== LICENCE_DOC_TYPE) return { problem: `the document is not a ${LICENCE_DOC_TYPE}` };
  const issuer = doc.issuer;
  const status = doc.status;
  if (typeof doc.identifier !== 'string' || !isRecord(issuer) || typeof issuer.node !== 'string' || typeof issuer.uscc !== 'string') {
    return { problem: 'the licence lacks its identifier or issuer' };
  }
  if (typeof doc.issuedAt !== 'string' || Number.isNaN(Date.parse(doc.issuedAt))) return { problem: 'the licence lacks a valid issuedAt' };
  if (typeof doc.validFrom !== 'string' || (doc.validTo !== null && typeof doc.validTo !== 'string')) return { problem: 'the licence lacks its validity period' };
  if (!isRecord(status) || !Number.isInteger(status.index)) return { problem: 'the licence lacks its status-list entry' };
  return {
    identifier: doc.identifier, node: issuer.node, uscc: issuer.uscc, issuedAt: new Date(doc.issuedAt),
    validFrom: doc.validFrom, validTo: doc.validTo as string | null, statusIndex: status.index as number,
  };
}
