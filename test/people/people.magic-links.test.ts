import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { newTenant, useApp, type Client } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { acceptInvite, asPerson, invite, newPerson, PASSWORD, sessionCookie, signIn } from '../support/people.js';

/** Where magic links are configured, an invite link signs in without a password being chosen. */
const ctx = useApp({ people: { ...loadConfig({}).people, magicLinks: true } });
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Magic carrier');
});

const magic = (token: string) => ctx.app.inject({ method: 'POST', url: `/v1/session/invite/${token}`, payload: {} });

it('an invite link signs in once without a password; a new link signs in again', async () => {
  const { userId, token } = await invite(ctx, admin, { email: 'magic@carrier.example', name: 'Magic', role: 'TENANT' });
  expect((await ctx.app.inject({ url: `/v1/session/invite/${token}` })).json()).toEqual({
    email: 'magic@carrier.example',
    name: 'Magic',
    password_required: false,
  });
  const res = await magic(token);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().user).toMatchObject({ id: userId, status: 'ACTIVE' });
  const person = { cookie: sessionCookie(res) as string, csrf: res.json().csrf_token, ctx };
  expect((await asPerson(person).get('/me')).statusCode).toBe(200);
  expectError(await magic(token), 404);
  // No password was chosen, so none signs in.
  expectError(await signIn(ctx, 'magic@carrier.example', ''), 400);
  expectError(await signIn(ctx, 'magic@carrier.example', PASSWORD), 401);

  const again = await ctx.app.inject({ method: 'POST', url: `/v1/admin/users/${userId}/invite`, headers: { authorization: admin.auth } });
  const second = await magic(again.json().invite_url.split('#')[1]);
  expect(second.statusCode, second.body).toBe(200);
  // A magic sign-in ends no other session.
  expect((await asPerson(person).get('/me')).statusCode).toBe(200);
});

it('passwords keep working beside magic links', async () => {
  const person = await newPerson(ctx, admin, { email: 'both@carrier.example', name: 'Both', role: 'TENANT' });
  expect((await signIn(ctx, person.email, PASSWORD)).statusCode).toBe(200);
  expectError(await acceptInvite(ctx, 'not-a-token'), 404);
});
