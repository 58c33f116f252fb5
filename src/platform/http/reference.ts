import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { openapiOptions, referencePageOptions } from './openapi.js';
import type { App } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenAPI document of this app's routes, built on the first call (see registerApiReference). */
    openapiDocument(): Promise<Record<string, unknown>>;
  }
}

/**
 * The paths of the /docs page that Swagger UI serves (its lib/routes.js under `routePrefix`):
 * the page, its assets and its copy of the document. The main app answers exactly these, so any
 * other /docs path stays a 404 as before.
 */
const PAGE_PATHS = ['', '/', '/json', '/yaml', '/static/*'];

/** Request headers about a body, which the relayed GET does not carry. */
const BODY_HEADERS = new Set(['content-length', 'transfer-encoding', 'content-type', 'content-encoding']);

/** Response headers that belong to the inner answer's connection, not to the one relayed. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length']);

/**
 * The OpenAPI document and the /docs reference page are built on first use, not at every start
 * (issue 19): @fastify/swagger, Swagger UI, @fastify/static and YAML were about a twentieth of a
 * restart's CPU and a larger share of its main thread, for pages a server may never be asked for.
 * The app only records its routes as they are added (call this before any route is added); the
 * first call replays them into a separate Fastify instance that holds @fastify/swagger and the
 * page, and the page's requests are relayed to it through `inject`. The routes there are never
 * called, so they get no validators or serializers.
 */
export function registerApiReference(app: App): void {
  const routes: RouteOptions[] = [];
  let reference: Promise<FastifyInstance> | undefined;
  const load = () => (reference ??= buildReference(app, routes));
  // A failed build is tried again on the next call instead of answering that failure for good.
  const loaded = () => load().catch((err: unknown) => ((reference = undefined), Promise.reject(err)));

  const relay = async (request: FastifyRequest, reply: FastifyReply) => {
    const inner = await loaded();
    // HEAD goes in as GET: the app's own HEAD route drops the body and keeps the length.
    // A page's GET takes no body: only the headers that shape the answer (conditions, encodings) go in.
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !BODY_HEADERS.has(name)));
    const answer = await inner.inject({ method: 'GET', url: request.url, headers });
    if (answer.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
    }
    // A redirect or a 304 has no body, and so no Content-Type to gain.
    return reply.code(answer.statusCode).send(answer.rawPayload.length ? answer.rawPayload : undefined);
  };

  app.addHook('onRoute', (route) => {
    if (route.handler !== relay) routes.push(route);
  });
  app.decorate('openapiDocument', async () => (await loaded()).swagger() as unknown as Record<string, unknown>);
  for (const path of PAGE_PATHS) {
    app.get(`${referencePageOptions.routePrefix}${path}`, { schema: { hide: true } }, relay);
  }
}

async function buildReference(app: App, routes: RouteOptions[]): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
    import('@fastify/swagger-ui'),
  ]);
  const inner = Fastify({ logger: false });
  inner.setValidatorCompiler(() => () => true);
  inner.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await inner.register(swagger, openapiOptions);
  await inner.register(swaggerUi, referencePageOptions);
  for (const schema of Object.values(app.getSchemas())) inner.addSchema(schema);
  // The app's own HEAD routes are left to the instance's (the document leaves HEAD out anyway).
  for (const route of routes) if (route.method !== 'HEAD') inner.route({ ...route });
  await inner.ready();
  return inner;
}
