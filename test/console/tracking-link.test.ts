import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { checkPage, openConsolePage, openContext, PHONE, useBrowser, waitForPage } from '../support/browser.js';
import { as } from '../support/requests.js';
import { realisticOrder, upload } from '../orders/orders.fixtures.js';

/** An order's public tracking link (issue 23), opened in a browser that never signed in. */
const ctx = useApp();
const browser = useBrowser(() => ctx);
let acme: Client;
let orderId: string;

beforeAll(async () => {
  const admin = await newTenant(ctx);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme Tiles NV', code: 'ACME' });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  const res = await upload(ctx, acme, realisticOrder('TRACK-1', { customer: undefined }));
  expect(res.json().upload_status, res.body).toBe('COMPLETED');
  orderId = res.json().order_id;
});

async function newLink(): Promise<string> {
  const res = await as(acme).post(`/v1/orders/order/${orderId}/tracking-link`);
  expect(res.statusCode, res.body).toBe(201);
  const url = res.json().url as string;
  return url.slice(url.indexOf('#'));
}

describe('the public tracking page', () => {
  it('shows status, ETA and town without signing in, in English, Dutch and French, and no price or name', async () => {
    const fragment = await newLink();
    const view = await openContext(browser);
    try {
      const { page } = view;
      await openConsolePage(page, `/track${fragment}`);
      await page.getByRole('heading', { level: 1, name: 'Track your shipment' }).waitFor();
      const facts = await page.locator('main dl').innerText();
      expect(facts).toContain('To plan');
      expect(facts).toContain('Lyon (FR)');
      expect(facts).toContain('Not known yet');
      const text = await page.locator('body').innerText();
      for (const hidden of ['Acme', 'PO-TRACK-1', '845', 'Lyon Hub', 'Antwerp', 'Sign out']) expect(text, hidden).not.toContain(hidden);
      // Nobody signed in: the session check answered no session, and the page did not send it to sign in.
      expect(page.url()).toContain(`/app/track${fragment}`);
      await checkPage(view, 'tracking-link-en');

      const language = page.locator('.language select');
      await language.selectOption('nl');
      await page.getByRole('heading', { level: 1, name: 'Volg uw zending' }).waitFor();
      expect(await page.locator('main dl').innerText()).toContain('Verwachte aankomst');
      await checkPage(view, 'tracking-link-nl');

      await language.selectOption('fr');
      await page.getByRole('heading', { level: 1, name: 'Suivez votre envoi' }).waitFor();
      expect(await page.locator('main dl').innerText()).toContain('Ville de livraison');
      await checkPage(view, 'tracking-link-fr');
    } finally {
      await view.close();
    }
  });

  it('on a phone, and says so when the link was revoked', async () => {
    const fragment = await newLink();
    const view = await openContext(browser, { viewport: PHONE });
    try {
      const { page } = view;
      await openConsolePage(page, `/track${fragment}`);
      expect(await page.locator('main dl').innerText()).toContain('Lyon (FR)');
      await checkPage(view, 'tracking-link-phone');

      const revoked = await as(acme).delete(`/v1/orders/order/${orderId}/tracking-link`);
      expect(revoked.statusCode, revoked.body).toBe(204);
      await page.reload();
      await waitForPage(page);
      await page.getByText('This tracking link is not valid').waitFor();
      expect(await page.locator('main dl').count()).toBe(0);
      await checkPage(view, 'tracking-link-revoked');
    } finally {
      await view.close();
    }
  });
});
