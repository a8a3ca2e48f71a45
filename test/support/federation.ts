/**
 * Two real tongban nodes for exchange tests: `zj` and `sh`, each on its own cloned database,
 * listening on ephemeral loopback ports, each trusting the other with every exchange service.
 */
import { startTestApp, type TestApp } from './app.js';
import { keyFingerprint } from '../../src/modules/exchange/envelope.js';
import { EXCHANGE_SERVICES } from '../../src/modules/exchange/service.js';
import type { ExchangeSettings } from '../../src/modules/exchange/settings.js';

export interface TestNode extends TestApp { nodeId: string; url: string }

export async function startNode(nodeId: string, settings: Partial<ExchangeSettings> = {}): Promise<TestNode> {
  const t = await startTestApp({ env: { TONGBAN_NODE_ID: nodeId } });
  // The test template was built as node zj, so every clone starts with zj's keys: give this node its own.
  await t.platform.keys.rotate('node');
  Object.assign(t.services.exchange.settings, settings);
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return Object.assign(t, { nodeId, url });
}

export async function nodeFingerprint(node: TestNode): Promise<string> {
  const { pair } = await node.platform.keys.activeKey('node');
  return keyFingerprint(pair.publicKey);
}

export async function trust(from: TestNode, to: TestNode, services: string[] = [...EXCHANGE_SERVICES]): Promise<void> {
  await from.services.exchange.trust.addPeer('test-admin', { baseUrl: to.url, fingerprint: await nodeFingerprint(to), allowedServices: services, nodeId: to.nodeId });
}

export async function startFederation(settings: Partial<ExchangeSettings> = {}): Promise<{ zj: TestNode; sh: TestNode; close(): Promise<void> }> {
  const [zj, sh] = await Promise.all([startNode('zj', settings), startNode('sh', settings)]);
  await trust(zj, sh);
  await trust(sh, zj);
  return { zj, sh, close: async () => { await Promise.all([zj.close(), sh.close()]); } };
}
