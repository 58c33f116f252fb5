import { expect } from 'vitest';
import type { Client, TestContext } from './app.js';
import type { Answer, Method } from './requests.js';

/** A person signed in through the API: the session cookie and the CSRF token the SPA would keep. */
export interface Person {
  userId: string;
  email: string;
  password: string;
  /** `waybill_session=…`, as a `Cookie` header. */
  cookie: string;
  csrf: string;
  ctx: TestContext;
}

export const PASSWORD = 'correct horse battery staple';

/** The `waybill_session` cookie an answer sets, as a `Cookie` header value (undefined when none). */
export function sessionCookie(res: Answer): string | undefined {
  const header = res.headers['set-cookie'];
  const line = (Array.isArray(header) ? header : [header]).find((h) => typeof h === 'string' && h.startsWith('waybill_session='));
  return line ? line.split(';')[0] : undefined;
}

/** `POST /v1/admin/users` as `admin`; the token is the invite URL's fragment. */
export async function invite(ctx: TestContext, admin: Client, body: Record<string, unknown>) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/admin/users', headers: { authorization: admin.auth }, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  const { user, invite_url } = res.json() as { user: { id: string }; invite_url: string };
  return { userId: user.id, inviteUrl: invite_url, token: invite_url.slice(invite_url.indexOf('#') + 1) };
}

export const acceptInvite = (ctx: TestContext, token: string, password = PASSWORD) =>
  ctx.app.inject({ method: 'POST', url: `/v1/session/invite/${encodeURIComponent(token)}`, payload: { password } });

export const signIn = (ctx: TestContext, email: string, password: string, remoteAddress = '127.0.0.1') =>
  ctx.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password }, remoteAddress });

/** Invites a person and sets their password through the link: they are signed in. */
export async function newPerson(ctx: TestContext, admin: Client, body: Record<string, unknown>): Promise<Person> {
  const { userId, token } = await invite(ctx, admin, body);
  const res = await acceptInvite(ctx, token);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = sessionCookie(res);
  expect(cookie).toBeDefined();
  return { userId, email: String(body.email), password: PASSWORD, cookie: cookie as string, csrf: res.json().csrf_token, ctx };
}

/** A request as the person's browser: the cookie always, the CSRF header on state-changing methods. */
export function asPerson(person: Pick<Person, 'cookie' | 'csrf' | 'ctx'>, options: { csrf?: boolean } = {}) {
  const send = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    person.ctx.app.inject({
      method,
      url,
      headers: { cookie: person.cookie, ...(method !== 'GET' && options.csrf !== false ? { 'x-csrf-token': person.csrf } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    send,
    get: (url: string, headers?: Record<string, string>) => send('GET', url, undefined, headers),
    post: (url: string, payload?: unknown, headers?: Record<string, string>) => send('POST', url, payload, headers),
    delete: (url: string, headers?: Record<string, string>) => send('DELETE', url, undefined, headers),
  };
}
