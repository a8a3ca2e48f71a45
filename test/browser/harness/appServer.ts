// What the browser tests talk to:
// - the real tongban node, in process, on its own PostgreSQL database cloned from this run's
//   demo template (test/support/app.ts, the project's own test harness), listening on a port;
// - TONGBAN_BROWSER_BASE_URL: an already running server instead;
// - the static server over web/dist when the server code is absent, or with
//   TONGBAN_WEB_TEST_STATIC=1 (pages then show their "not available" states).
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startStaticServer } from './staticServer.js';

export interface AppServer {
  baseUrl: string;
  /** 'real' has the API and demo accounts; 'static' has no API at all. */
  kind: 'real' | 'static' | 'external';
  stop: () => Promise<void>;
}

async function startRealServer(): Promise<AppServer> {
  // Imported lazily: the static mode must work in a checkout without the server.
  const { startTestApp } = await import('../../support/app.js');
  const node = await startTestApp({ demo: true });
  await node.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = node.app.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, kind: 'real', stop: () => node.close() };
}

export async function startAppServer(repoRoot: string): Promise<AppServer> {
  const external = process.env.TONGBAN_BROWSER_BASE_URL;
  if (external) return { baseUrl: external.replace(/\/$/, ''), kind: 'external', stop: async () => {} };
  if (existsSync(join(repoRoot, 'test', 'support', 'app.ts')) && process.env.TONGBAN_WEB_TEST_STATIC !== '1') {
    return startRealServer();
  }
  const server = await startStaticServer(join(repoRoot, 'web', 'dist'));
  return { baseUrl: server.baseUrl, kind: 'static', stop: server.close };
}
