/** All governance HTTP: the /api/v1/governance API and Open311 GeoReport v2 at /open311/v2/. */
import type { HttpServer } from '../../platform/http/server.js';
import { governanceEventRoutes } from './routes-events.js';
import { governanceHouseholdRoutes } from './routes-households.js';
import { governanceNotificationRoutes } from './routes-notifications.js';
import { open311Routes } from './open311.js';
import { governanceTreeRoutes } from './routes-tree.js';
import type { GovernanceService } from './service.js';

export interface GovernanceRouteDeps {
  governance: GovernanceService;
  personIdByResidentId(residentId: string): Promise<string | undefined>;
}

export async function governanceRoutes(app: HttpServer, deps: GovernanceRouteDeps) {
  await app.register(governanceEventRoutes, deps);
  await app.register(governanceHouseholdRoutes, deps);
  await app.register(governanceTreeRoutes, deps);
  await app.register(governanceNotificationRoutes, deps);
  await app.register(open311Routes, { prefix: '/open311/v2', governance: deps.governance });
}
