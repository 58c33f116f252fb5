import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { registerAuth } from './platform/http/auth.js';
import { clientErrorFor, frameworkError, registerErrorHandling } from './platform/http/error-handler.js';
import { AppError } from './platform/http/errors.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { parseJsonBody, registerFormGuard, registerNulGuard, registerQueryGuard } from './platform/http/input-guards.js';
import { registerApiReference } from './platform/http/reference.js';
import { registerGuides } from './platform/http/guides.js';
import { registerConsole } from './platform/http/console.js';
import { registerProbes } from './platform/http/probes.js';
import { registerUploadLimit } from './platform/http/upload-limit.js';
import { RouteMethods } from './platform/http/method-not-allowed.js';
import { buildLazySerializer, buildRequestValidator } from './platform/http/validation.js';
import { commonSchemas } from './platform/http/schemas.js';
import type { App } from './platform/http/types.js';
import { authModuleRoutes, authModuleSchemas } from './modules/auth/index.js';
import { eventsModuleRoutes, eventsModuleSchemas } from './modules/events/index.js';
import { webhooksRoutes, webhookSchemas } from './modules/webhooks/index.js';
import { accountingRoutes, accountingSchemas } from './modules/accounting/index.js';
import { registerMetricsEndpoint, registerObservability } from './observability.js';
import type { Services } from './services.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export async function buildApp(services: Services, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<App> {
  const { config } = services;
  // Before any route is added, so every route's methods are known to the 405 answer.
  const routeMethods = new RouteMethods();
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    // Keep a caller's request id when it is sane, so logs correlate across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false, allowUnionTypes: true } },
    schemaController: { compilersFactory: { buildValidator: buildRequestValidator, buildSerializer: buildLazySerializer } },
    frameworkErrors: frameworkError,
    clientErrorHandler: clientErrorFor(routeMethods),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  routeMethods.watch(app);
  registerQueryGuard(app);
  await registerObservability(app, services);

  // The contract's token call sends `Content-Type: application/json` with an empty body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, parseJsonBody(text));
    } catch (err) {
      done(err as AppError, undefined);
    }
  });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  // Every endpoint takes JSON (or a form or multipart where declared): plain text is a 415, not a body to validate.
  app.removeContentTypeParser('text/plain');

  registerErrorHandling(app, routeMethods);
  registerNulGuard(app);
  registerFormGuard(app);

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Runs after authentication (route hooks follow the app's own), so the budget belongs to the
    // verified client, however its credentials are spelled; routes without auth count per address.
    // A driver's link has a budget of its own, not a share of the client that made it.
    keyGenerator: (req) =>
      req.principal ? (req.principal.driver ? `driver:${req.principal.driver.linkId}` : `client:${req.principal.apiClientId}`) : `address:${req.ip}`,
    errorResponseBuilder: (_req, context) =>
      new AppError(429, `Rate limit exceeded: ${context.max} requests per ${context.after}; retry after ${Math.ceil(context.ttl / 1000)} s`),
  });

  // The reference page and its assets are public, like /openapi.json.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, auth: 'none' };
  });
  registerApiReference(app);
  registerGuides(app);
  registerConsole(app);

  const { modules } = services;
  for (const schema of [
    ...commonSchemas,
    ...authModuleSchemas,
    ...modules.companies.schemas,
    ...modules.resources.schemas,
    ...modules.documents.schemas,
    ...modules.orders.schemas,
    ...eventsModuleSchemas,
    ...webhookSchemas,
    ...modules.trips.schemas,
    ...modules.tracking.schemas,
    ...accountingSchemas,
    ...services.people.schemas,
    ...modules.overview.schemas,
  ])
    app.addSchema(schema);

  registerAuth(app, services.authenticator, config.tokenRateLimitPerMinute);
  registerUploadLimit(app, config.uploadsPerClient, app.metrics);
  registerIdempotency(app, services.db);

  registerProbes(app, services);
  // Closing the app stops the worker threads once the requests in flight have their answers.
  app.addHook('onClose', () => services.workers.close());
  registerMetricsEndpoint(app, services);
  app.get('/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, () => app.openapiDocument());

  authModuleRoutes(app, services.auth, config);
  modules.companies.routes(app);
  modules.resources.routes(app);
  await modules.documents.routes(app);
  modules.orders.routes(app);
  await modules.trips.routes(app);
  modules.tracking.routes(app);

  eventsModuleRoutes(app, services.events);
  webhooksRoutes(app, services);
  accountingRoutes(app, services.accounting, config);
  services.people.routes(app);
  modules.overview.routes(app);

  return app;
}
