/**
 * The governance module's public face: one object holding its services, built once in app.ts.
 * Other modules and the routes use these; nobody uses the gov_* tables directly.
 */
import type { Executor } from '../../platform/db/database.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import { DashboardService } from './dashboard.js';
import { EventsService, type EventSettings } from './events-service.js';
import { HouseholdsService } from './households-service.js';
import { LocationResolver } from './location.js';
import { NotificationsService } from './notifications.js';
import { Open311Keys } from './open311-keys.js';
import { PhotosService } from './photos.js';
import { TreeService } from './tree-service.js';

export interface GovernanceSettings extends EventSettings {
  photoMaxBytes: number;
}

export const DEFAULT_GOVERNANCE_SETTINGS: GovernanceSettings = {
  duplicateRadiusMeters: 200,
  duplicateWindowDays: 7,
  poorRatingFollowUpDays: 15,
  photoMaxBytes: 5 * 1024 * 1024,
};

export class GovernanceService {
  readonly location: LocationResolver;
  readonly events: EventsService;
  readonly households: HouseholdsService;
  readonly photos: PhotosService;
  readonly dashboards: DashboardService;
  readonly tree: TreeService;
  readonly open311Keys: Open311Keys;
  readonly notifications: NotificationsService;

  constructor(db: Executor, audit: AuditService, identity: IdentityService, settings: GovernanceSettings = DEFAULT_GOVERNANCE_SETTINGS) {
    this.location = new LocationResolver(identity);
    this.events = new EventsService(db, audit, this.location, settings);
    this.households = new HouseholdsService(db, audit, this.location);
    this.photos = new PhotosService(db, audit, this.events, settings.photoMaxBytes);
    this.dashboards = new DashboardService(db);
    this.tree = new TreeService(db, audit, identity, this.households);
    this.open311Keys = new Open311Keys(db);
    this.notifications = new NotificationsService(db);
  }
}
