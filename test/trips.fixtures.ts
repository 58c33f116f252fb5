import { expect } from 'vitest';
import type { Client, TestContext } from './support/app.js';
import { expectContract } from './support/contract.js';
import { get, realisticOrder, upload } from './orders.fixtures.js';

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

export async function tripCall(ctx: TestContext, client: Client, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method, url, headers: { authorization: client.auth, ...headers }, ...(payload ? { payload } : {}) });
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
