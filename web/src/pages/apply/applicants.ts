// 为谁办理: whom the signed-in user may apply for on this matter — themselves, each person whose
// live 代办 grant covers the matter, and their company when they are its agent and the matter
// takes companies. The server decides again on prepare and submit; this only decides what to offer.
import type { AgentGrant, ApplicantChoice, Matter, MeResponse, PrepareResult } from '../../api/types';

export type ApplicantOption =
  | { key: 'self'; kind: 'self' }
  | { key: string; kind: 'person'; personId: string; grant: AgentGrant }
  | { key: 'company'; kind: 'company'; company: NonNullable<MeResponse['company']> };

/** Whether a grant lets its holder act on `matterCode` now (the server's grantCovers, as the client sees it). */
export function grantCovers(grant: AgentGrant, matterCode: string, now: Date): boolean {
  return grant.active && !grant.revokedAt && Date.parse(grant.expiresAt) > now.getTime()
    && (grant.matters.includes('*') || grant.matters.includes(matterCode));
}

export function applicantOptions(me: MeResponse, received: AgentGrant[], matter: Pick<Matter, 'code' | 'applicantKinds'>, now = new Date()): ApplicantOption[] {
  const options: ApplicantOption[] = [];
  const forPersons = matter.applicantKinds.includes('person');
  if (forPersons && me.person) options.push({ key: 'self', kind: 'self' });
  if (forPersons) {
    const seen = new Set<string>(me.person ? [me.person.id] : []);
    for (const grant of received) {
      if (seen.has(grant.grantorPersonId) || !grantCovers(grant, matter.code, now)) continue;
      seen.add(grant.grantorPersonId);
      options.push({ key: `person:${grant.grantorPersonId}`, kind: 'person', personId: grant.grantorPersonId, grant });
    }
  }
  if (me.company && me.user.roles.includes('company_agent') && matter.applicantKinds.includes('company')) {
    options.push({ key: 'company', kind: 'company', company: me.company });
  }
  return options;
}

/** What prepare and submit are told about the applicant. */
export function applicantChoice(option: ApplicantOption | undefined): ApplicantChoice {
  if (option?.kind === 'person') return { onBehalfOf: option.personId };
  if (option?.kind === 'company') return { forCompany: true };
  return {};
}

/** The applicant's verified value for a prefill source (name, residentId, companyName…), from prepare's form. */
export function prefilled(prepared: Pick<PrepareResult, 'matter' | 'form'>, source: string): string | undefined {
  const field = prepared.matter.formFields.find((f) => f.prefill === source);
  return field ? prepared.form[field.key] : undefined;
}

/** An identity number with only its first and last four characters shown: 3301**********002X. */
export function maskId(id: string): string {
  return id.length <= 8 ? id : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}
