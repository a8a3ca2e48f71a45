/**
 * The composition root: opens nothing itself, but wires the platform (database, keys, secrets)
 * into each module's service and each service's routes. Modules receive the services they
 * depend on through their constructors; this file is the only place that knows them all.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import { CHANGES_CHANNEL } from './platform/db/change-feed.js';
import { ACTIVE_KEY_RECHECK_MS, NodeKeyStore } from './platform/crypto/node-keys.js';
import { deriveSecrets, type NodeSecrets } from './platform/crypto/master-key.js';
import { createHttpServer, type HttpServer } from './platform/http/server.js';
import { healthRoutes } from './platform/http/health-routes.js';
import { Scheduler } from './platform/jobs/scheduler.js';
import { crossProvinceCasesFrom, licenceWalletFrom, peerStatusLists, restrictionsFrom, resultLicencesFrom } from './adapters.js';
import { AuditService } from './modules/audit/service.js';
import { auditRoutes } from './modules/audit/routes.js';
import { IdentityService } from './modules/identity/service.js';
import { PersonalDataVault } from './modules/identity/personal-data.js';
import { identityRoutes } from './modules/identity/routes.js';
import { SupervisionService } from './modules/supervision/service.js';
import { supervisionRoutes } from './modules/supervision/routes.js';
import { supervisionPublicRoutes } from './modules/supervision/routes-public.js';
import { supervisionConfigRoutes } from './modules/supervision/routes-config.js';
import { ExchangeService } from './modules/exchange/service.js';
import { exchangeAdminRoutes, exchangeProtocolRoutes } from './modules/exchange/routes.js';
import { createLicenceServices, licenceRoutes, resultLicenceProblems, type LicenceServices } from './modules/licences/index.js';
import { CatalogService } from './modules/catalog/service.js';
import { FieldSealer } from './platform/crypto/sealed-json.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { MaterialsService } from './modules/materials/service.js';
import { materialRoutes } from './modules/materials/routes.js';
import { ApplicationsService } from './modules/applications/service.js';
import { RatingsService } from './modules/applications/ratings.js';
import { applicationRoutes } from './modules/applications/routes.js';
import { BundleApplicationsService } from './modules/applications/bundles.js';
import { bundleRoutes } from './modules/applications/bundle-routes.js';
import { workingDayCalendar } from './platform/calendar/working-days.js';
import { CalendarStore } from './platform/calendar/store.js';
import { calendarRoutes } from './platform/calendar/routes.js';
import { GovernanceService } from './modules/governance/service.js';
import { governanceRoutes } from './modules/governance/routes.js';

export interface Platform {
  config: Config;
  database: Database;
  secrets: NodeSecrets;
  keys: NodeKeyStore;
}

export interface Services {
  audit: AuditService;
  identity: IdentityService;
  supervision: SupervisionService;
  exchange: ExchangeService;
  licences: LicenceServices;
  catalog: CatalogService;
  materials: MaterialsService;
  applications: ApplicationsService;
  ratings: RatingsService;
  bundles: BundleApplicationsService;
  calendar: CalendarStore;
  governance: GovernanceService;
}

export function createPlatform(config: Config, database: Database, masterKeyHex: string): Platform {
  const secrets = deriveSecrets(masterKeyHex);
  // PGlite is embedded: no other process shares its database, so its key cache never goes stale.
  const keys = new NodeKeyStore(database.db, config.nodeId, secrets.fieldKeyHex, { recheckMs: database.kind === 'pglite' ? Infinity : ACTIVE_KEY_RECHECK_MS });
  return { config, database, secrets, keys };
}

export function createServices(platform: Platform): Services {
  const { database, config, keys, secrets } = platform;
  // What other processes change, announced by the database: lets identity and materials keep reads in memory.
  const changes = database.listen?.(CHANGES_CHANNEL);
  const audit = new AuditService(database.db, config.nodeId, keys);
  const identity = new IdentityService(database.db, new PersonalDataVault(secrets), audit, {
    tokenTtlSeconds: config.tokenTtlSeconds,
    loginMaxFailures: config.loginMaxFailures,
    loginMaxFailuresPerAddress: config.loginMaxFailuresPerAddress,
    loginWindowSeconds: config.loginWindowSeconds,
  }, changes);
  const supervision = new SupervisionService({ db: database.db, audit, identity, calendar: workingDayCalendar });
  const licences = createLicenceServices({ db: database.db, nodeId: config.nodeId, keys, fieldKeyHex: secrets.fieldKeyHex, tokenKey: secrets.tokenKey, identity, audit, publicUrl: config.publicUrl });
  const catalog = new CatalogService(database.db, audit, resultLicenceProblems);
  const sealer = new FieldSealer(secrets.fieldKeyHex);
  const materials = new MaterialsService(database.db, audit, sealer, licenceWalletFrom(licences), changes);
  const applications = new ApplicationsService({
    db: database.db, audit, catalog, materials, identity, restrictions: restrictionsFrom(supervision), calendar: workingDayCalendar, sealer,
    resultLicences: resultLicencesFrom(licences),
  });
  const exchange = new ExchangeService(database.db, config.nodeId, keys, audit, identity, secrets.blindIndexKey, {},
    crossProvinceCasesFrom({ nodeId: config.nodeId, applications, catalog, identity, materials, licences }));
  const ratings = new RatingsService(database.db, applications, audit, workingDayCalendar);
  const bundles = new BundleApplicationsService(database.db, applications, catalog);
  const calendar = new CalendarStore(database.db, workingDayCalendar, audit);
  const governance = new GovernanceService(database.db, audit, identity);
  return { audit, identity, supervision, exchange, licences, catalog, materials, applications, ratings, bundles, calendar, governance };
}

export function scheduleJobs(scheduler: Scheduler, platform: Platform, services: Services): void {
  // Scopes: see Scheduler. Drains run wherever a process is free; periodic acts once per interval.
  scheduler.every('audit.sign-head', platform.config.auditSignIntervalSeconds * 1000, () => services.audit.signHead(), 'once-per-interval');
  // Writers only queue audit entries; this links them into the SM3 chain, one process at a time.
  scheduler.every('audit.chain', 250, () => services.audit.chainPending());
  scheduler.every('exchange.outbox', 1000, () => services.exchange.deliverDue());
  // Forwarded applications decided here: their results go back to the origin node.
  scheduler.every('exchange.case-results', 5000, () => services.exchange.flows.sendDueResults());
  // Years an administrator loaded through another process reach this one within ten minutes.
  scheduler.every('calendar.reload', 10 * 60_000, () => services.calendar.loadAll(), 'process');
  scheduler.every('governance.overdue-sweep', 60_000, () => services.governance.events.sweepOverdue(), 'once-per-interval');
  // Offline verification here of other nodes' licences follows their revocations within 5 minutes.
  scheduler.every('licences.status-lists.fetch', 5 * 60_000, async () => {
    const { failed } = await services.licences.licences.statusLists.refreshForeign(peerStatusLists(services.exchange));
    // Every list was tried; the scheduler logs the ones that could not be refreshed.
    if (failed.length) throw new Error(`status lists not refreshed: ${failed.map((f) => `${f.list} (${f.reason})`).join('; ')}`);
  }, 'once-per-interval');
  // Each standing inspection schedule gets its current period's task (idempotent: one per period).
  scheduler.every('supervision.schedule', 60 * 60_000, () => services.supervision.schedules.runDue());
  // Warnings before expiry reach the grid's and the department's inbox within a minute.
  scheduler.every('governance.warnings', 60_000, () => services.governance.notifications.pushWarnings(), 'once-per-interval');
  // Forms stored in plaintext before migration 0106 are sealed a batch at a time.
  scheduler.every('personal-data.seal-legacy', 60_000, async () => {
    await services.applications.sealLegacyForms();
    await services.materials.sealLegacyForms();
  });
}

export async function buildApp(platform: Platform, services: Services, logger: FastifyBaseLogger | false): Promise<HttpServer> {
  const { config } = platform;
  const app = await createHttpServer({
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    publicRateLimitPerMinute: config.publicRateLimitPerMinute,
    authenticate: (token) => services.identity.authenticate(token),
    title: 'tongban 通办',
    version: '0.1.0',
  });

  await app.register(healthRoutes, { database: platform.database, nodeId: config.nodeId });

  await app.register(identityRoutes, { identity: services.identity, loginRateLimitPerMinute: Math.max(20, Math.floor(config.publicRateLimitPerMinute / 5)) });
  await app.register(auditRoutes, { audit: services.audit });
  await app.register(supervisionRoutes, { supervision: services.supervision });
  await app.register(supervisionPublicRoutes, { supervision: services.supervision });
  await app.register(supervisionConfigRoutes, { supervision: services.supervision });
  await app.register(exchangeProtocolRoutes, { exchange: services.exchange });
  await app.register(exchangeAdminRoutes, { exchange: services.exchange });
  await app.register(licenceRoutes, services.licences);
  await app.register(catalogRoutes, { catalog: services.catalog });
  await app.register(materialRoutes, { materials: services.materials });
  await app.register(applicationRoutes, { applications: services.applications, ratings: services.ratings });
  await app.register(bundleRoutes, { bundles: services.bundles });
  await services.calendar.loadAll();
  await app.register(calendarRoutes, { store: services.calendar });
  await app.register(governanceRoutes, { governance: services.governance, personIdByResidentId: (id) => services.identity.personIdByResidentId(id) });

  await serveWebUi(app, config.webDistDir);
  return app;
}

/** The built single-page app at `/`; unknown non-API paths fall back to its index.html. */
async function serveWebUi(app: HttpServer, distDir: string): Promise<void> {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><html lang="zh-CN"><title>tongban</title><body><h1>通办 tongban</h1><p>The web UI is not built: run <code>npm run build:web</code>. The API is at <a href="/docs">/docs</a>.</p></body></html>'));
    return;
  }
  await app.register(fastifyStatic, { root: distDir, wildcard: false, index: ['index.html'] });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    const file = path.join(distDir, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
    if (url.startsWith('/api/') || url.startsWith('/exchange/') || url.startsWith('/open311/')) {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${url}` } });
    }
    if (file.startsWith(distDir) && fs.existsSync(file) && fs.statSync(file).isFile()) return reply.sendFile(path.relative(distDir, file));
    return reply.sendFile('index.html');
  });
}
