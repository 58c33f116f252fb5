import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { checkPage, openConsolePage, openContext, openSignedIn, PHONE, screenshot, signIn, useBrowser, waitForPage } from '../support/browser.js';
import { invite, newPerson, PASSWORD } from '../support/people.js';
import { ROOT } from '../support/processes.js';
import { eventually } from '../support/webhook-receiver.js';
import { byReference, partialUpdate } from '../orders/orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from '../trips/trips.fixtures.js';

/**
 * The operators' console in a real browser: an invited operator sets a password and signs in, then
 * every page of orders and trips is opened with data (no script error, axe clean, a screenshot);
 * customers' and subcontractors' accounts get no tenant page.
 */
const world = tripsWorld();
const browser = useBrowser(() => world.ctx);
let ctx: TestContext;
let admin: Client;
let first: OrderStops;
let second: OrderStops;
let accepted: TripBody;
let rejected: TripBody;
let subcoId: string;

beforeAll(async () => {
  ({ ctx, admin } = world);
  first = await orderWithStops(ctx, admin, 'CON-1');
  second = await orderWithStops(ctx, admin, 'CON-2');
  await orderWithStops(ctx, admin, 'OTHER-3');

  // A PDF and a text file on the first order.
  const hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  const pdf = readFileSync(path.join(ROOT, 'docs/samples/invoice.pdf')).toString('base64');
  const result = await partialUpdate(ctx, hook, [
    {
      match: byReference('PO-CON-1'),
      question_answers: {
        'documents/CUSTOMER_PAPERWORK': [
          { embedded_document: { content: pdf, content_type: 'application/pdf', filename: 'delivery-note.pdf' } },
          { embedded_document: { content: Buffer.from('loading list').toString('base64'), content_type: 'text/plain', filename: 'loading-list.txt' } },
        ],
      },
    },
  ]);
  expect(result.errors).toEqual([]);

  // One trip its subcontractor accepts, one it rejects.
  subcoId = await newCompany(ctx, admin, { name: 'Haulers Ltd', code: 'HAUL', is_customer: false, is_subcontractor: true });
  const { receiver } = await world.receiver(subcoId, ['subcontractor_dispatch']);
  receiver.respond = (req) =>
    req.body.includes(second.orderId)
      ? { body: JSON.stringify({ errors: [{ error_type: 'USER_INPUT_ERROR', error_message: 'No trucks on that date' }] }) }
      : {};
  accepted = await planTrip(ctx, admin, [stopRef('P1', first.stops), stopRef('D1', first.stops)]);
  rejected = await planTrip(ctx, admin, [stopRef('P1', second.stops), stopRef('D1', second.stops)]);
  for (const trip of [accepted, rejected]) {
    const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, {
      subcontractor_id: subcoId,
      purchase_price: '450.00',
      currency: 'EUR',
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  await eventually(async () => (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${rejected.id}`)).json().dispatch.status === 'REJECTED');
  await eventually(async () => (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${accepted.id}`)).json().dispatch.status === 'ACCEPTED');
});

describe('an invited operator', () => {
  it('opens the invite link, sets a password, is signed in; signs out and in again with the form', async () => {
    const { inviteUrl } = await invite(ctx, admin, { email: 'an.peeters@carrier.example', name: 'An Peeters', role: 'TENANT' });
    const view = await openContext(browser);
    try {
      const { page } = view;
      await openConsolePage(page, `/invite${inviteUrl.slice(inviteUrl.indexOf('#'))}`);
      expect(await page.locator('main').textContent()).toContain('an.peeters@carrier.example');
      await checkPage(view, 'invite');
      await page.getByLabel('New password').fill(PASSWORD);
      await page.getByLabel('The same password again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      // The overview is an operator's home: signing in lands there.
      await page.waitForURL('**/app/overview');
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await waitForPage(page);
      expect(page.url()).not.toContain('#');
      expect(await page.locator('.who').textContent()).toBe('Signed in as An Peeters');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/app/sign-in');
      expect(await page.locator('nav[aria-label="Main"]').count()).toBe(0);
      // The server ended the session (DELETE /v1/session went out with the CSRF header), not only the page.
      expect((await view.context.request.get('/v1/session')).status()).toBe(401);
      // The link was used: it signs nobody in again.
      await openConsolePage(page, `/invite${inviteUrl.slice(inviteUrl.indexOf('#'))}`);
      expect(await page.locator('main').textContent()).toContain('This invitation link is not valid');

      await openConsolePage(page, '/trips');
      await page.getByLabel('Email address').fill('an.peeters@carrier.example');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/app/trips');
      await page.getByRole('heading', { level: 1, name: 'Trips' }).waitFor();
      await waitForPage(page);
      expect(view.scriptErrors).toEqual([]);
    } finally {
      await view.close();
    }
  });
});

describe('the orders and trips pages, signed in as an operator', () => {
  let email: string;
  beforeAll(async () => {
    email = 'ops@carrier.example';
    await newPerson(ctx, admin, { email, name: 'Olivier Ops', role: 'TENANT' });
  });

  const operator = (viewport?: { width: number; height: number }) => openSignedIn(browser, email, { viewport });

  it('lists the orders, searches and filters them', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/orders');
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody tr').count()).toBe(3);
      await checkPage(view, 'orders');

      await page.getByLabel('Search').fill('con-');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
      expect(new URL(page.url()).searchParams.get('q')).toBe('con-');
      await page.getByLabel('Status').selectOption('COMPLETED');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText('Nothing matches these filters.').waitFor();
      await checkPage(view, 'orders-no-match');
    } finally {
      await view.close();
    }
  });

  it('shows an order: stop timeline, goods, documents with a preview, and its history', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/orders');
      await page.getByRole('link', { name: first.name }).click();
      await page.waitForURL(`**/app/orders/${first.orderId}`);
      await page.getByRole('heading', { level: 1, name: `Order ${first.name}` }).waitFor();
      await waitForPage(page);
      const timeline = page.locator('.timeline-stop');
      expect(await timeline.count()).toBe(4);
      expect(await timeline.first().textContent()).toContain('2026-12-01 08:00–12:00');
      expect(await page.locator('section[aria-labelledby="goods-title"] tbody tr').count()).toBe(4);
      await page.locator('.document-list li').first().waitFor();
      expect(await page.locator('.document-list li').count()).toBe(2);
      // The tab names the console for the carrier's own people; a document's type is in words.
      expect(await page.title()).toBe(`Order ${first.name} · Waybill console`);
      const documents = await page.locator('.document-list').innerText();
      expect(documents).toContain('Customer paperwork');
      expect(documents).not.toContain('CUSTOMER_PAPERWORK');
      await page.locator('.event-list li').first().waitFor();
      expect(await page.locator('.event-list').textContent()).toContain('order.');
      // Only the PDF can be previewed; it comes from a blob: URL made with the session.
      expect(await page.getByRole('button', { name: /^Preview/ }).count()).toBe(1);
      await page.getByRole('button', { name: 'Preview delivery-note.pdf' }).click();
      await page.locator('.preview iframe[src^="blob:"]').waitFor();
      const href = await page.getByRole('link', { name: 'Download loading-list.txt' }).getAttribute('href');
      const download = await page.evaluate(async (url) => (await fetch(url)).status, href ?? '');
      expect(download).toBe(200);
      await checkPage(view, 'order');
    } finally {
      await view.close();
    }
  });

  it('groups the main navigation in labelled sections beside the page, the current page marked', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '');
      // An operator's home is the overview.
      await page.waitForURL('**/app/overview');
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false);
      const sections = {
        Operations: ['Overview', 'Orders', 'Trips'],
        Integrations: ['Webhooks', 'Delivery log', 'Event feed', 'API clients', 'Unmatched updates'],
        Accounting: ['Invoices', 'Sync tasks'],
        'Master data': ['Companies', 'Resources', 'Users'],
      };
      for (const [section, links] of Object.entries(sections)) {
        expect(await nav.getByRole('list', { name: section, exact: true }).getByRole('link').allTextContents()).toEqual(links);
      }
      expect(await nav.locator('a[aria-current="page"]').allTextContents()).toEqual(['Overview']);
      // A sidebar on a wide screen: the navigation sits left of the page, not above it.
      const navBox = await nav.boundingBox();
      const mainBox = await page.locator('main').boundingBox();
      expect(navBox!.x + navBox!.width).toBeLessThanOrEqual(mainBox!.x);

      await nav.getByRole('link', { name: 'Delivery log' }).click();
      await page.waitForURL('**/app/deliveries');
      await page.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();
      expect(await nav.locator('a[aria-current="page"]').allTextContents()).toEqual(['Delivery log']);
      // A page below a list marks the list's link.
      await openConsolePage(page, `/trips/${accepted.id}`);
      await waitForPage(page);
      expect(await nav.locator('a[aria-current="page"]').allTextContents()).toEqual(['Trips']);
      await checkPage(view, 'navigation');
    } finally {
      await view.close();
    }
  });

  it('shows an order on a phone, the navigation folded into a menu', async () => {
    const view = await operator(PHONE);
    try {
      const { page } = view;
      await openConsolePage(page, `/orders/${second.orderId}`);
      await page.locator('.event-list li').first().waitFor();
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await page.locator('#main-nav').isVisible()).toBe(false);
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      expect(await page.getByRole('list', { name: 'Integrations' }).getByRole('link').count()).toBe(5);
      await screenshot(page, 'navigation-phone');
      // Escape folds the menu again and gives the focus back to its button.
      await page.locator('#main-nav').getByRole('link', { name: 'Orders', exact: true }).focus();
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('#main-nav').isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');
      await menu.click();
      await page.getByRole('link', { name: 'Trips' }).click();
      await page.waitForURL('**/app/trips');
      await page.getByRole('heading', { level: 1, name: 'Trips' }).waitFor();
      await openConsolePage(page, `/orders/${second.orderId}`);
      await page.locator('.event-list li').first().waitFor();
      await checkPage(view, 'order-phone');
    } finally {
      await view.close();
    }
  });

  it('lists the trips and shows one with its dispatch state, the answers and its stops', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/trips');
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await page.locator('tbody').textContent()).toContain('Rejected');
      await checkPage(view, 'trips');

      await page.getByRole('link', { name: rejected.name }).click();
      await page.waitForURL(`**/app/trips/${rejected.id}`);
      await page.getByRole('heading', { level: 1, name: `Trip ${rejected.name}` }).waitFor();
      await waitForPage(page);
      await page.locator('.answers li').first().waitFor();
      const answers = await page.locator('.answers').textContent();
      expect(answers).toContain('Rejected');
      expect(answers).toContain('No trucks on that date');
      expect(await page.locator('.timeline-stop').count()).toBe(2);
      expect(await page.locator('.timeline').textContent()).toContain('Dispatched');
      await checkPage(view, 'trip-rejected');

      await openConsolePage(page, `/trips/${accepted.id}`);
      await page.locator('.answers li').first().waitFor();
      expect(await page.locator('.answers').textContent()).toContain('Accepted');
      await checkPage(view, 'trip-accepted');
    } finally {
      await view.close();
    }
  });

  it('shows a page of its own for an address it does not know, and for an order that does not exist', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/no-such-page');
      expect(await page.locator('h1').textContent()).toBe('Page not found');
      await checkPage(view, 'not-found');
      await openConsolePage(page, '/orders/00000000-0000-4000-8000-000000000000');
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('Order not found');
      await screenshot(page, 'order-missing');
    } finally {
      await view.close();
    }
  });
});

describe('customers and subcontractors', () => {
  it('get no tenant page in the console, and the API refuses them the tenant admin calls', async () => {
    const acme = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: world.acmeId });
    const haul = await newPerson(ctx, admin, { email: 'planner@haul.example', name: 'Haul Planner', role: 'SUBCONTRACTOR', company_id: subcoId });
    for (const person of [acme, haul]) {
      const view = await openContext(browser);
      try {
        const { page } = view;
        await signIn(view.context, person.email, PASSWORD);
        // /app leads each kind of account to its own first page, and its menu has only its own pages.
        await openConsolePage(page, '');
        await page.waitForURL(person === acme ? '**/app/portal/orders' : '**/app/carrier/trips');
        for (const where of ['/orders', `/orders/${first.orderId}`, '/trips', `/trips/${accepted.id}`]) {
          await openConsolePage(page, where);
          expect(await page.locator('h1').textContent(), where).toBe('Not a page for this account');
          expect(await page.locator('nav[aria-label="Main"] a[href="/app/orders"], nav[aria-label="Main"] a[href="/app/overview"]').count()).toBe(0);
          expect(await page.locator('table, .timeline').count()).toBe(0);
        }
        await openConsolePage(page, '/no-such-page');
        expect(await page.locator('h1').textContent()).toBe('Page not found');
        await checkPage(view, `no-console-${person.email.split('@')[0]}`);
        expect((await view.context.request.get('/v1/admin/users')).status()).toBe(403);
      } finally {
        await view.close();
      }
    }
  });
});
