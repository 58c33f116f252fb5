import { afterAll, beforeAll, expect } from 'vitest';
import { newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { Receiver } from '../support/webhook-receiver.js';
import { webhookWorld } from '../support/webhook-world.js';
import { expectContract } from '../support/contract.js';
import { get, realisticOrder, upload } from '../orders/orders.fixtures.js';

export interface OrderStops {
  orderId: string;
  name: string;
  /** Stops in the order's sequence: P1, D1, P2, D2 for `realisticOrder`. */
  stops: Array<{ id: string; stop_type: string; consignment_id: string; status: string; reference_number: string | null }>;
}

/** Creates a `realisticOrder` (two consignments) and answers its stops. */
export async function orderWithStops(ctx: TestContext, client: Client, identifier: string, overrides: Record<string, unknown> = {}): Promise<OrderStops> {
  const res = await upload(ctx, client, realisticOrder(identifier, overrides));
  expect(res.json().upload_status, res.body).toBe('COMPLETED');
  const order = (await get(ctx, client, `/v1/orders/order/${res.json().order_id}`)).json();
  return { orderId: order.id, name: order.name, stops: order.stops };
}

export const stopRef = (ref: string, stops: OrderStops['stops']) => {
  const stop = stops.find((s) => s.reference_number?.endsWith(ref));
  if (!stop) throw new Error(`no stop ${ref}`);
  return stop.id;
};

export async function tripCall(
  ctx: TestContext,
  client: Client,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) {
  return ctx.app.inject({ method, url, headers: { authorization: client.auth, ...headers }, ...(payload ? { payload } : {}) });
}

/** Creates an own resource in master data (`{name, resource_type}` at least) and answers its id. */
export async function newResource(ctx: TestContext, admin: Client, body: Record<string, unknown>): Promise<string> {
  const res = await tripCall(ctx, admin, 'POST', '/v1/resources/resource', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().row_id as string;
}

export interface TripBody {
  id: string;
  name: string;
  status: string;
  version: number;
  cancelled: boolean;
  orders: Array<{ id: string; name: string }>;
  stops: Array<{ id: string; status: string; date: string | null; order: { row_id: string }; time_window: Record<string, unknown> | null }>;
  dispatch: { status: string; errors: Array<{ error_type: string; error_message: string | null }> };
  [key: string]: unknown;
}

/** Plans a trip over these stop ids (in this order); the answer is a contract-valid TripOutput. */
export async function planTrip(ctx: TestContext, admin: Client, stopIds: string[]): Promise<TripBody> {
  const res = await tripCall(ctx, admin, 'POST', '/v1/trips/trip', { stops: stopIds.map((id) => ({ id })) });
  expect(res.statusCode, res.body).toBe(200);
  expectContract('TripOutput', res.json());
  return res.json() as TripBody;
}

export interface TripsWorld {
  ctx: TestContext;
  admin: Client;
  /** The customer company ACME that `orderWithStops` orders for. */
  acmeId: string;
  /** A real receiver on 127.0.0.1 registered as an endpoint (of `companyId`, or the tenant's when null). */
  receiver(companyId: string | null, families: string[]): Promise<{ receiver: Receiver; secret: string }>;
}

/**
 * For one trip test file: an app with its webhook engine running (no retry delays), a tenant admin
 * and the customer ACME; receivers made with `receiver()` are closed at the end.
 */
export function tripsWorld(overrides: Parameters<typeof webhookWorld>[0] = {}): TripsWorld {
  const webhooks = webhookWorld({ webhookRetrySchedule: [0, 0], ...overrides });
  const receivers: Receiver[] = [];
  const world = {
    async receiver(companyId: string | null, families: string[]) {
      const receiver = await new Receiver().start();
      receivers.push(receiver);
      const res = await world.ctx.app.inject({
        method: 'POST',
        url: '/v1/admin/webhook-endpoints',
        headers: { authorization: world.admin.auth },
        payload: { url: receiver.url, families, ...(companyId ? { company_id: companyId } : {}) },
      });
      expect(res.statusCode, res.body).toBe(201);
      return { receiver, secret: res.json().secret as string };
    },
  } as TripsWorld;
  beforeAll(async () => {
    world.ctx = webhooks.ctx;
    world.admin = await newTenant(world.ctx);
    world.acmeId = await newCompany(world.ctx, world.admin, { name: 'Acme', code: 'ACME' });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });
  return world;
}
