/**
 * Trips: planning, dispatch to subcontractors and the own fleet, inbound stop status and PODs.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { tripsModule } from './trips.module.js';
export type { TripsService } from './trips.service.js';
export type { BillableTrip, BillableTripsFilter, BillingLock } from './billing/billing.repo.js';
export { tripEvents } from './trips.events.js';
export { observeUnmatchedStatusUpdates } from './trips.metrics.js';
