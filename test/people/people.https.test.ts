import { beforeAll, expect, it } from 'vitest';
import { newTenant, useApp, type Client } from '../support/app.js';
import { acceptInvite, invite, PASSWORD, signIn } from '../support/people.js';

/** Behind a TLS-terminating proxy: the public URL is https, so links use it and cookies are Secure. */
const ctx = useApp({ publicBaseUrl: 'https://waybill.example' });
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
