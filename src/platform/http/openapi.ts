import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

interface Media {
  example?: unknown;
  examples?: unknown;
}
interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  summary?: string;
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
  'x-body-optional'?: boolean;
  [EXAMPLES]?: RouteExamples;
}
interface RouteExamples {
  body?: unknown;
  responses: Record<string, unknown>;
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
function liftExamples(schema: Record<string, unknown>): Record<string, unknown> {
  const responses = Object.fromEntries(
    Object.entries((schema.response ?? {}) as Record<string, unknown>)
      .map(([status, response]) => [status, firstExample(response)])
      .filter(([, example]) => example !== undefined),
  );
  const examples: RouteExamples = { body: firstExample(schema.body), responses };
  return { ...schema, [EXAMPLES]: examples };
}

function placeExamples(operation: Operation) {
  const examples = operation[EXAMPLES];
  if (!examples) return;
  delete operation[EXAMPLES];
  const show = (media: Media, example: unknown) => {
    if (example !== undefined && media.example === undefined && media.examples === undefined) media.example = example;
  };
  for (const media of Object.values(operation.requestBody?.content ?? {})) show(media, examples.body);
  for (const [status, example] of Object.entries(examples.responses)) {
    for (const media of Object.values(operation.responses?.[status]?.content ?? {})) show(media, example);
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

function finish<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      placeExamples(operation);
      markOptionalBody(operation);
      describeSuccess(operation);
    }
  }
  return document;
}

/** Waybill's own OpenAPI document, built from the route schemas. */
export const openapiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Waybill API',
      version: '0.1.0',
      description:
        'Transport management integrations: orders, status, documents, trips, master data and accounting. ' +
        'Get a token with POST /v1/auth/token (your client id and secret as HTTP Basic), then send it as `Authorization: Bearer …`. ' +
        'The inbound webhooks under /v1/webhook take the HTTP Basic credentials of a WEBHOOK client instead. ' +
        'Every error answers with `{message, errors[]}`.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access_token from POST /v1/auth/token.' },
        webhookBasic: { type: 'http', scheme: 'basic', description: 'client_id and secret of a WEBHOOK client.' },
        clientBasic: { type: 'http', scheme: 'basic', description: 'client_id and secret of an API client, exchanged for a token.' },
      },
    },
    security: [{ bearer: [] }],
  },
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) || `def-${i}` },
  transform: ({ schema, url }) => ({ schema: schema ? liftExamples(schema as Record<string, unknown>) : schema, url }),
  transformObject: (built) => finish('openapiObject' in built ? built.openapiObject : built.swaggerObject),
};

/** The /docs page: titled, and ready to try calls (the form is open, the token survives a reload). */
export const referencePageOptions: FastifySwaggerUiOptions = {
  routePrefix: '/docs',
  theme: { title: 'Waybill API reference' },
  uiConfig: { deepLinking: true, tryItOutEnabled: true, persistAuthorization: true, displayOperationId: true, displayRequestDuration: true },
};
