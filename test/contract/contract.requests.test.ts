import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { as } from '../support/requests.js';
import { byReference, get, ordersWorld, partialUpdate, realisticOrder, upload } from '../orders/orders.fixtures.js';

/**
 * Requests the reference contract allows that Waybill used to refuse, and the answers a client
 * gets when a request really is wrong: every one in the contract's error envelope.
 */

let ctx: TestContext;
let admin: Client;
let hook: Client;

beforeAll(async () => {
  ({ ctx, admin, hook } = await ordersWorld());
});
afterAll(() => ctx.close());

const partial = (updates: unknown[]) =>
  as(hook).post('/v1/webhook/partial-order-update', { updates });

async function created(identifier: string): Promise<string> {
  const res = await upload(ctx, admin, realisticOrder(identifier));
  expect(res.json().upload_status, res.body).toBe('COMPLETED');
  return res.json().order_id as string;
}

describe('partial order updates the contract allows', () => {
  it('takes null for a stop and for a location as "no change"', async () => {
    const id = await created('NULLS-1');
    const before = (await get(ctx, admin, `/v1/orders/order/${id}`)).json();
    const result = await partialUpdate(ctx, hook, [
      {
        match: byReference('PO-NULLS-1'),
        consignment: {
          updates: [
            { match: { matches_all: [{ consignment: { order_sequence_number: 1 } }] }, update: { operation: 'UPDATE', data: { pickup_stop: null, delivery_stop: null, planning_instructions: 'Ring twice' } } },
            {
              match: { matches_all: [{ consignment: { order_sequence_number: 2 } }] },
              stop: { updates: [{ match: { matches_all: [{ stop: { stop_type: 'PICKUP' } }] }, update: { operation: 'UPDATE', data: { location: null, note: 'Door 2' } } }] },
            },
          ],
        },
      },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.results[0]?.outcome).toBe('UPDATED');
    const after = (await get(ctx, admin, `/v1/orders/order/${id}`)).json();
    expect(after.consignments[0].pickup_stop.location).toEqual(before.consignments[0].pickup_stop.location);
    expect(after.consignments[0].planning_instructions).toBe('Ring twice');
    expect(after.consignments[1].pickup_stop).toMatchObject({ note: 'Door 2', location: before.consignments[1].pickup_stop.location });
  });

  it('applies the deprecated top-level id with order_sequence_number 0 (no position) to the only consignment, and asks for a unique match otherwise', async () => {
    const single = realisticOrder('SEQ-0');
    single.consignments = (single.consignments as unknown[]).slice(0, 1);
    const res = await upload(ctx, admin, single);
    expect(res.json().upload_status, res.body).toBe('COMPLETED');
    const id = res.json().order_id as string;
    const byPosition0 = { matches_all: [{ consignment: { order_sequence_number: 0 } }] };
    const result = await partialUpdate(ctx, hook, [
      { id, consignment: { updates: [{ match: byPosition0, update: { operation: 'UPDATE', data: { planning_instructions: 'Gate B' } } }] } },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.results[0]).toMatchObject({ outcome: 'UPDATED', order_id: id });
    expect((await get(ctx, admin, `/v1/orders/order/${id}`)).json().consignments[0].planning_instructions).toBe('Gate B');

    const twoId = await created('SEQ-0-TWO');
    const two = await partialUpdate(ctx, hook, [
      { id: twoId, consignment: { updates: [{ match: byPosition0, update: { operation: 'UPDATE', data: { planning_instructions: 'x' } } }] } },
    ]);
    expect(two.results[0]?.outcome).toBe('ERROR');
    expect(two.errors[0]).toMatchObject({ error_type: 'USER_INPUT_ERROR', error_message: expect.stringContaining('2 consignments match; the match must be unique') });
    const negative = await partialUpdate(ctx, hook, [
      { id: twoId, consignment: { updates: [{ match: { matches_all: [{ consignment: { order_sequence_number: -1 } }] }, update: { operation: 'DELETE' } }] } },
    ]);
    expect(negative.errors[0]?.error_message).toContain('No consignment matches');
  });

  it('refuses a wrong-typed field the contract declares instead of answering UPDATED and dropping it', async () => {
    await created('TYPES-1');
    for (const data of [{ external_id: { a: 1 } }, { origin_country_of_goods: 7 }]) {
      const res = await partial([{ match: byReference('PO-TYPES-1'), update: { operation: 'UPDATE', data } }]);
      expectError(res, 400);
      const field = Object.keys(data)[0] as string;
      expect((res.json() as { errors: Array<{ field: string }> }).errors).toEqual([expect.objectContaining({ field })]);
    }
    const deep = await partial([
      { match: byReference('PO-TYPES-1'), consignment: { updates: [{ good: { updates: [{ update: { operation: 'UPDATE', data: { external_id: ['x'] } } }] } }] } },
    ]);
    expectError(deep, 400);
  });
});

describe('empty strings the contract examples use', () => {
  it('takes code "" on a company as no code, for any number of companies', async () => {
    for (const name of ['Empty code one', 'Empty code two']) {
      const res = await as(admin).post('/v1/companies/company', { name, code: '', currency: 'EUR' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().code).toBeNull();
    }
  });

  it('refuses order_identifier "" with a sentence saying it must not be empty', async () => {
    const res = await upload(ctx, admin, realisticOrder(''));
    expectError(res, 400);
    expect(res.json().message).toBe('Invalid body: order_identifier must not be empty');
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'order_identifier', path: 'body.order_identifier' })]);
  });

  it('stores a document imported with filename="" under a generic name', async () => {
    const id = await created('EMPTY-NAME');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/document-import',
      query: { filename: '', customer_reference_number: 'PO-EMPTY-NAME' },
      headers: { authorization: hook.auth, 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ errors: [], order_id: id });
    const [document] = (await get(ctx, admin, `/v1/orders/order/${id}/documents`)).json() as Array<{ name: string }>;
    expect(document?.name).toMatch(/\S/);
  });
});

describe('answers to requests that are wrong', () => {
  it('answers a custom format on POST /v1/webhook with 415 naming the accepted type and the mapping to come', async () => {
    const res = await as(hook).post('/v1/webhook', 'id;customer\n1;ACME\n', { 'content-type': 'text/csv' });
    expectError(res, 415);
    expect(res.json().message).toMatch(/text\/csv.*application\/json.*mapping/);
  });

  it('answers a known path with a method it does not serve with 405 and Allow, in the envelope', async () => {
    const res = await as(admin).put('/v1/companies/company', {});
    expectError(res, 405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    const withId = await as(admin).delete(`/v1/orders/order/${crypto.randomUUID()}`);
    expectError(withId, 405);
    expect(withId.headers.allow).toBe('GET, HEAD');
    expectError(await ctx.app.inject({ method: 'PUT', url: '/v1/no/such/path' }), 404);
  });

  it('answers 405 with Allow for every documented path called with an undocumented method', async () => {
    const spec = (await ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const METHODS = ['put', 'patch', 'delete', 'post', 'get'];
    let checked = 0;
    for (const [template, operations] of Object.entries(spec.paths)) {
      const method = METHODS.find((m) => !(m in operations));
      if (!method) continue;
      const url = template.replace(/\{[^}]+\}/g, crypto.randomUUID());
      const res = await as(admin).send(method.toUpperCase() as 'PUT', url);
      expectError(res, 405);
      for (const served of Object.keys(operations)) expect(res.headers.allow, `${method} ${template}`).toContain(served.toUpperCase());
      checked += 1;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('reports a union field in one sentence about the branch that came closest', async () => {
    const order = realisticOrder('UNION-1') as { consignments: Array<{ pickup_stop: Record<string, unknown> }> };
    (order.consignments[0] as { pickup_stop: Record<string, unknown> }).pickup_stop.time_window = { start_time: '8 o clock' };
    const res = await upload(ctx, admin, order);
    expectError(res, 400);
    expect(res.json().errors).toHaveLength(1);
    // One sentence about the time-of-day branch (the pattern itself is the schema's business).
    expect(res.json().message).toMatch(/^Invalid body: start_time must match pattern "[^"]+"$/);
    expect(res.json().errors[0]).toMatchObject({ path: 'body.consignments.0.pickup_stop.time_window.start_time' });

    const wrongType = await upload(ctx, admin, realisticOrder('UNION-2', { customer_reference_number: 42 }));
    expectError(wrongType, 400);
    expect(wrongType.json().message).toBe('Invalid body: customer_reference_number must be string or null');

    const wrongValue = await upload(ctx, admin, realisticOrder('UNION-3', { neutral_order_type: 'SOMETIMES' }));
    expect(wrongValue.json().message).toBe('Invalid body: neutral_order_type must be one of "NO_NEUTRAL_ORDER", "MASK_DELIVERY", "MASK_PICKUP", null');
  });
});

describe('webhook endpoints', () => {
  it('rotates a secret without a body and takes company_id as a code, as API clients do', async () => {
    const res = await as(admin).post('/v1/admin/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hook',
      families: ['operational_visibility'],
      company_id: 'ACME',
    });
    expect(res.statusCode, res.body).toBe(201);
    const acmeId = (await as(admin).get('/v1/companies/company')).json().items.find((c: { code: string }) => c.code === 'ACME').id;
    expect(res.json().company_id).toBe(acmeId);
    const rotated = await as(admin).post(`/v1/admin/webhook-endpoints/${res.json().id}/rotate-secret`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.json().secret).not.toBe(res.json().secret);
    const unknown = await as(admin).post('/v1/admin/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hook',
      families: ['operational_visibility'],
      company_id: 'NOPE',
    });
    expectError(unknown, 400);
  });
});
