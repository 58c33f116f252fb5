import { describe, expect, it } from 'vitest';
import type { CompanyParty } from '../../src/modules/companies/index.js';
import { companySchemas } from '../../src/modules/companies/index.js';
import { headerOf, newOrderAggregate, planConsignments, rowsOf } from '../../src/modules/orders/orders.mapping.js';
import type { OrderRow } from '../../src/modules/orders/orders.repo.js';
import type { OrderInput } from '../../src/modules/orders/orders.schemas.js';
import { nullableDocumentSerializer } from '../../src/modules/orders/status/status.serializer.js';
import { orderWithStatus } from '../../src/modules/orders/views/views.output.js';
import { OrderWithStatus, ordersSchemas } from '../../src/modules/orders/views/views.schemas.js';
import { commonSchemas } from '../../src/platform/http/schemas.js';
import { documentSerializer } from '../../src/platform/http/validation.js';
import { realisticOrder } from './orders.fixtures.js';

// The stored status document skips Ajv's branch choice on nullable fields (issue 21); it must
// still write exactly the bytes the route's own serializer writes.
const externals = [...commonSchemas, ...companySchemas, ...ordersSchemas];
const routeSerializer = documentSerializer(OrderWithStatus, externals);
const storedSerializer = nullableDocumentSerializer(OrderWithStatus, externals);

const TENANT = '00000000-0000-4000-8000-000000000001';
const ORDER = '00000000-0000-4000-8000-000000000002';
const customer = {
  id: '00000000-0000-4000-8000-000000000003',
  tenant_id: TENANT,
  code: 'ACME',
  accounting_code: null,
  name: 'Acme',
  currency: 'EUR',
  locale: null,
  version: 1,
  is_customer: true,
  is_subcontractor: false,
  is_buyer_or_seller: false,
  archived_customer: false,
  archived_buyer_or_seller: false,
  archived_subcontractor: false,
  subcontractor_sees_order_details: false,
  updated_at: new Date('2026-12-01T08:00:00.000Z'),
  details: { custom_fields: { tier: 'gold' } },
} as unknown as CompanyParty;

function aggregate(input: OrderInput, quote = false) {
  const rows = rowsOf(TENANT, ORDER, planConsignments(input.consignments));
  const at = new Date('2026-12-01T09:30:00.123Z');
  const order: OrderRow = {
    tenant_id: TENANT,
    id: ORDER,
    name: 'OR-000001',
    order_identifier: input.order_identifier,
    customer_company_id: customer.id,
    customer_reference_number: input.customer_reference_number ?? null,
    is_quote: quote,
    status: quote ? 'QUOTE' : 'TO_PLAN',
    cancelled_at: null,
    customer_entity: { code: 'ACME' },
    header: headerOf(input),
    input_hash: 'x',
    created_by_client_id: null,
    created_at: at,
    updated_at: at,
  };
  return newOrderAggregate(order, rows);
}

describe('the stored status document serializer', () => {
  it('writes the same bytes as the route serializer, new, in progress, quoted and without optional parts', () => {
    const input = realisticOrder('SER-1.x') as unknown as OrderInput;
    const fresh = aggregate(input);
    const moving = aggregate(input);
    moving.stops = moving.stops.map((s, i) => ({
      ...s,
      status: i === 0 ? 'COMPLETED' : i === 1 ? 'CANCELLED' : 'PLANNED',
      eta_start: '2026-12-02T08:00:00+00:00',
      eta_end: i === 0 ? null : '2026-12-02T09:00:00+00:00',
      actual_start: i === 0 ? '2026-12-02T08:05:00.5+00:00' : null,
      actual_end: i === 0 ? '2026-12-02T08:45:00+00:00' : null,
    }));
    const bare = aggregate({
      ...input,
      pricing: { requested_price: 120.5 },
      consignments: input.consignments.map(({ goods: _g, ...c }) => ({
        ...c,
        pickup_stop: { location: c.pickup_stop.location },
        delivery_stop: { location: c.delivery_stop.location, time_window: null },
      })),
    } as OrderInput);
    const quoted = aggregate(input, true);
    for (const order of [fresh, moving, bare, quoted]) {
      const document = orderWithStatus(order, customer);
      expect(storedSerializer(document)).toBe(routeSerializer(document));
    }
    expect(JSON.parse(storedSerializer(orderWithStatus(bare, customer))).pricing.requested_price).toBe(120.5);
  });
});
