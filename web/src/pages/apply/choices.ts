// What the person chose for each required material: reuse one from the library, use an
// e-licence, give it afresh (uploaded on leaving the step, so it joins the library), or — for
// an optional one — leave it out. Pure functions, so the flow's defaults are easy to reason about.
import type { MaterialChoice, MaterialOffer } from '../../api/types';

export type Choice =
  | { kind: 'library'; materialId: string; title: string; afresh?: boolean }
  | { kind: 'licence'; licenceId: string; title: string }
  | { kind: 'upload' }
  | { kind: 'skip' };

/** A licence can stand in only while valid (status 01 and not past its end date). */
export function licenceUsable(licence: MaterialOffer['licences'][number], today: string): boolean {
  return licence.status === '01' && (!licence.validUntil || licence.validUntil >= today);
}

/**
 * The choice offered first: the newest fresh library item, else a valid e-licence, else give it
 * afresh (or leave out an optional one). The person can always change it; most never need to.
 */
export function defaultChoice(offer: MaterialOffer, today: string): Choice {
  const fresh = offer.library.find((m) => m.fresh);
  if (fresh) return { kind: 'library', materialId: fresh.id, title: fresh.title };
  const licence = offer.licences.find((l) => licenceUsable(l, today));
  if (licence) return { kind: 'licence', licenceId: licence.licenceId, title: licence.typeName };
  return offer.required ? { kind: 'upload' } : { kind: 'skip' };
}

/** The materials part of the submission; `undefined` while some choice still needs an upload. */
export function toSubmission(offers: MaterialOffer[], choices: Record<string, Choice>): MaterialChoice[] | undefined {
  const out: MaterialChoice[] = [];
  for (const offer of offers) {
    const choice = choices[offer.key];
    if (!choice || choice.kind === 'upload') return undefined;
    if (choice.kind === 'library') out.push({ key: offer.key, materialId: choice.materialId });
    if (choice.kind === 'licence') out.push({ key: offer.key, licenceId: choice.licenceId });
  }
  return out;
}

/** Today in China (the server's calendar), as YYYY-MM-DD. */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** File content as base64, for the JSON upload. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}
