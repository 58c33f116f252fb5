/**
 * Resources: drivers, vehicles and trailers, their availability, validities and company documents.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export type { ResourceMatch } from './resources.repo.js';
export { resourcesModule } from './resources.module.js';
export { ResourceParams } from './resources.schemas.js';
export type { ActiveResource, ResourcesService } from './resources.service.js';
export { RESOURCE_TYPE_ENUM } from './resources.mapping.js';
export type { ResourceTypeEnumValue } from './resources.mapping.js';
