import { describe, expect, it } from 'vitest';
import { useApp } from '../support/app.js';
import { checkPage, openConsolePage, openContext, PHONE, useBrowser } from '../support/browser.js';
import { expectError } from '../support/contract.js';

const ctx = useApp();
const browser = useBrowser(ctx);

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
    }
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

describe('the console shell in a browser', () => {
  it('leads /app to the orders page, with landmarks, a skip link, and the API error shown without a session', async () => {
    const view = await openContext(browser);
    try {
      const { page } = view;
      await openConsolePage(page, '');
      expect(new URL(page.url()).pathname).toBe('/app/orders');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Orders');
      expect(await page.locator('header.banner').count()).toBe(1);
      expect(await page.locator('nav[aria-label="Main"] a[aria-current="page"]').textContent()).toBe('Orders');
      expect(await page.locator('main#main').count()).toBe(1);
      // Without a session the API answers 401, and the page says so in words.
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('Sign in to see this page.');

      // The skip link is the first thing the keyboard reaches, and it moves focus to the content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      await checkPage(view, 'shell-orders-signed-out');
    } finally {
      await view.close();
    }
  });

  it('switches the language, and keeps it after a reload', async () => {
    const view = await openContext(browser);
    try {
      const { page } = view;
      await openConsolePage(page, '/orders');
      await page.getByLabel('Language').selectOption('fr');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Commandes');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      await page.getByLabel('Langue').selectOption('nl');
      await expect.poll(() => page.locator('nav a[aria-current="page"]').textContent()).toBe('Orders');
      expect(await page.getByRole('button', { name: 'Toepassen' }).count()).toBe(1);
      await page.reload();
      await page.locator('h1#page-title').waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
      await checkPage(view, 'shell-orders-dutch');
    } finally {
      await view.close();
    }
  });

  it('folds the navigation into a menu button on a phone', async () => {
    const view = await openContext(browser, { viewport: PHONE });
    try {
      const { page } = view;
      await openConsolePage(page, '/orders');
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('#main-nav').isVisible()).toBe(false);
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      expect(await page.locator('#main-nav').isVisible()).toBe(true);
      await checkPage(view, 'shell-phone-menu');
    } finally {
      await view.close();
    }
  });

  it('shows a page of its own for an address it does not know', async () => {
    const view = await openContext(browser);
    try {
      await openConsolePage(view.page, '/no-such-page');
      expect(await view.page.locator('h1').textContent()).toBe('Page not found');
      await checkPage(view, 'shell-not-found');
    } finally {
      await view.close();
    }
  });
});
