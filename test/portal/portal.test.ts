import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, stageUpload, useApp, type Client } from '../support/app.js';
import { checkPage, openConsolePage, openSignedIn, PHONE, useBrowser, type ConsolePage } from '../support/browser.js';
import { newPerson } from '../support/people.js';
import { as } from '../support/requests.js';
import { newOrder, ok, seedBillingEntity } from '../accounting/accounting.fixtures.js';
import { ANTWERP_DC, download, fillStop, LYON_STORE } from './portal.fixtures.js';

/**
 * The customer portal in a real browser (issue 23): a customer's person books an order (the API's
 * own messages next to the fields), saves and uses a template, follows the order page (timeline,
 * POD, charges answered live), downloads an invoice PDF and exports the list; a second customer
 * sees none of it.
 */
const ctx = useApp();
const browser = useBrowser(() => ctx);
let admin: Client;
let acmeApi: Client;
let acmeHook: Client;
let invoiceName: string;
const ACME_BUYER = 'buyer@acme.example';
const BETA_BUYER = 'buyer@beta.example';

beforeAll(async () => {
  admin = await newTenant(ctx, 'Portal carrier');
  await seedBillingEntity(ctx, admin);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme Tiles NV', code: 'ACME', vat_number: 'BE0403019261' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta Bières', code: 'BETA' });
  acmeApi = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  acmeHook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId, kind: 'WEBHOOK' });
  await newPerson(ctx, admin, { email: ACME_BUYER, name: 'Anna Acme', role: 'CUSTOMER', company_id: acmeId });
  await newPerson(ctx, admin, { email: BETA_BUYER, name: 'Bert Beta', role: 'CUSTOMER', company_id: betaId });
  // An invoice the carrier issued to Acme earlier, for another order.
  const billed = await newOrder(ctx, admin, 'BILLED-1', 'ACME');
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${billed}/charges`, {
    code: 'FREIGHT',
    name: 'Freight',
    unit_price: '845.50',
    tax_rate: { code: 'BE21' },
  });
  const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [billed] });
  invoiceName = (await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-11-30' })).name;
});

const signedIn = (email: string, viewport?: { width: number; height: number }): Promise<ConsolePage> => openSignedIn(browser, email, { viewport });

let firstOrderUrl: string;

describe('the customer portal', () => {
  it('books an order: the API’s own messages show next to the fields, then it is TO_PLAN; the form is saved as a template', async () => {
    const view = await signedIn(ACME_BUYER);
    const { page } = view;
    try {
      await openConsolePage(page, '/');
      await page.waitForURL(/\/app\/portal\/orders$/);
      // The order the carrier invoiced earlier is there already.
      await page.getByRole('table', { name: 'Your orders' }).getByText('BILLED-1', { exact: true }).waitFor();
      await page.getByRole('link', { name: 'Book an order' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Book an order' }).waitFor();

      await page.getByLabel('Your order number').fill('ACME-PORTAL-1');
      await page.getByLabel('Reference (PO number)').fill('PO-7001');
      await page.getByLabel('Instructions for the carrier').fill('Tail lift needed');
      await fillStop(page, 'Pickup', {
        ...ANTWERP_DC,
        Date: '2026-12-10',
        From: '08:00',
        Until: '12:00',
      });
      await fillStop(page, 'Delivery', {
        ...LYON_STORE,
        'Country (2 letters)': 'France',
        Date: '2026-12-11',
      });
      const line = page.getByRole('group', { name: 'Goods line 1' });
      await line.getByLabel('Description').fill('Pallets of floor tiles');
      await line.getByLabel('Quantity').fill('12');
      await line.getByLabel('Weight (kg)').fill('9600');
      await page.getByRole('button', { name: 'Book the order' }).click();

      // The API refused the country; its message stands under the field, which is marked invalid.
      const country = page.getByRole('group', { name: 'Delivery', exact: true }).getByLabel('Country (2 letters)');
      await expect.poll(() => country.getAttribute('aria-invalid')).toBe('true');
      const message = await page.locator(`#${await country.getAttribute('aria-describedby')}`).innerText();
      expect(message).toContain('country');
      await page.getByText('Some fields need a correction').waitFor();
      await checkPage(view, 'portal-book-errors');

      await country.fill('FR');
      await page.getByLabel('Template name').fill('Weekly Lyon');
      await page.getByRole('button', { name: 'Save as template' }).click();
      await page.getByText('Saved as the template “Weekly Lyon”.').waitFor();
      await checkPage(view, 'portal-book');

      await page.getByRole('button', { name: 'Book the order' }).click();
      await page.waitForURL(/\/app\/portal\/orders\/[0-9a-f-]{36}$/);
      firstOrderUrl = new URL(page.url()).pathname.replace(/^\/app/, '');
      await page.getByRole('heading', { level: 1, name: /^Order OR-/ }).waitFor();
      expect(await page.locator('main dl').first().innerText()).toContain('To plan');
      expect(await page.locator('.timeline').innerText()).toContain('Lyon');
      // What the API stored is what the form said.
      const listed = (await as(admin).get('/v1/orders/order?q=ACME-PORTAL-1')).json().items;
      expect(listed).toMatchObject([
        { order_identifier: 'ACME-PORTAL-1', status: 'TO_PLAN', customer_reference_number: 'PO-7001', customer: { code: 'ACME' } },
      ]);
    } finally {
      await view.close();
    }
  });

  it('books again from the template, then cancels that order', async () => {
    const view = await signedIn(ACME_BUYER);
    const { page } = view;
    try {
      await openConsolePage(page, '/portal/book');
      // A customer sees the product's name, not the carrier's console.
      expect(await page.locator('header .brand').innerText()).toBe('Waybill');
      expect(await page.title()).toBe('Book an order · Waybill');
      // A saved location (a place of Acme's earlier orders) fills the stop's place, and only that.
      const pickup = page.getByRole('group', { name: 'Pickup', exact: true });
      const saved = pickup.getByRole('combobox', { name: 'Saved location' });
      await saved.selectOption({ label: 'Acme DC Antwerp, Noorderlaan 100, 2030 Antwerpen, BE' });
      expect(await pickup.getByLabel('Company or place').inputValue()).toBe('Acme DC Antwerp');
      expect(await pickup.getByLabel('Street and number').inputValue()).toBe('Noorderlaan 100');
      expect(await pickup.getByLabel('Country (2 letters)').inputValue()).toBe('BE');
      expect(await pickup.getByLabel('Date').inputValue()).toBe('');
      // Another company's places are not offered.
      const offered = await saved.locator('option').allInnerTexts();
      expect(offered.join('\n')).not.toContain('Beta');
      await checkPage(view, 'portal-book-saved-location');
      await page.getByRole('combobox', { name: 'Start from a template' }).selectOption({ label: 'Weekly Lyon' });
      await page.getByRole('button', { name: 'Use this template' }).click();
      await page.getByText('Filled in from the template “Weekly Lyon”').waitFor();
      const delivery = page.getByRole('group', { name: 'Delivery', exact: true });
      expect(await delivery.getByLabel('Town').inputValue()).toBe('Lyon');
      expect(await page.getByRole('group', { name: 'Goods line 1' }).getByLabel('Description').inputValue()).toBe('Pallets of floor tiles');
      expect(await page.getByLabel('Your order number').inputValue()).toBe('');
      await page.getByLabel('Your order number').fill('ACME-PORTAL-2');
      await delivery.getByLabel('Date').fill('2026-12-18');
      await page.getByRole('button', { name: 'Book the order' }).click();
      await page.waitForURL(/\/app\/portal\/orders\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { level: 1, name: /^Order OR-/ }).waitFor();

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Cancel this order' }).click();
      await expect.poll(() => page.locator('main dl').first().innerText()).toContain('Cancelled');
      expect(await page.getByRole('button', { name: 'Cancel this order' }).count()).toBe(0);
      const cancelled = (await as(admin).get('/v1/orders/order?q=ACME-PORTAL-2')).json().items[0];
      expect(cancelled.status).toBe('CANCELLED');
    } finally {
      await view.close();
    }
  });

  it('shows the order page live: a charge appears without reloading and is answered; the POD downloads', async () => {
    const view = await signedIn(ACME_BUYER);
    const { page } = view;
    try {
      await openConsolePage(page, firstOrderUrl);
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.live)).toBe('open');
      await page.getByText('No charges on this order yet.').waitFor();
      const orderId = firstOrderUrl.split('/').at(-1) as string;

      // The carrier adds two charges that need Acme's approval, and a POD arrives: the page shows them without a reload.
      for (const [code, name, price] of [
        ['WAIT', 'Waiting time', '45'],
        ['TOLL', 'Extra toll', '12.40'],
      ] as const) {
        await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
          code,
          name,
          unit_price: price,
          tax_rate: { code: 'BE21' },
          requires_approval: true,
        });
      }
      const uploadId = await stageUpload(ctx, acmeApi, '%PDF-1.7 signed delivery note', 'pod.pdf');
      const attached = await as(acmeHook).post('/v1/webhook/partial-order-update', {
        updates: [
          {
            match: { matches_all: [{ order: { id: { matches_any: [orderId] } } }] },
            question_answers: { 'documents/PROOF_OF_DELIVERY': [{ remote_document: { upload_id: uploadId } }] },
          },
        ],
      });
      expect(attached.json().errors, attached.body).toEqual([]);
      // Live updates wait for a quiet moment and then refetch; on a loaded machine that may take a while.
      await page.getByRole('button', { name: 'Approve Waiting time' }).waitFor({ timeout: 90_000 });
      await page
        .getByRole('link', { name: /Download/ })
        .first()
        .waitFor();
      await checkPage(view, 'portal-order-charges-waiting');

      await page.getByRole('button', { name: 'Approve Waiting time' }).click();
      await page.getByRole('textbox', { name: 'Reason for rejecting Extra toll' }).fill('No toll road on this route');
      await page.getByRole('button', { name: 'Reject Extra toll' }).click();
      const charges = page.getByRole('region', { name: 'Charges' });
      await charges.getByText('Your reason: No toll road on this route').waitFor();
      expect(await charges.innerText()).toContain('Approved');
      expect(await charges.innerText()).toContain('Rejected');
      const answered = (await as(admin).get(`/v1/orders/order/${orderId}/charges`)).json().charges as Array<Record<string, unknown>>;
      expect(answered.map((c) => [c.code, c.approval_status, c.approval_reason]).sort()).toEqual([
        ['TOLL', 'REJECTED', 'No toll road on this route'],
        ['WAIT', 'APPROVED', null],
      ]);

      const pod = await download(page, () =>
        page
          .getByRole('link', { name: /Download/ })
          .first()
          .click(),
      );
      expect(pod.body.toString()).toBe('%PDF-1.7 signed delivery note');
      // The POD's type in words, not the API's enum value.
      const documents = await page.locator('.document-list').innerText();
      expect(documents).toContain('Proof of delivery');
      expect(documents).not.toContain('PROOF_OF_DELIVERY');
      await checkPage(view, 'portal-order');
    } finally {
      await view.close();
    }
  });

  it('lists, filters and exports the orders, and downloads an invoice PDF', async () => {
    const view = await signedIn(ACME_BUYER);
    const { page } = view;
    try {
      await openConsolePage(page, '/portal/orders');
      const table = page.getByRole('table', { name: 'Your orders' });
      await table.getByRole('link').first().waitFor();
      const text = await table.innerText();
      for (const expected of ['ACME-PORTAL-1', 'ACME-PORTAL-2', 'BILLED-1', 'To plan', 'Cancelled']) expect(text).toContain(expected);
      await checkPage(view, 'portal-orders');

      await page.getByLabel('Status').selectOption('CANCELLED');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/status=CANCELLED/);
      await expect.poll(() => table.innerText()).not.toContain('ACME-PORTAL-1');
      expect(await table.innerText()).toContain('ACME-PORTAL-2');

      const csv = await download(page, () => page.getByRole('link', { name: 'Download as CSV' }).click());
      expect(csv.name).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/);
      const lines = csv.body.toString('utf8').trim().split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('ACME-PORTAL-2');
      const xlsx = await download(page, () => page.getByRole('link', { name: 'Download as Excel' }).click());
      expect(xlsx.name).toMatch(/\.xlsx$/);
      expect(xlsx.body.subarray(0, 2).toString()).toBe('PK');

      await page.getByRole('link', { name: 'Invoices' }).click();
      await page.getByRole('heading', { level: 1, name: 'Invoices and credit notes' }).waitFor();
      const invoices = page.getByRole('table', { name: 'Invoices' });
      await invoices.getByText(invoiceName, { exact: true }).waitFor();
      await invoices.getByRole('link', { name: `PDF PDF of ${invoiceName}` }).waitFor();
      await checkPage(view, 'portal-invoices');
      const pdf = await download(page, () => invoices.getByRole('link', { name: `PDF PDF of ${invoiceName}` }).click());
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await view.close();
    }
  });

  it('on a phone, every portal page fits and stays accessible', async () => {
    const view = await signedIn(ACME_BUYER, PHONE);
    const { page } = view;
    try {
      for (const [path, name] of [
        ['/portal/orders', 'portal-orders-phone'],
        ['/portal/book', 'portal-book-phone'],
        [firstOrderUrl, 'portal-order-phone'],
        ['/portal/invoices', 'portal-invoices-phone'],
      ] as const) {
        await openConsolePage(page, path);
        // Nothing wider than the screen: the page scrolls down, not sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(PHONE.width);
        await checkPage(view, name);
      }
    } finally {
      await view.close();
    }
  });

  it('a second customer sees none of it', async () => {
    const view = await signedIn(BETA_BUYER);
    const { page } = view;
    try {
      await openConsolePage(page, '/portal/orders');
      await page.getByText('No orders yet. Book your first one.').waitFor();
      await openConsolePage(page, firstOrderUrl);
      await page.getByRole('alert').getByText('Order not found', { exact: true }).waitFor();
      await openConsolePage(page, '/portal/invoices');
      await page.getByText('No invoices yet.').waitFor();
      expect(await page.locator('main').innerText()).not.toContain(invoiceName);
      await openConsolePage(page, '/portal/book');
      expect(await page.getByRole('combobox', { name: 'Start from a template' }).count()).toBe(0);
      // Acme's places are Acme's: Beta, with no orders of its own, is offered none.
      expect(await page.getByRole('combobox', { name: 'Saved location' }).count()).toBe(0);
      expect(await page.locator('main').innerText()).not.toContain('Noorderlaan');
      const exported = await page.evaluate(async () => (await fetch('/v1/orders/export?format=csv')).text());
      expect(exported).not.toContain('ACME-PORTAL');
      await checkPage(view, 'portal-second-customer');
      // The carrier's console is not for a customer.
      await openConsolePage(page, '/orders');
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.locator('main').innerText()).not.toContain('ACME-PORTAL');
    } finally {
      await view.close();
    }
  });
});
