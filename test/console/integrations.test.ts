import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { checkPage, openConsolePage, openContext, openSignedIn, PHONE, signIn, useBrowser, waitForPage } from '../support/browser.js';
import { newPerson, PASSWORD } from '../support/people.js';
import { as } from '../support/requests.js';
import { eventually, Receiver } from '../support/webhook-receiver.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops } from '../trips/trips.fixtures.js';

/**
 * The console's overview and integrations pages in a real browser: every page opened with data (no
 * script error, axe clean, a screenshot); a failed delivery resent to a real receiver on 127.0.0.1
 * that now answers; an unmatched status update assigned to a stop; live updates from the event
 * stream; a customer's account sees none of these pages.
 */
const world = tripsWorld();
const browser = useBrowser(() => world.ctx);
let ctx: TestContext;
let admin: Client;
let hook: Client;
let order: OrderStops;
let flaky: Receiver;
let endpointId: string;
let failingUp = true;
const email = 'integrations@carrier.example';
const receivers: Receiver[] = [];
afterAll(() => Promise.all(receivers.map((r) => r.close())));

const miss = (name: string) => ({
  stop: { match: { matches_all: [{ order: { name: { matches_any: [name] } } }] }, status: 'AT_STOP' },
  event_time: '2026-12-01T08:30:00Z',
});
async function sendUnmatched(name: string) {
  const res = await as(hook).post('/v1/webhook/subco-status-update', { updates: [miss(name)] });
  expect(res.json().results[0].outcome).toBe('UNMATCHED');
}

beforeAll(async () => {
  ({ ctx, admin } = world);
  order = await orderWithStops(ctx, admin, 'INT-1');
  const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  hook = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
  const trip = await planTrip(ctx, admin, [stopRef('P1', order.stops), stopRef('D1', order.stops)]);
  expect((await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '400' })).statusCode).toBe(200);
  await sendUnmatched('OR-LOST-1');
  await sendUnmatched('OR-LOST-2');

  // A receiver that fails until the test lets it answer, for company changes only (from its creation on).
  flaky = await new Receiver().start();
  receivers.push(flaky);
  flaky.respond = () => (failingUp ? { status: 503, body: '{"error":"maintenance"}' } : { status: 200 });
  const created = await as(admin).post('/v1/admin/webhook-endpoints', { url: flaky.url, families: ['events'], event_types: ['company.*'], description: 'ERP' });
  expect(created.statusCode, created.body).toBe(201);
  endpointId = created.json().id;
  await as(admin).patch(`/v1/companies/company/${world.acmeId}`, { name: 'Acme Trading' });
  await eventually(async () => (await as(admin).get('/v1/admin/webhook-deliveries?status=FAILED')).json().items.length === 1, 60_000);
  // A second endpoint, disabled.
  const idle = await world.receiver(null, ['events']);
  const second = (await as(admin).get('/v1/admin/webhook-endpoints')).json().items.find((e: { url: string }) => e.url === idle.receiver.url);
  await as(admin).post(`/v1/admin/webhook-endpoints/${second.id}/disable`);

  await newPerson(ctx, admin, { email, name: 'Ines Integrations', role: 'TENANT' });
});

const operator = (viewport?: { width: number; height: number }) => openSignedIn(browser, email, { viewport });

describe('the overview', () => {
  it('shows each figure as a link to the rows behind it', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/overview');
      const failed = page.getByRole('link', { name: /Webhook messages failed/ });
      expect(await failed.textContent()).toContain('1');
      expect(await page.getByRole('link', { name: /Unmatched status updates/ }).textContent()).toContain('2');
      expect(await page.getByRole('link', { name: /Endpoints disabled/ }).textContent()).toContain('1');
      await checkPage(view, 'ops-overview');
      await failed.click();
      await page.waitForURL('**/app/deliveries?status=FAILED');
      await waitForPage(page);
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody tr').count()).toBe(1);
      await checkPage(view, 'ops-deliveries-failed');
      await openConsolePage(page, '/overview');
      await page.getByRole('link', { name: /Endpoints disabled/ }).click();
      await page.waitForURL('**/app/webhooks?enabled=false');
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody tr').count()).toBe(1);
    } finally {
      await view.close();
    }
  });
});

describe('in Dutch and French', () => {
  it('shows the overview and the delivery log in the chosen language', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/overview');
      await page.getByLabel('Language').selectOption('nl');
      await page.getByRole('heading', { level: 1, name: 'Overzicht' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('Mislukte webhookberichten');
      await checkPage(view, 'ops-overview-nl');
      await openConsolePage(page, `/webhooks/${endpointId}`);
      expect(await page.locator('main').textContent()).toContain('Verzendlog');
      await page.getByLabel('Taal').selectOption('fr');
      await page.getByRole('heading', { level: 2, name: 'Journal d’envoi' }).waitFor();
      await checkPage(view, 'ops-webhook-fr');
    } finally {
      await view.close();
    }
  });
});

describe('webhooks', () => {
  it('shows the delivery log with each attempt, and a resent message succeeds once the receiver answers', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/webhooks');
      await checkPage(view, 'ops-webhooks');
      await page.getByRole('link', { name: flaky.url }).click();
      await waitForPage(page);
      await page.locator('tbody tr').first().waitFor();
      await page.getByRole('button', { name: /^Attempts of company\.updated/ }).click();
      await page.locator('.attempts li').first().waitFor();
      expect(await page.locator('.attempts').textContent()).toContain('HTTP 503');
      expect(await page.locator('.attempts').textContent()).toContain('maintenance');
      await checkPage(view, 'ops-webhook');

      failingUp = false;
      const before = flaky.received.length;
      await page.getByRole('button', { name: /^Resend company\.updated/ }).click();
      await page.locator('tbody .badge', { hasText: 'Delivered' }).first().waitFor({ timeout: 60_000 });
      expect(flaky.received.length).toBeGreaterThan(before);
      const ids = flaky.received.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(1);
      const log = (await as(admin).get(`/v1/admin/webhook-endpoints/${endpointId}/deliveries`)).json().items;
      expect(log.map((d: { status: string }) => d.status)).toEqual(['SUCCEEDED', 'FAILED']);
      expect(view.scriptErrors).toEqual([]);
    } finally {
      await view.close();
    }
  });

  it('rotates the secret (shown once), disables and enables, and replays since a time', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, `/webhooks/${endpointId}`);
      await page.getByRole('button', { name: 'New signing secret' }).click();
      const secret = await page.getByTestId('new-secret').textContent();
      expect(secret).toMatch(/^whsec_/);
      await checkPage(view, 'ops-webhook-secret');
      await page.getByRole('button', { name: 'I have stored it' }).click();
      expect(await page.getByTestId('new-secret').count()).toBe(0);
      await page.reload();
      await waitForPage(page);
      expect(await page.getByTestId('new-secret').count()).toBe(0);

      await page.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('button', { name: 'Enable' }).waitFor();
      expect((await as(admin).get(`/v1/admin/webhook-endpoints/${endpointId}`)).json().enabled).toBe(false);
      await page.getByRole('button', { name: 'Enable' }).click();
      await page.getByRole('button', { name: 'Disable' }).waitFor();

      await page.getByLabel('Replay what it missed since').fill('2026-01-01T00:00');
      await page.getByRole('button', { name: 'Replay', exact: true }).click();
      await page.getByText(/messages queued/).waitFor();
      expect(view.scriptErrors).toEqual([]);
    } finally {
      await view.close();
    }
  });
});

describe('unmatched status updates', () => {
  it('assigns one to a stop, which applies it; dismisses another; a new one appears live', async () => {
    const view = await operator(PHONE);
    try {
      const { page } = view;
      await openConsolePage(page, '/unmatched');
      await page.locator('.event-list > li').nth(1).waitFor();
      await checkPage(view, 'ops-unmatched');
      const firstItem = page.locator('.event-list > li').first();
      await firstItem.getByLabel('Order').fill(order.name);
      await firstItem.getByRole('button', { name: 'Find its stops' }).click();
      await firstItem.locator('select[name=stop]').selectOption(stopRef('P1', order.stops));
      await checkPage(view, 'ops-unmatched-pick-stop');
      await firstItem.getByRole('button', { name: 'Assign to this stop' }).click();
      await eventually(async () => (await page.locator('.event-list > li').count()) === 1);
      const status = (await as(admin).get(`/v1/orders/order/${order.orderId}/status`)).json();
      expect(status.stops.find((s: { id: string }) => s.id === stopRef('P1', order.stops)).status).toBe('AT_STOP');

      // Live: an update arriving now shows up without a reload.
      await page.locator('html[data-live=open]').waitFor({ state: 'attached' });
      await sendUnmatched('OR-LOST-3');
      await eventually(async () => (await page.locator('.event-list > li').count()) === 2, 30_000);

      const remaining = page.locator('.event-list > li').first();
      await remaining.getByLabel('Reason').fill('Sent twice by the driver app');
      await remaining.getByRole('button', { name: 'Dismiss' }).click();
      await eventually(async () => (await page.locator('.event-list > li').count()) === 1);
      await page.getByLabel('State').selectOption('ASSIGNED');
      await page.getByText(/Assigned to stop/).waitFor();
      await checkPage(view, 'ops-unmatched-assigned');
      const states = (await as(admin).get('/v1/trips/unmatched-status-updates')).json().items.map((u: { state: string }) => u.state);
      expect(states.sort()).toEqual(['ASSIGNED', 'DISMISSED', 'OPEN']);
    } finally {
      await view.close();
    }
  });
});

describe('event feed and API clients', () => {
  it('lists events, and creates an API client whose secret is shown once, then revokes it', async () => {
    const view = await operator();
    try {
      const { page } = view;
      await openConsolePage(page, '/events?types=company.*');
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody').textContent()).toContain('company.updated');
      await checkPage(view, 'ops-events');

      await openConsolePage(page, '/api-clients');
      await page.locator('tbody tr').first().waitFor();
      await page.getByLabel('Name', { exact: true }).fill('ERP connector');
      await page.getByRole('button', { name: 'Create' }).click();
      const secret = await page.getByTestId('client-secret').textContent();
      expect(secret?.length).toBeGreaterThan(20);
      await checkPage(view, 'ops-api-clients');
      const created = (await as(admin).get('/v1/admin/api-clients')).json().items.find((c: { name: string }) => c.name === 'ERP connector');
      const token = await ctx.app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { grant_type: 'client_credentials', client_id: created.client_id, client_secret: secret },
      });
      expect(token.statusCode).toBe(200);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Revoke ERP connector' }).click();
      await page.getByText(/^Revoked/).waitFor();
      expect((await as(admin).get('/v1/admin/api-clients')).json().items.find((c: { id: string }) => c.id === created.id).revoked_at).not.toBeNull();
      expect(view.scriptErrors).toEqual([]);
    } finally {
      await view.close();
    }
  });
});

describe('a customer', () => {
  it('sees none of these pages, and the API refuses the calls behind them', async () => {
    const buyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: world.acmeId });
    const view = await openContext(browser);
    try {
      const { page } = view;
      await signIn(view.context, buyer.email, PASSWORD);
      for (const where of ['/overview', '/webhooks', `/webhooks/${endpointId}`, '/deliveries', '/events', '/api-clients', '/unmatched']) {
        await openConsolePage(page, where);
        expect(await page.locator('h1').textContent(), where).toBe('Not a page for this account');
        expect(await page.locator('table, .figures, .event-list').count()).toBe(0);
      }
      for (const url of ['/v1/overview', '/v1/trips/unmatched-status-updates', '/v1/admin/api-clients']) {
        expect((await view.context.request.get(url)).status(), url).toBe(403);
      }
      expect((await view.context.request.get(`/v1/admin/webhook-endpoints/${endpointId}`)).status()).toBe(404);
      expect(await (await view.context.request.get('/v1/admin/webhook-deliveries')).json()).toMatchObject({ items: [] });
    } finally {
      await view.close();
    }
  });
});
