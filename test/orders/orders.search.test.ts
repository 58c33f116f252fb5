import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { get, realisticOrder, upload } from './orders.fixtures.js';

/** `q` on the order list: the console's search box (part of name, identifier or customer reference). */
const ctx = useApp();
let admin: Client;
let acme: Client;
let otherTenant: Client;

const identifiers = (res: { json(): unknown }) => (res.json() as { items: { order_identifier: string }[] }).items.map((o) => o.order_identifier).sort();

beforeAll(async () => {
  admin = await newTenant(ctx);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  await newCompany(ctx, admin, { name: 'Beta Foods', code: 'BETA' });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  otherTenant = await newTenant(ctx, 'Other carrier');
  await newCompany(ctx, otherTenant, { name: 'Acme', code: 'ACME' });
  for (const [client, identifier, reference] of [
    [acme, 'TILES-001', 'PO-RED'],
    [acme, 'TILES-002', 'PO-100%'],
    [acme, 'GROUT-1', 'po-red-2'],
    [admin, 'BETA_9', 'PO-BLUE'],
  ] as const) {
    const customer = client === admin ? { code: 'BETA' } : undefined;
    const res = await upload(ctx, client, realisticOrder(identifier, { customer, customer_reference_number: reference }));
    expect(res.json().upload_status).toBe('COMPLETED');
  }
  await upload(ctx, otherTenant, realisticOrder('TILES-999'));
});

describe('GET /v1/orders/order?q=', () => {
  it('finds part of the identifier or the customer reference, in any case', async () => {
    expect(identifiers(await get(ctx, admin, '/v1/orders/order?q=tiles'))).toEqual(['TILES-001', 'TILES-002']);
    expect(identifiers(await get(ctx, admin, '/v1/orders/order?q=Po-Red'))).toEqual(['GROUT-1', 'TILES-001']);
    expect(identifiers(await get(ctx, admin, '/v1/orders/order?q=nothing-like-this'))).toEqual([]);
  });

  it('finds the order name Waybill gave', async () => {
    const all = (await get(ctx, admin, '/v1/orders/order')).json() as { items: { name: string; order_identifier: string }[] };
    const one = all.items.find((o) => o.order_identifier === 'GROUT-1')!;
    expect(identifiers(await get(ctx, admin, `/v1/orders/order?q=${encodeURIComponent(one.name.toLowerCase())}`))).toEqual(['GROUT-1']);
  });

  it('takes % and _ literally', async () => {
    expect(identifiers(await get(ctx, admin, `/v1/orders/order?q=${encodeURIComponent('100%')}`))).toEqual(['TILES-002']);
    expect(identifiers(await get(ctx, admin, '/v1/orders/order?q=A_9'))).toEqual(['BETA_9']);
    expect(identifiers(await get(ctx, admin, `/v1/orders/order?q=${encodeURIComponent('%')}`))).toEqual(['TILES-002']);
  });

  it('combines with the other filters, and keeps to what the caller may see', async () => {
    expect(identifiers(await get(ctx, admin, '/v1/orders/order?q=PO&customer_code=BETA'))).toEqual(['BETA_9']);
    // A customer's search covers its own orders only; another tenant's search only its own.
    expect(identifiers(await get(ctx, acme, '/v1/orders/order?q=BETA'))).toEqual([]);
    expect(identifiers(await get(ctx, acme, '/v1/orders/order?q=PO'))).toEqual(['GROUT-1', 'TILES-001', 'TILES-002']);
    expect(identifiers(await get(ctx, otherTenant, '/v1/orders/order?q=tiles'))).toEqual(['TILES-999']);
  });

  it('pages through the matches with the cursor, which keeps the search', async () => {
    const seen: string[] = [];
    let url = '/v1/orders/order?q=po&limit=2';
    for (;;) {
      const page = (await get(ctx, admin, url)).json() as { items: { order_identifier: string }[]; next_cursor: string | null };
      seen.push(...page.items.map((o) => o.order_identifier));
      if (!page.next_cursor) break;
      url = `/v1/orders/order?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    expect(seen.sort()).toEqual(['BETA_9', 'GROUT-1', 'TILES-001', 'TILES-002']);

    const first = (await get(ctx, admin, '/v1/orders/order?q=po&limit=1')).json() as { next_cursor: string };
    expectError(await get(ctx, admin, `/v1/orders/order?q=tiles&cursor=${encodeURIComponent(first.next_cursor)}`), 400);
  });

  it('lists latest changes first with order=desc, through every page, and keeps the order in the cursor', async () => {
    const ascending = (await get(ctx, admin, '/v1/orders/order')).json() as { items: { id: string }[] };
    expect(ascending.items.length).toBe(4);
    const seen: string[] = [];
    let url = '/v1/orders/order?order=desc&limit=1';
    for (;;) {
      const page = (await get(ctx, admin, url)).json() as { items: { id: string }[]; next_cursor: string | null };
      seen.push(...page.items.map((o) => o.id));
      if (!page.next_cursor) break;
      url = `/v1/orders/order?limit=1&cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    expect(seen).toEqual(ascending.items.map((o) => o.id).reverse());
    expect(identifiers(await get(ctx, acme, '/v1/orders/order?order=desc&q=tiles'))).toEqual(['TILES-001', 'TILES-002']);
    const first = (await get(ctx, admin, '/v1/orders/order?order=desc&limit=1')).json() as { next_cursor: string };
    expectError(await get(ctx, admin, `/v1/orders/order?order=asc&cursor=${encodeURIComponent(first.next_cursor)}`), 400);
    expectError(await get(ctx, admin, '/v1/orders/order?order=sideways'), 400);
  });

  it('refuses an empty or an overlong search', async () => {
    expectError(await get(ctx, admin, '/v1/orders/order?q='), 400);
    expectError(await get(ctx, admin, `/v1/orders/order?q=${'x'.repeat(101)}`), 400);
  });
});
