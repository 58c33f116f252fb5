import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, detail } from './errors.js';

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
      if (c === 0x5c) i++; // backslash: skip the escaped character
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

/** The path (`body.stops.0.name`) of the first string or key holding a NUL character, if any. */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}.${key}`;
    if (key.includes('\0')) return itemPath;
    const found = findNul(item, itemPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses NUL characters anywhere in the body, query or path parameters, naming the field.
 * PostgreSQL cannot store them in text, so without this they surface as a database error (and
 * a warning in its log) instead of a validation error the caller can act on. Runs before schema
 * validation; bodies are depth-limited by then, so the walk is bounded.
 */
export function registerNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [part, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
      const path = findNul(value, part);
      if (!path) continue;
      const field = path.split('.').at(-1) ?? part;
      throw badRequest(`Invalid ${part}: ${field} must not contain NUL characters`, [detail(`${field} must not contain NUL characters`, field, path)]);
    }
  });
}
