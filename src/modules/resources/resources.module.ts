import type { CompaniesService } from '../companies/index.js';
import type { DocumentsService } from '../documents/index.js';
import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { App } from '../../platform/http/types.js';
import { companyDocumentsRoutes } from './company-documents/company-documents.routes.js';
import { companyDocumentSchemas } from './company-documents/company-documents.schemas.js';
import { createCompanyDocumentsService } from './company-documents/company-documents.service.js';
import { resourcesRoutes } from './resources.routes.js';
import { resourceSchemas } from './resources.schemas.js';
import { createResourcesService } from './resources.service.js';
import { unavailabilityRoutes } from './unavailability/unavailability.routes.js';
import { unavailabilitySchemas } from './unavailability/unavailability.schemas.js';
import { createUnavailabilityService } from './unavailability/unavailability.service.js';
import { validitiesRoutes } from './validities/validities.routes.js';
import { validitySchemaList } from './validities/validities.schemas.js';
import { masterDataDocumentSchemas } from './master-data-documents/master-data-documents.schemas.js';
import { createValiditiesService } from './validities/validities.service.js';

/**
 * The resources module wired once: resources, their unavailability, the validities of resources
 * and companies, and company documents (files that back validities); the schemas and routes of all four.
 */
export function resourcesModule(deps: { db: Db; bus: EventBus; companies: CompaniesService; documents: DocumentsService }) {
  const { db, bus, companies, documents } = deps;
  const resources = createResourcesService({ db, bus, companies });
  const unavailability = createUnavailabilityService({ db, bus, resources });
  const validities = createValiditiesService({ db, bus, resources, companies, unavailability, documents });
  const companyDocuments = createCompanyDocumentsService({ db, documents, validities });
  return {
    resources,
    unavailability,
    validities,
    companyDocuments,
    schemas: [...resourceSchemas, ...unavailabilitySchemas, ...validitySchemaList, ...masterDataDocumentSchemas, ...companyDocumentSchemas],
    routes(app: App) {
      resourcesRoutes(app, { resources });
      unavailabilityRoutes(app, { unavailability });
      validitiesRoutes(app, { validities });
      companyDocumentsRoutes(app, { companyDocuments });
    },
  };
}
