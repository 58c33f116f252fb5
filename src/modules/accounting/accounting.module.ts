import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import { referenceRoutes } from './reference.routes.js';
import { referenceSchemas } from './reference.schemas.js';
import { createReferenceService } from './reference.service.js';

/** The accounting module wired once: its services, the schemas it registers and its routes. */
export function createAccounting(deps: { db: Db; bus: EventBus }) {
  const reference = createReferenceService({ db: deps.db });
  return { reference };
}

export type Accounting = ReturnType<typeof createAccounting>;

export const accountingSchemas = [...referenceSchemas];

export function accountingRoutes(app: App, accounting: Accounting) {
  referenceRoutes(app, accounting);
}
