import type { CompaniesService } from '../companies/index.js';
import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import type { WorkerPool } from '../../platform/workers/pool.js';
import { ordersSchemas } from './views/views.schemas.js';
import type { DocumentAttacher } from './partial/partial.service.js';
import { ordersRoutes } from './orders.routes.js';
import { createOrdersService } from './orders.service.js';
import { trackingLinkRoutes } from './tracking-link/tracking-link.routes.js';
import { trackingLinkSchemas } from './tracking-link/tracking-link.schemas.js';
import { createTrackingLinks } from './tracking-link/tracking-link.service.js';
import { spreadsheetRoutes } from './spreadsheet/spreadsheet.routes.js';
import { createOrderSpreadsheets } from './spreadsheet/spreadsheet.service.js';
import { locationsRoutes } from './locations/locations.routes.js';
import { locationSchemas } from './locations/locations.schemas.js';
import { createSavedLocations } from './locations/locations.service.js';
import { templatesRoutes } from './templates/templates.routes.js';
import { templateSchemas } from './templates/templates.schemas.js';
import { createOrderTemplates } from './templates/templates.service.js';

/** The orders module wired once: its service, the schemas it registers and its routes. */
export function ordersModule(deps: {
  db: Db;
  bus: EventBus;
  companies: CompaniesService;
  documents: DocumentAttacher;
  publicBaseUrl: string;
  /** Draws the order list's workbooks off the request thread. */
  workers: WorkerPool;
}) {
  const orders = createOrdersService(deps);
  const links = createTrackingLinks(deps);
  const templates = createOrderTemplates(deps);
  const locations = createSavedLocations(deps);
  const spreadsheets = createOrderSpreadsheets({ orders, workers: deps.workers });
  return {
    orders,
    schemas: [...ordersSchemas, ...trackingLinkSchemas, ...templateSchemas, ...locationSchemas],
    routes(app: App) {
      ordersRoutes(app, { orders });
      trackingLinkRoutes(app, { links });
      templatesRoutes(app, { templates });
      locationsRoutes(app, { locations });
      spreadsheetRoutes(app, { spreadsheets });
    },
  };
}
