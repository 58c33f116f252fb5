import { beforeAll, expect, it } from 'vitest';
import { newTenant, useApp, type Client } from '../support/app.js';
import { acceptInvite, invite, PASSWORD, signIn } from '../support/people.js';

/** Behind a TLS-terminating proxy: the public URL is https, so links use it and cookies are Secure. */
const ctx = useApp({ publicBaseUrl: 'https://waybill.example', tokenRateLimitPerMinute: 3 });
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'HTTPS carrier');
});

it('invite links use the public base URL and session cookies are Secure', async () => {
  const { inviteUrl, token } = await invite(ctx, admin, { email: 'tls@carrier.example', name: 'Tls', role: 'TENANT' });
  expect(inviteUrl.startsWith('https://waybill.example/app/invite#')).toBe(true);
  const accepted = await acceptInvite(ctx, token);
  expect(String(accepted.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
  const signedIn = await signIn(ctx, 'tls@carrier.example', PASSWORD);
  expect(String(signedIn.headers['set-cookie'])).toMatch(/; Secure$/);
});

it('ended sessions do not count as failed authentications against the address', async () => {
  // This app allows 3 failed authentications per address and minute (see useApp above).
  const stale = { cookie: `waybill_session=${admin.tenantId}.${'A'.repeat(43)}` };
  for (let i = 0; i < 5; i++) expect((await ctx.app.inject({ url: '/me', headers: stale })).statusCode).toBe(401);
  // A wrong Bearer token still counts.
  for (let i = 0; i < 3; i++) expect((await ctx.app.inject({ url: '/me', headers: { authorization: 'Bearer nonsense' } })).statusCode).toBe(401);
  expect((await ctx.app.inject({ url: '/me', headers: { authorization: 'Bearer nonsense' } })).statusCode).toBe(429);
});
