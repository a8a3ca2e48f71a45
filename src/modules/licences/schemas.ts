/** Request and response shapes of the licence, trust and presentation API. */
import { Type } from 'typebox';
import { DateString, DateTimeString, Nullable, Obj, RegionCode, Version } from '../../platform/http/schemas.js';

/**
 * A request document checked elsewhere rather than by this schema: licence fields by their type's JSON
 * Schema (unknown fields are a 400 there), sealed documents by their seal — a verifier must take
 * whatever was signed, so nothing in them may be dropped or refused here.
 */
const InputDocument = Type.Record(Type.String(), Type.Unknown());
/** A sealed document in a response: its shape is its type's (see document.ts). */
const AnyObject = Type.Object({}, { additionalProperties: true });
export const StatusCodeT = Type.Union(['01', '02', '03', '04', '05', '06', '07', '99'].map((c) => Type.Literal(c)));
const SetStatusCode = Type.Union(['01', '02', '03', '04', '05', '06', '07', '99'].map((c) => Type.Literal(c)));

export const SealT = Obj({
  alg: Type.Literal('SM2-SM3'),
  keyId: Type.String({ minLength: 1, maxLength: 100 }),
  signature: Type.String({ minLength: 1, maxLength: 200, description: 'base64 of the DER-encoded SM2 signature' }),
});
/** Verification input: the seal's fields are checked by the service so that bad ones read as valid:false. */
export const SealInput = Obj({
  alg: Type.String({ maxLength: 20 }),
  keyId: Type.String({ maxLength: 100 }),
  signature: Type.String({ maxLength: 400 }),
});

export const LicenceTypeList = Obj({
  items: Type.Array(Obj({
    code: Type.String(), formerCodes: Type.Array(Type.String(), { description: 'Codes licences of this type were issued under before; they keep them' }),
    name: Type.String(), holderKinds: Type.Array(Type.String()), fields: AnyObject,
  })),
});

export const IssueBody = Obj({
  type: Type.String({ minLength: 1, maxLength: 40, description: 'licence-type code (or its name)' }),
  holder: Obj({ kind: Type.Union([Type.Literal('person'), Type.Literal('company')]), id: Type.String({ minLength: 1, maxLength: 32 }) }),
  fields: InputDocument,
  validFrom: DateString,
  validTo: Type.Optional(Nullable(DateString)),
});

export const SealedLicence = Obj({ id: Type.String(), identifier: Type.String(), licence: AnyObject, seal: SealT });
const HistoryItem = Obj({ from: Nullable(Type.String()), to: Type.String(), reason: Type.String(), actor: Type.String(), at: Type.String() });
export const LicenceDetail = Obj({
  id: Type.String(), identifier: Type.String(), licence: AnyObject, seal: SealT,
  status: Type.String(), statusReason: Nullable(Type.String()), version: Type.Integer(), history: Type.Array(HistoryItem),
});

export const WalletQuery = Obj({ type: Type.Optional(Type.String({ maxLength: 40, description: 'licence-type code or name' })) });
export const WalletList = Obj({
  items: Type.Array(Obj({
    id: Type.String(), identifier: Type.String(), type: Type.String(), typeName: Type.String(), holderKind: Type.String(),
    status: Type.String(), validFrom: Type.String(), validTo: Nullable(Type.String()), issuer: Type.String(), issuedAt: Type.String(),
  })),
});

export const StatusBody = Obj({
  status: SetStatusCode,
  reason: Type.String({ minLength: 2, maxLength: 500 }),
  version: Type.Optional(Version),
});
export const StatusResult = Obj({ id: Type.String(), identifier: Type.String(), status: Type.String(), statusReason: Nullable(Type.String()), version: Type.Integer() });

export const VerifyBody = Obj({ licence: InputDocument, seal: SealInput });
export const VerifyResult = Obj({
  valid: Type.Boolean(), status: Nullable(Type.String()), reasons: Type.Array(Type.String()),
  statusSource: Type.String({ description: 'status-list (the signed list of this node or of a trusted node), register (this node\'s records, read for a licence not marked valid) or not-checked' }),
  warnings: Type.Array(Type.String()),
});

export const IdentifierCheckBody = Obj({ identifier: Type.String({ maxLength: 200 }) });
export const IdentifierCheckResult = Obj({
  valid: Type.Boolean(), errors: Type.Array(Type.String()),
  parts: Type.Optional(Obj({ typeCode: Type.String(), issuerUscc: Type.String(), serial: Type.String(), version: Type.String(), checkChar: Type.String() })),
});

export const StatusListParams = Obj({ uscc: Type.String({ pattern: '^[0-9A-Z]{18}$' }) });
export const SignedStatusList = Obj({ list: AnyObject, seal: SealT });
export const StatusListImportBody = Obj({ list: InputDocument, seal: SealT });
export const StatusListImportResult = Obj({ node: Type.String(), issuer: Type.String(), updatedAt: Type.String() });

const KeyStatus = Type.Union([Type.Literal('active'), Type.Literal('retired'), Type.Literal('revoked')]);
const PublishedKeyT = Obj({
  keyId: Type.String(), nodeId: Type.String(), alg: Type.Literal('SM2-SM3'), publicKeyPem: Type.String(), fingerprint: Type.String(),
  status: KeyStatus, validFrom: Type.String(), validTo: Nullable(Type.String()), revokedAt: Nullable(Type.String()),
});
export const KeyList = Obj({ keys: Type.Array(PublishedKeyT) });
export const TrustList = Obj({
  keys: Type.Array(Obj({ ...PublishedKeyT.properties, source: Type.String(), importedAt: Type.String() })),
});
export const RotateBody = Obj({ reason: Type.String({ minLength: 2, maxLength: 500 }) });
export const RevokeKeyBody = Obj({ reason: Type.String({ minLength: 2, maxLength: 500 }), revokedAt: Type.Optional(DateTimeString) });
export const KeyIdParams = Obj({ keyId: Type.String({ pattern: '^[\\w.-]{1,100}$' }) });
export const NodeIdParams = Obj({ nodeId: Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' }) });
export const TrustImportBody = Obj({
  nodeId: Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' }),
  fingerprints: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{64}$' }), { minItems: 1, maxItems: 50, description: 'SM3 fingerprints of the keys to trust, obtained out of band' }),
  keys: Type.Optional(Obj({ keys: Type.Array(InputDocument, { maxItems: 200 }) })),
  url: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 500, description: "the other node's /api/v1/trust/keys" })),
});
export const TrustImportResult = Obj({
  nodeId: Type.String(), imported: Type.Array(Type.String()), updated: Type.Array(Type.String()),
  skipped: Type.Array(Obj({ keyId: Type.String(), reason: Type.String() })),
});

export const PresentationBody = Obj({
  fields: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30, description: 'fields to show: the type\'s field names, holder.name, holder.id' }),
  ageAtLeast: Type.Optional(Type.Integer({ minimum: 1, maximum: 150 })),
  purpose: Type.String({ minLength: 2, maxLength: 200 }),
  ttlSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 900, default: 300 })),
});
export const PresentationCreated = Obj({
  id: Type.String(), token: Type.String(),
  url: Type.String({ description: 'The live check as JSON (no login): GET this path' }),
  pageUrl: Type.String({ description: 'Absolute address of the web page that shows the check; what the QR code carries' }),
  expiresAt: Type.String(), fields: Type.Array(Type.String()),
  ageAtLeast: Nullable(Type.Integer()), qr: Obj({ png: Type.String({ description: 'data: URL' }), svg: Type.String() }),
});
export const TokenParams = Obj({ token: Type.String({ maxLength: 120 }) });
export const PresentationView = Obj({ presentation: AnyObject, seal: SealT });

export const LoanBody = Obj({
  applicationRef: Type.String({ minLength: 1, maxLength: 64 }),
  matterCode: Type.String({ minLength: 1, maxLength: 64 }),
  matterName: Type.String({ minLength: 1, maxLength: 100 }),
  purpose: Type.String({ minLength: 2, maxLength: 200 }),
  recipientRegionCode: RegionCode,
  recipientDepartment: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  consent: Type.Boolean(),
  expiresAt: Type.Optional(DateTimeString),
});
const LoanViewT = Obj({
  id: Type.String(), licenceId: Type.String(), applicationRef: Type.String(), matterCode: Type.String(), matterName: Type.String(),
  purpose: Type.String(), recipientRegionCode: Type.String(), recipientDepartment: Nullable(Type.String()), consentStatement: Type.String(),
  consentedAt: Type.String(), expiresAt: Type.String(), revokedAt: Nullable(Type.String()), active: Type.Boolean(), version: Type.Integer(),
});
export const LoanResult = Obj({ loan: LoanViewT, annotatedCopy: Obj({ document: AnyObject, seal: SealT }) });
export const LoanList = Obj({ items: Type.Array(LoanViewT) });
export const WithdrawBody = Obj({ version: Version });
