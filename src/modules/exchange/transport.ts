/** HTTP between nodes: fetching a node description, posting one envelope or one batch. No trust decisions here. */
import type { Envelope } from './envelope.js';

export class TransportError extends Error {}

export interface PostResult { httpStatus: number; body: unknown }

const TIMEOUT_MS = 10_000;

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new TransportError(`the peer answered HTTP ${res.status} with a body that is not JSON`);
  }
}

export async function fetchNodeDescription(baseUrl: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(joinUrl(baseUrl, '/exchange/v1/node'), { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new TransportError(`cannot reach ${baseUrl}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new TransportError(`${baseUrl} answered HTTP ${res.status} for its node description`);
  return readJson(res);
}

export function postEnvelope(baseUrl: string, env: Envelope): Promise<PostResult> {
  return postJson(baseUrl, '/exchange/v1/messages', JSON.stringify(env));
}

/** A batch envelope (docs/exchange.md §2.1), already serialised. */
export function postBatch(baseUrl: string, body: string): Promise<PostResult> {
  return postJson(baseUrl, '/exchange/v1/batches', body);
}

async function postJson(baseUrl: string, path: string, body: string): Promise<PostResult> {
  let res: Response;
  try {
    res = await fetch(joinUrl(baseUrl, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new TransportError(`cannot reach ${baseUrl}: ${cause ?? (err as Error).message}`);
  }
  return { httpStatus: res.status, body: await readJson(res) };
}
