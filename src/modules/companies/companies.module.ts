import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import { companiesRoutes } from './companies.routes.js';
import { companySchemas } from './companies.schemas.js';
import { createCompaniesService } from './companies.service.js';

/** The companies module wired once: its service, the schemas it registers and its routes. */
export function companiesModule(deps: { db: Db; bus: EventBus }) {
  const companies = createCompaniesService(deps);
  return {
    companies,
    schemas: companySchemas,
    routes(app: App) {
      companiesRoutes(app, { companies });
    },
  };
}
