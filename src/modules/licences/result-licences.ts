/**
 * 审批结果证照: a catalogue matter may name the e-licence its approval produces and how the
 * application's values fill the licence's fields. This file checks such a mapping (when the
 * matter is saved, so a bad mapping never reaches an approval) and, at approval, renders it and
 * issues the licence to the applicant — idempotently, inside the approval's transaction.
 *
 * A mapping value is a template: literal text with placeholders
 *   {form.KEY}        the application's form field KEY
 *   {applicant.name}  the applicant's verified name (person) or registered name (company)
 *   {applicant.id}    the applicant's resident ID or USCC
 *   {applicant.legalRepresentative}, {applicant.entityType}  a company's (a person: name, empty)
 *   {approvedOn}      the approval date (YYYY-MM-DD), {approvedYear} its year
 *   {region}          the matter's region code
 *   {ref:N}           N digits (1-12) derived from the application's id — stable on every retry
 * `as: 'list'` splits the text on 、，,；; into a list; `as: 'number'` makes it a number.
 */
import type { Executor } from '../../platform/db/database.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import type { IdentityService } from '../identity/service.js';
import { checkUscc } from '../identity/uscc.js';
import { findLicenceType, type HolderKind, type LicenceType } from './types.js';
import type { LicenceService } from './service.js';

export interface ResultLicenceSpec {
  type: string;
  issuerUscc?: string;
  validYears?: number;
  fields: { field: string; value: string; as?: 'list' | 'number' }[];
}

/** What the approval knows about the application (the matter as it was filed). */
export interface ApprovedApplication {
  id: string;
  matter: { name: string; regionCode: string; department: string; resultLicence?: ResultLicenceSpec };
  applicant: { kind: 'person'; personId: string } | { kind: 'company'; companyId: string };
  form: Record<string, string>;
  approvedOn: string;
}

export type ResultLicenceOutcome =
  | { licenceId: string; identifier: string; typeName: string; replayed: boolean }
  | { skipped: string };

const PLACEHOLDER = /\{([^{}]*)\}/g;
const FIXED = new Set(['applicant.name', 'applicant.id', 'applicant.legalRepresentative', 'applicant.entityType', 'approvedOn', 'approvedYear', 'region']);

/** Why `name` is not a placeholder the matter can use (undefined when it is). */
function placeholderProblem(name: string, formKeys: Set<string>): string | undefined {
  if (FIXED.has(name)) return undefined;
  if (name.startsWith('form.')) return formKeys.has(name.slice(5)) ? undefined : `{${name}}: the matter has no form field ${name.slice(5)}`;
  const ref = /^ref:(\d{1,2})$/.exec(name);
  if (ref && Number(ref[1]) >= 1 && Number(ref[1]) <= 12) return undefined;
  return `{${name}} is not a known placeholder`;
}

/**
 * The problems of a matter's result-licence mapping, as JSON paths under `$.resultLicence`:
 * an unknown type, a type the matter's applicants cannot hold, a field the type does not have,
 * a required field left unmapped, a placeholder naming no form field.
 */
export function resultLicenceProblems(spec: ResultLicenceSpec, matter: { formFields: { key: string }[]; applicantKinds: HolderKind[] }): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const type = findLicenceType(spec.type);
  if (!type) return [{ path: '$.resultLicence.type', message: `unknown licence type ${spec.type} (see GET /api/v1/licences/types)` }];
  if (!matter.applicantKinds.some((k) => type.holderKinds.includes(k))) {
    problems.push({ path: '$.resultLicence.type', message: `a ${type.name} is held by a ${type.holderKinds.join(' or ')}, and this matter's applicants are not` });
  }
  if (spec.issuerUscc && !checkUscc(spec.issuerUscc).valid) problems.push({ path: '$.resultLicence.issuerUscc', message: 'is not a valid unified social credit code' });
  const formKeys = new Set(matter.formFields.map((f) => f.key));
  const mapped = new Set<string>();
  spec.fields.forEach((f, i) => {
    const at = `$.resultLicence.fields[${i}]`;
    const prop = type.fields.properties[f.field];
    if (!prop) problems.push({ path: `${at}.field`, message: `is not a field of ${type.name}` });
    else if ((prop.type === 'array') !== (f.as === 'list')) problems.push({ path: `${at}.as`, message: prop.type === 'array' ? 'this field is a list: set as "list"' : 'only a list field takes as "list"' });
    else if ((prop.type === 'number') !== (f.as === 'number')) problems.push({ path: `${at}.as`, message: prop.type === 'number' ? 'this field is a number: set as "number"' : 'only a number field takes as "number"' });
    if (mapped.has(f.field)) problems.push({ path: `${at}.field`, message: 'is mapped twice' });
    mapped.add(f.field);
    for (const [, name] of f.value.matchAll(PLACEHOLDER)) {
      const problem = placeholderProblem(name!, formKeys);
      if (problem) problems.push({ path: `${at}.value`, message: problem });
    }
  });
  for (const req of type.fields.required) if (!mapped.has(req)) problems.push({ path: '$.resultLicence.fields', message: `the required field ${req} of ${type.name} has no value` });
  return problems;
}

/** `{ref:N}`: N decimal digits of the SM3 of the application id (the same on every retry). */
function refDigits(applicationId: string, n: number): string {
  return (BigInt(`0x${sm3Hex(`result-licence:${applicationId}`)}`) % 10n ** BigInt(n)).toString().padStart(n, '0');
}

function render(template: string, values: Record<string, string>, applicationId: string): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const ref = /^ref:(\d{1,2})$/.exec(name);
    return ref ? refDigits(applicationId, Number(ref[1])) : values[name] ?? '';
  }).trim();
}

/** The licence's fields from the mapping; a mapping that renders empty leaves the field out. */
export function renderFields(spec: ResultLicenceSpec, values: Record<string, string>, applicationId: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const text = render(f.value, values, applicationId);
    if (!text) continue;
    fields[f.field] = f.as === 'list' ? text.split(/[、，,；;\n]+/).map((s) => s.trim()).filter(Boolean)
      : f.as === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return fields;
}

/** The last day of a validity of `years` starting on `from` (YYYY-MM-DD). */
export function validUntil(from: string, years: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export class ResultLicenceIssuer {
  constructor(private readonly licences: LicenceService, private readonly identity: Pick<IdentityService, 'personIdentity' | 'companyById'>) {}

  /**
   * Issues the result licence of an approved application inside `trx` (the approval's
   * transaction), or returns the one already issued for it. Undefined when the matter names
   * none; `skipped` when this applicant cannot hold that type (a person applying for a
   * company's licence). Throws RESULT_LICENCE_FAILED — refusing the approval — when the
   * application's values do not make a valid licence or no authority can issue it.
   */
  async issue(app: ApprovedApplication, trx: Executor): Promise<ResultLicenceOutcome | undefined> {
    const spec = app.matter.resultLicence;
    if (!spec) return undefined;
    const type = findLicenceType(spec.type);
    if (!type) throw failed(`the matter's result licence type ${spec.type} is unknown`);
    if (!type.holderKinds.includes(app.applicant.kind)) {
      return { skipped: `${type.name}由${type.holderKinds.includes('company') ? '市场主体' : '个人'}持有，本件申请人不能持有，未自动签发` };
    }
    const holder = await this.holder(app, trx);
    const issuerUscc = spec.issuerUscc ?? (await this.licences.authorityOfDepartment(app.matter.department, trx))?.uscc;
    if (!issuerUscc) throw failed(`no licence-issuing authority is set up for ${app.matter.department}`);
    const values: Record<string, string> = {
      ...Object.fromEntries(Object.entries(app.form).map(([k, v]) => [`form.${k}`, v])),
      ...holder.values, approvedOn: app.approvedOn, approvedYear: app.approvedOn.slice(0, 4), region: app.matter.regionCode,
    };
    try {
      const issued = await this.licences.issueForApplication(issuerUscc, app.id, {
        type: type.code, holder: { kind: app.applicant.kind, id: holder.id }, fields: renderFields(spec, values, app.id),
        validFrom: app.approvedOn, validTo: spec.validYears ? validUntil(app.approvedOn, spec.validYears) : null,
      }, trx);
      return { licenceId: issued.id, identifier: issued.identifier, typeName: type.name, replayed: issued.replayed };
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.code !== 'CONFLICT') throw failed(err.message, err.details, type);
      throw err;
    }
  }

  /** The holder's ID for issuing, and the `applicant.*` placeholder values. */
  private async holder(app: ApprovedApplication, trx: Executor): Promise<{ id: string; values: Record<string, string> }> {
    if (app.applicant.kind === 'person') {
      const p = await this.identity.personIdentity(app.applicant.personId, trx);
      if (!p) throw failed('the applicant is not a registered person');
      return { id: p.residentId, values: { 'applicant.name': p.name, 'applicant.id': p.residentId, 'applicant.legalRepresentative': p.name, 'applicant.entityType': '' } };
    }
    const c = await this.identity.companyById(app.applicant.companyId, trx);
    if (!c) throw failed('the applicant is not a registered company');
    return { id: c.uscc, values: { 'applicant.name': c.name, 'applicant.id': c.uscc, 'applicant.legalRepresentative': c.legalRepresentative, 'applicant.entityType': c.entityType } };
  }
}

function failed(reason: string, details?: ErrorDetail[], type?: LicenceType): AppError {
  return new AppError('RESULT_LICENCE_FAILED', `The approval needs its ${type?.name ?? 'result licence'}, which cannot be issued: ${reason}. Nothing was changed; ask the applicant for a correction or fix the matter's licence mapping.`, details);
}
