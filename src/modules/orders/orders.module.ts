import type { CompaniesService } from '../companies/index.js';
import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import { ordersSchemas } from './orders.output-schemas.js';
import type { DocumentAttacher } from './partial/partial.service.js';
import { ordersRoutes } from './orders.routes.js';
import { createOrdersService } from './orders.service.js';

/** The orders module wired once: its service, the schemas it registers and its routes. */
export function ordersModule(deps: { db: Db; bus: EventBus; companies: CompaniesService; documents: DocumentAttacher }) {
  const orders = createOrdersService(deps);
  return {
    orders,
    schemas: ordersSchemas,
    routes(app: App) {
      ordersRoutes(app, { orders });
    },
  };
}
