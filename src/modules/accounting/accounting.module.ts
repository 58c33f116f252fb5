import type { CompaniesService } from '../companies/companies.service.js';
import type { OrdersService } from '../orders/orders.service.js';
import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import { chargesRoutes } from './charges.routes.js';
import { chargeSchemas } from './charges.schemas.js';
import { createChargesService } from './charges.service.js';
import { referenceRoutes } from './reference.routes.js';
import { referenceSchemas } from './reference.schemas.js';
import { createReferenceService } from './reference.service.js';

/** The accounting module wired once: its services, the schemas it registers and its routes. */
export function createAccounting(deps: { db: Db; bus: EventBus; orders: OrdersService; companies: CompaniesService }) {
  const reference = createReferenceService({ db: deps.db });
  const charges = createChargesService({ ...deps, reference });
  return { reference, charges };
}

export type Accounting = ReturnType<typeof createAccounting>;

export const accountingSchemas = [...referenceSchemas, ...chargeSchemas];

export function accountingRoutes(app: App, accounting: Accounting) {
  referenceRoutes(app, accounting);
  chargesRoutes(app, accounting);
}
