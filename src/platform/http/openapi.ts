import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import { errorExample, type ErrorExampleContext } from './openapi-errors.js';
import { GUIDES, guidePath } from './guides.js';

interface Media {
  schema?: unknown;
  example?: unknown;
  examples?: unknown;
}
interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string; schema?: { format?: string; [key: string]: unknown }; [key: string]: unknown }>;
  summary?: string;
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
  'x-body-optional'?: boolean;
  [EXAMPLES]?: RouteExamples;
}
interface RouteExamples {
  body?: unknown;
  responses: Record<string, unknown>;
  /** The roles the route admits, for its 403 example. */
  roles?: string[];
}

/** Where a route's examples travel from its schema to its operation in the document. */
const EXAMPLES = 'x-route-examples';

const firstExample = (schema: unknown): unknown =>
  typeof schema === 'object' && schema !== null ? (schema as { examples?: unknown[] }).examples?.[0] : undefined;

/**
 * Routes give examples on their body and response schemas (`ref(Schema, { example })`). Next to a
 * `$ref`, @fastify/swagger drops every keyword, examples included; so they are lifted to the
 * operation here, and placed on its media objects once the document is built.
 */
function liftExamples(schema: Record<string, unknown>, roles?: string[]): Record<string, unknown> {
  const responses = Object.fromEntries(
    Object.entries((schema.response ?? {}) as Record<string, unknown>)
      .map(([status, response]) => [status, firstExample(response)])
      .filter(([, example]) => example !== undefined),
  );
  const examples: RouteExamples = { body: firstExample(schema.body), responses, roles };
  return { ...schema, [EXAMPLES]: examples };
}

function placeExamples(operation: Operation, context: Omit<ErrorExampleContext, 'roles' | 'operation'>) {
  const examples = operation[EXAMPLES];
  delete operation[EXAMPLES];
  const show = (media: Media, example: unknown) => {
    if (example !== undefined && media.example === undefined && media.examples === undefined) media.example = example;
  };
  for (const media of Object.values(operation.requestBody?.content ?? {})) show(media, examples?.body);
  for (const [status, example] of Object.entries(examples?.responses ?? {})) {
    for (const media of Object.values(operation.responses?.[status]?.content ?? {})) show(media, example);
  }
  // An error status without an example of its own shows what Waybill answers with that status.
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!/^[45]\d\d$/.test(status)) continue;
    const example = errorExample(Number(status), { ...context, operation, roles: examples?.roles });
    for (const media of Object.values(response.content ?? {})) show(media, example);
  }
}

/**
 * Fastify needs a body schema to validate a body, so @fastify/swagger marks every documented body
 * as required. A route whose body may be left out (the token call sends none) says so with
 * `'x-body-optional': true` in its schema; the flag becomes `required: false` here.
 */
function markOptionalBody(operation: Operation) {
  if (!operation['x-body-optional']) return;
  delete operation['x-body-optional'];
  if (operation.requestBody) operation.requestBody.required = false;
}

/**
 * A success response whose schema gave no description gets @fastify/swagger's "Default Response";
 * the operation's summary says better what comes back.
 */
function describeSuccess(operation: Operation) {
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (status.startsWith('2') && (!response.description || response.description === 'Default Response') && operation.summary) {
      response.description = operation.summary;
    }
  }
}

/**
 * Every POST a client makes with a principal (Bearer, or a webhook's Basic credentials) honours
 * `Idempotency-Key` (see idempotency.ts): the header is declared on it, so /docs and generated
 * clients can send it, and so is the 409 a reused key answers. The token call and public routes
 * have no principal and do not honour it.
 */
function declareIdempotency(operation: Operation) {
  const schemes = (operation.security ?? [{ bearer: [] }]).flatMap((s) => Object.keys(s));
  if (!schemes.includes('bearer') && !schemes.includes('webhookBasic')) return;
  const parameters = (operation.parameters ??= []);
  if (!parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
      description:
        'Any unique string (a UUID): a retry with the same key and body gets the first answer again for 24 hours instead of acting twice; ' +
        'the same key with another body, or while the first is still running, is a 409.',
    });
  }
  const responses = (operation.responses ??= {});
  if (!responses['409']) {
    responses['409'] = {
      description: 'The Idempotency-Key belongs to another request or one still running',
      // The envelope's schema, not the 400's example: that one's message is about another status.
      ...(responses['400']?.content
        ? { content: Object.fromEntries(Object.entries(responses['400'].content).map(([type, media]) => [type, { schema: media.schema }])) }
        : {}),
    };
  }
}

function finish<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  const schemas = (document as { components?: { schemas?: Record<string, unknown> } }).components?.schemas ?? {};
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      // First, so the 409 it may add gets its example like every other error status.
      if (method === 'post') declareIdempotency(operation);
      placeExamples(operation, { path, method, schemas });
      markOptionalBody(operation);
      describeSuccess(operation);
    }
  }
  return document;
}

/** The groups of /docs, in the order a reader meets them; every route names one of them. */
const TAGS = [
  { name: 'Auth', description: 'Tokens and who you are.' },
  { name: 'Overview', description: 'What needs attention now, with the lists behind each figure (TENANT clients only).' },
  { name: 'Admin', description: 'API clients of the tenant (TENANT clients only).' },
  {
    name: 'People and sessions',
    description: 'People who sign in (invited by TENANT admins), and their sessions: a cookie every API route accepts like a Bearer token.',
  },
  { name: 'Companies', description: 'Customers and subcontractors, their contacts, validities and documents.' },
  { name: 'Resources', description: 'Drivers, vehicles, trailers and containers, and when they are unavailable.' },
  { name: 'Orders', description: 'Order upload, reading, partial updates and charges.' },
  { name: 'Documents', description: 'Uploading and downloading files.' },
  { name: 'Trips', description: 'Planning and dispatching trips.' },
  { name: 'Trip execution', description: 'Status and document reports of fleets and subcontractors, and trip imports.' },
  { name: 'Tracking', description: 'Positions of own resources.' },
  { name: 'Sales invoicing', description: 'Invoices and credit notes to customers.' },
  { name: 'Purchase invoicing', description: 'Self-billing subcontractors, and the purchase documents received from them.' },
  { name: 'E-invoicing', description: 'E-invoices received from subcontractors, and the files of issued documents.' },
  { name: 'Accounting reference data', description: 'Billing entities, tax rates, GL accounts and exchange rates.' },
  { name: 'Accounting sync', description: 'The work queue of an accounting package, and what it writes back.' },
  { name: 'Events', description: 'Every event, in order.' },
  { name: 'Webhooks', description: 'Receivers Waybill pushes to: endpoints, deliveries, replay.' },
  { name: 'Service', description: 'Health and readiness.' },
];

/** Waybill's own OpenAPI document, built from the route schemas. */
export const openapiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Waybill API',
      version: '0.1.0',
      description: [
        'Transport management integrations: orders, status, documents, trips, master data and accounting. ' +
          'Get a token with POST /v1/auth/token (your client id and secret as HTTP Basic), then send it as `Authorization: Bearer …`. ' +
          'The inbound webhooks under /v1/webhook take the HTTP Basic credentials of a WEBHOOK client instead. ' +
          'Every error answers with `{message, errors[]}`.',
        '',
        `**Guides**, one story to follow in order on a fresh server: ${GUIDES.map((g) => `[${g.title}](${guidePath(g.file)})`).join(' · ')}.`,
      ].join('\n'),
    },
    tags: TAGS,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access_token from POST /v1/auth/token.' },
        webhookBasic: { type: 'http', scheme: 'basic', description: 'client_id and secret of a WEBHOOK client.' },
        clientBasic: { type: 'http', scheme: 'basic', description: 'client_id and secret of an API client, exchanged for a token.' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'waybill_session',
          description: 'A person’s session from POST /v1/session; every Bearer route accepts it, with `X-CSRF-Token` on POST, PUT, PATCH and DELETE.',
        },
        driverLink: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'drv_',
          description: "A driver's access token from POST /v1/driver/session (a one-trip link and its PIN); only the routes that name it accept it.",
        },
      },
    },
    // Either one: a system's Bearer token, or a signed-in person's session cookie (with X-CSRF-Token on writes).
    security: [{ bearer: [] }, { sessionCookie: [] }],
  },
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) || `def-${i}` },
  transform: ({ schema, url, route }) => ({
    schema: schema ? liftExamples(schema as Record<string, unknown>, route?.config?.roles) : schema,
    url,
  }),
  transformObject: (built) => finish('openapiObject' in built ? built.openapiObject : built.swaggerObject),
};

/** Waybill's mark in the reference page's top bar, in place of the framework's logo. */
const WORDMARK = `<svg xmlns="http://www.w3.org/2000/svg" width="170" height="40" viewBox="0 0 170 40">
<rect x="1" y="8" width="30" height="24" rx="4" fill="none" stroke="#fff" stroke-width="3"/>
<path d="M7 20h18M19 14l6 6-6 6" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>
<text x="42" y="29" font-family="sans-serif" font-size="24" font-weight="700" fill="#fff">Waybill</text>
</svg>`;

/** The /docs page: Waybill's name, ready to try calls (the form is open, the token survives a reload). */
export const referencePageOptions: FastifySwaggerUiOptions = {
  routePrefix: '/docs',
  logo: { type: 'image/svg+xml', content: WORDMARK, href: '/docs' },
  theme: {
    title: 'Waybill API reference',
    favicon: [{ filename: 'favicon.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: WORDMARK }],
  },
  uiConfig: { deepLinking: true, tryItOutEnabled: true, persistAuthorization: true, displayOperationId: true, displayRequestDuration: true },
};
