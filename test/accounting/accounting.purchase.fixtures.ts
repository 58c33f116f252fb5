import { expect } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { ok, seedBillingEntity } from './accounting.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall } from '../trips/trips.fixtures.js';

/** The purchase side's set-up: a billing entity with a PURCHASE rate, and a subcontractor with a WEBHOOK client. */
export async function seedPurchase(ctx: TestContext, admin: Client, code = 'HAUL') {
  await seedBillingEntity(ctx, admin);
  await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BE21-P', name: 'VAT 21% purchase', percentage: '21', invoice_type: 'PURCHASE' });
  const subcoId = await subcontractor(ctx, admin, code);
  const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
  return { subcoId, subco };
}

export async function subcontractor(ctx: TestContext, admin: Client, code: string) {
  return newCompany(ctx, admin, {
    name: `Haulers ${code}`,
    code,
    is_customer: false,
    is_subcontractor: true,
    legal_name: `Haulers ${code} BV`,
    vat_number: 'BE0477472701',
    billing_location: { address: 'Industrieweg 5', city: 'Gent', postal_code: '9000', country: 'BE' },
    purchase: { payment_term: { code: 'NET_30' } },
  });
}

/** A trip of one order dispatched to the subcontractor at this price and, unless told otherwise, completed by it. */
export async function subcontractedTrip(ctx: TestContext, admin: Client, subco: Client, subcoId: string, identifier: string, price: string, complete = true) {
  const order = await orderWithStops(ctx, admin, identifier);
  const stops = ['P1', 'P2', 'D1', 'D2'].map((r) => stopRef(r, order.stops));
  const trip = await planTrip(ctx, admin, stops);
  const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: price });
  expect(dispatched.statusCode, dispatched.body).toBe(200);
  if (complete) {
    const updates = stops.map((id, i) => ({ stop: { id, status: 'COMPLETED' }, event_time: `2026-11-2${i}T10:00:00Z` }));
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhook/subco-status-update', headers: { authorization: subco.auth }, payload: { updates } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json().status).toBe('COMPLETED');
  }
  return { id: trip.id, name: trip.name, orderName: order.name };
}
