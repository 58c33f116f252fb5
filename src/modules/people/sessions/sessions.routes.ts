import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf, readCookie } from '../../../platform/http/auth.js';
import { errorsOf, readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { SESSION_COOKIE } from '../../../platform/http/principal.js';
import { ref, type App } from '../../../platform/http/types.js';
import { inviteExample, sessionExample, setPasswordExample, signInExample } from '../people.examples.js';
import { InviteSchema, InviteTokenParams, SessionSchema, SetPasswordSchema, SignInSchema } from '../people.schemas.js';
import type { UsersService } from '../users/users.service.js';
import type { SessionsService, StartedSession } from './sessions.service.js';

const TAGS = ['People and sessions'];
/** The sign-in routes take no credentials: a browser that has none yet calls them. */
const PUBLIC = { auth: 'none' as const };
const NO_AUTH: Array<Record<string, string[]>> = [];

export function sessionsRoutes(app: App, deps: { users: UsersService; sessions: SessionsService; publicBaseUrl: string; absoluteSeconds: number }) {
  const { users, sessions } = deps;

  /** `Secure` when the browser came over HTTPS, directly or (by the public URL) through a proxy. */
  const secure = (request: FastifyRequest) => request.protocol === 'https' || deps.publicBaseUrl.startsWith('https:');
  const cookie = (request: FastifyRequest, value: string, maxAge: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure(request) ? '; Secure' : ''}`;
  const signedIn = (request: FastifyRequest, reply: FastifyReply, started: StartedSession) => {
    reply.header('set-cookie', cookie(request, started.cookie, deps.absoluteSeconds));
    return started.session;
  };

  app.get('/v1/session/invite/:token', {
    config: PUBLIC,
    schema: {
      operationId: 'readInvite',
      tags: TAGS,
      summary: 'Read an invite link',
      description: 'Whom an invite link is for, to greet them before they choose a password. 404 when the link was used, replaced by a newer one, or expired.',
      security: NO_AUTH,
      params: InviteTokenParams,
      response: { 200: ref(InviteSchema, { example: inviteExample, description: 'The invited person' }), ...errorsOf(400, 401, 404, 429) },
    },
    handler: async (request) => users.readInvite(request.params.token),
  });

  app.post('/v1/session/invite/:token', {
    config: PUBLIC,
    schema: {
      operationId: 'acceptInvite',
      tags: TAGS,
      summary: 'Set a password with an invite link',
      description:
        'Sets the person’s password (at least 12 characters), ends any session they had, and signs them in: the answer sets the ' +
        '`waybill_session` cookie. The link works once. Where the server allows magic links (`WAYBILL_MAGIC_LINKS`, shown as ' +
        '`password_required: false` by the GET), `{}` signs in without choosing a password.',
      security: NO_AUTH,
      params: InviteTokenParams,
      body: ref(SetPasswordSchema, { example: setPasswordExample }),
      response: {
        200: ref(SessionSchema, { example: sessionExample, description: 'The new session (cookie set)' }),
        ...errorsOf(400, 401, 404, 413, 415, 429),
      },
    },
    handler: async (request, reply) => signedIn(request, reply, await users.acceptInvite(request.params.token, request.body.password)),
  });

  app.post('/v1/session', {
    config: PUBLIC,
    schema: {
      operationId: 'signIn',
      tags: TAGS,
      summary: 'Sign in',
      description:
        'Email and password; the answer sets the HttpOnly `waybill_session` cookie, which every API route then accepts like a Bearer token ' +
        '(with the person’s role, company and tenant). Keep `csrf_token` and send it as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE. ' +
        'Too many failures from one address or for one account answer 429 with `Retry-After`.',
      security: NO_AUTH,
      body: ref(SignInSchema, { example: signInExample }),
      response: { 200: ref(SessionSchema, { example: sessionExample, description: 'The new session (cookie set)' }), ...errorsOf(400, 401, 413, 415, 429) },
    },
    handler: async (request, reply) => signedIn(request, reply, await sessions.signIn(request.body.email, request.body.password, request.ip)),
  });

  app.get('/v1/session', {
    schema: {
      operationId: 'getSession',
      tags: TAGS,
      summary: 'The current session',
      description: 'The signed-in person, their tenant and the CSRF token to send (read it again after a page reload). 401 without a live session.',
      security: [{ sessionCookie: [] }],
      response: { 200: ref(SessionSchema, { example: sessionExample, description: 'The session' }), ...readErrors() },
    },
    handler: async (request) => {
      principalOf(request);
      return sessions.current(readCookie(request.headers.cookie, SESSION_COOKIE));
    },
  });

  app.delete('/v1/session', {
    schema: {
      operationId: 'signOut',
      tags: TAGS,
      summary: 'Sign out',
      description: 'Ends every session of the signed-in person (all their browsers), and clears the cookie. Needs `X-CSRF-Token`.',
      security: [{ sessionCookie: [] }],
      response: { 204: { type: 'null', description: 'Signed out' }, ...writeErrors() },
    },
    handler: async (request, reply) => {
      await sessions.signOut(principalOf(request));
      reply.header('set-cookie', cookie(request, '', 0));
      return reply.code(204).send();
    },
  });
}
