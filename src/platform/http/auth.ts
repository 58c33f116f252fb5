import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runWithActorStore, setRequestActor } from '../events/actor.js';
import { AppError, forbidden, unauthorized } from './errors.js';
import { FailureLimiter } from './failure-limit.js';
import { SESSION_COOKIE, type Authenticator, type AuthMode, type Principal, type Role } from './principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How callers of this route authenticate; `bearer` when omitted. */
    auth?: AuthMode;
    /** Roles allowed on this route; every role when omitted. */
    roles?: Role[];
    /**
     * On a Basic (webhook) route: people of these roles may call it with their session cookie
     * (and CSRF token) instead of WEBHOOK credentials, so a subcontractor's own page can report.
     */
    sessionRoles?: Role[];
    /** A driver link's principal may call this route (it is refused everywhere else). */
    driver?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** One cookie's value from a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header || !/^bearer /i.test(header)) return undefined;
  return header.slice(7).trim() || undefined;
}

/** A WEBHOOK client's credential does one job: the inbound webhooks. */
export const webhookScopeOnly = () =>
  forbidden('WEBHOOK clients may call only /v1/webhook/* (with HTTP Basic credentials); use an API client for this endpoint');

/**
 * Authenticates every request in `onRequest`, before the body is read, so an unauthenticated
 * caller never gets its body parsed. API routes take `Authorization: Bearer <JWT>`; the contract's
 * inbound webhooks (`/v1/webhook/*`) take HTTP Basic credentials of a WEBHOOK client.
 *
 * Every failed authentication (no credentials, a bad token, a wrong Basic secret, a revoked
 * client) counts against the caller's address (`failuresPerMinute`, as on the token endpoint).
 * The per-client rate limit cannot cover this traffic: it has no verified client to charge. Once
 * an address has used up its budget it gets 429 for the rest of the minute, whatever it sends,
 * so the right secret found by guessing is no use until then.
 *
 * A person's browser sends no Authorization header but the `waybill_session` cookie: it is
 * accepted on every Bearer route (on a Basic webhook route only where `sessionRoles` names the
 * person's role: the subcontractor's reports from its trip page), with the person's role,
 * company and tenant, and every state-changing request must carry the session's CSRF token in
 * `X-CSRF-Token` (403 otherwise). An Authorization header, when sent, wins over the cookie.
 */
export function registerAuth(app: FastifyInstance, authenticator: Authenticator, failuresPerMinute: number) {
  const failures = new FailureLimiter(failuresPerMinute);
  // Opens the store the authenticated caller is written to, so the events it appends name it.
  app.addHook('onRequest', (_request, _reply, done) => runWithActorStore(done));
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const config = request.routeOptions.config;
    const mode: AuthMode = config?.auth ?? 'bearer';
    if (mode === 'none' || !request.routeOptions.url) return;
    failures.check(request.ip);
    let principal: Principal;
    try {
      principal = await authenticate(authenticator, mode, request);
    } catch (err) {
      // An ended session is no guess (its 256-bit secret cannot be guessed): not counted, so the
      // browsers of an office behind one address, all signed out at once, do not lock it out.
      if (err instanceof AppError && err.statusCode === 401 && !sessionOf(authenticator, mode, request)) failures.recordFailure(request.ip);
      throw err;
    }
    // Tokens minted before they carried their kind reach here; the client row decides for them.
    if (mode === 'bearer' && principal.kind === 'WEBHOOK') throw webhookScopeOnly();
    // A driver's link opens one trip's stops and reports: every route not marked for it refuses it.
    if (principal.driver && !config?.driver) throw forbidden('A driver link may only read its trip and report on its stops');
    if (principal.userId && mode === 'basic' && !config?.sessionRoles?.includes(principal.role)) {
      throw forbidden('Only WEBHOOK clients may call webhook endpoints; API clients use Bearer tokens');
    }
    if (config?.roles && !config.roles.includes(principal.role)) {
      throw forbidden(`This endpoint is for ${config.roles.join(' or ')} clients`);
    }
    request.principal = principal;
    setRequestActor(
      principal.userId
        ? { type: 'user', id: principal.userId, name: principal.name ?? principal.clientId }
        : { type: 'api_client', id: principal.apiClientId, name: principal.name ?? principal.clientId },
    );
  });
}

/**
 * The session cookie this request authenticates with: only on Bearer routes (and Basic routes that
 * name `sessionRoles`), and only without an Authorization header.
 */
function sessionOf(authenticator: Authenticator, mode: 'basic' | 'bearer', request: FastifyRequest): string | undefined {
  const sessionsHere = mode === 'bearer' || Boolean(request.routeOptions.config?.sessionRoles?.length);
  if (!sessionsHere || request.headers.authorization || !authenticator.verifySession) return undefined;
  return readCookie(request.headers.cookie, SESSION_COOKIE);
}

async function authenticate(authenticator: Authenticator, mode: 'basic' | 'bearer', request: FastifyRequest): Promise<Principal> {
  const session = sessionOf(authenticator, mode, request);
  if (session && authenticator.verifySession) {
    const { principal, csrfToken } = await authenticator.verifySession(session);
    if (!SAFE_METHODS.has(request.method)) {
      const given = request.headers['x-csrf-token'];
      if (typeof given !== 'string' || !sameSecret(given, csrfToken)) {
        throw forbidden('A request signed in with a session cookie must send its CSRF token in X-CSRF-Token (from GET /v1/session)');
      }
    }
    return principal;
  }
  const header = request.headers.authorization;
  // A driver's token is a Bearer token, also on the Basic report routes that admit drivers.
  const driverToken = bearerToken(header);
  if (driverToken && isDriverToken(driverToken) && authenticator.verifyDriver && (mode === 'bearer' || request.routeOptions.config?.driver)) {
    return authenticator.verifyDriver(driverToken);
  }
  if (mode === 'basic') {
    const basic = parseBasic(header);
    if (!basic) throw unauthorized('This endpoint takes HTTP Basic webhook credentials (client_id:secret)');
    const principal = await authenticator.verifyBasic(basic.id, basic.secret);
    if (principal.kind !== 'WEBHOOK') {
      throw forbidden('Only WEBHOOK clients may call webhook endpoints; API clients use Bearer tokens');
    }
    return principal;
  }
  const token = bearerToken(header);
  if (!token) {
    // Valid WEBHOOK credentials on an API route are a scope error, not a missing login.
    const basic = parseBasic(header);
    if (basic && (await authenticator.verifyBasic(basic.id, basic.secret)).kind === 'WEBHOOK') throw webhookScopeOnly();
    throw unauthorized('Send Authorization: Bearer <access_token> from POST /v1/auth/token');
  }
  return authenticator.verifyBearer(token);
}

/** Driver link tokens are opaque (`drv_…`), told apart from the JWTs of API clients by their prefix. */
export const DRIVER_TOKEN_PREFIX = 'drv_';
const isDriverToken = (token: string) => token.startsWith(DRIVER_TOKEN_PREFIX);

/** The authenticated caller; routes behind auth always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}
