/** Request and response shapes of the catalogue API (shared with the web UI as types). */
import { Type, type Static } from 'typebox';
import { Obj, RegionCode, Version } from '../../platform/http/schemas.js';

export const MatterCode = Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{2,39}$', description: '事项编码, e.g. 330106-SB-001' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const CrossProvinceMode = Type.Union([
  Type.Literal('full-online'), // 全程网办
  Type.Literal('proxy'), // 异地代收代办
  Type.Literal('multi-site'), // 多地联办
]);

export const MaterialRequirement = Obj({
  key: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$', description: 'Stable key; the same key in a 一件事 is asked once' }),
  name: Text(60),
  materialType: Text(40),
  required: Type.Boolean(),
  freshnessDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500, description: 'The material must have been produced within this many days' })),
  licenceTypes: Type.Optional(Type.Array(Text(60), { maxItems: 10, description: 'E-licence types that can replace this material' })),
});

export const FormField = Obj({
  key: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{1,39}$' }),
  label: Text(60),
  required: Type.Boolean(),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })),
  prefill: Type.Optional(Type.Union([
    Type.Literal('name'), Type.Literal('residentId'), Type.Literal('birthDate'), Type.Literal('sex'),
    Type.Literal('phone'), Type.Literal('regionCode'), Type.Literal('companyName'), Type.Literal('uscc'),
  ], { description: 'Filled from the verified identity, shown before submission' })),
});

/**
 * 审批结果证照: the e-licence an approval of this matter issues to the applicant, and how its
 * fields are filled. Each value is a template of literal text and placeholders: {form.KEY},
 * {applicant.name}, {applicant.id}, {approvedOn}, {approvedYear}, {region}, {ref:N}.
 */
export const ResultLicence = Obj({
  type: Type.String({ minLength: 1, maxLength: 60, description: 'Licence type code or name (GET /api/v1/licences/types)' }),
  issuerUscc: Type.Optional(Type.String({ pattern: '^[0-9A-HJ-NP-RTUW-Y]{18}$', description: "Issuing authority's USCC; default: the authority of the matter's department" })),
  validYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Valid for this many years from approval; absent: no end date (长期)' })),
  fields: Type.Array(Obj({
    field: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,39}$', description: 'A field of the licence type' }),
    value: Type.String({ minLength: 1, maxLength: 300, description: 'Template, e.g. "{form.operatorName}" or "J{region}-{approvedYear}-{ref:6}"' }),
    as: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('number')], { description: 'list: split on 、，,；; — number: a number' })),
  }), { maxItems: 40 }),
});
export type ResultLicenceT = Static<typeof ResultLicence>;

/** Everything a region's officials maintain about one matter. */
export const MatterBody = Obj({
  name: Text(80),
  category: Text(20),
  department: Text(60),
  regionCode: RegionCode,
  description: Type.String({ maxLength: 1000 }),
  legalLimitDays: Type.Integer({ minimum: 0, maximum: 365, description: '法定时限, working days' }),
  promisedLimitDays: Type.Integer({ minimum: 0, maximum: 365, description: '承诺时限, working days' }),
  fee: Type.String({ maxLength: 200 }),
  channels: Type.Array(Type.Union([Type.Literal('online'), Type.Literal('counter'), Type.Literal('mail')]), { minItems: 1, maxItems: 3, uniqueItems: true }),
  crossProvince: Type.Union([CrossProvinceMode, Type.Null()]),
  applicantKinds: Type.Array(Type.Union([Type.Literal('person'), Type.Literal('company')]), { minItems: 1, maxItems: 2, uniqueItems: true }),
  commitmentAllowed: Type.Boolean({ description: '告知承诺 fast track is offered' }),
  aliases: Type.Array(Text(40), { maxItems: 20, description: 'Everyday names the smart guide should find it by' }),
  formFields: Type.Array(FormField, { maxItems: 40 }),
  materials: Type.Array(MaterialRequirement, { maxItems: 30 }),
  resultLicence: Type.Optional(ResultLicence),
});
export type MatterBodyT = Static<typeof MatterBody>;

export const MatterDefinition = Obj({ code: MatterCode, version: Type.Integer(), ...MatterBody.properties });
export type MatterDefinitionT = Static<typeof MatterDefinition>;

export const CreateMatterBody = Obj({ code: MatterCode, ...MatterBody.properties });
export const UpdateMatterBody = Obj({ version: Version, changeNote: Text(200), matter: MatterBody });
export const MatterParams = Obj({ code: MatterCode });
export const RetireMatterBody = Obj({ version: Version, reason: Text(200) });
export const RetiredMatter = Obj({ code: Type.String(), version: Type.Integer(), status: Type.Literal('retired'), reason: Type.String() });
export const VersionQuery = Obj({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })) });

export const MatterSummary = Obj({
  code: Type.String(), name: Type.String(), category: Type.String(), department: Type.String(), regionCode: Type.String(),
  promisedLimitDays: Type.Integer(), crossProvince: Type.Union([CrossProvinceMode, Type.Null()]), version: Type.Integer(),
});
export const MatterListQuery = Obj({
  region: Type.Optional(RegionCode),
  category: Type.Optional(Type.String({ maxLength: 20 })),
  crossProvince: Type.Optional(CrossProvinceMode),
});
export const MatterList = Obj({ items: Type.Array(MatterSummary) });
export const VersionList = Obj({
  items: Type.Array(Obj({ version: Type.Integer(), changeNote: Type.String(), changedAt: Type.String() })),
});

export const SearchQuery = Obj({
  q: Type.String({ minLength: 1, maxLength: 100 }),
  region: Type.Optional(RegionCode),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
});
export const SearchResult = Obj({
  items: Type.Array(Obj({
    code: Type.String(), name: Type.String(), score: Type.Number(), kind: Type.Union([Type.Literal('matter'), Type.Literal('bundle')]),
    regionCode: Type.String(), department: Type.String(), category: Type.String(), inRegion: Type.Boolean(),
  })),
});

export const Bundle = Obj({
  code: Type.String(), name: Type.String(), description: Type.String(), regionCode: Type.String(),
  matters: Type.Array(MatterSummary), version: Type.Integer(),
});
export const BundleParams = Obj({ code: MatterCode });
export const BundleList = Obj({ items: Type.Array(Obj({ code: Type.String(), name: Type.String(), regionCode: Type.String(), matterCodes: Type.Array(Type.String()) })) });
