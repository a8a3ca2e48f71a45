/**
 * The exchange benchmark's second node, `sh`, in a process of its own (two nodes are two
 * processes in any real deployment; in the bench process they would share one event loop, and
 * every signature of one node would wait for the other's). Started by bench/suites/exchange.bench.ts:
 *   DATABASE_URL=<scratch db> PEER_URL=<zj url> PEER_FINGERPRINT=<zj key> PEER_NODE=zj node --import tsx bench/lib/exchange-peer.ts
 * It trusts zj for `ping`, serves the plain baseline route, prints one line
 * `READY {"url","fingerprint"}` and runs until SIGTERM.
 */
import { loadConfig } from '../../src/platform/config.js';
import { openPostgres } from '../../src/platform/db/database.js';
import { prepareNode } from '../../src/node.js';
import { buildApp } from '../../src/app.js';
import { keyFingerprint } from '../../src/modules/exchange/envelope.js';
import { BENCH_MASTER_KEY } from './context.js';

const need = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is required`); })();
const databaseUrl = need('DATABASE_URL');
const config = loadConfig({
  DATABASE_URL: databaseUrl, TONGBAN_MASTER_KEY: BENCH_MASTER_KEY, TONGBAN_NODE_ID: 'sh', TONGBAN_DEMO: '0', LOG_LEVEL: 'silent',
  TONGBAN_PUBLIC_RATE_LIMIT: '1000000', TONGBAN_DATA_DIR: '/tmp/tongban-bench-data-sh',
});
const database = await openPostgres(databaseUrl, 10);
const { platform, services } = await prepareNode(config, database);
const app = await buildApp(platform, services, false);
// The baseline: plain unsigned JSON to the same node, public like /exchange/v1/messages (its rate limit is set out of reach).
app.post('/bench/plain', { config: { public: true }, schema: { hide: true } }, async (req) => ({ pong: true, echo: req.body }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
await services.exchange.trust.addPeer('bench', { baseUrl: need('PEER_URL'), fingerprint: need('PEER_FINGERPRINT'), allowedServices: ['ping'], nodeId: need('PEER_NODE') });
const fingerprint = keyFingerprint((await platform.keys.activeKey('node')).pair.publicKey);
process.stdout.write(`READY ${JSON.stringify({ url, fingerprint })}\n`);

process.once('SIGTERM', () => {
  void app.close().then(() => services.exchange.close()).then(() => database.close()).finally(() => process.exit(0));
});
