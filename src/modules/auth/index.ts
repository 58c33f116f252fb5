/**
 * Authentication: tenants, API clients, tokens and the principal every request carries.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { authModuleRoutes, authModuleSchemas, createAuth } from './auth.module.js';
export type { Auth } from './auth.module.js';
export { authEvents } from './auth.events.js';
export { personClientId } from './auth.service.js';
