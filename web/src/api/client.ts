import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';
import { ApiError } from './errors';

/**
 * The console's only way to the API: typed from Waybill's own openapi.json, with the session
 * cookie (same origin) and, on every state-changing call, the session's CSRF token as a header.
 */
let csrfToken: string | undefined;

/** Kept in memory only (never in storage a script could read later); set from the Session answer. */
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

/** openapi-fetch's `{data, error, response}` → the data, or an ApiError carrying the envelope. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.from(response.status, error);
  return data as T;
}
