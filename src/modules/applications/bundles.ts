/**
 * 一件事: one life event, one form, one submission. The bundle's matters are merged so that a
 * field or material several of them need is asked once; the submission fans out to one
 * application per matter (each fixed to its own matter version, queued at its own department)
 * in a single transaction, and the person follows the bundle as one.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { accessBasis, requireActor, type Actor } from '../../platform/access/policy.js';
import type { CatalogService } from '../catalog/service.js';
import type { MatterDefinitionT } from '../catalog/schemas.js';
import type { MaterialChoice, Requirement } from '../materials/service.js';
import { requestHash, type ApplicationsService, type PreparedApplication } from './service.js';
import { applicantFor, identityValues, prefillForm, type ApplicantChoice } from './submission.js';
import type { BundleRow } from './repository.js';
import { queueItem } from './views.js';

export interface BundleSubmitInput extends ApplicantChoice { form: Record<string, string>; materials: MaterialChoice[] }

/** Requirements of several matters, one per key: required if any needs it, the strictest freshness. */
export function mergeRequirements(matters: MatterDefinitionT[]): Requirement[] {
  const byKey = new Map<string, Requirement>();
  for (const r of matters.flatMap((m) => m.materials)) {
    const seen = byKey.get(r.key);
    if (!seen) { byKey.set(r.key, { ...r }); continue; }
    seen.required ||= r.required;
    if (r.freshnessDays) seen.freshnessDays = Math.min(seen.freshnessDays ?? Infinity, r.freshnessDays);
    seen.licenceTypes = [...new Set([...(seen.licenceTypes ?? []), ...(r.licenceTypes ?? [])])];
  }
  return [...byKey.values()];
}

export function mergeFields(matters: MatterDefinitionT[]): MatterDefinitionT['formFields'] {
  const byKey = new Map<string, MatterDefinitionT['formFields'][number]>();
  for (const f of matters.flatMap((m) => m.formFields)) {
    const seen = byKey.get(f.key);
    byKey.set(f.key, seen ? { ...seen, required: seen.required || f.required } : f);
  }
  return [...byKey.values()];
}

export class BundleApplicationsService {
  constructor(private readonly db: Executor, private readonly applications: ApplicationsService, private readonly catalog: CatalogService) {}

  private get repo() { return this.applications.repo; }

  async prepare(actorIn: Actor | undefined, code: string, choice: ApplicantChoice) {
    const actor = requireActor(actorIn);
    const bundle = await this.catalog.getBundle(code);
    const applicant = applicantFor(actor, choice, code);
    const verified = await identityValues(this.applications.deps.identity, applicant, actor);
    const formFields = mergeFields(bundle.matters);
    return {
      bundle: { code: bundle.code, name: bundle.name, description: bundle.description, matterCodes: bundle.matters.map((m) => m.code) },
      formFields, form: prefillForm({ ...bundle.matters[0]!, formFields }, verified),
      materials: await this.applications.deps.materials.offers(applicant.holder, mergeRequirements(bundle.matters), this.applications.today()),
    };
  }

  async submit(actorIn: Actor | undefined, code: string, input: BundleSubmitInput, idempotencyKey: string | undefined) {
    const actor = requireActor(actorIn);
    if (!idempotencyKey) throw new AppError('VALIDATION_FAILED', 'Send an Idempotency-Key header with a submission', [{ in: 'headers', path: '$.idempotency-key', message: 'is required' }]);
    const hash = requestHash({ code, ...input });
    const replay = async () => {
      const existing = await this.repo.bundleByKey(this.db, actor.userId, idempotencyKey);
      if (existing && existing.request_hash !== hash) throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different request');
      return existing && { bundle: await this.view(existing), replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    const bundle = await this.catalog.getBundle(code);
    const fieldKeys = new Set(mergeFields(bundle.matters).map((f) => f.key));
    const requirementKeys = new Set(mergeRequirements(bundle.matters).map((r) => r.key));
    const stray = [
      ...Object.keys(input.form).filter((k) => !fieldKeys.has(k)).map((k) => ({ path: `$.form.${k}`, message: 'unknown field for this 一件事' })),
      ...input.materials.filter((m) => !requirementKeys.has(m.key)).map((m) => ({ path: '$.materials', message: `unknown requirement ${m.key}` })),
    ];
    if (stray.length) throw new AppError('VALIDATION_FAILED', 'Some fields or materials belong to none of these matters', stray);
    // Each matter gets the part of the one form and the one set of materials it asks for.
    const prepared: PreparedApplication[] = [];
    for (const matter of bundle.matters) {
      const fields = new Set(matter.formFields.map((f) => f.key));
      const keys = new Set(matter.materials.map((m) => m.key));
      prepared.push(await this.applications.check(actor, matter, {
        ...input, form: Object.fromEntries(Object.entries(input.form).filter(([k]) => fields.has(k))), materials: input.materials.filter((m) => keys.has(m.key)),
      }));
    }
    const ref = prepared[0]!.applicant.ref;
    try {
      const row = await inTransaction(this.db, async (trx) => {
        const b = await this.repo.insertBundle(trx, {
          bundle_code: bundle.code, bundle_name: bundle.name, applicant_person_id: ref.kind === 'person' ? ref.personId : null,
          applicant_company_id: ref.kind === 'company' ? ref.companyId : null, submitted_by: actor.userId, idempotency_key: idempotencyKey, request_hash: hash,
        });
        for (const p of prepared) await this.applications.insert(trx, actor, this.applications.newRow(actor, p, { status: 'submitted', idempotencyKey: null, requestHash: null, bundleId: b.id }));
        return b as BundleRow;
      });
      return { bundle: await this.view(row), replayed: false };
    } catch (err) {
      if ((err as { code?: string }).code === '23505') { const won = await replay(); if (won) return won; }
      throw err;
    }
  }

  async get(actorIn: Actor | undefined, id: string) {
    const actor = requireActor(actorIn);
    const row = await this.repo.bundleById(this.db, id);
    const basis = row && accessBasis(actor, { ownerPersonId: row.applicant_person_id, ownerCompanyId: row.applicant_company_id });
    if (!row || !basis || basis === 'region') throw new AppError('NOT_FOUND');
    return this.view(row);
  }

  private async view(row: BundleRow) {
    const apps = await this.repo.byBundle(this.db, row.id);
    const today = this.applications.today();
    const items = apps.map((a) => ({ ...queueItem(a, today, this.applications.deps.calendar), department: a.department }));
    return { id: row.id, code: row.bundle_code, name: row.bundle_name, createdAt: row.created_at.toISOString(), applications: items };
  }
}
