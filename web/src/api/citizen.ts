// The citizen portal's calls beyond browsing: apply (reusing or giving materials afresh), rate a
// finished application, show a licence by QR code (亮证) and lend it to an application (用证).
// Kept beside client.ts rather than in it so each portal's calls live in one place.
import { enc, request } from './client';
import type {
  Application, ApplicantChoice, LicenceType, ListResponse, Loan, MaterialType, LoanRequest, LoanResult, MaterialUpload, MaterialView, Presentation, PresentationRequest,
  PrepareResult, RatingBody, SubmitBody, SubmitResult,
} from './types';

/** A fresh key for one attempt to apply: a retry with the same key returns the same application. */
export function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `k-${Date.now()}-${Math.random().toString(36).slice(2, 12)}`;
}

export const citizenApi = {
  /** The matter with the applicant's prefill and the materials THE APPLICANT could reuse (myself, a grantor, my company). */
  prepare: (matterCode: string, applicant: ApplicantChoice = {}) =>
    request<PrepareResult>('GET', '/applications/prepare', {
      query: { matterCode, ...(applicant.onBehalfOf ? { onBehalfOf: applicant.onBehalfOf } : {}), ...(applicant.forCompany ? { forCompany: 'true' } : {}) },
    }),
  materialTypes: () => request<ListResponse<MaterialType>>('GET', '/materials/types'),
  uploadMaterial: (upload: MaterialUpload) => request<MaterialView>('POST', '/materials', { body: upload }),
  submit: (body: SubmitBody, idempotencyKey: string) =>
    request<SubmitResult>('POST', '/applications', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  rate: (id: string, rating: RatingBody) => request<Application>('POST', `/applications/${enc(id)}/rating`, { body: rating }),

  licenceTypes: () => request<ListResponse<LicenceType>>('GET', '/licences/types'),
  present: (licenceId: string, body: PresentationRequest) =>
    request<Presentation>('POST', `/licences/${enc(licenceId)}/presentations`, { body }),
  myLoans: () => request<ListResponse<Loan>>('GET', '/me/licence-loans'),
  lend: (licenceId: string, body: LoanRequest) => request<LoanResult>('POST', `/licences/${enc(licenceId)}/loans`, { body }),
  // The version guards against withdrawing a consent that changed meanwhile (409 CONFLICT).
  withdrawLoan: (loan: Pick<Loan, 'id' | 'version'>) =>
    request<Loan>('POST', `/licence-loans/${enc(loan.id)}/withdraw`, { body: { version: loan.version } }),
};
