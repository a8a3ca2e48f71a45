// Apply for a matter, one task per screen: say for whom (when I may act for someone else on
// this matter), check the applicant's verified details, fill in what only the applicant knows,
// then for each material reuse, use an e-licence or give it afresh, and finally review and
// submit. The submission carries one Idempotency-Key for the whole attempt, so pressing
// "submit" again after a lost answer never files a second application.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Input, Steps } from 'antd';
import { Link, useParams } from 'react-router';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { citizenApi, newIdempotencyKey } from '../../api/citizen';
import type { PrepareResult, SubmitResult } from '../../api/types';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { usePreferences } from '../../elder/preferences';
import { applicantChoice, applicantOptions, prefilled, type ApplicantOption } from './applicants';
import { ApplicantStep, type ApplicantLabel } from './ApplicantStep';
import { chinaToday, defaultChoice, fileToBase64, toSubmission, type Choice } from './choices';
import { MaterialStep, type UploadDraft } from './MaterialStep';
import { ReviewStep } from './ReviewStep';

const SELF: ApplicantOption = { key: 'self', kind: 'self' };

export function ApplyPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  // Whom I may apply for: the matter's applicant kinds, my person and company, the grants I hold.
  const matter = useQuery({ queryKey: ['matter', code], queryFn: () => api.getMatter(code) });
  const me = useQuery({ queryKey: ['me'], queryFn: api.me });
  const grants = useQuery({ queryKey: ['my-agent-grants'], queryFn: api.myAgentGrants });
  const types = useQuery({ queryKey: ['material-types'], queryFn: citizenApi.materialTypes, staleTime: Infinity });
  const whomKnown = !matter.isPending && !me.isPending && !grants.isPending;
  const options = useMemo(() => {
    if (!whomKnown) return [];
    // Without these answers the flow is what it always was: myself, and the server's verdict.
    const found = matter.data && me.data ? applicantOptions(me.data, grants.data?.received ?? [], matter.data) : [];
    return found.length ? found : [SELF];
  }, [whomKnown, matter.data, me.data, grants.data]);
  // Each possible applicant's own prepare: their verified name for the choice, and — once
  // chosen — their prefill and THEIR library and e-licences.
  const prepares = useQueries({
    queries: options.map((option) => ({
      queryKey: ['prepare', code, option.key], queryFn: () => citizenApi.prepare(code, applicantChoice(option)), gcTime: 0,
    })),
  });

  if (!whomKnown || types.isPending || prepares.some((p) => p.isPending)) {
    return <><PageTitle title={t('apply.title')} /><LoadingState /></>;
  }
  // An applicant whose prepare fails (a grant revoked a moment ago) is simply not offered.
  const usable = options.filter((_, i) => prepares[i]!.isSuccess);
  if (types.isError || usable.length === 0) {
    return (
      <>
        <PageTitle title={t('apply.title')} />
        <ErrorState error={types.error ?? prepares[0]?.error} onRetry={() => { for (const p of prepares) void p.refetch(); void types.refetch(); }} />
        <p><Link to={`/matters/${encodeURIComponent(code)}`}>{t('apply.backToGuide')}</Link></p>
      </>
    );
  }
  const prepared = Object.fromEntries(options.flatMap((option, i) => (prepares[i]!.data ? [[option.key, prepares[i]!.data] as const] : [])));
  const labels = Object.fromEntries(usable.map((option): [string, ApplicantLabel] => {
    if (option.kind === 'company') return [option.key, { name: option.company.name, id: option.company.uscc }];
    if (option.kind === 'self' && me.data?.person) return [option.key, { name: me.data.person.name, id: me.data.person.residentId }];
    // A grant names its grantor (masked id); prepare's prefill covers any older server.
    const grant = option.kind === 'person' ? option.grant : undefined;
    return [option.key, {
      name: grant?.grantorName || prefilled(prepared[option.key]!, 'name'),
      id: grant?.grantorIdMasked || prefilled(prepared[option.key]!, 'residentId'),
    }];
  }));
  const kinds = Object.fromEntries(types.data.items.map((type) => [type.code, type.kind === 'form' ? 'form' : 'file'] as const));
  return <ApplyFlow options={usable} prepared={prepared} labels={labels} kinds={kinds} />;
}

type Step = { kind: 'whom' } | { kind: 'identity' } | { kind: 'form' } | { kind: 'material'; index: number } | { kind: 'review' };

interface FlowProps {
  options: ApplicantOption[];
  prepared: Record<string, PrepareResult>;
  labels: Record<string, ApplicantLabel>;
  kinds: Record<string, 'file' | 'form'>;
}

const defaultsFor = (prepared: PrepareResult, today: string) =>
  Object.fromEntries(prepared.materials.map((offer) => [offer.key, defaultChoice(offer, today)]));

function ApplyFlow({ options, prepared: preparedFor, labels, kinds }: FlowProps) {
  const { t } = useTranslation();
  const { elderMode } = usePreferences();
  const today = useMemo(chinaToday, []);
  const [whom, setWhom] = useState(options[0]!.key);
  const applicant = options.find((o) => o.key === whom) ?? options[0]!;
  const prepared = preparedFor[applicant.key]!;
  const { matter } = prepared;
  const applicantName = labels[applicant.key]?.name ?? t('apply.someone');
  // Said on every screen once the applicant is someone else, so it is never forgotten.
  const acting = applicant.kind === 'person' ? t('apply.actingFor', { name: applicantName })
    : applicant.kind === 'company' ? t('apply.actingForCompany', { name: applicantName }) : null;
  const verifiedFields = matter.formFields.filter((f) => f.prefill && prepared.form[f.key] !== undefined);
  const ownFields = matter.formFields.filter((f) => !verifiedFields.includes(f));
  const steps: Step[] = [
    ...(options.length > 1 ? [{ kind: 'whom' } as const] : []),
    { kind: 'identity' },
    ...(ownFields.length ? [{ kind: 'form' } as const] : []),
    ...prepared.materials.map((_, index) => ({ kind: 'material', index }) as const),
    { kind: 'review' },
  ];

  const [at, setAt] = useState(0);
  const [values, setValues] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [choices, setChoices] = useState<Record<string, Choice>>(() => defaultsFor(prepared, today));
  const [uploads, setUploads] = useState<Record<string, UploadDraft>>({});
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [done, setDone] = useState<SubmitResult | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Each new screen announces itself: focus goes to its heading, so Tab continues from there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [at, done]);

  const materialTypeOf = (key: string) => matter.materials.find((m) => m.key === key)?.materialType ?? 'other-document';
  const step = steps[at]!;
  const offer = step.kind === 'material' ? prepared.materials[step.index]! : undefined;

  const upload = useMutation({
    mutationFn: async () => {
      const draft = uploads[offer!.key] ?? {};
      const kind = kinds[materialTypeOf(offer!.key)] ?? 'file';
      if (kind === 'file' && !draft.file) throw new Error('no-file');
      if (kind === 'form' && !draft.text?.trim()) throw new Error('no-text');
      return citizenApi.uploadMaterial({
        materialType: materialTypeOf(offer!.key),
        title: draft.file?.name.slice(0, 100) || offer!.name,
        // Into the applicant's library: the company's, or (代办) the person's, for this matter.
        ...(applicant.kind === 'company' ? { forCompany: true } : {}),
        ...(applicant.kind === 'person' ? { onBehalfOf: applicant.personId, matterCode: matter.code } : {}),
        ...(draft.file ? { contentBase64: await fileToBase64(draft.file) } : { data: { detail: draft.text!.trim() } }),
      });
    },
    onSuccess: (material) => {
      setChoices((all) => ({ ...all, [offer!.key]: { kind: 'library', materialId: material.id, title: material.title, afresh: true } }));
      setAt((i) => i + 1);
    },
  });

  const materials = toSubmission(prepared.materials, choices);
  const submit = useMutation({
    mutationFn: () =>
      citizenApi.submit({ matterCode: matter.code, form: Object.fromEntries(ownFields.map((f) => [f.key, values[f.key]?.trim() ?? ''])), materials: materials ?? [], ...applicantChoice(applicant) }, idempotencyKey),
    onSuccess: setDone,
  });

  const goTo = (index: number) => {
    upload.reset();
    submit.reset();
    setAt(index);
  };
  /** Another applicant: their prefill and their materials, so every material choice starts afresh. */
  const chooseWhom = (key: string) => {
    const next = options.find((o) => o.key === key);
    if (!next || next.key === whom) return;
    setWhom(next.key);
    setChoices(defaultsFor(preparedFor[next.key]!, today));
    setUploads({});
    setMissing([]);
  };
  const next = () => {
    if (step.kind === 'form') {
      const empty = ownFields.filter((f) => f.required && !values[f.key]?.trim()).map((f) => f.key);
      setMissing(empty);
      if (empty.length) return;
    }
    if (offer && choices[offer.key]?.kind === 'upload') return upload.mutate();
    goTo(at + 1);
  };
  /** The screen of the material an error names (details[].key), to fix it there. */
  const stepOfError = (error: unknown) => {
    if (!(error instanceof ApiError)) return undefined;
    const key = error.details.map((d) => (d as { key?: unknown }).key).find((k) => typeof k === 'string');
    const index = steps.findIndex((s) => s.kind === 'material' && prepared.materials[s.index]!.key === key);
    return index >= 0 ? index : undefined;
  };

  if (done) {
    const application = done.application;
    return (
      <>
        <PageTitle title={t('apply.doneTitle')} />
        <h2 ref={headingRef} tabIndex={-1} className="step-heading">{matter.name}</h2>
        {acting ? <p className="acting-for">{acting}</p> : null}
        <Alert type="success" showIcon role="status" className="state-alert" title={t('apply.done', { id: application.id })}
          description={application.dueOn ? t('apply.dueOn', { date: application.dueOn }) : t('apply.doneHint')} />
        <Link className="link-button link-button-primary next-button" to={`/me/applications/${encodeURIComponent(application.id)}`}>
          {t('apply.seeProgress')}
        </Link>
      </>
    );
  }

  const identityTitle = applicant.kind === 'self' ? t('apply.identityStep')
    : applicant.kind === 'company' ? t('apply.identityStepCompany') : t('apply.identityStepFor', { name: applicantName });
  const identityHint = applicant.kind === 'self' ? t('apply.identityHint')
    : applicant.kind === 'company' ? t('apply.identityHintCompany', { name: applicantName }) : t('apply.identityHintFor', { name: applicantName });
  const stepTitle = (s: Step) =>
    s.kind === 'whom' ? t('apply.whomStep')
      : s.kind === 'identity' ? identityTitle
      : s.kind === 'form' ? t('apply.formStep')
      : s.kind === 'review' ? t('apply.reviewStep') : prepared.materials[s.index]!.name;
  const errorStep = submit.isError ? stepOfError(submit.error) : undefined;

  return (
    <>
      <PageTitle title={t('apply.titleFor', { name: matter.name })} />
      {elderMode ? null : (
        <Steps className="apply-steps" size="small" current={at} items={steps.map((s) => ({ title: stepTitle(s) }))} />
      )}
      <section className="apply-step" aria-labelledby="step-heading">
        <p className="step-count">{t('apply.stepOf', { n: at + 1, total: steps.length })}</p>
        <h2 id="step-heading" ref={headingRef} tabIndex={-1} className="step-heading">{stepTitle(step)}</h2>
        {acting && step.kind !== 'whom' && step.kind !== 'review' ? <p className="acting-for">{acting}</p> : null}

        {step.kind === 'whom' ? <ApplicantStep options={options} labels={labels} value={applicant.key} onChoose={chooseWhom} /> : null}

        {step.kind === 'identity' ? (
          <>
            <p className="step-hint">{identityHint}</p>
            <dl className="facts">
              {verifiedFields.map((f) => (
                <div key={f.key} className="fact-row"><dt>{f.label}</dt><dd>{prepared.form[f.key]}</dd></div>
              ))}
            </dl>
          </>
        ) : null}

        {step.kind === 'form' ? (
          <div className="own-fields">
            {ownFields.map((f) => (
              <label key={f.key} className="field">
                <span className="field-label">{f.label}{f.required ? '' : ` (${t('matter.optional')})`}</span>
                <Input value={values[f.key] ?? ''} maxLength={f.maxLength} aria-invalid={missing.includes(f.key)}
                  onChange={(event) => setValues((all) => ({ ...all, [f.key]: event.target.value }))} />
                {missing.includes(f.key) ? <span className="field-error" role="alert">{t('apply.fieldRequired', { label: f.label })}</span> : null}
              </label>
            ))}
          </div>
        ) : null}

        {offer ? (
          <MaterialStep offer={offer} kind={kinds[materialTypeOf(offer.key)] ?? 'file'} choice={choices[offer.key]!} today={today}
            uploadInto={applicant.kind === 'person' ? applicantName : undefined}
            onChoose={(choice) => setChoices((all) => ({ ...all, [offer.key]: choice }))}
            upload={uploads[offer.key] ?? {}} onUpload={(draft) => setUploads((all) => ({ ...all, [offer.key]: draft }))} />
        ) : null}
        {upload.isError ? (
          upload.error instanceof ApiError ? <ErrorState error={upload.error} />
            : <Alert type="error" showIcon role="alert" className="state-alert" title={t('apply.nothingChosen')} />
        ) : null}

        {step.kind === 'review' ? (
          <ReviewStep acting={acting ? { title: acting, hint: applicant.kind === 'company' ? t('apply.actingForCompanyHint', { name: applicantName }) : t('apply.actingForHint', { name: applicantName }) } : undefined}
            fields={matter.formFields.map((f) => ({ label: f.label, value: prepared.form[f.key] ?? values[f.key] ?? '' }))}
            materials={prepared.materials.map((o) => ({ name: o.name, choice: choices[o.key]! }))} />
        ) : null}
        {submit.isError ? (
          <>
            <ErrorState error={submit.error} />
            {errorStep !== undefined ? (
              <>
                <p className="field-error">{t('apply.whichMaterial', { name: stepTitle(steps[errorStep]!) })}</p>
                <Button size="large" onClick={() => goTo(errorStep)}>{t('apply.fixMaterial', { name: stepTitle(steps[errorStep]!) })}</Button>
              </>
            ) : null}
          </>
        ) : null}

        <div className="step-buttons">
          {step.kind === 'review' ? (
            <Button type="primary" size="large" className="next-button" loading={submit.isPending} disabled={!materials} onClick={() => submit.mutate()}>
              {t('apply.submit')}
            </Button>
          ) : (
            <Button type="primary" size="large" className="next-button" loading={upload.isPending} onClick={next}>
              {t('apply.next')}
            </Button>
          )}
          {at > 0 ? <Button size="large" className="back-button" onClick={() => goTo(at - 1)}>{t('apply.back')}</Button> : null}
        </div>
      </section>
      <p className="section">
        <Link to={`/matters/${encodeURIComponent(matter.code)}`}>{t('apply.backToGuide')}</Link>
      </p>
    </>
  );
}
