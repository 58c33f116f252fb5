import { describe, expect, it } from 'vitest';
import { useApp } from '../support/app.js';
import { checkPage, openConsolePage, openContext, PHONE, useBrowser } from '../support/browser.js';
import { expectError } from '../support/contract.js';

const ctx = useApp();
const browser = useBrowser(() => ctx);

describe('the console is served at /app', () => {
  it('answers index.html for every page path, never cached, under a Content-Security-Policy', async () => {
    for (const url of ['/app', '/app/', '/app/orders', '/app/orders/7b0c6f3e-0000-4000-8000-000000000000?tab=events']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.body).toContain('<div id="root"></div>');
      // Served under the same guards as the API: the per-address rate limit counts these too.
      expect(res.headers['x-ratelimit-limit']).toBeDefined();
    }
  });

  it('takes only GET and HEAD', async () => {
    expect((await ctx.app.inject({ method: 'HEAD', url: '/app/orders' })).statusCode).toBe(200);
    expectError(await ctx.app.inject({ method: 'POST', url: '/app/orders', payload: {} }), 405);
  });

  it('serves the hashed assets as cacheable forever, and nothing else from disk', async () => {
    const html = (await ctx.app.inject({ method: 'GET', url: '/app' })).body;
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const res = await ctx.app.inject({ method: 'GET', url: script! });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    for (const url of ['/app/assets/missing-abc123.js', '/app/assets/..%2F..%2Fpackage.json', '/app/assets/index.html', '/app/assets/%2e%2e%2findex.html']) {
      expectError(await ctx.app.inject({ method: 'GET', url }), 404);
    }
  });
});

describe('the console shell in a browser, signed out', () => {
  it('leads /app to the sign-in page, with landmarks and a skip link, and no navigation to tenant pages', async () => {
    const view = await openContext(browser);
    try {
      const { page } = view;
      await openConsolePage(page, '');
      expect(new URL(page.url()).pathname).toBe('/app/sign-in');
      expect(new URL(page.url()).searchParams.get('next')).toBeNull();
      expect(await page.locator('h1').textContent()).toBe('Sign in');
      expect(await page.locator('header.banner').count()).toBe(1);
      expect(await page.locator('main#main').count()).toBe(1);
      expect(await page.locator('nav[aria-label="Main"]').count()).toBe(0);

      // The skip link is the first thing the keyboard reaches, and it moves focus to the content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      await checkPage(view, 'sign-in');
    } finally {
      await view.close();
    }
  });

  it('sends any tenant page to sign in, and says so when the password is wrong', async () => {
    const view = await openContext(browser, { viewport: PHONE });
    try {
      const { page } = view;
      await openConsolePage(page, '/trips?status=PLANNED');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/trips?status=PLANNED');
      await page.getByLabel('Email address').fill('nobody@carrier.example');
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('The email address or the password is not right.');
      await checkPage(view, 'sign-in-failed-phone');
    } finally {
      await view.close();
    }
  });

  it('switches the language, and keeps it after a reload', async () => {
    const view = await openContext(browser);
    try {
      const { page } = view;
      await openConsolePage(page, '/sign-in');
      await page.getByLabel('Language').selectOption('fr');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Se connecter');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      await page.getByLabel('Langue').selectOption('nl');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Aanmelden');
      expect(await page.getByLabel('Wachtwoord').count()).toBe(1);
      await page.reload();
      await page.locator('h1#page-title').waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
      await checkPage(view, 'sign-in-dutch');
    } finally {
      await view.close();
    }
  });

  it('refuses an invite link that is not valid, in words', async () => {
    const view = await openContext(browser);
    try {
      await openConsolePage(view.page, '/invite#not-a-real-token');
      expect(await view.page.locator('main').textContent()).toContain('This invitation link is not valid');
      await checkPage(view, 'invite-invalid');
    } finally {
      await view.close();
    }
  });
});
