import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newTenant, type Client } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { exampleCustomers, orderExamples, partialExample, partialExampleTarget, type Example, type Json } from '../support/contract-examples.js';
import { eventually } from '../support/webhook-receiver.js';
import { webhookWorld } from '../support/webhook-world.js';
import { get, partialUpdate, upload } from '../orders/orders.fixtures.js';

/**
 * Every order body the reference contract shows in its guide, uploaded unchanged (extracted into
 * test/contract/order-examples.json by `npm run contract:examples`). Each created order is read
 * back through GET, /status and /export and received as a visibility push, and every one of those
 * answers is validated against the contract's own schemas.
 */

const world = webhookWorld({ webhookRetrySchedule: [0, 0] });
let admin: Client;
let hook: Client;

beforeAll(async () => {
  const { ctx, receiver } = world;
  admin = await newTenant(ctx);
  hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  await exampleCustomers(ctx, admin);
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/webhook-endpoints',
    headers: { authorization: admin.auth },
    payload: { url: receiver.url, families: ['operational_visibility'] },
  });
  expect(res.statusCode, res.body).toBe(201);
});

async function importBody(body: Json): Promise<string> {
  const res = await upload(world.ctx, admin, body);
  expect(res.statusCode, res.body).toBe(200);
  expectContract('OrderImport', res.json());
  expect(res.json().upload_status, res.body).toBe('COMPLETED');
  return res.json().order_id as string;
}

/** The ACCEPTED push of an order, once the engine delivered it. */
async function acceptedPush(orderId: string): Promise<Json> {
  return eventually(() =>
    world.receiver.received
      .map((m) => JSON.parse(m.body) as { events: Array<{ update: Json }>; order: Json | null })
      .find((m) => m.order?.id === orderId && m.events[0]?.update.status === 'ACCEPTED'),
  );
}

/** Reads an order every way the contract offers and checks each answer against its schema. */
async function readBack(orderId: string) {
  const order = await get(world.ctx, admin, `/v1/orders/order/${orderId}`);
  expect(order.statusCode, order.body).toBe(200);
  expectContract('OrderOutput-Output', order.json());
  const status = await get(world.ctx, admin, `/v1/orders/order/${orderId}/status`);
  expect(status.statusCode, status.body).toBe(200);
  expectContract('OrderWithStatus', status.json());
  const exported = await get(world.ctx, admin, `/v1/orders/order/${orderId}/export`);
  expect(exported.statusCode, exported.body).toBe(200);
  expectContract('OrderExport', exported.json());
  const push = await acceptedPush(orderId);
  expectContract('OperationalVisibilityUpdate', push);
  return { order: order.json() as Json, status: status.json() as Json, push };
}

describe('the contract guide examples', () => {
  it('holds one example of each order operation and the partial update', () => {
    expect(orderExamples.length).toBeGreaterThanOrEqual(14);
    expect(new Set(orderExamples.map((e) => e.body.operation))).toEqual(new Set(['CREATE', 'UPDATE', 'DELETE']));
    expect(partialExample).toBeDefined();
  });

  for (const example of orderExamples) {
    it(`accepts ${example.name} unchanged, and every answer about it matches the contract`, async () => {
      const { body } = example;
      // An UPDATE needs its order first; a DELETE runs on the order an earlier example created.
      if (body.operation === 'UPDATE') await importBody({ ...body, operation: 'CREATE' });
      const orderId = await importBody(body);
      if (body.operation === 'DELETE') {
        const res = await get(world.ctx, admin, `/v1/orders/order/${orderId}/status`);
        expectContract('OrderWithStatus', res.json());
        expect(res.json().status).toBe('CANCELLED');
        return;
      }
      const { order, status, push } = await readBack(orderId);
      // GET, /status and the push show goods through one mapping: the same fields, ids on packaged items.
      const goods = (order.consignments as Array<{ goods: Json[] }>)[0]?.goods ?? [];
      expect((status.consignments as Array<{ goods: Json[] }>)[0]?.goods).toEqual(goods);
      expect((push.order as { consignment: { goods: Json[] } }).consignment.goods).toEqual(goods);
    });
  }

  it('gives packaged items ids and drops undeclared good fields everywhere (ADR and loaded container examples)', async () => {
    const adr = orderExamples.find((e) => JSON.stringify(e.body).includes('packaged_items')) as Example;
    const adrId = await importBody({ ...adr.body, order_identifier: 'ADR-IDS' });
    const { order, push } = await readBack(adrId);
    const items = (order.consignments as Array<{ goods: Array<{ packaged_items: Json[] }> }>)[0]?.goods[0]?.packaged_items ?? [];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
    const pushed = (push.order as { consignment: { goods: Array<{ packaged_items: Json[] }> } }).consignment.goods[0]?.packaged_items;
    expect(pushed?.map((i) => i.id)).toEqual(items.map((i) => i.id));

    const loaded = orderExamples.find((e) => JSON.stringify(e.body).includes('ordered_quantity')) as Example;
    const loadedId = await importBody({ ...loaded.body, order_identifier: 'LOADED-FIELDS' });
    const read = await readBack(loadedId);
    const good = (read.push.order as { consignment: { goods: Json[] } }).consignment.goods[0] as Json;
    expect(good).not.toHaveProperty('ordered_quantity');
    expect(good).not.toHaveProperty('absolute_max_temperature_value');
    const sent = (loaded.body.consignments as Array<{ goods: Json[] }>)[0]?.goods[0] as Json;
    expect(sent).toHaveProperty('ordered_quantity');
    expect(good.description).toBe(sent.description);
  });

  it('applies the partial update example unchanged: signature on the consignment, scan on the handling unit', async () => {
    const orderId = await importBody(partialExampleTarget('PARTIAL-EXAMPLE'));

    const result = await partialUpdate(world.ctx, hook, partialExample.body.updates as unknown[]);
    expect(result.errors).toEqual([]);
    expect(result.results[0]).toMatchObject({ outcome: 'UPDATED', order_id: orderId });

    const { order } = await readBack(orderId);
    const units = (order.consignments as Array<{ goods: Array<{ handling_units?: Json[] }> }>)[0]?.goods.flatMap((g) => g.handling_units ?? []) ?? [];
    const scanned = units.find((u) => (u.barcode as Json).value === 'ABC123') as Json;
    expect(scanned.question_answers).toMatchObject({ scan_barcode: [{ status: 'DELIVERED', stop_location_code: 'DEPOT-001' }] });
    const documents = await get(world.ctx, admin, `/v1/orders/order/${orderId}/documents`);
    expect(documents.json()).toEqual([expect.objectContaining({ type: 'CONSIGNEE_SIGNATURE', subject_type: 'CONSIGNMENT' })]);
  });
});
