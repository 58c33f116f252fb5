import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { createServices } from '../../src/services.js';
import { newTenant, useApp, type Client } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { acceptInvite, asPerson, invite, newPerson, PASSWORD, sessionCookie, signIn, type Person } from '../support/people.js';

// Short lifetimes and small failure budgets, so expiry and limits are reached without waiting.
const IDLE = 60;
const ABSOLUTE = 120;
const ctx = useApp({
  people: {
    ...loadConfig({}).people,
    sessionIdleSeconds: IDLE,
    sessionAbsoluteSeconds: ABSOLUTE,
    signInFailuresPerAccount: 3,
    signInFailuresPerAddress: 5,
  },
});
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Lifecycle carrier');
});

const adminPost = (url: string) => ctx.app.inject({ method: 'POST', url, headers: { authorization: admin.auth } });

/** A second browser of the same person. */
async function secondSession(person: Person): Promise<Person> {
  const res = await signIn(ctx, person.email, PASSWORD);
  expect(res.statusCode, res.body).toBe(200);
  return { ...person, cookie: sessionCookie(res) as string, csrf: res.json().csrf_token };
}

/** Moves a session's clock back by the database's own clock, as if time had passed. */
async function age(person: Person, column: 'created_at' | 'last_seen_at', seconds: number) {
  const userId = person.userId;
  await ctx.services.db
    .updateTable('user_sessions')
    .set({ [column]: sql`now() - make_interval(secs => ${seconds})` })
    .where('user_id', '=', userId)
    .execute();
}

describe('ending sessions', () => {
  it('signing out ends every session of the person and clears the cookie', async () => {
    const first = await newPerson(ctx, admin, { email: 'out@carrier.example', name: 'Out', role: 'TENANT' });
    const second = await secondSession(first);
    expect((await asPerson(second).get('/me')).statusCode).toBe(200);
    const out = await asPerson(first).delete('/v1/session');
    expect(out.statusCode, out.body).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^waybill_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
    expectError(await asPerson(first).get('/me'), 401);
    expectError(await asPerson(second).get('/v1/session'), 401);
    // Signing in again works.
    expect((await signIn(ctx, first.email, PASSWORD)).statusCode).toBe(200);
  });

  it('an API client cannot sign out: it has no session', async () => {
    expectError(await ctx.app.inject({ method: 'DELETE', url: '/v1/session', headers: { authorization: admin.auth } }), 401);
  });

  it('disabling a person ends every session at once; enabling lets them sign in again', async () => {
    const first = await newPerson(ctx, admin, { email: 'gone@carrier.example', name: 'Gone', role: 'TENANT' });
    const second = await secondSession(first);
    const disabled = await adminPost(`/v1/admin/users/${first.userId}/disable`);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().status).toBe('DISABLED');
    expectError(await asPerson(first).get('/me'), 401);
    expectError(await asPerson(second).get('/me'), 401);
    expectError(await signIn(ctx, first.email, PASSWORD), 401);
    expectError(await adminPost(`/v1/admin/users/${first.userId}/invite`), 409);
    // Twice is harmless.
    expect((await adminPost(`/v1/admin/users/${first.userId}/disable`)).statusCode).toBe(200);

    const enabled = await adminPost(`/v1/admin/users/${first.userId}/enable`);
    expect(enabled.json().status).toBe('ACTIVE');
    const again = await signIn(ctx, first.email, PASSWORD);
    expect(again.statusCode, again.body).toBe(200);
    expect((await asPerson({ ...first, cookie: sessionCookie(again) as string }).get('/me')).statusCode).toBe(200);
  });

  it('nobody can disable themselves', async () => {
    const self = await newPerson(ctx, admin, { email: 'self@carrier.example', name: 'Self', role: 'TENANT' });
    expectError(await asPerson(self).post(`/v1/admin/users/${self.userId}/disable`), 409);
  });

  it('a session unused for the idle lifetime ends; use keeps it alive', async () => {
    const person = await newPerson(ctx, admin, { email: 'idle@carrier.example', name: 'Idle', role: 'TENANT' });
    await age(person, 'last_seen_at', IDLE - 10);
    expect((await asPerson(person).get('/me')).statusCode).toBe(200);
    // That request counted as use: 20 s more would end the session had it not.
    await ctx.services.db
      .updateTable('user_sessions')
      .set({ last_seen_at: sql`last_seen_at - interval '20 seconds'` })
      .where('user_id', '=', person.userId)
      .execute();
    expect((await asPerson(person).get('/me')).statusCode).toBe(200);
    await age(person, 'last_seen_at', IDLE + 1);
    expectError(await asPerson(person).get('/me'), 401);
    // And it stays ended.
    await age(person, 'last_seen_at', 0);
    expectError(await asPerson(person).get('/me'), 401);
  });

  it('a session ends at its absolute lifetime however busy', async () => {
    const person = await newPerson(ctx, admin, { email: 'busy@carrier.example', name: 'Busy', role: 'TENANT' });
    await age(person, 'created_at', ABSOLUTE - 10);
    const alive = await asPerson(person).get('/v1/session');
    expect(alive.statusCode).toBe(200);
    // It ends at the absolute end, 10 s away, not the idle end, 60 s away.
    expect(Date.parse(alive.json().expires_at) - Date.now()).toBeLessThanOrEqual(10_000);
    await age(person, 'created_at', ABSOLUTE + 1);
    expectError(await asPerson(person).get('/me'), 401);
  });
});

describe('invite links', () => {
  it('a new invite kills the old link', async () => {
    const first = await invite(ctx, admin, { email: 'again@carrier.example', name: 'Again', role: 'TENANT' });
    const res = await adminPost(`/v1/admin/users/${first.userId}/invite`);
    expect(res.statusCode, res.body).toBe(200);
    const token = res.json().invite_url.split('#')[1];
    expect(token).not.toBe(first.token);
    expectError(await ctx.app.inject({ url: `/v1/session/invite/${first.token}` }), 404);
    expectError(await acceptInvite(ctx, first.token), 404);
    expect((await acceptInvite(ctx, token)).statusCode).toBe(200);
    expectError(await acceptInvite(ctx, token), 404);
  });

  it('an expired link is dead', async () => {
    const { userId, token } = await invite(ctx, admin, { email: 'late@carrier.example', name: 'Late', role: 'TENANT' });
    await ctx.services.db
      .updateTable('users')
      .set({ invite_expires_at: sql`now() - interval '1 second'` })
      .where('id', '=', userId)
      .execute();
    expectError(await ctx.app.inject({ url: `/v1/session/invite/${token}` }), 404);
    expectError(await acceptInvite(ctx, token), 404);
  });

  it('a re-invite of an active person resets the password and ends their sessions', async () => {
    const person = await newPerson(ctx, admin, { email: 'forgot@carrier.example', name: 'Forgot', role: 'TENANT' });
    const token = (await adminPost(`/v1/admin/users/${person.userId}/invite`)).json().invite_url.split('#')[1];
    // The sessions go on until the link is used.
    expect((await asPerson(person).get('/me')).statusCode).toBe(200);
    expect((await acceptInvite(ctx, token, 'a brand new passphrase')).statusCode).toBe(200);
    expectError(await asPerson(person).get('/me'), 401);
    expectError(await signIn(ctx, person.email, PASSWORD), 401);
    expect((await signIn(ctx, person.email, 'a brand new passphrase')).statusCode).toBe(200);
  });

  it('a malformed or unknown token is a 404 or 400, never a 500', async () => {
    expectError(await ctx.app.inject({ url: '/v1/session/invite/nonsense' }), 404);
    expectError(await ctx.app.inject({ url: `/v1/session/invite/${admin.tenantId}.${'x'.repeat(43)}` }), 404);
    expectError(await ctx.app.inject({ url: `/v1/session/invite/${'%3C'.repeat(5)}` }), 400);
  });
});

describe('failed sign-ins', () => {
  it('an account that failed too often gets 429 with Retry-After, from any address, even with the right password', async () => {
    const person = await newPerson(ctx, admin, { email: 'guessed@carrier.example', name: 'Guessed', role: 'TENANT' });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expectError(await signIn(ctx, person.email, 'not the password', address), 401);
    const limited = await signIn(ctx, person.email, PASSWORD, '10.0.0.4');
    expectError(limited, 429, 'this account');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Their open session is unaffected.
    expect((await asPerson(person).get('/me')).statusCode).toBe(200);
  });

  it("an account's failures are counted in the database: every process sees them; a success starts again", async () => {
    const person = await newPerson(ctx, admin, { email: 'shared@carrier.example', name: 'Shared', role: 'TENANT' });
    const other = await buildApp(await createServices({ config: ctx.services.config, database: ctx.database, bus: new EventBus() }));
    await other.ready();
    try {
      const wrong = (app: typeof other, address: string) =>
        app.inject({ method: 'POST', url: '/v1/session', payload: { email: person.email, password: 'not the password' }, remoteAddress: address });
      expectError(await wrong(ctx.app, '10.0.2.1'), 401);
      expectError(await wrong(ctx.app, '10.0.2.1'), 401);
      // A success in between forgets those two.
      expect((await signIn(ctx, person.email, PASSWORD, '10.0.2.2')).statusCode).toBe(200);
      expectError(await wrong(ctx.app, '10.0.2.1'), 401);
      expectError(await wrong(ctx.app, '10.0.2.1'), 401);
      expectError(await wrong(other, '10.0.2.3'), 401);
      // Two failures here and one in the other process: this process's own count alone would still allow it.
      expectError(await signIn(ctx, person.email, PASSWORD, '10.0.2.4'), 429, 'this account');
      expectError(await other.inject({ method: 'POST', url: '/v1/session', payload: { email: person.email, password: PASSWORD } }), 429);
    } finally {
      await other.close();
    }
  });

  it('an address that failed too often gets 429 with Retry-After, whatever account it tries', async () => {
    const address = '10.0.1.1';
    for (let i = 0; i < 5; i++) expectError(await signIn(ctx, `nobody${i}@carrier.example`, 'not the password', address), 401);
    const person = await newPerson(ctx, admin, { email: 'innocent@carrier.example', name: 'Innocent', role: 'TENANT' });
    const limited = await signIn(ctx, person.email, PASSWORD, address);
    expectError(limited, 429, 'this address');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not held back.
    expect((await signIn(ctx, person.email, PASSWORD, '10.0.1.2')).statusCode).toBe(200);
  });
});

describe('housekeeping', () => {
  it('signing in forgets the sessions of that person that ended by time', async () => {
    const person = await newPerson(ctx, admin, { email: 'tidy@carrier.example', name: 'Tidy', role: 'TENANT' });
    await secondSession(person);
    await age(person, 'last_seen_at', IDLE + 1);
    await secondSession(person);
    const rows = await ctx.services.db.selectFrom('user_sessions').select('token_hash').where('user_id', '=', person.userId).execute();
    expect(rows).toHaveLength(1);
  });
});
