import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCompany, type Client, type TestContext } from '../support/app.js';
import { checkPage, DESKTOP, openConsolePage, openContext, PHONE, signIn, useBrowser, waitForPage, type ConsolePage } from '../support/browser.js';
import { eventually } from '../support/webhook-receiver.js';
import { newPerson, PASSWORD } from '../support/people.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from '../trips/trips.fixtures.js';

/**
 * The subcontractor's trip page on a phone (issue 23): accept a trip, report arrival and delivery
 * and a POD with the connection cut in between (nothing lost, nothing doubled), share the trip with
 * a driver (link + PIN); a second subcontractor sees none of it.
 */
const world = tripsWorld();
const browser = useBrowser(() => world.ctx);
let ctx: TestContext;
let admin: Client;
let order: OrderStops;
let trip: TripBody;
const ref = (r: string) => stopRef(r, order.stops);
const haulEmail = 'planner@haul.example';
const rivalEmail = 'planner@rival.example';
const opsEmail = 'ops@carrier.example';
// A 1×1 PNG: what the phone's camera hands the file input.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  ({ ctx, admin } = world);
  const haulId = await newCompany(ctx, admin, { name: 'Haulers Ltd', code: 'HAUL', is_customer: false, is_subcontractor: true });
  const rivalId = await newCompany(ctx, admin, { name: 'Rival Transport', code: 'RIVAL', is_customer: false, is_subcontractor: true });
  await newPerson(ctx, admin, { email: haulEmail, name: 'Hanna Haul', role: 'SUBCONTRACTOR', company_id: haulId });
  await newPerson(ctx, admin, { email: rivalEmail, name: 'Rik Rival', role: 'SUBCONTRACTOR', company_id: rivalId });
  await newPerson(ctx, admin, { email: opsEmail, name: 'Olga Ops', role: 'TENANT' });
  order = await orderWithStops(ctx, admin, 'CARRIER-1');
  trip = await planTrip(ctx, admin, [ref('P1'), ref('D1'), ref('P2'), ref('D2')]);
  const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: haulId, purchase_price: '450' });
  expect(res.statusCode, res.body).toBe(200);
});

const stopCard = (view: ConsolePage, index: number) => view.page.locator('.stop-cards > li').nth(index);
const allSent = (view: ConsolePage) => view.page.getByText('Every report is sent.').waitFor();
const tenantTrip = async () => (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json() as TripBody;
const stopEvents = async (type: string) =>
  (await tripCall(ctx, admin, 'GET', `/v1/events?entity_type=order&entity_id=${order.orderId}&types=${type}&limit=1000`)).json().items as Array<{
    payload: { stop_id: string };
  }>;

describe('the subcontractor on a phone', () => {
  it('accepts the trip, reports arrival, delivery and a POD through a lost connection: nothing lost, nothing doubled', async () => {
    const view = await openContext(browser, { viewport: PHONE });
    try {
      const { page, context } = view;
      await signIn(context, haulEmail, PASSWORD);
      // The phone's first load (empty cache): every script fetched to show the list and then the trip.
      const scripts: Promise<number>[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('.js')) scripts.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
      });
      await openConsolePage(page, '/carrier/trips');
      await page.getByRole('link', { name: /TR-/ }).waitFor();
      expect(await page.locator('.trip-cards').innerText()).toContain('Waiting for your answer');
      // A subcontractor sees the product's name; "console" is the carrier's own tool.
      expect(await page.locator('header .brand').innerText()).toBe('Waybill');
      await checkPage(view, 'carrier-trips-phone');

      await page.getByRole('link', { name: /TR-/ }).click();
      await waitForPage(page);
      await page.getByRole('button', { name: 'Accept the trip' }).waitFor();
      const firstLoad = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
      expect(firstLoad, `first load: ${(firstLoad / 1024).toFixed(1)} KB of JavaScript, gzipped`).toBeLessThanOrEqual(150 * 1024);
      await checkPage(view, 'carrier-trip-phone');
      await page.getByRole('button', { name: 'Accept the trip' }).click();
      await page.locator('.answer-box .badge', { hasText: 'Accepted' }).waitFor();
      expect((await tenantTrip()).dispatch.status).toBe('ACCEPTED');

      // Arrival at the pickup, online.
      await stopCard(view, 0).getByRole('button', { name: 'Arrived' }).click();
      await allSent(view);
      await stopCard(view, 0).locator('.badge', { hasText: 'At the stop' }).waitFor();

      // The connection drops: loaded, arrival and delivery, a POD photo and a signature wait on the phone.
      await context.setOffline(true);
      await stopCard(view, 0).getByRole('button', { name: 'Loaded' }).click();
      await stopCard(view, 1).getByRole('button', { name: 'Arrived' }).click();
      await stopCard(view, 1).getByRole('button', { name: 'Unloaded' }).click();
      await stopCard(view, 1).locator('input[type=file]').setInputFiles({ name: 'pod.png', mimeType: 'image/png', buffer: PHOTO });
      await stopCard(view, 1).getByRole('button', { name: 'Signature' }).click();
      const pad = stopCard(view, 1).locator('canvas');
      const box = await pad.boundingBox();
      if (!box) throw new Error('no signature pad');
      await page.mouse.move(box.x + 20, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + 20, { steps: 5 });
      await page.mouse.move(box.x + box.width - 20, box.y + box.height - 20, { steps: 5 });
      await page.mouse.up();
      await stopCard(view, 1).getByRole('button', { name: 'Save signature' }).click();
      await page.getByText(/No connection: 5 report\(s\) wait here/).waitFor();
      expect(await stopCard(view, 1).innerText()).toContain('4 report(s) of this stop waiting to be sent');
      // Nothing reached the server while offline.
      expect((await stopEvents('stop.arrived')).map((e) => e.payload.stop_id)).toEqual([ref('P1')]);
      view.scriptErrors.length = 0; // Chromium logs each failed fetch while offline; the page handles them.
      await checkPage(view, 'carrier-trip-offline-phone');

      // Back online: everything goes out, in order, once.
      await context.setOffline(false);
      await allSent(view);
      await stopCard(view, 1).locator('.badge', { hasText: 'Completed' }).waitFor();
      expect((await stopEvents('stop.arrived')).map((e) => e.payload.stop_id)).toEqual([ref('P1'), ref('D1')]);
      expect((await stopEvents('stop.completed')).map((e) => e.payload.stop_id)).toEqual([ref('P1'), ref('D1')]);
      const stops = (await tenantTrip()).stops;
      expect(stops.map((s) => s.status)).toEqual(['COMPLETED', 'COMPLETED', 'DISPATCHED', 'DISPATCHED']);
      const documents = (await tripCall(ctx, admin, 'GET', `/v1/orders/order/${order.orderId}/documents`)).json() as Array<{
        subject_id: string;
        type: string;
        name: string;
      }>;
      const atDelivery = documents.filter((d) => d.subject_id === ref('D1'));
      expect(atDelivery.map((d) => d.name).sort()).toEqual(['pod_POD.png', 'signature_SIGNATURE.png']);
      await checkPage(view, 'carrier-trip-sent-phone');
    } finally {
      await view.close();
    }
  });

  it('keeps reports made offline across a reload of the page', async () => {
    const view = await openContext(browser, { viewport: PHONE });
    try {
      const { page, context } = view;
      await signIn(context, haulEmail, PASSWORD);
      await openConsolePage(page, `/carrier/trips/${trip.id}`);
      await stopCard(view, 2).getByRole('button', { name: 'Arrived' }).waitFor();
      await context.setOffline(true);
      await stopCard(view, 2).getByRole('button', { name: 'Arrived' }).click();
      await page.getByText(/No connection: 1 report\(s\) wait here/).waitFor();
      await context.setOffline(false);
      // Reloaded at once: the report left with the page only if it was sent; it is in IndexedDB either way.
      await page.reload();
      await waitForPage(page);
      await allSent(view);
      await eventually(async () => (await stopEvents('stop.arrived')).some((e) => e.payload.stop_id === ref('P2')));
      expect((await stopEvents('stop.arrived')).filter((e) => e.payload.stop_id === ref('P2'))).toHaveLength(1);
    } finally {
      await view.close();
    }
  });
});

describe("the carrier's console", () => {
  it("shows the subcontractor's answer on the trip page, and lets the tenant share the trip with a driver", async () => {
    const view = await openContext(browser, { viewport: DESKTOP });
    try {
      const { page, context } = view;
      await signIn(context, opsEmail, PASSWORD);
      await openConsolePage(page, `/trips/${trip.id}`);
      await page.locator('.answers li', { hasText: 'Accepted' }).waitFor();
      await page.getByRole('button', { name: 'Make a driver link' }).click();
      await page.getByRole('textbox', { name: 'Link' }).waitFor();
      // The carrier's own people keep the console's name.
      expect(await page.locator('header .brand').innerText()).toBe('Waybill console');
      await checkPage(view, 'tenant-trip-answer-desktop');
    } finally {
      await view.close();
    }
  });
});

describe('the driver link', () => {
  it('is made on the trip page and opened on a phone with its PIN: only that trip', async () => {
    const sub = await openContext(browser, { viewport: DESKTOP });
    let url: string;
    let pin: string;
    try {
      await signIn(sub.context, haulEmail, PASSWORD);
      await openConsolePage(sub.page, `/carrier/trips/${trip.id}`);
      await sub.page.getByRole('button', { name: 'Make a driver link' }).click();
      url = await sub.page.getByRole('textbox', { name: 'Link' }).inputValue();
      pin = (await sub.page.locator('.pin').innerText()).trim();
      expect(url).toMatch(/\/app\/driver#/);
      await sub.page.locator('.link-list .badge', { hasText: 'Active' }).waitFor();
      await checkPage(sub, 'carrier-trip-desktop');
    } finally {
      await sub.close();
    }

    const driver = await openContext(browser, { viewport: PHONE });
    try {
      const { page } = driver;
      await openConsolePage(page, url.slice(url.indexOf('/app') + 4));
      await page.getByRole('textbox', { name: 'PIN' }).fill(pin === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Open the trip' }).click();
      await page.getByText(/Wrong PIN; 4 attempt\(s\) left/).waitFor();
      driver.scriptErrors.length = 0; // the 401 is logged by Chromium; the page shows it
      await checkPage(driver, 'driver-pin-phone');
      await page.getByRole('textbox', { name: 'PIN' }).fill(pin);
      await page.getByRole('button', { name: 'Open the trip' }).click();
      await page.getByRole('heading', { name: trip.name ? `Trip ${trip.name}` : /Trip/ }).waitFor();
      const text = await page.locator('main').innerText();
      expect(text).not.toContain('450');
      expect(text).not.toContain('Make a driver link');
      await checkPage(driver, 'driver-trip-phone');
      await stopCard(driver, 3).getByRole('button', { name: 'Arrived' }).click();
      await stopCard(driver, 3).locator('.badge', { hasText: 'At the stop' }).waitFor();
      expect((await stopEvents('stop.arrived')).filter((e) => e.payload.stop_id === ref('D2'))).toHaveLength(1);
      await driver.page.setViewportSize(DESKTOP);
      await checkPage(driver, 'driver-trip-desktop');
    } finally {
      await driver.close();
    }
  });
});

describe('a second subcontractor', () => {
  it('sees no trip and cannot open this one', async () => {
    const view = await openContext(browser, { viewport: PHONE });
    try {
      const { page, context } = view;
      await signIn(context, rivalEmail, PASSWORD);
      await openConsolePage(page, '/carrier/trips');
      await page.getByText('No trips for you at the moment.').waitFor();
      await checkPage(view, 'carrier-trips-empty-phone');
      await openConsolePage(page, `/carrier/trips/${trip.id}`);
      await page.getByRole('alert').waitFor();
      expect(await page.locator('main').innerText()).not.toContain(trip.name);
      view.scriptErrors.length = 0; // the 404 is logged by Chromium; the page shows it
      await checkPage(view, 'carrier-trip-other-subcontractor-phone');
      await page.setViewportSize(DESKTOP);
      await openConsolePage(page, '/carrier/trips');
      await checkPage(view, 'carrier-trips-empty-desktop');
      // The pages speak Dutch and French too.
      const language = page.locator('.language select');
      await language.selectOption('nl');
      await page.getByText('Op dit moment geen ritten voor u.').waitFor();
      await checkPage(view, 'carrier-trips-empty-nl');
      await language.selectOption('fr');
      await page.getByText('Aucun trajet pour vous en ce moment.').waitFor();
      await checkPage(view, 'carrier-trips-empty-fr');
    } finally {
      await view.close();
    }
  });
});
