import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { get, realisticOrder, upload } from '../orders/orders.fixtures.js';

/** `entity_type` + `entity_id` on the event feed: one order's history (the console's order page). */
const ctx = useApp();
let admin: Client;
let acme: Client;
let beta: Client;
let otherTenant: Client;
let acmeOrder: string;
let betaOrder: string;

interface Feed {
  items: { type: string; entity_type: string; entity_id: string }[];
  next_after: number | null;
}

beforeAll(async () => {
  admin = await newTenant(ctx);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta Foods', code: 'BETA' });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  otherTenant = await newTenant(ctx, 'Other carrier');
  acmeOrder = (await upload(ctx, acme, realisticOrder('EV-A'))).json().order_id;
  betaOrder = (await upload(ctx, beta, realisticOrder('EV-B', { customer: undefined }))).json().order_id;
  // A second change to Acme's order, so its history has more than one event.
  const update = await upload(ctx, acme, realisticOrder('EV-A', { operation: 'UPDATE', planning_instructions: 'Call first' }));
  expect(update.json().upload_status).toBe('COMPLETED');
});

describe('GET /v1/events?entity_type=&entity_id=', () => {
  it("gives one order's events and nothing else", async () => {
    const all = (await get(ctx, admin, '/v1/events?limit=1000')).json() as Feed;
    const expected = all.items.filter((e) => e.entity_type === 'order' && e.entity_id === acmeOrder);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(all.items.length).toBeGreaterThan(expected.length);

    const feed = (await get(ctx, admin, `/v1/events?entity_type=order&entity_id=${acmeOrder}`)).json() as Feed;
    expect(feed.items).toEqual(expected);
    expect(feed.next_after).toBeNull();
    const orders = (await get(ctx, admin, '/v1/events?entity_type=order&limit=1000')).json() as Feed;
    expect(new Set(orders.items.map((e) => e.entity_id))).toEqual(new Set([acmeOrder, betaOrder]));
  });

  it('keeps to what the caller may see', async () => {
    expect(((await get(ctx, acme, `/v1/events?entity_type=order&entity_id=${acmeOrder}`)).json() as Feed).items.length).toBeGreaterThanOrEqual(2);
    expect(((await get(ctx, beta, `/v1/events?entity_type=order&entity_id=${acmeOrder}`)).json() as Feed).items).toEqual([]);
    expect(((await get(ctx, otherTenant, `/v1/events?entity_type=order&entity_id=${acmeOrder}`)).json() as Feed).items).toEqual([]);
  });

  it('refuses an id without its type, and malformed values', async () => {
    expectError(await get(ctx, admin, `/v1/events?entity_id=${acmeOrder}`), 400, 'entity_type');
    expectError(await get(ctx, admin, '/v1/events?entity_type=order&entity_id=not-a-uuid'), 400);
    expectError(await get(ctx, admin, '/v1/events?entity_type=Order%20x'), 400);
  });
});
