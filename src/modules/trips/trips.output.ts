import type { Executor } from '../../platform/db/database.js';
import { subcontractorView, type CompaniesService } from '../companies/index.js';
import type { OrderOutput, OrdersService, VisibilityOrder } from '../orders/index.js';
import type { DispatchSnapshot } from './dispatch/dispatch.policy.js';
import * as repo from './trips.repo.js';
import type { TripRow } from './trips.repo.js';
import type { TripOutput, TripStopOutput } from './trips.schemas.js';

/** A trip as every reader needs it: the API output, the executor's snapshot, and its orders. */
export interface TripView {
  trip: TripRow;
  output: TripOutput;
  snapshot: DispatchSnapshot;
  orders: OrderOutput[];
}

/**
 * Builds a trip's wire shapes from its row, its stop list and its orders as the orders module
 * shows them, all read through `exec`: inside a transaction, a snapshot shows what it wrote.
 */
export function createTripReader(deps: { orders: Pick<OrdersService, 'tripOrders'>; companies: Pick<CompaniesService, 'findById'> }) {
  return async function view(exec: Executor, trip: TripRow): Promise<TripView> {
    const planned = await repo.tripStops(exec, trip.tenant_id, trip.id);
    const orderIds = [...new Set(planned.map((s) => s.order_id))];
    const orders = await deps.orders.tripOrders(exec, trip.tenant_id, orderIds);
    const stopsById = new Map(orders.flatMap((o) => o.stops.map((s) => [s.id, { ...s, order: { row_id: o.id } }] as const)));
    // A stop its order no longer has (an order UPDATE dropped it) is not shown.
    const stops: TripStopOutput[] = planned.flatMap((p) => stopsById.get(p.stop_id) ?? []);
    const subcontractor = trip.subcontractor_company_id ? await deps.companies.findById(trip.tenant_id, trip.subcontractor_company_id, exec) : undefined;
    const resourceAllocations = trip.resources.map((r) => ({
      resource: { id: r.id, name: r.name ?? null, resource_type: r.resource_type, is_external_resource: false },
    }));
    const output: TripOutput = {
      id: trip.id,
      name: trip.name,
      status: trip.status,
      orders: orders.map((o) => ({ id: o.id, name: o.name })),
      stops,
      resource_allocations: resourceAllocations,
      version: trip.version,
      cancelled: trip.cancelled_at !== null,
      executor: trip.executor,
      subcontractor: subcontractor ? { id: subcontractor.id, code: subcontractor.code, name: subcontractor.name } : null,
      purchase_price: trip.purchase_price,
      currency: trip.purchase_currency,
      resources: trip.resources,
      dispatch: { status: trip.dispatch_status, errors: trip.dispatch_errors, dispatched_at: trip.dispatched_at?.toISOString() ?? null },
      created_timestamp: trip.created_at.toISOString(),
      updated_timestamp: trip.updated_at.toISOString(),
    };
    // The executor learns the customers by name and code and no order pricing: a fleet app always,
    // a subcontractor unless the tenant opted it in. Its own purchase price is not order pricing.
    const wholeOrders = subcontractor?.subcontractor_sees_order_details === true;
    const snapshot: DispatchSnapshot = {
      id: trip.id,
      name: trip.name,
      orders: (wholeOrders ? orders : subcontractorView(orders)) as unknown as DispatchSnapshot['orders'],
      stops: stops as unknown as DispatchSnapshot['stops'],
      resource_allocations: resourceAllocations,
      custom_fields: {},
      purchase_price: trip.purchase_price,
    };
    return { trip, output, snapshot, orders };
  };
}

export type TripReader = ReturnType<typeof createTripReader>;

/** The trip's orders as the contract's `VisibilityOrder`s, read through `exec` (for visibility events). */
export async function visibilityOrders(exec: Executor, orders: Pick<OrdersService, 'visibilityOrder'>, v: TripView): Promise<VisibilityOrder[]> {
  const out: VisibilityOrder[] = [];
  for (const order of v.orders) out.push(await orders.visibilityOrder(v.trip.tenant_id, order.id, exec));
  return out;
}
