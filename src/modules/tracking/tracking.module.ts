import type { ResourcesService } from '../resources/index.js';
import type { TripsService } from '../trips/index.js';
import type { Db } from '../../platform/db/database.js';
import type { App } from '../../platform/http/types.js';
import { trackingRoutes } from './tracking.routes.js';
import { trackingSchemas } from './tracking.schemas.js';
import { createTrackingService } from './tracking.service.js';

/** The tracking module wired once: its service, the schemas it registers and its routes. */
export function trackingModule(deps: { db: Db; resources: Pick<ResourcesService, 'matchResource' | 'get'>; trips: Pick<TripsService, 'announcePosition'> }) {
  const tracking = createTrackingService(deps);
  return {
    tracking,
    schemas: trackingSchemas,
    routes(app: App) {
      trackingRoutes(app, { tracking });
    },
  };
}
