/** Helpers for the hand-written baselines: what a request costs with nothing but node:http and pg. */
import type http from 'node:http';

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Wraps an async handler so a failure answers 500 instead of hanging the connection. */
export function handler(fn: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void): http.RequestListener {
  return (req, res) => {
    Promise.resolve(fn(req, res)).catch((err) => sendJson(res, 500, { error: 'baseline failed', message: (err as Error).message }));
  };
}
