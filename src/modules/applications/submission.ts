/**
 * Who applies, and what they fill in. The applicant is the signed-in person, their company (an
 * agent acting for it), or a person who granted them 代办. Fields the matter prefills come from
 * the verified identity: shown before submission, stored only on submit, and a submitted value
 * that differs from the verified one is refused rather than silently replaced.
 */
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { authorize, type Actor } from '../../platform/access/policy.js';
import type { IdentityService } from '../identity/service.js';
import type { MatterDefinitionT } from '../catalog/schemas.js';
import type { Holder } from '../materials/ports.js';
import type { ApplicantRef } from './ports.js';

export interface ApplicantChoice { forCompany?: boolean; onBehalfOf?: string }
export interface Applicant { ref: ApplicantRef; holder: Holder; basis: 'self' | 'company' | 'agent' | 'admin' }

export type IdentityLookup = Pick<IdentityService, 'personIdentity' | 'companyById' | 'displayNames' | 'personLabels'>;

export function applicantFor(actor: Actor, choice: ApplicantChoice, matterCode: string): Applicant {
  if (choice.forCompany) {
    if (!actor.companyId || !actor.roles.includes('company_agent')) throw new AppError('FORBIDDEN', 'Only a company\'s authorised agent applies for the company');
    return { ref: { kind: 'company', companyId: actor.companyId }, holder: { companyId: actor.companyId }, basis: 'company' };
  }
  if (choice.onBehalfOf && choice.onBehalfOf !== actor.personId) {
    // 代办: only under a live grant from that person covering this matter (404 otherwise).
    const basis = authorize(actor, { ownerPersonId: choice.onBehalfOf, matterCode });
    if (basis !== 'agent' && basis !== 'admin') throw new AppError('NOT_FOUND');
    return { ref: { kind: 'person', personId: choice.onBehalfOf }, holder: { personId: choice.onBehalfOf }, basis };
  }
  if (!actor.personId) throw new AppError('FORBIDDEN', 'Only a person or a company agent can apply');
  return { ref: { kind: 'person', personId: actor.personId }, holder: { personId: actor.personId }, basis: 'self' };
}

/** The verified values a matter's fields may be prefilled from. */
export async function identityValues(identity: IdentityLookup, applicant: Applicant, actor: Actor): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const personId = applicant.ref.kind === 'person' ? applicant.ref.personId : actor.personId;
  const person = personId ? await identity.personIdentity(personId) : undefined;
  if (person) {
    Object.assign(values, { name: person.name, birthDate: person.birthDate, sex: person.sex, regionCode: person.regionCode });
    if (person.phone) values.phone = person.phone;
    if (applicant.ref.kind === 'person') values.residentId = person.residentId;
  }
  if (applicant.ref.kind === 'company') {
    const company = await identity.companyById(applicant.ref.companyId);
    if (company) Object.assign(values, { companyName: company.name, uscc: company.uscc });
  }
  return values;
}

/** The prefilled form shown before submission: only the matter's prefill fields, nothing stored. */
export function prefillForm(matter: MatterDefinitionT, verified: Record<string, string>): Record<string, string> {
  const form: Record<string, string> = {};
  for (const f of matter.formFields) if (f.prefill && verified[f.prefill] !== undefined) form[f.key] = verified[f.prefill]!;
  return form;
}

/** Checks and completes a submitted form; `partial` (a draft) skips the required-field check. */
export function checkForm(matter: MatterDefinitionT, given: Record<string, string>, verified: Record<string, string>, partial = false): Record<string, string> {
  const fields = new Map(matter.formFields.map((f) => [f.key, f]));
  const problems: ErrorDetail[] = [];
  for (const key of Object.keys(given)) if (!fields.has(key)) problems.push({ path: `$.form.${key}`, message: 'unknown field for this matter' });
  const form: Record<string, string> = {};
  for (const f of matter.formFields) {
    const value = given[f.key]?.trim();
    const known = f.prefill ? verified[f.prefill] : undefined;
    if (known !== undefined) {
      if (value && value !== known) problems.push({ path: `$.form.${f.key}`, message: 'must match your verified identity' });
      form[f.key] = known;
      continue;
    }
    if (!value) {
      if (f.required && !partial) problems.push({ path: `$.form.${f.key}`, message: `${f.label} is required` });
      continue;
    }
    if (f.maxLength && [...value].length > f.maxLength) problems.push({ path: `$.form.${f.key}`, message: `at most ${f.maxLength} characters` });
    form[f.key] = value;
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', 'The form is not complete or not valid', problems);
  return form;
}
