import { beforeAll, describe, expect, it } from 'vitest';
import { newOrder, ok, seedBillingEntity } from '../accounting/accounting.fixtures.js';
import { newCompany, newTenant, useApp, type Client } from '../support/app.js';
import { checkPage, openConsolePage, openContext, openSignedIn, useBrowser, waitForPage, type ConsolePage } from '../support/browser.js';
import { newPerson, PASSWORD, type Person } from '../support/people.js';

/**
 * The Users page in a real browser: a TENANT operator invites a customer's person, copies the
 * one-time link, and that person accepts it in a second browser; then disable, enable and invite
 * again from the page. The customer's person gets none of the accounting, master-data or users pages.
 */
const ctx = useApp();
const browser = useBrowser(() => ctx);

let admin: Client;
let operator: Person;
let acme: string;
/** Pages of console-data with a real object behind each: a customer must see none of them. */
let dataPages: string[];

beforeAll(async () => {
  admin = await newTenant(ctx, 'Users carrier');
  operator = await newPerson(ctx, admin, { email: 'olivia@users-carrier.example', name: 'Olivia Operator', role: 'TENANT' });
  await seedBillingEntity(ctx, admin);
  acme = await newCompany(ctx, admin, { name: 'Acme Foods', code: 'ACME' });
  await newCompany(ctx, admin, { name: 'Swift Haulage', code: 'SWIFT', is_customer: false, is_subcontractor: true });
  const orderId = await newOrder(ctx, admin, 'USR-1', 'ACME');
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '100', tax_rate: { code: 'BE21' } });
  const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
  const resource = await ok(ctx, admin.auth, 'POST', '/v1/resources/resource', { name: 'Dana Smith', driver: { first_name: 'Dana' } });
  dataPages = [
    '/accounting',
    `/accounting/sales-invoice/${draft.id}`,
    '/sync-tasks',
    '/companies',
    `/companies/${acme}`,
    '/resources',
    `/resources/${resource.row_id}`,
    '/users',
  ];
}, 300_000);

const signedIn = (person: { email: string; password: string }): Promise<ConsolePage> => openSignedIn(browser, person.email, { password: person.password });

const row = (view: ConsolePage, email: string) => view.page.locator('main tbody tr', { hasText: email });

describe('the Users page', () => {
  it('invites a customer’s person with a one-time link to copy, which they accept in another browser; they get no tenant page', async () => {
    const view = await signedIn(operator);
    const guest = await openContext(browser);
    try {
      const { page } = view;
      await view.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await openConsolePage(page, '/users');
      await row(view, operator.email).waitFor();
      // Nobody disables themselves: the operator's own row has no such button.
      expect(await page.getByRole('button', { name: 'Disable: Olivia Operator' }).count()).toBe(0);
      await checkPage(view, 'data-users');

      await page.locator('.invite-form').getByLabel('Email').fill('buyer@acme.example');
      await page.locator('.invite-form').getByLabel('Name').fill('Acme Buyer');
      await page.locator('.invite-form').getByLabel('Role').selectOption('CUSTOMER');
      // A customer's person belongs to a customer company: only customers are offered.
      const company = page.locator('.invite-form').getByLabel('Company');
      await expect.poll(() => company.locator('option').allTextContents()).toEqual(['Choose a company', 'Acme Foods']);
      await company.selectOption(acme);
      await page.locator('.invite-form').getByLabel('Language').selectOption('nl');
      await page.getByRole('button', { name: 'Send the invitation' }).click();

      const heading = page.getByRole('heading', { name: 'Invitation link for buyer@acme.example' });
      await heading.waitFor();
      // The link takes the focus's place next to it: the heading is focused for screen readers.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('invite-link-heading');
      const link = await page.locator('.invite-result input').inputValue();
      expect(link).toMatch(/\/app\/invite#[A-Za-z0-9_.-]+$/);
      await page.getByRole('button', { name: 'Copy the link' }).click();
      await page.getByText('Copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
      await expect.poll(() => row(view, 'buyer@acme.example').innerText()).toContain('Invited');
      expect(await row(view, 'buyer@acme.example').innerText()).toContain('Acme Foods');
      await checkPage(view, 'data-users-invited');

      // The invited person opens the link in a browser of their own and sets a password.
      await openConsolePage(guest.page, `/invite${link.slice(link.indexOf('#'))}`);
      await guest.page.getByLabel('New password').fill(PASSWORD);
      await guest.page.getByLabel('The same password again').fill(PASSWORD);
      await guest.page.getByRole('button', { name: 'Set password and sign in' }).click();
      // The app speaks the language the invitation chose (Dutch) and leads a customer to the portal, not the console.
      await guest.page.locator('h1', { hasText: 'Uw orders' }).waitFor();
      expect(new URL(guest.page.url()).pathname).toBe('/app/portal/orders');
      expect((await guest.context.request.get('/v1/session')).status()).toBe(200);

      // Signed in as a customer: none of the accounting, master-data or users pages, and the API refuses their data.
      for (const where of dataPages) {
        await openConsolePage(guest.page, where);
        expect(await guest.page.locator('h1').textContent(), where).toBe('Geen pagina voor dit account');
        expect(await guest.page.locator('table, iframe, form').count(), where).toBe(0);
      }
      for (const api of ['/v1/accounting/sync-tasks', '/v1/resources/resource', '/v1/admin/users']) {
        expect((await guest.context.request.get(api)).status(), api).toBe(403);
      }
      // Sales invoices: only those issued to the customer's own company (none here).
      expect(((await (await guest.context.request.get('/v1/accounting/sales-invoice/')).json()) as { items: unknown[] }).items).toEqual([]);
      // The company list answers a customer with its own company only.
      const companies = (await (await guest.context.request.get('/v1/companies/company')).json()) as { items: Array<{ id: string }> };
      expect(companies.items.map((c) => c.id)).toEqual([acme]);
      await checkPage(guest, 'data-customer-no-console');

      await page.reload();
      await waitForPage(page);
      await expect.poll(() => row(view, 'buyer@acme.example').innerText()).toContain('Active');
    } finally {
      await guest.close();
      await view.close();
    }
  });

  it('disables, enables and invites again from the page; the old link dies', async () => {
    const buyer = await newPerson(ctx, admin, { email: 'second@acme.example', name: 'Second Buyer', role: 'CUSTOMER', company_id: acme });
    const theirs = await signedIn(buyer);
    const view = await signedIn(operator);
    try {
      const { page } = view;
      await openConsolePage(page, '/users');
      await row(view, buyer.email).waitFor();

      await page.getByRole('button', { name: 'Disable: Second Buyer' }).click();
      await page.getByRole('status').filter({ hasText: 'Second Buyer is disabled and signed out everywhere.' }).waitFor();
      await expect.poll(() => row(view, buyer.email).innerText()).toContain('Disabled');
      // Their session ended with it.
      expect((await theirs.context.request.get('/v1/session')).status()).toBe(401);
      await checkPage(view, 'data-users-disabled');

      await page.getByRole('button', { name: 'Enable: Second Buyer' }).click();
      await page.getByRole('status').filter({ hasText: 'Second Buyer can sign in again.' }).waitFor();
      await expect.poll(() => row(view, buyer.email).innerText()).toContain('Active');

      await page.getByRole('button', { name: 'Invite again: Second Buyer' }).click();
      await page.getByRole('heading', { name: 'Invitation link for second@acme.example' }).waitFor();
      const first = await page.locator('.invite-result input').inputValue();
      await page.getByRole('button', { name: 'Invite again: Second Buyer' }).click();
      await expect.poll(() => page.locator('.invite-result input').inputValue()).not.toBe(first);
      const second = await page.locator('.invite-result input').inputValue();
      const token = (url: string) => url.slice(url.indexOf('#') + 1);
      expect((await view.context.request.get(`/v1/session/invite/${token(first)}`)).status()).toBe(404);
      expect((await view.context.request.get(`/v1/session/invite/${token(second)}`)).status()).toBe(200);
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.locator('.invite-result').count()).toBe(0);
    } finally {
      await theirs.close();
      await view.close();
    }
  });
});
