import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport, TransportError } from './transport.js';

/** A peer that misbehaves on purpose, one way per path. */
let server: Server;
let base: string;
const transport = new HttpTransport();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (req.url === '/echo') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) }));
      if (req.url === '/exchange/v1/node') return res.writeHead(503).end('<html>down for maintenance</html>');
      if (req.url === '/html') return res.writeHead(502).end('<html>bad gateway</html>');
      if (req.url === '/huge') {
        // 33 MiB of JSON, streamed: more than any peer may answer.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(1024 * 1024);
        res.write('["');
        for (let i = 0; i < 33; i++) res.write(chunk);
        return res.end('"]');
      }
      res.writeHead(404).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await transport.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('HttpTransport (node-to-node HTTP)', () => {
  it('posts JSON and returns the status and the parsed answer, also for a base URL with a trailing slash', async () => {
    await expect(transport.postJson(base, '/echo', JSON.stringify({ n: 1, 名: '浙' }))).resolves.toEqual({
      httpStatus: 200, body: { method: 'POST', type: 'application/json', body: { n: 1, 名: '浙' } },
    });
  });

  it('says what went wrong when a peer answers something that is not JSON, too much, or an error for its description', async () => {
    await expect(transport.postJson(base, '/html', '{}')).rejects.toThrow(new TransportError('the peer answered HTTP 502 with a body that is not JSON'));
    await expect(transport.postJson(base, '/huge', '{}')).rejects.toThrow(/answered with more than 33554432 bytes/);
    await expect(transport.fetchNodeDescription(base)).rejects.toThrow(/answered HTTP 503 for its node description/);
  });

  it('names the reason when the peer cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await transport.postJson(`http://127.0.0.1:${port}`, '/echo', '{}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toBe(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});
