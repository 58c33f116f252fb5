import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from './errors.js';
import type { RouteMethods } from './method-not-allowed.js';
import { condenseUnionErrors, type AjvError } from './validation-errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Said in a 415 answer after the accepted type: what to do with a body of another type. */
    mediaTypeHint?: string;
  }
}

/** `/consignments/0/pickup_stop` → `consignments.0.pickup_stop` (plus the missing property). */
function toDetail(context: string, err: AjvError): ErrorDetail {
  const segments = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = err.keyword === 'required' ? String(err.params.missingProperty) : undefined;
  const extra = err.keyword === 'additionalProperties' ? String(err.params.additionalProperty) : undefined;
  if (missing ?? extra) segments.push((missing ?? extra) as string);
  const field = segments.at(-1) ?? null;
  const path = [context, ...segments].join('.');
  let message = `${field ?? context} ${err.message ?? 'is invalid'}`;
  if (err.keyword === 'enum' && !err.message?.startsWith('must be one of')) message += `: ${(err.params.allowedValues as unknown[]).join(', ')}`;
  if ((err.keyword === 'minLength' || err.keyword === 'minItems') && err.params.limit === 1) message = `${field ?? context} must not be empty`;
  if (missing) message = `${missing} is required`;
  if (extra) message = `${extra} is not allowed here`;
  return { message, field, path, detail: { keyword: err.keyword, ...err.params } };
}

/** PostgreSQL errors that only bad input can cause, answered as client errors without the SQL text. */
function fromDatabase(err: { code?: unknown }): AppError | undefined {
  if (typeof err.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code)) return undefined;
  if (err.code === '23505') return new AppError(409, 'This conflicts with an existing record');
  if (err.code.startsWith('22')) return new AppError(400, 'A value is out of range or malformed');
  // A table's CHECK rule (a rate above zero, a positive quantity) that validation did not state: still the caller's input.
  if (err.code === '23514') return new AppError(400, 'A value is outside what is allowed');
  return undefined;
}

function send(reply: FastifyReply, error: AppError) {
  reply.headers(error.headers);
  return reply.code(error.statusCode).send({ message: error.message, errors: error.errors });
}

/**
 * For Fastify's `frameworkErrors` option: errors its router raises before any hook or handler runs
 * (a URL that is not valid percent-encoding, a path segment over the length limit).
 */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  // Both are malformed input, answered 400 like any other invalid path parameter: a segment too
  // long to be an id is no different from a short one that is not an id either.
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment of the URL is too long to name anything' : 'The URL is not valid';
  return send(reply, new AppError(400, message));
}

/**
 * For Fastify's `clientErrorHandler` option: errors Node's HTTP parser raises before Fastify sees a
 * request (headers or URL over the size limit, a malformed request line, a client too slow to
 * send its headers). There is no request or reply yet, so the envelope is written to the socket.
 */
export function clientErrorFor(routes: RouteMethods) {
  return (err: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let [status, message, extra] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'The request headers (or its URL) are larger than allowed', '']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'The request was not received in time', '']
          : [400, 'The request is not valid HTTP', ''];
    if (err.code === 'HPE_INVALID_METHOD') {
      // A method Node does not know (FOO) on a path Waybill serves is a 405 like any method it does
      // not serve there, with the same Allow; the path comes from the request line as received.
      const raw = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.toString('latin1') : '';
      const [method, path] = (raw.split('\r\n')[0] ?? '').split(' ');
      const allowed = path ? routes.allowed(path.split('?')[0] ?? path) : [];
      if (allowed.length) {
        [status, message, extra] = [
          405,
          `${method?.slice(0, 20) ?? 'This method'} is not served on ${path}; it takes ${allowed.join(', ')}`,
          `Allow: ${allowed.join(', ')}\r\n`,
        ];
      }
    }
    const body = JSON.stringify({ message, errors: [{ message, field: null, path: null, detail: null }] });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status as number]}\r\nContent-Type: application/json; charset=utf-8\r\n${extra}` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

export function registerErrorHandling(app: FastifyInstance, routes: RouteMethods) {
  /** A path no route serves with this method: 405 with Allow where other methods serve it, else 404. */
  const unrouted = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routes.allowed(path);
    if (allowed.length) {
      const allow = allowed.join(', ');
      return send(reply, new AppError(405, `${request.method} is not served on ${path}; it takes ${allow}`, [], { allow }));
    }
    return send(reply, new AppError(404, `No route ${request.method} ${path}`));
  };

  app.setErrorHandler((err: FastifyError & { code?: unknown }, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) return send(reply, err);
    // A method no route takes (QUERY) can fail on its body before the not-found answer: it is still unrouted.
    if (request.is404) return unrouted(request, reply);
    if (err.validation) {
      const context = err.validationContext ?? 'body';
      const errors = condenseUnionErrors(err.validation as AjvError[]).map((e) => toDetail(context, e));
      return send(reply, new AppError(400, `Invalid ${context}: ${errors[0]?.message ?? 'bad input'}`, errors));
    }
    const known = fromDatabase(err);
    if (known) {
      // Which rule refused the input, never the statement's parameters: they can hold a client's
      // Basic password or a freshly generated secret.
      const { code, table, column, constraint } = err as { code: string; table?: string; column?: string; constraint?: string };
      request.log.warn({ code, table, column, constraint }, 'database rejected input');
      return send(reply, known);
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const given = request.headers['content-type']?.split(';')[0]?.trim() || 'none';
      const hint = request.routeOptions.config?.mediaTypeHint;
      return send(reply, new AppError(415, `Content-Type ${given} is not accepted here: send application/json${hint ? `. ${hint}` : ''}`));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, bad content type, rate limit) carry safe messages.
      const headers: Record<string, string> = {};
      const retryAfter = reply.getHeader('retry-after');
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      return send(reply, new AppError(status, err.message, [], headers));
    }
    request.log.error({ err, requestId: request.id }, 'request failed');
    return send(reply, new AppError(500, `Internal server error (request ${request.id})`));
  });

  app.setNotFoundHandler(unrouted);
}
