/**
 * Webhooks: endpoints, payloads per event family, signed and ordered delivery.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { newSigningSecret, signedHeaders } from './webhooks.render.js';
export { createWebhooks, webhooksRoutes } from './webhooks.module.js';
export { webhookSchemas } from './webhooks.schemas.js';
export { webhookEvents } from './webhooks.events.js';
export { deliveryObserver, observeWebhookBacklog } from './webhooks.metrics.js';
