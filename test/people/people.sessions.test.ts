import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTestApp, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { acceptInvite, asPerson, invite, newPerson, PASSWORD, sessionCookie, signIn } from '../support/people.js';

let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Session carrier');
});
afterAll(() => ctx.close());

describe('invite → set password → session', () => {
  it('an invite link greets the person, sets the password once and signs them in', async () => {
    const { userId, inviteUrl, token } = await invite(ctx, admin, { email: 'An.Peeters@Carrier.example', name: 'An Peeters', role: 'TENANT', language: 'nl' });
    expect(inviteUrl).toMatch(/^http:\/\/127\.0\.0\.1:8080\/app\/invite#[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);

    const read = await ctx.app.inject({ url: `/v1/session/invite/${token}` });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ email: 'an.peeters@carrier.example', name: 'An Peeters', password_required: true });

    expectError(await acceptInvite(ctx, token, 'too short'), 400);
    const accepted = await acceptInvite(ctx, token);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ user: { id: userId, status: 'ACTIVE', language: 'nl' }, tenant: { id: admin.tenantId, name: 'Session carrier' } });
    const setCookie = String(accepted.headers['set-cookie']);
    expect(setCookie).toMatch(/^waybill_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);

    // A used link is dead.
    expectError(await ctx.app.inject({ url: `/v1/session/invite/${token}` }), 404);
    expectError(await acceptInvite(ctx, token), 404);

    // The cookie works on an existing API route, with the person's role and tenant.
    const person = { cookie: sessionCookie(accepted) as string, csrf: accepted.json().csrf_token as string, ctx };
    const me = await asPerson(person).get('/me');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ tenant: { id: admin.tenantId }, client: { id: userId, role: 'TENANT', name: 'An Peeters' }, company_id: null });
    const current = await asPerson(person).get('/v1/session');
    expect(current.statusCode).toBe(200);
    expect(current.json().csrf_token).toBe(person.csrf);
  });

  it('signs in with email and password, case-insensitively on the email', async () => {
    const person = await newPerson(ctx, admin, { email: 'bert@carrier.example', name: 'Bert', role: 'TENANT' });
    const res = await signIn(ctx, 'BERT@carrier.example', PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.id).toBe(person.userId);
    expect(res.json().user.last_sign_in_at).not.toBeNull();
    expect(sessionCookie(res)).not.toBe(person.cookie);
    expectError(await signIn(ctx, 'bert@carrier.example', 'wrong password!'), 401, 'Wrong email or password');
    expectError(await signIn(ctx, 'nobody@carrier.example', PASSWORD), 401, 'Wrong email or password');
  });

  it('a session cookie is not enough for state-changing requests: the CSRF token must come too', async () => {
    const person = await newPerson(ctx, admin, { email: 'csrf@carrier.example', name: 'Cee', role: 'TENANT' });
    const body = { name: 'Csrf Co', code: 'CSRF', currency: 'EUR', is_customer: true };
    expectError(await asPerson(person, { csrf: false }).post('/v1/companies/company', body), 403, 'X-CSRF-Token');
    expectError(await asPerson(person, { csrf: false }).post('/v1/companies/company', body, { 'x-csrf-token': 'forged' }), 403, 'X-CSRF-Token');
    const other = await newPerson(ctx, admin, { email: 'csrf2@carrier.example', name: 'Cee Two', role: 'TENANT' });
    expectError(await asPerson(person, { csrf: false }).post('/v1/companies/company', body, { 'x-csrf-token': other.csrf }), 403);
    expectError(await asPerson(person, { csrf: false }).delete('/v1/session'), 403);
    const created = await asPerson(person).post('/v1/companies/company', body);
    expect(created.statusCode, created.body).toBe(200);
  });

  it('a Bearer token wins over a session cookie sent with it', async () => {
    const customerCo = await ctx.app.inject({
      method: 'POST',
      url: '/v1/companies/company',
      headers: { authorization: admin.auth },
      payload: { name: 'Bearer Co', code: 'BEARER', currency: 'EUR', is_customer: true },
    });
    const person = await newPerson(ctx, admin, { email: 'both@carrier.example', name: 'Both', role: 'CUSTOMER', company_id: customerCo.json().id });
    const res = await ctx.app.inject({ url: '/me', headers: { cookie: person.cookie, authorization: admin.auth } });
    expect(res.json().client.id).toBe(admin.apiClientId);
    // No CSRF needed for a Bearer call, even with a cookie beside it.
    const post = await ctx.app.inject({
      method: 'POST',
      url: '/v1/companies/company',
      headers: { cookie: person.cookie, authorization: admin.auth },
      payload: { name: 'Bearer Co 2', code: 'BEARER2', currency: 'EUR', is_customer: true },
    });
    expect(post.statusCode, post.body).toBe(200);
  });

  it('without a live session GET /v1/session is a 401', async () => {
    expectError(await ctx.app.inject({ url: '/v1/session' }), 401);
    expectError(await ctx.app.inject({ url: '/v1/session', headers: { cookie: 'waybill_session=garbage' } }), 401);
    expectError(await ctx.app.inject({ url: '/v1/session', headers: { cookie: `waybill_session=${admin.tenantId}.${'A'.repeat(43)}` } }), 401);
  });

  it('people are listed and read by TENANT admins; hidden clients are not API clients', async () => {
    const person = await newPerson(ctx, admin, { email: 'listed@carrier.example', name: 'Listed', role: 'TENANT' });
    const list = await ctx.app.inject({ url: '/v1/admin/users?limit=2', headers: { authorization: admin.auth } });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toHaveLength(2);
    expect(list.json().next_cursor).not.toBeNull();
    const one = await asPerson(person).get(`/v1/admin/users/${person.userId}`);
    expect(one.json()).toMatchObject({ email: 'listed@carrier.example', status: 'ACTIVE' });
    const clients = await ctx.app.inject({ url: '/v1/admin/api-clients?limit=500', headers: { authorization: admin.auth } });
    expect(clients.json().items.map((c: { id: string }) => c.id)).not.toContain(person.userId);
    expectError(await ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/${person.userId}`, headers: { authorization: admin.auth } }), 404);
    expectError(await ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/user_${person.userId}`, headers: { authorization: admin.auth } }), 404);
    // The hidden client has no usable secret: no token, no Basic access.
    for (const secret of ['', '!', 'anything at all']) {
      const token = await ctx.app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: basic(`user_${person.userId}`, secret) } });
      expect(token.statusCode).toBe(401);
    }
  });
});

describe('sign-in takes JSON only', () => {
  it('a cross-site form (urlencoded or multipart) cannot sign a browser in', async () => {
    await newPerson(ctx, admin, { email: 'form@carrier.example', name: 'Form', role: 'TENANT' });
    const form = await ctx.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=form%40carrier.example&password=${encodeURIComponent(PASSWORD)}`,
    });
    expectError(form, 415);
    const boundary = 'csrf-form';
    const multipart = await ctx.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nform@carrier.example\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${PASSWORD}\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode, multipart.body).toBe(415);
    expect(sessionCookie(multipart)).toBeUndefined();
  });
});

describe('magic links are off unless configured', () => {
  it('an invite link needs a password here', async () => {
    const { token } = await invite(ctx, admin, { email: 'nomagic@carrier.example', name: 'No Magic', role: 'TENANT' });
    expect((await ctx.app.inject({ url: `/v1/session/invite/${token}` })).json().password_required).toBe(true);
    const res = await ctx.app.inject({ method: 'POST', url: `/v1/session/invite/${token}`, payload: {} });
    expect(expectError(res, 400, 'password').errors[0]?.field).toBe('password');
    expect(sessionCookie(res)).toBeUndefined();
    // The link still works.
    expect((await acceptInvite(ctx, token)).statusCode).toBe(200);
  });
});
