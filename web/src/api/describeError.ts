// Turns any failure into guidance the person can act on: what happened, and what to do next,
// in their language. Known contract codes have their own wording; others fall back by status.
import type { TFunction } from 'i18next';
import { ApiError, NETWORK_ERROR } from './client';

export interface ErrorGuidance {
  title: string;
  todo: string;
  /** Field-level problems from `details` (VALIDATION_FAILED names each field by JSON path). */
  details: string[];
}

const STATUS_FALLBACK: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (detail && typeof detail === 'object') {
    const d = detail as Record<string, unknown>;
    const where = d.path ?? d.field ?? d.instancePath;
    const what = d.message ?? d.reason;
    if (where !== undefined || what !== undefined) {
      return [where, what].filter((x) => x !== undefined && x !== '').map(String).join(': ');
    }
  }
  return JSON.stringify(detail);
}

export function describeError(error: unknown, t: TFunction): ErrorGuidance {
  if (!(error instanceof ApiError)) {
    return { title: t('errors.GENERIC.title'), todo: t('errors.GENERIC.todo'), details: [] };
  }
  const details = error.details.map(detailText);
  const own = `errors.${error.code}`;
  if (t(`${own}.title`, { defaultValue: '' })) {
    return { title: t(`${own}.title`), todo: t(`${own}.todo`), details };
  }
  const byStatus = STATUS_FALLBACK[error.status];
  if (byStatus) {
    // An unfamiliar business code (e.g. a new 422 rule): the server's own words say what happened.
    return { title: error.message || t(`errors.${byStatus}.title`), todo: t(`errors.${byStatus}.todo`), details };
  }
  if (error.status === 422) {
    return { title: error.message, todo: t('errors.BUSINESS_RULE.todo'), details };
  }
  const code = error.code === NETWORK_ERROR ? NETWORK_ERROR : 'GENERIC';
  return { title: t(`errors.${code}.title`), todo: t(`errors.${code}.todo`), details };
}
