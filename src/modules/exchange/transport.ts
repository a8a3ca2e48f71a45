/**
 * HTTP between nodes: fetching a node description, posting one envelope or one batch. No trust
 * decisions here.
 *
 * Requests go through undici's own `request` API on a keep-alive connection pool, not the
 * global `fetch` (which wraps the same library in WHATWG streams, Request/Response objects and
 * an AbortSignal per call): between two local nodes it answered ≈ 9,000 small POSTs/s against
 * fetch's ≈ 1,900 and node:http's ≈ 6,500 on 2 cores. Each exchange owns one pool, closed with it.
 */
import { Agent, errors, request } from 'undici';
import type { Envelope } from './envelope.js';

export class TransportError extends Error {}

export interface PostResult { httpStatus: number; body: unknown }

const TIMEOUT_MS = 10_000;
/** A peer's answer larger than this is a fault, not something to buffer (the largest batch is 4 MiB). */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

export class HttpTransport {
  private readonly agent = new Agent({
    // An idle connection is dropped after 4 s unless the peer says it keeps them longer
    // (`Keep-Alive: timeout=…`): below Node's default 5 s server timeout, so a request is not
    // written into a socket the peer is just closing.
    connections: 32, keepAliveTimeout: 4_000, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, maxResponseSize: MAX_RESPONSE_BYTES,
  });

  async fetchNodeDescription(baseUrl: string): Promise<unknown> {
    const { httpStatus, text } = await this.send(baseUrl, '/exchange/v1/node', 'GET');
    if (httpStatus < 200 || httpStatus > 299) throw new TransportError(`${baseUrl} answered HTTP ${httpStatus} for its node description`);
    return parseJson(httpStatus, text);
  }

  postEnvelope(baseUrl: string, env: Envelope): Promise<PostResult> {
    return this.postJson(baseUrl, '/exchange/v1/messages', JSON.stringify(env));
  }

  /** A batch envelope (docs/exchange.md §2.1), already serialised. */
  postBatch(baseUrl: string, body: string): Promise<PostResult> {
    return this.postJson(baseUrl, '/exchange/v1/batches', body);
  }

  /** Any JSON body to any path of a node (the exchange's own paths above; the benchmark's plain baseline). */
  async postJson(baseUrl: string, path: string, body: string): Promise<PostResult> {
    const { httpStatus, text } = await this.send(baseUrl, path, 'POST', body);
    return { httpStatus, body: parseJson(httpStatus, text) };
  }

  private closing?: Promise<void>;
  /** Closes the pool's connections (idle keep-alive sockets do not hold a process open either way). */
  close(): Promise<void> {
    return (this.closing ??= this.agent.close());
  }

  private async send(baseUrl: string, path: string, method: 'GET' | 'POST', body?: string): Promise<{ httpStatus: number; text: string }> {
    try {
      const res = await request(joinUrl(baseUrl, path), {
        method, dispatcher: this.agent, body,
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      });
      return { httpStatus: res.statusCode, text: await res.body.text() };
    } catch (err) {
      if (err instanceof errors.ResponseExceededMaxSizeError) throw new TransportError(`${baseUrl} answered with more than ${MAX_RESPONSE_BYTES} bytes`);
      const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
      throw new TransportError(`cannot reach ${baseUrl}: ${code ?? (err as Error).message}`);
    }
  }
}

function parseJson(httpStatus: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TransportError(`the peer answered HTTP ${httpStatus} with a body that is not JSON`);
  }
}
