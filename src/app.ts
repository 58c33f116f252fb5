import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { registerAuth } from './platform/http/auth.js';
import { frameworkError, registerErrorHandling } from './platform/http/error-handler.js';
import { AppError } from './platform/http/errors.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { buildRequestValidator } from './platform/http/validation.js';
import { commonSchemas } from './platform/http/schemas.js';
import type { App } from './platform/http/types.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { authSchemas } from './modules/auth/auth.schemas.js';
import { companiesRoutes } from './modules/companies/companies.routes.js';
import { companySchemas } from './modules/companies/companies.schemas.js';
import { documentsRoutes, orderDocumentsRoutes } from './modules/documents/documents.routes.js';
import { documentSchemas } from './modules/documents/documents.schemas.js';
import { ordersRoutes } from './modules/orders/orders.routes.js';
import { ordersSchemas } from './modules/orders/orders.output-schemas.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { eventSchemas } from './modules/events/events.schemas.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { webhookSchemas } from './modules/webhooks/webhooks.schemas.js';
import { accountingRoutes, accountingSchemas } from './modules/accounting/accounting.module.js';
import type { Services } from './services.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export async function buildApp(services: Services, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<App> {
  const { config } = services;
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
    schemaController: { compilersFactory: { buildValidator: buildRequestValidator } },
    frameworkErrors: frameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // The contract's token call sends `Content-Type: application/json` with an empty body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError(400, 'The body is not valid JSON'), undefined);
    }
  });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  // Every endpoint takes JSON (or a form or multipart where declared): plain text is a 415, not a body to validate.
  app.removeContentTypeParser('text/plain');

  registerErrorHandling(app);

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per credential: each client (its token or Basic pair) gets its own budget.
    keyGenerator: (req) => req.headers.authorization ?? req.ip,
    errorResponseBuilder: (_req, context) =>
      new AppError(429, `Rate limit exceeded: ${context.max} requests per ${context.after}; retry after ${Math.ceil(context.ttl / 1000)} s`),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Waybill API',
        version: '0.1.0',
        description: 'Transport management integrations: orders, status, documents, trips, master data and accounting.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          webhookBasic: { type: 'http', scheme: 'basic' },
        },
      },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) || `def-${i}` },
  });
  // The reference page and its assets are public, like /openapi.json.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, auth: 'none' };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });

  for (const schema of [...commonSchemas, ...authSchemas, ...companySchemas, ...documentSchemas, ...ordersSchemas, ...eventSchemas, ...webhookSchemas, ...accountingSchemas]) app.addSchema(schema);

  registerAuth(app, services.auth.authenticator, config.tokenRateLimitPerMinute);
  registerIdempotency(app, services.db);

  app.get('/health', { config: { auth: 'none', rateLimit: false }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: { auth: 'none', rateLimit: false }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(services.db);
      return { status: 'ready', database: services.database.engine };
    } catch {
      return reply.code(503).send({ message: 'Database unreachable', errors: [{ message: 'Database unreachable', field: null, path: null, detail: null }] });
    }
  });
  app.get('/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => app.swagger());

  authRoutes(app, { auth: services.auth, tokenRateLimitPerMinute: config.tokenRateLimitPerMinute });
  companiesRoutes(app, services);
  await documentsRoutes(app, services);
  await orderDocumentsRoutes(app, services);
  ordersRoutes(app, services);

  eventsRoutes(app, services);
  webhooksRoutes(app, services);
  accountingRoutes(app, services.accounting);

  return app;
}
