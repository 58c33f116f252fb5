import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { checkPage, openConsolePage, openContext, PHONE, signIn, useBrowser, waitForPage } from '../support/browser.js';
import { newPerson, PASSWORD } from '../support/people.js';
import { as } from '../support/requests.js';
import { realisticOrder, upload } from '../orders/orders.fixtures.js';

/** An order's public tracking link (issue 23), opened in a browser that never signed in. */
const ctx = useApp();
const browser = useBrowser(() => ctx);
let acme: Client;
let orderId: string;
const operatorEmail = 'tracking@carrier.example';

beforeAll(async () => {
  const admin = await newTenant(ctx);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme Tiles NV', code: 'ACME' });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  const res = await upload(ctx, acme, realisticOrder('TRACK-1', { customer: undefined }));
  expect(res.json().upload_status, res.body).toBe('COMPLETED');
  orderId = res.json().order_id;
  await newPerson(ctx, admin, { email: operatorEmail, name: 'Olga Operator', role: 'TENANT' });
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

  it("is made and revoked from the tenant's order page, and the shown link works without signing in until then", async () => {
    const operator = await openContext(browser);
    const guest = await openContext(browser);
    try {
      const { page } = operator;
      await signIn(operator.context, operatorEmail, PASSWORD);
      await openConsolePage(page, `/orders/${orderId}`);
      const section = page.getByRole('region', { name: 'Tracking link' });
      const revokeButton = section.getByRole('button', { name: 'Revoke the tracking link' });
      // The earlier tests revoked their links: nothing to revoke, so no Revoke button.
      await section.getByText('This order has no tracking link.').waitFor();
      expect(await revokeButton.count()).toBe(0);
      await checkPage(operator, 'tracking-link-order-page-none');

      await section.getByRole('button', { name: 'Create a new tracking link' }).click();
      const shown = section.getByRole('textbox', { name: 'Tracking link' });
      await shown.waitFor();
      const url = await shown.inputValue();
      expect(url).toMatch(/\/app\/track#[A-Za-z0-9_-]{43}$/);
      await expect.poll(() => shown.evaluate((input) => input === document.activeElement)).toBe(true);
      await section.getByText(/^A tracking link is live: made .+ by Olga Operator\.$/).waitFor();
      await revokeButton.waitFor();
      await checkPage(operator, 'tracking-link-order-page');

      // Back on the page later: the link cannot be shown again, but that it exists (and Revoke) can.
      await page.reload();
      await waitForPage(page);
      await section.getByText(/^A tracking link is live: made .+ by Olga Operator\.$/).waitFor();
      await revokeButton.waitFor();
      expect(await shown.count()).toBe(0);
      expect(await section.innerText()).not.toContain(url.slice(url.indexOf('#') + 1));
      await checkPage(operator, 'tracking-link-order-page-existing');

      // The link's host is the configured public base URL; the test server listens elsewhere, so the path and fragment go to it.
      const fragment = url.slice(url.indexOf('#'));
      await openConsolePage(guest.page, `/track${fragment}`);
      expect(await guest.page.locator('main dl').innerText()).toContain('Lyon (FR)');
      expect(guest.page.url()).toContain(`/app/track${fragment}`);

      page.once('dialog', (dialog) => void dialog.accept());
      await revokeButton.click();
      await section.getByText('The tracking link was revoked').waitFor();
      expect(await shown.count()).toBe(0);
      // Nothing left to revoke: the button goes, and the section says there is no link.
      await section.getByText('This order has no tracking link.').waitFor();
      expect(await revokeButton.count()).toBe(0);
      await checkPage(operator, 'tracking-link-order-page-revoked');

      await guest.page.reload();
      await waitForPage(guest.page);
      await guest.page.getByText('This tracking link is not valid').waitFor();
      expect(await guest.page.locator('main dl').count()).toBe(0);
      await checkPage(guest, 'tracking-link-revoked-from-console');
    } finally {
      await operator.close();
      await guest.close();
    }
  });
});
