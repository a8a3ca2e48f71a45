/**
 * Turns every failure into the contract's error body. Nothing from the inside (stack traces,
 * SQL, driver messages) ever reaches the client; unexpected errors are logged with the
 * request id and answered with a generic 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CATALOGUE, type ErrorCode, type ErrorDetail } from '../errors.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `/holder/id` + missing `kind` → `$.holder.kind`; array indexes as `[0]`. */
function jsonPath(instancePath: string, extra?: unknown): string {
  const segments = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof extra === 'string') segments.push(extra);
  return segments.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : `${acc}.${seg}`), '$');
}

export function validationDetails(errors: AjvError[], where: string): ErrorDetail[] {
  return errors.map((e) => {
    if (e.keyword === 'additionalProperties') {
      return { in: where, path: jsonPath(e.instancePath, e.params.additionalProperty), message: 'unknown property' };
    }
    if (e.keyword === 'required') {
      return { in: where, path: jsonPath(e.instancePath, e.params.missingProperty), message: 'is required' };
    }
    return { in: where, path: jsonPath(e.instancePath), message: e.message ?? e.keyword };
  });
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
};

const PG_CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Connection terminated unexpectedly)/;

/** PostgreSQL SQLSTATEs that mean "someone else got there first" or "the database is away". */
function databaseErrorCode(err: { code?: unknown }): ErrorCode | undefined {
  const code = typeof err.code === 'string' ? err.code : '';
  if (code === '23505' || code === '40001' || code === '40P01') return 'CONFLICT';
  // Class 22, data exceptions (a number out of range, a malformed value or date, a NUL character
  // PostgreSQL text cannot hold as in `?department=%00`, a LIKE pattern ending in its escape), and
  // 54000, a value too large for an index entry, are the caller's input that a schema let
  // through: a 400, never a 500.
  if (code.startsWith('22') || code === '54000') return 'VALIDATION_FAILED';
  // 57014: cancelled by statement_timeout — the database is overloaded, not the input wrong.
  if (code.startsWith('08') || ['57014', '57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code)) {
    return 'SERVICE_UNAVAILABLE';
  }
  // node-postgres reports a lost or unobtainable connection without a code, only in words.
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && PG_CONNECTION_LOST.test(message)) return 'SERVICE_UNAVAILABLE';
  return undefined;
}

export function toErrorBody(err: unknown): { status: number; body: { error: { code: string; message: string; details?: ErrorDetail[] } } } {
  const make = (code: ErrorCode, message?: string, details?: ErrorDetail[]) => ({
    status: ERROR_CATALOGUE[code].status,
    body: { error: { code, message: message ?? ERROR_CATALOGUE[code].message, ...(details?.length ? { details } : {}) } },
  });
  if (err instanceof AppError) return make(err.code, err.message, err.details);
  const fe = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext ?? 'body';
    return make('VALIDATION_FAILED', `The request ${where} is not valid`, validationDetails(fe.validation, where));
  }
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const code = FASTIFY_CODES[fe.code];
    const message = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      ? 'The body is not well-formed JSON' : undefined;
    return make(code, message);
  }
  if (fe.statusCode === 429) return make('RATE_LIMITED');
  const dbCode = databaseErrorCode(fe);
  if (dbCode) return make(dbCode);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const byStatus: Record<number, ErrorCode> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };
    return make(byStatus[fe.statusCode] ?? 'VALIDATION_FAILED');
  }
  return make('INTERNAL');
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorBody(err);
  if (status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: body.error.code }, 'request refused');
  void reply.status(status).send(body);
}
