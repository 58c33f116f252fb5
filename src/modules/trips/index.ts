/**
 * Trips: planning, dispatch to subcontractors and the own fleet, inbound stop status and PODs.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export type { BillableTrip, BillableTripsFilter, BillingLock } from './trips.billing.js';
export { tripImportSchemas } from './trips.import.schemas.js';
export { tripsRoutes } from './trips.routes.js';
export { tripsSchemas } from './trips.schemas.js';
export { createTripsService } from './trips.service.js';
export type { TripsService } from './trips.service.js';
export { tripStatusSchemas } from './trips.status.schemas.js';
export { tripWebhookRoutes } from './trips.webhooks.routes.js';
export { tripEvents } from './trips.event-catalog.js';
