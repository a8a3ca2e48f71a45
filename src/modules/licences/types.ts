/**
 * The licence types this node can issue, each with the JSON Schema of its fields. The schema
 * is both the validation rule for issuing and the list of fields a holder may disclose when
 * showing the licence.
 *
 * Type codes follow GB/T 36904: the defining body's USCC + a 3-digit sequence. National types
 * are defined under the State Council General Office's code 11100000000013338W, and those
 * sequences are taken (public data shows …W001 二级建造师执业资格证书, …W011 建筑施工企业安全生产
 * 管理人员考核合格证书, …W032 建筑施工特种作业操作资格证书), so this project cannot number its own
 * types there. Until the national catalogue's codes for these seven types are loaded, they are
 * local types defined — as provinces and cities do — by the demo node's provincial data
 * authority (浙江省大数据发展管理局; its USCC here is made up, with valid check characters).
 *
 * Codes are never rewritten: a licence keeps the code it was sealed with. When a type's code
 * changes, the old one moves to `formerCodes`, so licences issued under it are still found,
 * shown and lent as that type; new licences get the current code.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export type HolderKind = 'person' | 'company';

export interface LicenceType {
  code: string;
  name: string;
  holderKinds: HolderKind[];
  fields: FieldSchema;
  /** Codes this type was issued under before (identifiers already sealed keep them). */
  formerCodes: string[];
}

interface FieldSchema {
  type: 'object';
  additionalProperties: false;
  required: string[];
  properties: Record<string, Record<string, unknown>>;
}

/** The defining body of this project's local types: 浙江省大数据发展管理局 (made-up USCC). */
export const DEFINING_BODY = '11330000002482031M';
/** Where the first release numbered them, colliding with national codes (see above). */
const FIRST_RELEASE_BODY = '11100000000013338W';
const text = (title: string, maxLength = 200, extra: Record<string, unknown> = {}) => ({ type: 'string', title, minLength: 1, maxLength, ...extra });
const date = (title: string) => ({ type: 'string', format: 'date', title });
const sex = { type: 'string', title: '性别', enum: ['男', '女'] };

function schema(required: string[], properties: FieldSchema['properties']): FieldSchema {
  return { type: 'object', additionalProperties: false, required, properties };
}

export const LICENCE_TYPES: LicenceType[] = [
  {
    code: `${DEFINING_BODY}001`, formerCodes: [`${FIRST_RELEASE_BODY}001`], name: '营业执照', holderKinds: ['company'],
    fields: schema(['name', 'entityType', 'legalRepresentative', 'establishedOn', 'address'], {
      name: text('名称'), entityType: text('类型', 50), legalRepresentative: text('法定代表人', 50),
      registeredCapital: text('注册资本', 50), establishedOn: date('成立日期'), address: text('住所'),
      businessScope: text('经营范围', 2000),
    }),
  },
  {
    code: `${DEFINING_BODY}002`, formerCodes: [`${FIRST_RELEASE_BODY}002`], name: '食品经营许可证', holderKinds: ['company'],
    fields: schema(['licenceNumber', 'operatorName', 'legalRepresentative', 'premises', 'businessForm', 'items'], {
      licenceNumber: text('许可证编号', 20, { pattern: '^JY[0-9]{14}$' }), operatorName: text('经营者名称'),
      legalRepresentative: text('法定代表人（负责人）', 50), address: text('住所'), premises: text('经营场所'),
      businessForm: text('主体业态', 50),
      items: { type: 'array', title: '经营项目', minItems: 1, maxItems: 30, items: text('经营项目', 100) },
    }),
  },
  {
    code: `${DEFINING_BODY}003`, formerCodes: [`${FIRST_RELEASE_BODY}003`], name: '出生医学证明', holderKinds: ['person'],
    fields: schema(['certificateNumber', 'childName', 'sex', 'birthDate', 'birthPlace', 'motherName'], {
      certificateNumber: text('出生医学证明编号', 20, { pattern: '^[A-Z][0-9]{9}$' }), childName: text('新生儿姓名', 50), sex,
      birthDate: date('出生日期'), birthPlace: text('出生地点'), motherName: text('母亲姓名', 50), fatherName: text('父亲姓名', 50),
      institution: text('接生机构名称'),
    }),
  },
  {
    code: `${DEFINING_BODY}004`, formerCodes: [`${FIRST_RELEASE_BODY}004`], name: '结婚证', holderKinds: ['person'],
    fields: schema(['certificateNumber', 'name', 'spouseName', 'registeredOn'], {
      certificateNumber: text('结婚证字号', 30), name: text('持证人', 50), spouseName: text('配偶姓名', 50),
      spouseIdNumber: text('配偶身份证件号', 32), registeredOn: date('登记日期'), registrationOffice: text('登记机关'),
    }),
  },
  {
    code: `${DEFINING_BODY}005`, formerCodes: [`${FIRST_RELEASE_BODY}005`], name: '机动车驾驶证', holderKinds: ['person'],
    fields: schema(['licenceNumber', 'name', 'sex', 'birthDate', 'firstIssuedOn', 'vehicleClass'], {
      licenceNumber: text('证号', 18), name: text('姓名', 50), sex, nationality: text('国籍', 30), address: text('住址'),
      birthDate: date('出生日期'), firstIssuedOn: date('初次领证日期'),
      vehicleClass: text('准驾车型', 20, { pattern: '^(A1|A2|A3|B1|B2|C1|C2|C3|C4|C5|C6|D|E|F|M|N|P)+$' }),
    }),
  },
  {
    code: `${DEFINING_BODY}006`, formerCodes: [`${FIRST_RELEASE_BODY}006`], name: '不动产权证书', holderKinds: ['person', 'company'],
    fields: schema(['certificateNumber', 'owner', 'location', 'unitNumber', 'rightType', 'use', 'area'], {
      certificateNumber: text('证书号', 60), owner: text('权利人'), coOwnership: text('共有情况', 50), location: text('坐落'),
      unitNumber: text('不动产单元号', 28, { pattern: '^[0-9A-Z]{28}$' }), rightType: text('权利类型', 60), use: text('用途', 60),
      area: { type: 'number', title: '面积（平方米）', exclusiveMinimum: 0, maximum: 10_000_000 }, term: text('使用期限', 60),
    }),
  },
  {
    code: `${DEFINING_BODY}007`, formerCodes: [`${FIRST_RELEASE_BODY}007`], name: '社会保障卡', holderKinds: ['person'],
    fields: schema(['name', 'socialSecurityNumber', 'cardNumber', 'issuedOn'], {
      name: text('姓名', 50), socialSecurityNumber: text('社会保障号码', 18), cardNumber: text('卡号', 20, { pattern: '^[0-9A-Z]{6,20}$' }),
      issuedOn: date('发卡日期'), bank: text('开户银行', 60),
    }),
  },
];

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, strict: false }));
const validators = new Map<string, ValidateFunction>(LICENCE_TYPES.map((t) => [t.code, ajv.compile(t.fields)]));
const byCode = new Map(LICENCE_TYPES.flatMap((t) => [t.code, ...t.formerCodes].map((c) => [c, t] as const)));
const byName = new Map(LICENCE_TYPES.map((t) => [t.name, t]));

/** Finds a type by its code (current or former) or, for convenience, its Chinese name. */
export function findLicenceType(codeOrName: string): LicenceType | undefined {
  return byCode.get(codeOrName) ?? byName.get(codeOrName);
}

/** Validation problems of `fields` for the type, as JSON paths under `$.fields`. */
export function fieldErrors(type: LicenceType, fields: unknown): { path: string; message: string }[] {
  const validate = validators.get(type.code)!;
  if (validate(fields)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}`
      : e.keyword === 'required' ? `/${String(e.params.missingProperty)}` : '';
    const path = `$.fields${`${e.instancePath}${extra}`.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('')}`;
    const message = e.keyword === 'additionalProperties' ? `is not a field of ${type.name}` : e.keyword === 'required' ? 'is required' : e.message ?? e.keyword;
    return { path, message };
  });
}

/** Every code a type's licences may carry: the current one and the former ones. */
export function codesOf(type: LicenceType): string[] {
  return [type.code, ...type.formerCodes];
}
