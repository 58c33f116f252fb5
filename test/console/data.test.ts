import { beforeAll, describe, expect, it } from 'vitest';
import { ok, newOrder } from '../accounting/accounting.fixtures.js';
import { seedPurchase, subcontractedTrip } from '../accounting/accounting.purchase.fixtures.js';
import { newCompany, newTenant, useApp, type Client } from '../support/app.js';
import { checkPage, openConsolePage, openSignedIn, PHONE, useBrowser, waitForPage, type ConsolePage } from '../support/browser.js';
import { newPerson, type Person } from '../support/people.js';
import { as } from '../support/requests.js';

/**
 * The accounting and master-data pages in a real browser, with data made through the API: every
 * page opened with data (no script error, axe clean, a screenshot), a failed sync task retried from
 * its page, the PDF shown in place and the UBL downloaded, the calendar driven by the keyboard.
 */
const ctx = useApp();
const browser = useBrowser(() => ctx);

let admin: Client;
/** The operator at the keyboard: a TENANT person signed in with a session, as the console is used. */
let operatorPerson: Person;
let acme: string;
let invoice: { id: string; name: string };
let failedTask: string;
let driver: string;
let eInvoiceId: string;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Console data carrier');
  operatorPerson = await newPerson(ctx, admin, { email: 'olivia@carrier.example', name: 'Olivia Operator', role: 'TENANT' });
  await seedPurchase(ctx, admin);
  acme = await newCompany(ctx, admin, {
    name: 'Acme Foods',
    code: 'ACME',
    accounting_code: 'C-ACME',
    vat_number: 'BE0403019261',
    billing_location: { address: 'Meir 1', postal_code: '2000', city: 'Antwerpen', country: 'BE' },
    contacts: [{ name: 'Planning desk', email: 'planning@acme.example', roles: ['OPERATIONS'] }],
  });

  // Two finalized invoices (each queues a sync task), a draft, and a credit note on the first.
  const finalized: Array<{ id: string; name: string; line_items: Array<{ id: string }> }> = [];
  for (const identifier of ['CD-1', 'CD-2', 'CD-3']) {
    const orderId = await newOrder(ctx, admin, identifier, 'ACME');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
      code: 'FREIGHT',
      name: `Freight ${identifier}`,
      unit_price: '845.50',
      tax_rate: { code: 'BE21' },
    });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    if (identifier !== 'CD-3') finalized.push(await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-11-30' }));
  }
  const [first, second] = finalized as [(typeof finalized)[0], (typeof finalized)[0]];
  invoice = { id: first.id, name: first.name };
  await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, { lines: [{ line_id: first.line_items[0]?.id, amount: '100.00' }] });

  // A self-billed purchase invoice for a subcontracted trip.
  const { subcoId, subco } = await seedSubcontractor();
  await subcontractedTrip(ctx, admin, subco, subcoId, 'CD-TRIP', '400.00');
  const purchase = await ok(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: subcoId, tax_rate: { code: 'BE21-P' } });
  await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${purchase.id}/finalize`, { date: '2026-11-30' });
  // And the subcontractor's own e-invoice for another trip, asking more than was agreed.
  const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'CD-TRIP-2', '250.00');
  const received = await as(subco).post('/v1/webhook/e-invoicing', {
    invoice_type: 'PURCHASE',
    name: 'HAUL-0099',
    date: '2026-12-01',
    due_date: '2026-12-31',
    currency: 'EUR',
    total_excl_tax: '275.00',
    total_tax: '57.75',
    total_incl_tax: '332.75',
    supplier: { name: 'Haulers HAUL BV', vat_number: 'BE0477472701' },
    line_items: [
      { description: 'Freight', amount: '275.00', currency: 'EUR', tax_rate: { percentage: 21, tax_type: 'VAT' }, references: { trip_name: trip.name } },
    ],
  });
  expect(received.statusCode, received.body).toBe(200);
  eInvoiceId = received.json().id;

  // The accounting package could not post the second invoice.
  const tasks = (await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks')).tasks as Array<{ id: string; invoice_id: string }>;
  failedTask = tasks.find((task) => task.invoice_id === second.id)?.id as string;
  await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${failedTask}/update-status`, {
    status: 'FAILED',
    failure: { error_type: 'USER_INPUT_ERROR', error_message: 'Customer C-ACME is unknown in the ledger' },
  });

  // A driver away over Christmas, and a truck.
  driver = (
    await ok(ctx, admin.auth, 'POST', '/v1/resources/resource', { name: 'Dana Smith', external_id: 'HR-7', driver: { first_name: 'Dana', last_name: 'Smith' } })
  ).row_id;
  await ok(ctx, admin.auth, 'POST', '/v1/resources/resource', {
    name: 'Volvo FH',
    code: 'T-12',
    truck: { license_plate: '1-ABC-123', manufacturer: 'Volvo', model: 'FH' },
  });
  // Enough trailers for the list to need a second page (the console asks 50 a page).
  const trailers = Array.from({ length: 50 }, (_, i) => ({ name: `Trailer ${String(i + 1).padStart(2, '0')}`, trailer: {} }));
  await ok(ctx, admin.auth, 'POST', '/v1/resources/bulk', { records: trailers });
  await ok(ctx, admin.auth, 'POST', `/v1/resources/resource/${driver}/unavailability`, {
    start_time: '2026-12-24T00:00:00Z',
    end_time: '2026-12-27T00:00:00Z',
    reason: 'DRIVER_HOLIDAY',
    description: 'Christmas',
  });
  await ok(ctx, admin.auth, 'POST', `/v1/resources/resource/${driver}/unavailability`, {
    start_time: '2026-12-09T06:00:00Z',
    end_time: '2026-12-09T12:00:00Z',
    reason: 'DRIVER_MEDICAL_EXAM',
  });

  async function seedSubcontractor() {
    // seedPurchase made HAUL with its WEBHOOK client; a second call would clash on the billing entity.
    const companies = (await ok(ctx, admin.auth, 'GET', '/v1/companies/company?q=HAUL')).items as Array<{ id: string }>;
    const { newClient } = await import('../support/app.js');
    const subcoId = companies[0]?.id as string;
    return { subcoId, subco: await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' }) };
  }
}, 300_000);

/** A browser context signed in as the tenant's operator (the session cookie in its jar). */
const operator = (options: { viewport?: { width: number; height: number } } = {}): Promise<ConsolePage> =>
  openSignedIn(browser, operatorPerson.email, { ...options, password: operatorPerson.password });

async function withView(test: (view: ConsolePage) => Promise<void>, options: { viewport?: { width: number; height: number } } = {}) {
  const view = await operator(options);
  try {
    await test(view);
  } finally {
    await view.close();
  }
}

const rowsText = async (view: ConsolePage) => (await view.page.locator('main table tbody').first().innerText()).replace(/\s+/g, ' ');

describe('accounting pages', () => {
  it('lists each kind of document, with filters in the address and cursor paging', () =>
    withView(async (view) => {
      const { page } = view;
      await openConsolePage(page, '/accounting');
      expect(await page.locator('h1').textContent()).toBe('Accounting');
      await page.locator('main table').waitFor();
      expect(await page.locator('main tbody tr').count()).toBe(3);
      expect(await rowsText(view)).toContain(invoice.name);
      expect(await rowsText(view)).toContain('1,023.06 EUR');
      await checkPage(view, 'data-accounting-sales-invoices');

      // A status filter goes into the address and narrows the list.
      await page.getByLabel('Status').selectOption('DRAFT');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => new URL(page.url()).search).toContain('status=DRAFT');
      await expect.poll(() => page.locator('main tbody tr').count()).toBe(1);

      // The other kinds are a tab away.
      await page.getByRole('link', { name: 'Sales credit notes' }).click();
      await waitForPage(page);
      await expect.poll(() => rowsText(view)).toContain('121.00 EUR');
      expect(await page.locator('main tbody tr').count()).toBe(1);
      expect(await page.locator('nav[aria-label="Kinds of document"] a[aria-current="page"]').textContent()).toBe('Sales credit notes');
      await checkPage(view, 'data-accounting-sales-credit-notes');

      await page.getByRole('link', { name: 'Purchase invoices' }).click();
      await waitForPage(page);
      await expect.poll(() => rowsText(view)).toContain('HAUL-0099');
      expect(await page.locator('main tbody tr').count()).toBe(2);
      expect(await rowsText(view)).toContain('Haulers HAUL');
      await checkPage(view, 'data-accounting-purchase-invoices');

      // Every document fits one page here (the resources list below walks the cursor).
      expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    }));

  it('shows a document with its PDF in place and downloads its UBL', () =>
    withView(async (view) => {
      const { page } = view;
      await openConsolePage(page, `/accounting/sales-invoice/${invoice.id}`);
      expect(await page.locator('h1').textContent()).toBe(`Sales invoice ${invoice.name}`);
      expect(await page.locator('dl.facts').innerText()).toContain('Acme Foods');
      const frame = page.locator('iframe.pdf-preview');
      await frame.waitFor();
      expect(await frame.getAttribute('src')).toMatch(/^blob:/);
      expect(await frame.getAttribute('title')).toBe(`Preview of ${invoice.name}.pdf`);
      // The screenshot should show the page drawn: wait for Chromium's viewer inside the frame to load.
      await (await (await frame.elementHandle())?.contentFrame())?.waitForLoadState('load');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the UBL' }).click()]);
      expect(download.suggestedFilename()).toBe(`${invoice.name}.xml`);
      const stream = await download.createReadStream();
      let xml = '';
      for await (const chunk of stream) xml += String(chunk);
      expect(xml).toContain('<cbc:ID>' + invoice.name + '</cbc:ID>');
      await checkPage(view, 'data-document-sales-invoice');

      // The credit note links back to its invoice; a draft has no files yet.
      await page.getByRole('link', { name: 'Credit note 1' }).click();
      await waitForPage(page);
      await page.locator('dl.facts').waitFor();
      expect(await page.locator('dl.facts').innerText()).toContain(invoice.name);
      expect(await page.locator('main').innerText()).toContain('No files yet');
      await checkPage(view, 'data-document-credit-note-draft');
    }));

  it('shows how a received e-invoice compares with the agreed costs', () =>
    withView(async (view) => {
      const { page } = view;
      await openConsolePage(page, `/accounting/purchase-invoice/${eInvoiceId}`);
      expect(await page.locator('h1').textContent()).toBe('Purchase invoice HAUL-0099');
      const check = page.locator('section[aria-labelledby="einvoice-heading"]');
      await check.waitFor();
      expect(await check.innerText()).toContain('Differs from the agreed costs');
      expect(await check.locator('tbody').innerText()).toContain('250.00 EUR');
      expect(await check.locator('tbody').innerText()).toContain('275.00 EUR');
      await checkPage(view, 'data-document-purchase-einvoice');
    }));

  it('retries a failed sync task from its page', () =>
    withView(async (view) => {
      const { page } = view;
      await openConsolePage(page, '/sync-tasks?status=FAILED');
      await page.locator('main table').waitFor();
      expect(await page.locator('main tbody tr').count()).toBe(1);
      expect(await rowsText(view)).toContain('Customer C-ACME is unknown in the ledger');
      await checkPage(view, 'data-sync-tasks-failed');

      await page.getByRole('button', { name: /^Retry: INV-/ }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'back in the queue' }).count()).toBe(1);
      await expect.poll(() => page.locator('main').innerText()).toContain('No failed tasks.');
      const todo = (await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks')).tasks as Array<{ id: string }>;
      expect(todo.map((t) => t.id)).toContain(failedTask);

      await openConsolePage(page, '/sync-tasks');
      await page.locator('main table').waitFor();
      expect(await page.locator('main tbody tr').count()).toBe(3);
      await checkPage(view, 'data-sync-tasks-todo');
    }));
});

describe('master-data pages', () => {
  it('lists and searches companies, and shows one with its contacts and documents', () =>
    withView(async (view) => {
      const { page } = view;
      await openConsolePage(page, '/companies');
      await page.locator('main table').waitFor();
      expect(await rowsText(view)).toContain('Acme Foods');
      await checkPage(view, 'data-companies');

      await page.getByLabel('Name or code').fill('haul');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => page.locator('main tbody tr').count()).toBe(1);
      expect(await rowsText(view)).toContain('Haulers HAUL');

      await openConsolePage(page, `/companies/${acme}`);
      expect(await page.locator('h1').textContent()).toBe('Acme Foods');
      expect(await page.locator('main').innerText()).toContain('planning@acme.example');
      expect(await page.locator('main').innerText()).toContain('Operations');
      await checkPage(view, 'data-company');
      await page.getByRole('link', { name: 'Sales invoices' }).click();
      await waitForPage(page);
      await page.locator('main table').waitFor();
      expect(new URL(page.url()).searchParams.get('party')).toBe(acme);
      expect(await page.locator('main tbody tr').count()).toBe(3);
    }));

  it('lists resources and shows a month of availability, driven by the keyboard', () =>
    withView(async (view) => {
      const { page } = view;
      await openConsolePage(page, '/resources');
      await page.locator('main table').waitFor();
      // 52 resources: a page of 50, then the API's cursor leads to the last 2, and back.
      expect(await page.locator('main tbody tr').count()).toBe(50);
      expect(await rowsText(view)).toContain('1-ABC-123');
      await checkPage(view, 'data-resources');
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => page.locator('main tbody tr').count()).toBe(2);
      expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Previous page' }).click();
      await expect.poll(() => page.locator('main tbody tr').count()).toBe(50);

      await page.getByLabel('Type').selectOption('DRIVER');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => page.locator('main tbody tr').count()).toBe(1);
      await page.getByLabel('Type').selectOption('');
      await page.getByLabel('Name, code or plate').fill('abc-1');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('search')).toBe('abc-1');
      await expect.poll(() => rowsText(view)).toContain('Volvo FH');
      expect(await page.locator('main tbody tr').count()).toBe(1);

      await openConsolePage(page, `/resources/${driver}?month=2026-12`);
      const grid = page.getByRole('grid');
      await grid.waitFor();
      expect(await page.locator('#calendar-month').textContent()).toBe('December 2026');
      expect(await grid.locator('thead th[scope=col]').count()).toBe(8);
      expect(await grid.locator('tbody th[scope=row]').count()).toBe(5);
      // Christmas shows in words on each of its days.
      const unavailable = grid.locator('td.day-unavailable');
      await expect.poll(() => unavailable.count()).toBe(4);
      expect(await unavailable.first().innerText()).toContain('Medical exam');
      await checkPage(view, 'data-resource-calendar');

      // One day cell is in the tab order; arrows move it, Enter shows that day's periods.
      const focusable = grid.locator('td[tabindex="0"]');
      expect(await focusable.count()).toBe(1);
      await focusable.focus();
      const focusedDay = () => page.evaluate(() => document.activeElement?.querySelector('.visually-hidden')?.textContent);
      expect(await focusedDay()).toBe('Tuesday, December 1, 2026');
      for (let i = 0; i < 23; i++) await page.keyboard.press('ArrowRight');
      expect(await focusedDay()).toBe('Thursday, December 24, 2026');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.day-details').innerText()).toContain('Holiday');
      expect(await page.locator('.day-details').innerText()).toContain('Christmas');
      await page.keyboard.press('ArrowDown');
      expect(await focusedDay()).toBe('Thursday, December 31, 2026');
      // Past the month's end the grid turns to the next month, keeping the focus.
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => page.locator('#calendar-month').textContent()).toBe('January 2027');
      expect(await focusedDay()).toBe('Friday, January 1, 2027');
      expect(new URL(page.url()).searchParams.get('month')).toBe('2027-01');
      await page.keyboard.press('PageUp');
      await expect.poll(() => page.locator('#calendar-month').textContent()).toBe('December 2026');
      expect(await focusedDay()).toBe('Tuesday, December 1, 2026');
      await checkPage(view, 'data-resource-calendar-keyboard');
    }));

  it('keeps the calendar a grid on a phone', () =>
    withView(
      async (view) => {
        await openConsolePage(view.page, `/resources/${driver}?month=2026-12`);
        await view.page.getByRole('grid').waitFor();
        expect(await view.page.locator('.month-grid thead').isVisible()).toBe(true);
        await checkPage(view, 'data-resource-calendar-phone');
      },
      { viewport: PHONE },
    ));

  it('speaks Dutch and French on every page of its own', () =>
    withView(async (view) => {
      const { page } = view;
      await openConsolePage(page, '/accounting');
      await page.getByLabel('Language').selectOption('fr');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Comptabilité');
      expect(await page.locator('nav[aria-label="Types de documents"] a[aria-current="page"]').textContent()).toBe('Factures de vente');
      await page.locator('main table').waitFor();
      // Amounts keep every digit, with the language's separators.
      expect(await rowsText(view)).toContain('1 023,06 EUR');
      await checkPage(view, 'data-accounting-french');

      await page.getByLabel('Langue').selectOption('nl');
      await openConsolePage(page, `/resources/${driver}?month=2026-12`);
      await page.getByRole('grid').waitFor();
      expect(await page.locator('#calendar-month').textContent()).toBe('december 2026');
      await expect.poll(() => page.locator('td.day-unavailable').first().innerText()).toContain('Medisch onderzoek');
      expect(await page.locator('h2#availability-heading').textContent()).toBe('Beschikbaarheid');
      await checkPage(view, 'data-resource-calendar-dutch');

      for (const [path, title] of [
        ['/sync-tasks', 'Synchronisatietaken'],
        ['/companies', 'Bedrijven'],
        ['/resources', 'Middelen'],
        [`/companies/${acme}`, 'Acme Foods'],
        [`/accounting/sales-invoice/${invoice.id}`, `Verkoopfactuur ${invoice.name}`],
      ]) {
        await openConsolePage(page, path as string);
        expect(await page.locator('h1').textContent(), path).toBe(title);
      }
      expect(await page.getByRole('button', { name: 'De UBL downloaden' }).count()).toBe(1);
    }));
});
