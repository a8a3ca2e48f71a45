/**
 * Starting and stopping one tongban node: open and migrate the database, make the node's keys
 * on first start, load demo data when configured, serve HTTP, run background jobs, and on
 * shutdown finish in-flight requests before closing the database.
 */
import pino from 'pino';
import type { Config } from './platform/config.js';
import { openPglite, openPostgres, type Database } from './platform/db/database.js';
import { migrate } from './platform/db/migrate.js';
import { resolveMasterKey } from './platform/crypto/master-key.js';
import { Scheduler } from './platform/jobs/scheduler.js';
import type { HttpServer } from './platform/http/server.js';
import { buildApp, createPlatform, createServices, scheduleJobs, type Platform, type Services } from './app.js';
import { seedDemo } from './seed/index.js';

export interface RunningNode {
  app: HttpServer;
  platform: Platform;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export function createLogger(config: Config) {
  return pino({
    level: config.logLevel,
    // Tokens and personal data never reach the logs: no bodies are logged, and these are cut.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'], remove: true },
  });
}

export async function openDatabase(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, config.dbPoolSize, { statementTimeoutMs: config.statementTimeoutMs })
    : openPglite(config.dataDir);
}

/** Everything short of listening: used by the server, the CLI and tests. */
export async function prepareNode(config: Config, database: Database): Promise<{ platform: Platform; services: Services }> {
  await migrate(database);
  const platform = createPlatform(config, database, resolveMasterKey(config.masterKeyHex, config.dataDir));
  await platform.keys.ensureKeys();
  const services = createServices(platform);
  if (config.demo) await seedDemo(database, services);
  return { platform, services };
}

export async function startNode(config: Config, logger: pino.Logger | false = createLogger(config)): Promise<RunningNode> {
  const log = logger || { error: () => {}, info: () => {} };
  const database = await openDatabase(config);
  try {
    const { platform, services } = await prepareNode(config, database);
    const app = await buildApp(platform, services, logger);
    const scheduler = new Scheduler(database, log);
    scheduleJobs(scheduler, platform, services);
    const url = await app.listen({ host: config.host, port: config.port });
    scheduler.start();
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= (async () => {
      await app.close();
      await scheduler.stop();
      await services.exchange.close();
      await services.audit.signHead().catch((err) => log.error({ err }, 'could not sign the audit head at shutdown'));
      await database.close();
    })());
    return { app, platform, services, url, close };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
