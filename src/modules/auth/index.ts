/**
 * Authentication: tenants, API clients, tokens and the principal every request carries.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { authRoutes } from './auth.routes.js';
export { authSchemas } from './auth.schemas.js';
export { createAuthService } from './auth.service.js';
export { authEvents } from './auth.events.js';
