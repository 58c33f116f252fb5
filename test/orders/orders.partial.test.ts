import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { byReference, get, ordersWorld, partialUpdate, realisticOrder, upload } from './orders.fixtures.js';

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
  date: string;
  time_window: { start_time: string } | null;
}
interface Good {
  id: string;
  description?: string;
  quantity?: number;
  handling_units?: Array<{ id: string; barcode?: { value: string } }>;
}
interface Order {
  id: string;
  name: string;
  status: string;
  planning_instructions?: string;
  custom_fields: Record<string, unknown>;
  customer_reference_number: string | null;
  stops: Stop[];
  consignments: Array<{ id: string; consignment_reference_number: string | null; goods: Good[]; pickup_stop: Stop; delivery_stop: Stop }>;
}

async function create(identifier: string, overrides: Record<string, unknown> = {}): Promise<Order> {
  const res = await upload(ctx, admin, realisticOrder(identifier, overrides));
  expect(res.json().upload_status).toBe('COMPLETED');
  return order(res.json().order_id);
}

async function order(id: string): Promise<Order> {
  const res = await get(ctx, admin, `/v1/orders/order/${id}`);
  expectContract('OrderOutput-Output', res.json());
  return res.json() as Order;
}

const partial = (updates: unknown[], client: Client = hook) => partialUpdate(ctx, client, updates);
const eventTypes = async (id: string) =>
  (await ctx.services.db.selectFrom('events').select('type').where('entity_id', '=', id).orderBy('position').execute()).map((e) => e.type);

describe('order level', () => {
  it('leaves an order cancelled when an import UPDATE and a partial DELETE of it race', async () => {
    for (let round = 0; round < 5; round++) {
      const identifier = `RACE-${round}`;
      const o = await create(identifier);
      const [imported] = await Promise.all([
        upload(ctx, admin, realisticOrder(identifier, { operation: 'UPDATE', planning_instructions: `round ${round}` })),
        partial([{ match: byReference(`PO-${identifier}`), update: { operation: 'DELETE' } }]),
      ]);
      expect(imported.statusCode, imported.body).toBe(200);
      // Whichever ran first, the cancel holds: the update either preceded it or was refused.
      const after = await order(o.id);
      expect(after.status).toBe('CANCELLED');
      expect(after.stops.every((s) => s.status === 'CANCELLED')).toBe(true);
    }
  });

  it('updates header fields of the one matching order and merges custom fields', async () => {
    const o = await create('PU-1');
    const result = await partial([
      {
        match: byReference('PO-PU-1'),
        update: { operation: 'UPDATE', data: { planning_instructions: 'Gate 7', custom_fields: { urgent: true }, customer_reference_number: 'PO-PU-1b' } },
      },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.results).toEqual([{ index: 0, outcome: 'UPDATED', order_id: o.id, order_name: o.name }]);
    const after = await order(o.id);
    expect(after.planning_instructions).toBe('Gate 7');
    expect(after.custom_fields).toEqual({ cost_center: 'CC-12', urgent: true });
    expect(after.customer_reference_number).toBe('PO-PU-1b');
    expect(after.stops.map((s) => s.id)).toEqual(o.stops.map((s) => s.id));
    expect(await eventTypes(o.id)).toEqual(['order.accepted', 'order.updated']);
  });

  it('matches by name, id and customer, all of which must hold', async () => {
    const o = await create('PU-2');
    const match = {
      matches_all: [{ order: { name: { matches_any: [o.name] } } }, { order: { id: { matches_any: [o.id] } }, company: { code: { matches_any: ['ACME'] } } }],
    };
    expect((await partial([{ match, update: { operation: 'UPDATE', data: { planning_instructions: 'by name' } } }])).errors).toEqual([]);
    const wrongCustomer = { matches_all: [{ order: { name: { matches_any: [o.name] } }, company: { name: { matches_any: ['Beta Foods'] } } }] };
    const result = await partial([{ match: wrongCustomer, update: { operation: 'UPDATE', data: { planning_instructions: 'nope' } } }]);
    expect(result.errors[0]?.error_message).toMatch(/No order matches/);
    expect((await order(o.id)).planning_instructions).toBe('by name');
  });

  it('no match or several matches are reported and change nothing', async () => {
    await create('PU-3a', { customer_reference_number: 'SHARED-REF' });
    const b = await create('PU-3b', { customer_reference_number: 'SHARED-REF' });
    const result = await partial([
      { match: byReference('NO-SUCH-REF'), update: { operation: 'UPDATE', data: { planning_instructions: 'x' } } },
      { match: byReference('SHARED-REF'), update: { operation: 'UPDATE', data: { planning_instructions: 'x' } } },
      { update: { operation: 'UPDATE', data: { planning_instructions: 'x' } } },
    ]);
    expect(result.errors.map((e) => e.error_message)).toEqual([
      expect.stringMatching(/^updates\[0\]: No order matches/),
      expect.stringMatching(/^updates\[1\]: Several orders match/),
      expect.stringMatching(/^updates\[2\]: Name the order/),
    ]);
    expect(result.results.map((r) => r.outcome)).toEqual(['ERROR', 'ERROR', 'ERROR']);
    expect((await order(b.id)).planning_instructions).toBe('Tail lift required');
  });

  it('one bad update does not half-apply and does not stop the others', async () => {
    const a = await create('PU-4a');
    const b = await create('PU-4b');
    const result = await partial([
      { match: byReference('PO-PU-4a'), update: { operation: 'UPDATE', data: { planning_instructions: 'first' } } },
      {
        match: byReference('PO-PU-4b'),
        update: { operation: 'UPDATE', data: { planning_instructions: 'must not stick' } },
        consignment: { updates: [{ stop: { updates: [{ update: { operation: 'CREATE', data: { location: { name: 'x' } } } }] } }] },
      },
      { match: byReference('PO-PU-4b'), update: { operation: 'UPDATE', data: { contact_emails: ['third@acme.example'] } } },
    ]);
    expect(result.results.map((r) => r.outcome)).toEqual(['UPDATED', 'ERROR', 'UPDATED']);
    expect(result.errors).toEqual([{ error_type: 'NOT_SUPPORTED', error_message: expect.stringMatching(/^updates\[1\]/) }]);
    expect((await order(a.id)).planning_instructions).toBe('first');
    const after = (await order(b.id)) as Order & { contact_emails: string[] };
    expect(after.planning_instructions).toBe('Tail lift required');
    expect(after.contact_emails).toEqual(['third@acme.example']);
  });

  it('an identical repeat is UNCHANGED and writes no event', async () => {
    const o = await create('PU-5');
    const update = { match: byReference('PO-PU-5'), update: { operation: 'UPDATE', data: { planning_instructions: 'same' } } };
    expect((await partial([update])).results[0]?.outcome).toBe('UPDATED');
    expect((await partial([update])).results[0]?.outcome).toBe('UNCHANGED');
    expect(await eventTypes(o.id)).toEqual(['order.accepted', 'order.updated']);
  });

  it('DELETE cancels; later updates are refused', async () => {
    const o = await create('PU-6');
    expect((await partial([{ match: byReference('PO-PU-6'), update: { operation: 'DELETE' } }])).errors).toEqual([]);
    expect((await order(o.id)).status).toBe('CANCELLED');
    const again = await partial([{ match: byReference('PO-PU-6'), update: { operation: 'UPDATE', data: { planning_instructions: 'x' } } }]);
    expect(again.errors[0]?.error_message).toMatch(/cancelled/);
  });

  it('refuses to move an order to another customer', async () => {
    await create('PU-7');
    const result = await partial([{ match: byReference('PO-PU-7'), update: { operation: 'UPDATE', data: { customer: { code: 'BETA' } } } }]);
    expect(result.errors[0]?.error_type).toBe('NOT_SUPPORTED');
  });
});

describe('consignments, stops, goods and handling units', () => {
  it('updates a stop matched by reference number and type, keeping its id and status', async () => {
    const o = await create('PS-1');
    const result = await partial([
      {
        match: byReference('PO-PS-1'),
        consignment: {
          updates: [
            {
              match: { matches_all: [{ consignment: { reference_number: { matches_any: ['PS-1-C1'] } } }] },
              stop: {
                updates: [
                  {
                    match: { matches_all: [{ stop: { reference_number: { matches_any: ['PS-1-D1'] }, stop_type: 'DELIVERY' } }] },
                    update: { operation: 'UPDATE', data: { date: '2026-12-05', time_window: { start_time: '10:00', end_time: '11:00' } } },
                  },
                ],
              },
            },
          ],
        },
      },
    ]);
    expect(result.errors).toEqual([]);
    const after = await order(o.id);
    const stop = after.stops.find((s) => s.reference_number === 'PS-1-D1') as Stop;
    expect(stop.id).toBe(o.stops.find((s) => s.reference_number === 'PS-1-D1')?.id);
    expect(stop).toMatchObject({ date: '2026-12-05', status: 'TO_PLAN', time_window: { start_time: '10:00' } });
    expect((after.stops.find((s) => s.reference_number === 'PS-1-D2') as Stop).date).toBe('2026-12-03');
  });

  it('creates and deletes consignments', async () => {
    const o = await create('PS-2');
    const result = await partial([
      {
        match: byReference('PO-PS-2'),
        consignment: {
          updates: [
            { match: { matches_all: [{ consignment: { order_sequence_number: 1 } }] }, update: { operation: 'DELETE' } },
            {
              update: {
                operation: 'CREATE',
                data: {
                  consignment_reference_number: 'PS-2-C3',
                  pickup_stop: { location: { name: 'Liège' } },
                  delivery_stop: { location: { name: 'Metz' } },
                  goods: [{ description: 'Cable', quantity: 3 }],
                },
              },
            },
          ],
        },
      },
    ]);
    expect(result.errors).toEqual([]);
    const after = await order(o.id);
    expect(after.consignments.map((c) => c.consignment_reference_number)).toEqual(['PS-2-C2', 'PS-2-C3']);
    expect(after.consignments[0]?.id).toBe(o.consignments[1]?.id);
    expect(after.consignments[0]?.pickup_stop.id).toBe(o.consignments[1]?.pickup_stop.id);
    expect(after.stops).toHaveLength(4);
    expect(after.consignments[1]?.goods[0]?.description).toBe('Cable');
  });

  it('refuses to delete the last consignment and an ambiguous consignment update', async () => {
    const o = await create('PS-3');
    const result = await partial([
      { match: byReference('PO-PS-3'), consignment: { updates: [{ update: { operation: 'UPDATE', data: { planning_instructions: 'x' } } }] } },
      {
        match: byReference('PO-PS-3'),
        consignment: {
          updates: [1, 2].map((n) => ({ match: { matches_all: [{ consignment: { order_sequence_number: n } }] }, update: { operation: 'DELETE' } })),
        },
      },
    ]);
    expect(result.errors.map((e) => e.error_message)).toEqual([
      expect.stringMatching(/several consignments/),
      expect.stringMatching(/^updates\[1\]: (No consignment matches|An order keeps at least one consignment)/),
    ]);
    expect((await order(o.id)).consignments).toHaveLength(2);
  });

  it('creates, updates, replaces and deletes goods by id, and edits handling units by barcode', async () => {
    const o = await create('PS-4');
    const [tiles, grout] = o.consignments[0]?.goods as [Good, Good];
    const c1 = { matches_all: [{ consignment: { reference_number: { matches_any: ['PS-4-C1'] } } }] };
    const byId = (id: string) => ({ matches_all: [{ good: { id: { matches_any: [id] } } }] });
    const result = await partial([
      {
        match: byReference('PO-PS-4'),
        consignment: {
          updates: [
            {
              match: c1,
              good: {
                updates: [
                  {
                    match: byId(tiles.id),
                    update: { operation: 'UPDATE', data: { quantity: 14 } },
                    handling_unit: {
                      updates: [
                        { update: { operation: 'CREATE', data: { barcode: { value: 'SSCC-1' } } } },
                        { update: { operation: 'CREATE', data: { barcode: { value: 'SSCC-2' } } } },
                      ],
                    },
                  },
                  { match: byId(grout.id), update: { operation: 'DELETE' } },
                  { update: { operation: 'CREATE', data: { description: 'Spacers', quantity: 100 } } },
                ],
              },
            },
          ],
        },
      },
      {
        match: byReference('PO-PS-4'),
        consignment: {
          updates: [
            {
              good: {
                updates: [
                  {
                    match: byId(tiles.id),
                    handling_unit: {
                      updates: [{ match: { matches_all: [{ handling_unit: { barcode: { matches_any: ['SSCC-1'] } } }] }, update: { operation: 'DELETE' } }],
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    ]);
    expect(result.errors).toEqual([]);
    const goods = (await order(o.id)).consignments[0]?.goods as Good[];
    expect(goods.map((g) => g.description)).toEqual(['Pallets of tiles', 'Spacers']);
    expect(goods[0]).toMatchObject({ id: tiles.id, quantity: 14 });
    expect(goods[0]?.handling_units?.map((u) => u.barcode?.value)).toEqual(['SSCC-2']);
    expect(goods[0]?.handling_units?.[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('access', () => {
  it('a customer webhook client matches only its own orders; other tenants match nothing', async () => {
    const o = await create('PA-1');
    const betaId = (await ctx.services.companies.findCompanyId(admin.tenantId, 'BETA')) as string;
    const betaHook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId, kind: 'WEBHOOK' });
    const other = await newTenant(ctx, 'Other');
    const otherHook = await newClient(ctx, other.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const update = {
      match: { matches_all: [{ order: { id: { matches_any: [o.id] } } }] },
      update: { operation: 'UPDATE', data: { planning_instructions: 'intruder' } },
    };
    for (const client of [betaHook, otherHook]) {
      expect((await partial([update], client)).errors[0]?.error_message).toMatch(/No order matches/);
    }
    expect((await order(o.id)).planning_instructions).toBe('Tail lift required');
  });

  it('takes Basic webhook credentials only, and answers bad bodies with 400', async () => {
    const bearer = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/partial-order-update',
      headers: { authorization: admin.auth },
      payload: { updates: [] },
    });
    expect(bearer.statusCode).toBe(401);
    for (const payload of [
      { updates: {} },
      { updates: [{ match: { matches_all: [{ order: { name: { matches_any: [] } } }] } }] },
      { updates: [{ update: { operation: 'MERGE' } }] },
      { updates: Array.from({ length: 101 }, () => ({})) },
    ]) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhook/partial-order-update', headers: { authorization: hook.auth }, payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expectContract('ValidationErrorResponse', res.json());
    }
  });
});
