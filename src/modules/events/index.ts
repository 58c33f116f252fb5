/**
 * Events: the per-tenant event log, its pull feed and the master-data change events.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { EVENT_TYPE_PATTERN, matchesEventType } from './events.policy.js';
export { createEvents, eventsModuleRoutes, eventsModuleSchemas } from './events.module.js';
export type { Events } from './events.module.js';
export { eventToWire } from './events.service.js';
export type { EventRow } from './events.service.js';
export { MASTER_DATA_ENTITIES, appendMasterDataEvent } from './master-data/master-data.events.js';
export type { MasterDataOperation } from './master-data/master-data.events.js';
export { masterDataEvents } from './master-data/master-data.events.js';
export { renderEventCatalog } from './events.render.js';
