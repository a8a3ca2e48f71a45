/** Request and response shapes of the identity API (shared with the web UI as types). */
import { Type, type Static } from 'typebox';
import { DateString, DateTimeString, Nullable, Obj, RegionCode, Uuid, Version } from '../../platform/http/schemas.js';

export const IdentityCheckBody = Obj({
  kind: Type.Union([Type.Literal('resident-id'), Type.Literal('uscc')]),
  value: Type.String({ maxLength: 64 }),
});
export const IdentityCheckResult = Obj({
  valid: Type.Boolean(),
  errors: Type.Array(Type.String()),
  info: Type.Optional(Type.Object({}, { additionalProperties: Type.String() })),
});

export const LoginBody = Obj({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export const UserSummary = Obj({ id: Uuid, username: Type.String(), roles: Type.Array(Type.String()) });
export const LoginResult = Obj({ token: Type.String(), user: UserSummary });

export const RegisterBody = Obj({
  username: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,31}$' }),
  password: Type.String({ minLength: 8, maxLength: 128 }),
  name: Type.String({ minLength: 1, maxLength: 50 }),
  residentId: Type.String({ minLength: 1, maxLength: 32 }),
  phone: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$' })),
});

export const PersonView = Obj({
  id: Uuid, name: Type.String(), residentId: Type.String(), birthDate: DateString, sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
  regionCode: Type.String(), phone: Nullable(Type.String()), assuranceLevel: Type.Integer(), version: Type.Integer(),
});
export const CompanyView = Obj({
  id: Uuid, uscc: Type.String(), name: Type.String(), entityType: Type.String(), regionCode: Type.String(), legalRepresentative: Type.String(),
});
export const MeResult = Obj({
  user: Obj({
    id: Uuid, username: Type.String(), roles: Type.Array(Type.String()), displayName: Type.String(),
    regionCode: Nullable(Type.String()), department: Nullable(Type.String()),
  }),
  person: Nullable(PersonView),
  company: Nullable(CompanyView),
});
export const PhoneUpdateBody = Obj({ phone: Type.String({ pattern: '^1[3-9][0-9]{9}$' }), version: Version });

export const PurposeQuery = Obj({ purpose: Type.Optional(Type.String({ maxLength: 200 })) });
export const PersonSearchBody = Obj({
  residentId: Type.String({ minLength: 1, maxLength: 32 }),
  purpose: Type.String({ minLength: 2, maxLength: 200 }),
});
export const VerifyBody = Obj({ version: Version, method: Type.Union([Type.Literal('counter'), Type.Literal('video')]) });

export const GrantBody = Obj({
  grantorPersonId: Type.Optional(Uuid),
  granteeUsername: Type.String({ minLength: 1, maxLength: 64 }),
  relationship: Type.String({ minLength: 1, maxLength: 30 }),
  matters: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 100 }),
  purpose: Type.String({ minLength: 2, maxLength: 200 }),
  expiresAt: DateTimeString,
  consent: Type.Boolean(),
});
export const GrantView = Obj({
  id: Uuid, grantorPersonId: Uuid,
  grantorName: Type.String({ description: 'The person who gave the authorisation' }),
  grantorIdMasked: Type.String({ description: "That person's resident id, masked (region and last four)" }),
  granteeUserId: Uuid, granteeName: Type.String(), relationship: Type.String(),
  matters: Type.Array(Type.String()), purpose: Type.String(), consentStatement: Type.String(),
  consentChannel: Type.Union([Type.Literal('online'), Type.Literal('counter')]), consentedAt: Type.String(),
  expiresAt: Type.String(), revokedAt: Nullable(Type.String()), active: Type.Boolean(), version: Type.Integer(),
});
export const GrantList = Obj({ given: Type.Array(GrantView), received: Type.Array(GrantView) });
export const RevokeBody = Obj({ version: Version });

export const RegionItem = Obj({
  code: Type.String(), name: Type.String(), level: Type.String(), parentCode: Nullable(Type.String()),
});
export const RegionParams = Obj({ code: RegionCode });
export const RegionList = Obj({ items: Type.Array(RegionItem) });

export type LoginResultT = Static<typeof LoginResult>;
export type MeResultT = Static<typeof MeResult>;
export type GrantViewT = Static<typeof GrantView>;
