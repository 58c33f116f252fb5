/**
 * Resources: drivers, vehicles and trailers, their availability, validities and company documents.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { companyDocumentsRoutes } from './company-documents.routes.js';
export { companyDocumentSchemas } from './company-documents.schemas.js';
export { createCompanyDocumentsService } from './company-documents.service.js';
export type { ResourceMatch } from './resources.repo.js';
export { resourcesRoutes } from './resources.routes.js';
export { ResourceParams, resourceSchemas } from './resources.schemas.js';
export { createResourcesService } from './resources.service.js';
export type { ActiveResource, ResourcesService } from './resources.service.js';
export { unavailabilityRoutes } from './unavailability.routes.js';
export { unavailabilitySchemas } from './unavailability.schemas.js';
export { createUnavailabilityService } from './unavailability.service.js';
export { validitiesRoutes } from './validities.routes.js';
export { validitySchemaList } from './validities.schemas.js';
export { createValiditiesService } from './validities.service.js';
