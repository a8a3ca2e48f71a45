/** `npm start`: one node, configured from the environment; bad configuration ends it with one line. */
import { ConfigError, loadConfig } from './platform/config.js';

function fail(message: string): never {
  process.stderr.write(`tongban: ${message}\n`);
  process.exit(1);
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  // The server's modules load only after the configuration is known to be good, so a bad
  // setting is reported at once.
  const { createLogger, startNode } = await import('./node.js');
  const { DatabaseUnavailableError } = await import('./platform/db/database.js');
  const logger = createLogger(config);
  let node;
  try {
    node = await startNode(config, logger);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`port ${config.port} on ${config.host} is already in use: stop the other process or set PORT`);
    if (e.code === 'EACCES') fail(`not allowed to listen on ${config.host}:${config.port}: choose another PORT`);
    if (err instanceof DatabaseUnavailableError) fail(err.message);
    fail(`could not start: ${e.message}`);
  }
  logger.info({ url: node.url, db: node.platform.database.kind, node: config.nodeId }, 'tongban is serving');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      node.close().then(() => process.exit(0), (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

void main();
