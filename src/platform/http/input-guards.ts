import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, badRequest, detail } from './errors.js';

/**
 * The deepest nesting of arrays and objects a JSON body may have. The contract's deepest
 * documents (an order with consignments, stops, goods and their custom fields) stay under 15
 * levels; the cap only has to keep every later recursion (validation, serialization, the
 * idempotency hash) far from the stack limit, which thousands of levels reach.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses a JSON body after checking its nesting depth with a flat scan of the text, so a body of
 * thousands of `[` is refused before anything recursive touches it.
 */
export function parseJsonBody(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw badRequest(`The JSON body is nested more than ${maxDepth} levels deep`);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The body is not valid JSON');
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be taken as it is: a NUL (PostgreSQL cannot store it) or a lone UTF-16 surrogate (no character at all). */
function flaw(text: string): string | undefined {
  if (text.includes('\0')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain lone UTF-16 surrogates (\\uD800-\\uDFFF without their pair)';
  return undefined;
}

/** The path (`body.stops.0.name`) of the first string or key with a flaw, and the flaw. */
function findFlaw(value: unknown, path: string): { path: string; flaw: string } | undefined {
  if (typeof value === 'string') {
    const found = flaw(value);
    return found ? { path, flaw: found } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}.${key}`;
    const inKey = flaw(key);
    if (inKey) return { path: itemPath, flaw: inKey };
    const found = findFlaw(item, itemPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses NUL characters and lone surrogates anywhere in the body, query or path parameters,
 * naming the field. PostgreSQL cannot store NULs in text, so without this they surface as a
 * database error instead of a validation error the caller can act on; a lone surrogate would be
 * silently changed into U+FFFD on the way to the database. Runs before schema validation; bodies
 * are depth-limited by then, so the walk is bounded.
 */
export function registerNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [part, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const found = findFlaw(value, part);
      if (!found) continue;
      const field = found.path.split('.').at(-1) ?? part;
      throw badRequest(`Invalid ${part}: ${field} ${found.flaw}`, [detail(`${field} ${found.flaw}`, field, found.path)]);
    }
  });
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * A form body is taken only where a route declares it (the token endpoint); everywhere else it
 * is a 415, as JSON endpoints promise, before the form parser reads a byte of it.
 */
export function registerFormGuard(app: FastifyInstance) {
  app.addHook('preParsing', async (request: FastifyRequest) => {
    const type = request.headers['content-type'];
    if (typeof type !== 'string' || !type.toLowerCase().startsWith(FORM)) return;
    const schema = request.routeOptions.schema as { consumes?: string[] } | undefined;
    if (schema?.consumes?.includes(FORM)) return;
    throw new AppError(415, `Content-Type ${FORM} is not accepted here: send application/json (only POST /v1/auth/token takes a form)`);
  });
}

/**
 * A query parameter a list operation does not know is refused (400 naming it), not ignored: a
 * misspelt filter (`?stauts=OPEN`) would otherwise answer the unfiltered list as if it applied.
 * Every GET route whose querystring schema leaves extra properties unsaid gets them forbidden;
 * call before routes are added.
 */
export function registerQueryGuard(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const query = route.schema?.querystring as { type?: unknown; additionalProperties?: unknown } | undefined;
    if (!methods.includes('GET') || !query || query.type !== 'object' || query.additionalProperties !== undefined) return;
    route.schema = { ...route.schema, querystring: { ...query, additionalProperties: false } };
  });
}
