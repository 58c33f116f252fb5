import { AppError, badRequest, conflict, detail, forbidden, notFound, payloadTooLarge, unauthorized, unsupportedMediaType } from './errors.js';

/** What the document says about one operation, as far as its error examples need it. */
export interface ErrorExampleContext {
  path: string;
  /** Lower case, as the document's keys. */
  method: string;
  operation: {
    requestBody?: { content?: Record<string, { schema?: unknown }> };
    parameters?: Array<{ in: string; name: string; schema?: { format?: string } }>;
    security?: Array<Record<string, unknown>>;
  };
  /** The document's component schemas, to find a required body field. */
  schemas: Record<string, unknown>;
  /** The roles the route admits; undefined for every role. */
  roles?: string[];
}

/**
 * The error envelope Waybill answers with `status` on this operation, built with the functions the
 * handlers throw (so /docs shows each status's own message, not one generic text). Where the
 * message names a detail (a field, a record), the operation's own is used.
 */
export function errorExample(status: number, context: ErrorExampleContext): unknown {
  const error = errorFor(status, context);
  return error && { message: error.message, errors: error.errors };
}

function errorFor(status: number, context: ErrorExampleContext): AppError | undefined {
  const basic = (context.operation.security ?? []).some((scheme) => 'webhookBasic' in scheme || 'clientBasic' in scheme);
  switch (status) {
    case 400:
      return validationError(context);
    case 401:
      return basic
        ? unauthorized('This endpoint takes HTTP Basic webhook credentials (client_id:secret)')
        : unauthorized('The access token is invalid or expired; request a new one at POST /v1/auth/token');
    case 403:
      if (basic) return forbidden('Only WEBHOOK clients may call webhook endpoints; API clients use Bearer tokens');
      return context.roles?.length
        ? forbidden(`This endpoint is for ${context.roles.join(' or ')} clients`)
        : forbidden('WEBHOOK clients may call only /v1/webhook/* (with HTTP Basic credentials); use an API client for this endpoint');
    case 404:
      return notFound(subjectOf(context.path));
    case 409:
      // Every POST honours Idempotency-Key; other writes conflict with the state of the record.
      return context.method === 'post'
        ? conflict('This Idempotency-Key was used for a different request; use a new key')
        : conflict('This conflicts with an existing record');
    case 412:
      return new AppError(412, 'The record changed meanwhile: its current ETag is "7"; read it again and retry');
    case 413:
      return payloadTooLarge('Request body is too large');
    case 415:
      return unsupportedMediaType('Content-Type text/plain is not accepted here: send application/json');
    case 429:
      return new AppError(429, 'Rate limit exceeded: 1200 requests per 1 minute; retry after 42 s');
    case 503:
      return new AppError(503, 'Database unreachable');
    default:
      return undefined;
  }
}

/** A validation failure of this operation's own input: a missing required body field, else a malformed id. */
function validationError({ operation, schemas }: ErrorExampleContext): AppError {
  const field = requiredBodyField(operation, schemas);
  if (field) {
    const message = `${field} is required`;
    return badRequest(`Invalid body: ${message}`, [{ ...detail(message, field, `body.${field}`), detail: { keyword: 'required', missingProperty: field } }]);
  }
  const id = operation.parameters?.find((p) => p.in === 'path' && p.schema?.format === 'uuid');
  if (id) {
    const message = `${id.name} must match format "uuid"`;
    return badRequest(`Invalid params: ${message}`, [{ ...detail(message, id.name, `params.${id.name}`), detail: { keyword: 'format', format: 'uuid' } }]);
  }
  const message = 'limit must be >= 1';
  return badRequest(`Invalid querystring: ${message}`, [
    { ...detail(message, 'limit', 'querystring.limit'), detail: { keyword: 'minimum', comparison: '>=', limit: 1 } },
  ]);
}

function requiredBodyField(operation: ErrorExampleContext['operation'], schemas: Record<string, unknown>): string | undefined {
  const schema = operation.requestBody?.content?.['application/json']?.schema as { $ref?: string; required?: string[] } | undefined;
  const resolved = schema?.$ref ? (schemas[schema.$ref.replace('#/components/schemas/', '')] as { required?: string[] } | undefined) : schema;
  return resolved?.required?.[0];
}

/** `/v1/orders/order/{order_id}/charges/{charge_id}` → "Charge": the last named collection of the path. */
function subjectOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const collection = segments.filter((segment, i) => !segment.startsWith('{') && segments[i + 1]?.startsWith('{')).at(-1);
  if (!collection) return 'Resource';
  const words = collection.replace(/[-_]/g, ' ').replace(/ies$/, 'y').replace(/s$/, '');
  return (words.charAt(0).toUpperCase() + words.slice(1)).replace(/^Api /, 'API ');
}
