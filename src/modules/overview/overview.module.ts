import type { App } from '../../platform/http/types.js';
import { overviewRoutes } from './overview.routes.js';
import { overviewSchemas } from './overview.schemas.js';
import { createOverviewService, type OverviewSources } from './overview.service.js';

/** The overview wired once: its service over the owning modules' counts, its schemas and its route. */
export function overviewModule(deps: OverviewSources) {
  const overview = createOverviewService(deps);
  return {
    overview,
    schemas: overviewSchemas,
    routes: (app: App) => overviewRoutes(app, { overview }),
  };
}
