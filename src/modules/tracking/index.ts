/**
 * Tracking: positions of resources and the ETA updates they cause.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { trackingModule } from './tracking.module.js';
