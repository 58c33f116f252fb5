import { expect } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';

/** A realistic order: two consignments from one warehouse, several goods, time windows, references. */
export function realisticOrder(identifier: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const warehouse = {
    name: 'Antwerp DC',
    address: 'Noorderlaan 100',
    postal_code: '2030',
    city: 'Antwerpen',
    country: 'BE',
    latitude: 51.2503,
    longitude: 4.4069,
  };
  return {
    operation: 'CREATE',
    order_identifier: identifier,
    customer: { code: 'ACME' },
    order_status: 'TO_PLAN',
    customer_reference_number: `PO-${identifier}`,
    planning_instructions: 'Tail lift required',
    contact_emails: ['planning@acme.example'],
    custom_fields: { cost_center: 'CC-12' },
    pricing: { requested_price: '845.50' },
    transport_service: { code: 'FTL' },
    consignments: [
      {
        consignment_reference_number: `${identifier}-C1`,
        pickup_stop: {
          location: warehouse,
          date: '2026-12-01',
          time_window: { start_time: '08:00', end_time: '12:00' },
          reference_number: `${identifier}-P1`,
          note: 'Dock 4',
        },
        delivery_stop: {
          location: { name: 'Lyon Hub', address: '12 Rue de la Gare', postal_code: '69007', city: 'Lyon', country: 'FR' },
          date: '2026-12-02',
          time_window: { start_time: '09:00', end_time: '17:00', is_enforced: true },
          reference_number: `${identifier}-D1`,
          phone_number: '+33 4 00 00 00 00',
        },
        goods: [
          { description: 'Pallets of tiles', quantity: 12, total_weight_kg: 9600, stackable: false, packaging_type: { code: 'EUR' } },
          { description: 'Grout', quantity: 4, total_weight_kg: 800, total_volume_m3: 2.5 },
        ],
      },
      {
        consignment_reference_number: `${identifier}-C2`,
        pickup_stop: { location: warehouse, date: '2026-12-01', reference_number: `${identifier}-P2` },
        delivery_stop: {
          location: { name: 'Grenoble Store', city: 'Grenoble', postal_code: '38000', country: 'FR' },
          date: '2026-12-03',
          time_window: { start_time: '07:30', end_time: '11:00' },
          reference_number: `${identifier}-D2`,
        },
        goods: [
          { description: 'Adhesive', quantity: 10, total_weight_kg: 250 },
          { description: 'Tools', quantity: 1, total_weight_kg: 40, adr_type: 'LIMITED_QUANTITY' },
        ],
      },
    ],
    ...overrides,
  };
}

export async function upload(ctx: TestContext, client: Client, body: unknown, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: '/v1/orders/order/upload', headers: { authorization: client.auth, ...headers }, payload: body as object });
}

export async function get(ctx: TestContext, client: Client, url: string) {
  return ctx.app.inject({ method: 'GET', url, headers: { authorization: client.auth } });
}

export interface PartialUpdateResult {
  errors: Array<{ error_type: string; error_message: string }>;
  results: Array<{ outcome: string; order_id: string | null }>;
}

/** POST /v1/webhook/partial-order-update; the answer is 200 and valid against the contract. */
export async function partialUpdate(ctx: TestContext, client: Client, updates: unknown[]): Promise<PartialUpdateResult> {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhook/partial-order-update', headers: { authorization: client.auth }, payload: { updates } });
  expect(res.statusCode, res.body).toBe(200);
  expectContract('PartialOrderUpdateResponse', res.json());
  return res.json() as PartialUpdateResult;
}

/** A partial-update match on the customer reference number. */
export const byReference = (ref: string) => ({ matches_all: [{ order: { customer_reference_number: { matches_any: [ref] } } }] });

/**
 * The world most order tests start from: a tenant admin, a tenant WEBHOOK client and the customer
 * companies ACME (and BETA unless `companies` says otherwise).
 */
export async function ordersWorld(
  companies: Array<{ name: string; code: string }> = [
    { name: 'Acme', code: 'ACME' },
    { name: 'Beta Foods', code: 'BETA' },
  ],
) {
  const ctx = await createTestApp();
  const admin = await newTenant(ctx);
  const hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  for (const company of companies) await newCompany(ctx, admin, company);
  return { ctx, admin, hook };
}
