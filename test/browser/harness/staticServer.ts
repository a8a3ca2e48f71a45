// A tiny static server for web/dist, used by the browser tests while the real server is not
// there. It serves files, falls back to index.html for client-side routes, and answers /api
// with a plain 404 — exactly what a missing API looks like, so pages show their honest
// "not available yet" state instead of invented data.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function startStaticServer(distDir: string): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const root = normalize(distDir + sep);
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname.startsWith('/api/') || pathname === '/healthz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no API behind the static test server');
      return;
    }
    const candidate = normalize(join(root, pathname));
    const file = candidate.startsWith(root) && isFile(candidate) ? candidate : join(root, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
