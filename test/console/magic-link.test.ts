import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { newTenant, type Client, useApp } from '../support/app.js';
import { checkPage, openConsolePage, openContext, useBrowser, waitForPage } from '../support/browser.js';
import { invite } from '../support/people.js';

/** Where the server allows magic links, the invite page signs in with the link alone. */
const ctx = useApp({ people: { ...loadConfig({}).people, magicLinks: true } });
const browser = useBrowser(() => ctx);
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx);
});

describe('an invite link on a server with magic links', () => {
  it('offers to sign in without a password, and does', async () => {
    const { inviteUrl } = await invite(ctx, admin, { email: 'jo@carrier.example', name: 'Jo Janssens', role: 'TENANT', language: 'nl' });
    const view = await openContext(browser);
    try {
      const { page } = view;
      await openConsolePage(page, `/invite${inviteUrl.slice(inviteUrl.indexOf('#'))}`);
      await checkPage(view, 'invite-magic-link');
      await page.getByRole('button', { name: 'Sign in without a password' }).click();
      await page.waitForURL('**/app/overview');
      // The person's own language from then on.
      await page.getByRole('heading', { level: 1, name: 'Overzicht' }).waitFor();
      await waitForPage(page);
      expect(await page.locator('.who').textContent()).toBe('Aangemeld als Jo Janssens');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
      expect((await view.context.request.get('/v1/session')).status()).toBe(200);
      expect(view.scriptErrors).toEqual([]);
    } finally {
      await view.close();
    }
  });
});
