import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { get, ordersWorld, realisticOrder, upload } from './orders.fixtures.js';

let ctx: TestContext;
let admin: Client;
let hook: Client;

beforeAll(async () => {
  ({ ctx, admin, hook } = await ordersWorld());
});
afterAll(() => ctx.close());

interface Stop {
  id: string;
  status: string;
  stop_type: string;
  reference_number: string | null;
  consignment_id: string;
  date: string;
}
interface Order {
  id: string;
  name: string;
  status: string;
  stops: Stop[];
  consignments: Array<{ id: string; goods: Array<{ id: string }> }>;
}

async function imported(body: Record<string, unknown>) {
  const res = await upload(ctx, admin, body);
  expect(res.statusCode, res.body).toBe(200);
  expectContract('OrderImport', res.json());
  return res.json() as {
    upload_id: string;
    upload_status: string;
    order_id: string | null;
    order_name: string | null;
    errors: Array<{ error_type: string; error_message: string }>;
  };
}

async function order(id: string): Promise<Order> {
  const res = await get(ctx, admin, `/v1/orders/order/${id}`);
  expect(res.statusCode).toBe(200);
  expectContract('OrderOutput-Output', res.json());
  return res.json() as Order;
}

async function eventsOf(orderId: string) {
  const rows = await ctx.services.db.selectFrom('events').selectAll().where('entity_id', '=', orderId).orderBy('position').execute();
  return rows.map((r) => ({ type: r.type, payload: r.payload as Record<string, unknown>, companyIds: r.company_ids }));
}

describe('CREATE', () => {
  it('creates a named order with consignments, stops, goods and an accepted event', async () => {
    const result = await imported(realisticOrder('CR-1'));
    expect(result.upload_status).toBe('COMPLETED');
    expect(result.order_name).toMatch(/^OR-\d{6}$/);
    const o = await order(result.order_id as string);
    expect(o.name).toBe(result.order_name);
    expect(o.status).toBe('TO_PLAN');
    expect(o.consignments).toHaveLength(2);
    expect(o.consignments.flatMap((c) => c.goods)).toHaveLength(4);
    expect(o.stops.map((s) => `${s.stop_type}:${s.reference_number}`)).toEqual(['PICKUP:CR-1-P1', 'PICKUP:CR-1-P2', 'DELIVERY:CR-1-D1', 'DELIVERY:CR-1-D2']);
    const events = await eventsOf(o.id);
    expect(events.map((e) => e.type)).toEqual(['order.accepted']);
    expect(events[0]?.payload).toMatchObject({ order_id: o.id, order_name: o.name, status: 'TO_PLAN' });
    expect(events[0]?.companyIds).toHaveLength(1);

    const polled = await get(ctx, admin, `/v1/orders/order/upload/${result.upload_id}`);
    expect(polled.statusCode).toBe(200);
    expectContract('OrderImport', polled.json());
    expect(polled.json()).toEqual(result);
  });

  it('reports the pulled status of every stop with first pickup and last delivery', async () => {
    const { order_id } = await imported(realisticOrder('ST-1'));
    const res = await get(ctx, admin, `/v1/orders/order/${order_id}/status`);
    expect(res.statusCode).toBe(200);
    expectContract('OrderWithStatus', res.json());
    const body = res.json();
    expect(body.status).toBe('TO_PLAN');
    expect(body.stops.every((s: Stop) => s.status === 'TO_PLAN')).toBe(true);
    expect(body.first_pickup_stop.reference_number).toBe('ST-1-P1');
    expect(body.last_delivery_stop.reference_number).toBe('ST-1-D2');
    expect(body.stops[0]).toHaveProperty('start_timestamp', null);
    // Time windows are local times and come back as sent.
    expect(body.stops[0].time_window).toMatchObject({ start_time: '08:00', end_time: '12:00' });
  });

  it('a repeated CREATE is a DUPLICATE pointing at the same order', async () => {
    const first = await imported(realisticOrder('DUP-1'));
    const second = await imported(realisticOrder('DUP-1', { planning_instructions: 'changed' }));
    expect(second.upload_status).toBe('DUPLICATE');
    expect(second.order_id).toBe(first.order_id);
    expect((await eventsOf(first.order_id as string)).map((e) => e.type)).toEqual(['order.accepted']);
    expect(((await order(first.order_id as string)) as unknown as { planning_instructions: string }).planning_instructions).toBe('Tail lift required');
  });

  it('parallel CREATEs, several of one key, give one order per key and names and event positions without gaps', async () => {
    const distinct = Array.from({ length: 6 }, (_, i) => realisticOrder(`PAR-${i}`));
    const same = Array.from({ length: 6 }, () => realisticOrder('PAR-SAME'));
    const results = await Promise.all([...distinct, ...same].map((body) => imported(body)));
    expect(results.slice(0, 6).map((r) => r.upload_status)).toEqual(Array(6).fill('COMPLETED'));
    const ofSame = results.slice(6);
    expect(ofSame.filter((r) => r.upload_status === 'COMPLETED')).toHaveLength(1);
    expect(ofSame.filter((r) => r.upload_status === 'DUPLICATE')).toHaveLength(5);
    expect(new Set(ofSame.map((r) => r.order_id)).size).toBe(1);
    expect(new Set(ofSame.map((r) => r.order_name)).size).toBe(1);

    // A second wave of new keys only: arriving together, they may be written together.
    const wave = await Promise.all(Array.from({ length: 8 }, (_, i) => imported(realisticOrder(`PAR-WAVE-${i}`))));
    expect(wave.map((r) => r.upload_status)).toEqual(Array(8).fill('COMPLETED'));
    for (const r of wave.slice(0, 2)) {
      const status = await get(ctx, admin, `/v1/orders/order/${r.order_id}/status`);
      expect((status.json() as { name: string }).name).toBe(r.order_name);
      const [accepted] = await eventsOf(r.order_id as string);
      expect(accepted?.payload).toMatchObject({ order_name: r.order_name, order_snapshot: { order_name: r.order_name } });
    }

    const { db } = ctx.services;
    const names = (await db.selectFrom('orders').select('name').where('tenant_id', '=', admin.tenantId).execute()).map((r) => r.name).sort();
    expect(names).toEqual(names.map((_, i) => `OR-${String(i + 1).padStart(6, '0')}`));
    const positions = (await db.selectFrom('events').select('position').where('tenant_id', '=', admin.tenantId).orderBy('position').execute()).map(
      (r) => r.position,
    );
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    const accepted = await db.selectFrom('events').select('payload').where('tenant_id', '=', admin.tenantId).where('type', '=', 'order.accepted').execute();
    expect(accepted.map((e) => (e.payload as { order_name: string }).order_name).sort()).toEqual(names);
  });

  it('the same identifier for another customer is another order', async () => {
    const a = await imported(realisticOrder('SHARED-1'));
    const b = await imported(realisticOrder('SHARED-1', { customer: { name: 'beta foods' } }));
    expect(b.upload_status).toBe('COMPLETED');
    expect(b.order_id).not.toBe(a.order_id);
  });

  it('a quote is QUOTE until an UPDATE confirms it', async () => {
    const q = await imported(realisticOrder('Q-1', { order_status: 'QUOTE' }));
    expect((await order(q.order_id as string)).status).toBe('QUOTE');
    await imported(realisticOrder('Q-1', { operation: 'UPDATE', order_status: 'TO_PLAN' }));
    expect((await order(q.order_id as string)).status).toBe('TO_PLAN');
  });

  it('accepts the documented extras that the schema does not list', async () => {
    const body = realisticOrder('EXTRA-1', { palletforce: { network: 'x' }, dachser: { product: 'y' }, custom_fields: { a: { b: 1 } } });
    const consignments = body.consignments as Array<Record<string, unknown>>;
    consignments[0] = {
      ...consignments[0],
      standalone_stops: [{ location: { name: 'Depot' }, position: { position: 1 }, activity: 'CUSTOM', custom_activity_label: 'Weigh' }],
      pickup_stop: { ...(consignments[0]?.pickup_stop as object), activity: 'PICKUP', position: { position: 0, optimal: true }, instructions: 'legacy field' },
    };
    const result = await imported(body);
    expect(result.upload_status).toBe('COMPLETED');
    const exported = await get(ctx, admin, `/v1/orders/order/${result.order_id}/export`);
    expect(exported.json().palletforce).toEqual({ network: 'x' });
    expect(exported.json().consignments[0].standalone_stops).toHaveLength(1);
    expect(exported.json().consignments[0].pickup_stop.activity).toBe('PICKUP');
  });
});

describe('UPDATE', () => {
  it('replaces the order and keeps the ids of stops that still exist', async () => {
    const created = await imported(realisticOrder('UP-1'));
    const before = await order(created.order_id as string);
    const body = realisticOrder('UP-1', { operation: 'UPDATE', planning_instructions: 'Call ahead' });
    const consignments = body.consignments as Array<Record<string, unknown>>;
    // Consignment 2 loses its references and changes address: it is matched by position and stop type.
    consignments[1] = {
      pickup_stop: { location: { name: 'Ghent DC', country: 'BE' }, date: '2026-12-02' },
      delivery_stop: { location: { name: 'Grenoble Store', country: 'FR' }, date: '2026-12-04' },
      goods: [{ description: 'Adhesive', quantity: 11 }],
    };
    consignments.push({
      pickup_stop: { location: { name: 'Brussels', country: 'BE' }, reference_number: 'UP-1-P3' },
      delivery_stop: { location: { name: 'Paris', country: 'FR' }, reference_number: 'UP-1-D3' },
    });
    const result = await imported(body);
    expect(result.upload_status).toBe('COMPLETED');
    const after = await order(created.order_id as string);
    const idOf = (o: Order, type: string, consignment: number) =>
      o.stops.find((s) => s.stop_type === type && s.consignment_id === o.consignments[consignment]?.id)?.id;
    for (const type of ['PICKUP', 'DELIVERY']) {
      expect(idOf(after, type, 0)).toBe(idOf(before, type, 0));
      expect(idOf(after, type, 1)).toBe(idOf(before, type, 1));
    }
    expect(after.stops).toHaveLength(6);
    expect(after.consignments[1]?.goods).toHaveLength(1);
    expect(after.consignments[1]?.goods[0]?.id).toBe(before.consignments[1]?.goods[0]?.id);
    expect(after.stops.find((s) => s.reference_number === 'UP-1-P3')?.id).toBeDefined();
    expect((await eventsOf(after.id)).map((e) => e.type)).toEqual(['order.accepted', 'order.updated']);
  });

  it('matches stops by reference number when consignments change places', async () => {
    const created = await imported(realisticOrder('UP-2'));
    const before = await order(created.order_id as string);
    const body = realisticOrder('UP-2', { operation: 'UPDATE' });
    (body.consignments as unknown[]).reverse();
    await imported(body);
    const after = await order(created.order_id as string);
    for (const ref of ['UP-2-P1', 'UP-2-D1', 'UP-2-P2', 'UP-2-D2']) {
      expect(after.stops.find((s) => s.reference_number === ref)?.id).toBe(before.stops.find((s) => s.reference_number === ref)?.id);
    }
  });

  it('an identical UPDATE changes nothing and writes no event', async () => {
    const created = await imported(realisticOrder('UP-3'));
    await imported(realisticOrder('UP-3', { operation: 'UPDATE', note: 'x', custom_fields: { cost_center: 'CC-13' } }));
    const snapshot = await order(created.order_id as string);
    const again = await imported(realisticOrder('UP-3', { operation: 'UPDATE', note: 'x', custom_fields: { cost_center: 'CC-13' } }));
    expect(again.upload_status).toBe('COMPLETED');
    expect(await order(created.order_id as string)).toEqual(snapshot);
    expect((await eventsOf(snapshot.id)).map((e) => e.type)).toEqual(['order.accepted', 'order.updated']);
  });

  it('an UPDATE of an unknown identifier fails with a reason', async () => {
    const result = await imported(realisticOrder('NOPE-1', { operation: 'UPDATE' }));
    expect(result.upload_status).toBe('ERROR');
    expect(result.order_id).toBeNull();
    expect(result.errors[0]).toMatchObject({ error_type: 'USER_INPUT_ERROR' });
    expect(result.errors[0]?.error_message).toContain('NOPE-1');
  });
});

describe('DELETE', () => {
  it('cancels once, repeats as a no-op, and refuses UPDATE and CREATE afterwards', async () => {
    const created = await imported(realisticOrder('DEL-1'));
    const id = created.order_id as string;
    const cancel = await imported({ operation: 'DELETE', order_identifier: 'DEL-1', customer: { code: 'ACME' }, consignments: [] });
    expect(cancel.upload_status).toBe('COMPLETED');
    const status = (await get(ctx, admin, `/v1/orders/order/${id}/status`)).json();
    expect(status.status).toBe('CANCELLED');
    expect(status.stops.every((s: Stop) => s.status === 'CANCELLED')).toBe(true);
    expect(status.first_pickup_stop).toBeNull();

    const again = await imported({ operation: 'DELETE', order_identifier: 'DEL-1', customer: { code: 'ACME' }, consignments: [] });
    expect(again.upload_status).toBe('COMPLETED');

    const update = await imported(realisticOrder('DEL-1', { operation: 'UPDATE' }));
    expect(update.upload_status).toBe('ERROR');
    expect(update.errors[0]?.error_message).toMatch(/cancelled/);
    const recreate = await imported(realisticOrder('DEL-1'));
    expect(recreate.upload_status).toBe('ERROR');
    expect(recreate.errors[0]?.error_message).toMatch(/new order_identifier/);

    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['order.accepted', 'order.cancelled', 'order.import_rejected', 'order.import_rejected']);
    expect(events[1]?.payload).toMatchObject({ order_id: id, status: 'CANCELLED' });
  });

  it('cancelling an unknown identifier fails', async () => {
    const result = await imported({ operation: 'DELETE', order_identifier: 'GHOST', customer: { code: 'ACME' }, consignments: [] });
    expect(result.upload_status).toBe('ERROR');
  });
});

describe('customer resolution', () => {
  it('an unknown customer ends the upload in ERROR naming the value', async () => {
    const result = await imported(realisticOrder('CU-1', { customer: { code: 'NOBODY' } }));
    expect(result.upload_status).toBe('ERROR');
    expect(result.errors[0]?.error_message).toContain('NOBODY');
    const polled = await get(ctx, admin, `/v1/orders/order/upload/${result.upload_id}`);
    expect(polled.json().upload_status).toBe('ERROR');
  });

  it('a tenant client must name the customer', async () => {
    const { customer: _c, ...body } = realisticOrder('CU-2');
    const res = await upload(ctx, admin, body);
    expect(res.statusCode).toBe(400);
    expectContract('ValidationErrorResponse', res.json());
  });
});

describe('export', () => {
  it('re-imports under a new identifier as an equal order', async () => {
    const created = await imported(realisticOrder('EX-1', { container: { container_number: 'MSCU1234567' }, order_status: 'QUOTE' }));
    const exported = await get(ctx, admin, `/v1/orders/order/${created.order_id}/export`);
    expect(exported.statusCode).toBe(200);
    expectContract('OrderInput', exported.json());
    const copy = await imported({ ...exported.json(), order_identifier: 'EX-1-copy' });
    expect(copy.upload_status).toBe('COMPLETED');
    const strip = (o: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(o, (key, value) =>
          ['id', 'consignment_id', 'name', 'order_identifier', 'created_timestamp', 'updated_timestamp', 'quote_name'].includes(key) &&
          typeof value === 'string'
            ? undefined
            : value,
        ),
      );
    const original = (await get(ctx, admin, `/v1/orders/order/${created.order_id}`)).json();
    const copied = (await get(ctx, admin, `/v1/orders/order/${copy.order_id}`)).json();
    expect(copied.order_identifier).toBe('EX-1-copy');
    expect(strip(copied)).toEqual(strip(original));
  });
});

describe('webhook flavour', () => {
  it('takes Basic webhook credentials and answers with the errors only', async () => {
    for (const url of ['/v1/webhook', '/v1/webhook/order-import']) {
      const ok = await ctx.app.inject({ method: 'POST', url, headers: { authorization: hook.auth }, payload: realisticOrder(`WH-${url.length}`) });
      expect(ok.statusCode).toBe(200);
      expectContract('OrderImportResponse', ok.json());
      expect(ok.json().errors).toEqual([]);
      expect(ok.json().upload_status).toBe('COMPLETED');
    }
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook',
      headers: { authorization: hook.auth },
      payload: realisticOrder('WH-X', { customer: { code: 'NOBODY' } }),
    });
    expect(bad.statusCode).toBe(200);
    expectContract('OrderImportResponse', bad.json());
    expect(bad.json().errors[0].error_message).toContain('NOBODY');
  });

  it('refuses Bearer tokens on the webhook and Basic credentials on the API', async () => {
    const bearerOnHook = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook',
      headers: { authorization: admin.auth },
      payload: realisticOrder('AUTH-1'),
    });
    expect(bearerOnHook.statusCode).toBe(401);
    const basicOnApi = await upload(ctx, hook, realisticOrder('AUTH-2'));
    // A webhook client's credentials are known but not for the API: 403 (see docs/security.md).
    expect(basicOnApi.statusCode).toBe(403);
    const apiClientBasic = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook',
      headers: { authorization: `Basic ${Buffer.from(`${admin.clientId}:${admin.clientSecret}`).toString('base64')}` },
      payload: realisticOrder('AUTH-3'),
    });
    expect(apiClientBasic.statusCode).toBe(403);
    for (const res of [bearerOnHook, basicOnApi, apiClientBasic]) expectContract('ValidationErrorResponse', res.json());
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same Idempotency-Key', async () => {
    const key = { 'idempotency-key': 'orders-idem-1' };
    const first = await upload(ctx, admin, realisticOrder('IDEM-1'), key);
    const second = await upload(ctx, admin, realisticOrder('IDEM-1'), key);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const other = await upload(ctx, admin, realisticOrder('IDEM-2'), key);
    expect(other.statusCode).toBe(409);
  });
});
