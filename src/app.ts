/**
 * The composition root: opens nothing itself, but wires the platform (database, keys, secrets)
 * into each module's service and each service's routes. Modules receive the services they
 * depend on through their constructors; this file is the only place that knows them all.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import { NodeKeyStore } from './platform/crypto/node-keys.js';
import { deriveSecrets, type NodeSecrets } from './platform/crypto/master-key.js';
import { createHttpServer, type HttpServer } from './platform/http/server.js';
import { Obj } from './platform/http/schemas.js';
import { Scheduler } from './platform/jobs/scheduler.js';
import { licenceWalletFrom, restrictionsFrom } from './adapters.js';
import { AuditService } from './modules/audit/service.js';
import { auditRoutes } from './modules/audit/routes.js';
import { IdentityService } from './modules/identity/service.js';
import { PersonalDataVault } from './modules/identity/personal-data.js';
import { identityRoutes } from './modules/identity/routes.js';
import { SupervisionService } from './modules/supervision/service.js';
import { supervisionRoutes } from './modules/supervision/routes.js';
import { supervisionPublicRoutes } from './modules/supervision/routes-public.js';
import { ExchangeService } from './modules/exchange/service.js';
import { exchangeAdminRoutes, exchangeProtocolRoutes } from './modules/exchange/routes.js';
import { createLicenceServices, licenceRoutes, type LicenceServices } from './modules/licences/index.js';
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
  return { config, database, secrets, keys: new NodeKeyStore(database.db, config.nodeId, secrets.fieldKeyHex) };
}

export function createServices(platform: Platform): Services {
  const { database, config, keys, secrets } = platform;
  const audit = new AuditService(database.db, config.nodeId, keys);
  const identity = new IdentityService(database.db, new PersonalDataVault(secrets), audit, {
    tokenTtlSeconds: config.tokenTtlSeconds,
    loginMaxFailures: config.loginMaxFailures,
    loginMaxFailuresPerAddress: config.loginMaxFailuresPerAddress,
    loginWindowSeconds: config.loginWindowSeconds,
  });
  const supervision = new SupervisionService({ db: database.db, audit, identity });
  const exchange = new ExchangeService(database.db, config.nodeId, keys, audit, identity, secrets.blindIndexKey);
  const licences = createLicenceServices({ db: database.db, nodeId: config.nodeId, keys, fieldKeyHex: secrets.fieldKeyHex, tokenKey: secrets.tokenKey, identity, audit });
  const catalog = new CatalogService(database.db, audit);
  const sealer = new FieldSealer(secrets.fieldKeyHex);
  const materials = new MaterialsService(database.db, audit, sealer, licenceWalletFrom(licences));
  const applications = new ApplicationsService({
    db: database.db, audit, catalog, materials, identity, restrictions: restrictionsFrom(supervision), calendar: workingDayCalendar, sealer,
  });
  const ratings = new RatingsService(database.db, applications, audit, workingDayCalendar);
  const bundles = new BundleApplicationsService(database.db, applications, catalog);
  const calendar = new CalendarStore(database.db, workingDayCalendar, audit);
  const governance = new GovernanceService(database.db, audit, identity);
  return { audit, identity, supervision, exchange, licences, catalog, materials, applications, ratings, bundles, calendar, governance };
}

export function scheduleJobs(scheduler: Scheduler, platform: Platform, services: Services): void {
  scheduler.every('audit.sign-head', platform.config.auditSignIntervalSeconds * 1000, () => services.audit.signHead());
  // Writers only queue audit entries; this links them into the SM3 chain, one process at a time.
  scheduler.every('audit.chain', 250, () => services.audit.chainPending());
  scheduler.every('exchange.outbox', 1000, () => services.exchange.deliverDue());
  // Years an administrator loaded through another process reach this one within ten minutes.
  scheduler.every('calendar.reload', 10 * 60_000, () => services.calendar.loadAll());
  scheduler.every('governance.overdue-sweep', 60_000, () => services.governance.events.sweepOverdue());
  // Forms stored in plaintext before migration 0106 are sealed a batch at a time.
  scheduler.every('personal-data.seal-legacy', 60_000, async () => {
    await services.applications.sealLegacyForms();
    await services.materials.sealLegacyForms();
  });
}

const Health = Obj({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  node: Type.String(),
});

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

  app.get('/healthz', { schema: { tags: ['platform'], summary: 'Liveness and database kind', response: { 200: Health } } }, async () => ({
    status: 'ok' as const, db: platform.database.kind, node: config.nodeId,
  }));

  await app.register(identityRoutes, { identity: services.identity, loginRateLimitPerMinute: Math.max(20, Math.floor(config.publicRateLimitPerMinute / 5)) });
  await app.register(auditRoutes, { audit: services.audit });
  await app.register(supervisionRoutes, { supervision: services.supervision });
  await app.register(supervisionPublicRoutes, { supervision: services.supervision });
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
