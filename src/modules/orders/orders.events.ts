import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf } from '../../platform/events/catalog.js';
import type { Tx } from '../../platform/db/tx.js';
import { appendEvent, type EventPrelude, type NewEvent } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import { deriveOrderStatus } from './status/status.policy.js';
import * as repo from './orders.repo.js';
import type { OrderRow } from './orders.repo.js';

/**
 * Order events (appended by `appendOrderEvent` below), visible to the tenant and the order's customer.
 * `order_name` may be drawn in the event's own statement (an EventPrelude), so it is absent here
 * when the prelude names the order.
 */
const order = (summary: string) => ({
  entityType: 'order',
  summary,
  payload: Type.Object({
    order_id: Type.String(),
    order_name: Type.Optional(Nullable(Type.String())),
    status: Type.String(),
    order_identifier: Nullable(Type.String()),
    customer_reference_number: Nullable(Type.String()),
    order_snapshot: Type.Optional(Type.Unknown({ description: "The contract's VisibilityOrder as of the change." })),
  }),
  families: ['operational_visibility' as const],
});

/** The public tracking link's life; the payload never carries the token. */
const trackingLink = (summary: string) => ({
  entityType: 'order',
  summary,
  payload: Type.Object({ order_id: Type.String(), order_name: Type.String() }),
  families: [],
});

/** A customer's order templates (the portal's booking form); visible to the tenant and that customer. */
const template = (summary: string) => ({
  entityType: 'order_template',
  summary,
  payload: Type.Object({ template_id: Type.String(), name: Type.String() }),
  families: [],
});

export const orderEvents = declareEvents('orders', {
  'order.accepted': order('An order was created or imported and accepted.'),
  'order.updated': order('An order was changed (a full or partial update, or an import of a changed order).'),
  'order.cancelled': order('An order was cancelled with its open stops.'),
  'order.import_rejected': order('An imported order was rejected; the payload says why.'),
  'order.status_changed': order('The status derived from its stops changed as trips planned, dispatched or executed them.'),
  'order.completed': order('Every stop of the order is completed.'),
  'order.tracking_link_created': trackingLink("A public tracking link was made for the order (replacing the order's previous one)."),
  'order.tracking_link_revoked': trackingLink("The order's public tracking link was revoked: it no longer answers."),
  'order_template.saved': template('A customer saved an order template (new, or changed under the same id).'),
  'order_template.deleted': template('A customer deleted an order template.'),
});

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof orderEvents> {}
}

export type OrderEventType =
  | 'order.accepted'
  | 'order.updated'
  | 'order.cancelled'
  | 'order.import_rejected'
  // Derived from its stops as trips plan, dispatch and execute them (see execution/execution.service.ts).
  | 'order.status_changed'
  | 'order.completed';

/**
 * Records an order event visible to the tenant and the order's customer; answers the order as
 * the event saw it (with its name when `prelude` named it).
 */
export async function appendOrderEvent(
  tx: Tx,
  bus: EventBus,
  type: OrderEventType,
  order: OrderRow,
  extra: Record<string, unknown> = {},
  prelude?: EventPrelude,
): Promise<OrderRow> {
  const { payload } = await appendEvent(tx, bus, orderEvent(type, order, extra), prelude);
  return { ...order, name: String(payload.order_name) };
}

/** An order event as `appendOrderEvent` records it (a new order's import writes it in its own statement). */
export function orderEvent(type: OrderEventType, order: OrderRow, extra: Record<string, unknown> = {}): NewEvent<OrderEventType> {
  return {
    tenantId: order.tenant_id,
    type,
    entityType: 'order',
    entityId: order.id,
    companyIds: [order.customer_company_id],
    payload: {
      order_id: order.id,
      order_name: order.name,
      status: order.status,
      order_identifier: order.order_identifier,
      customer_reference_number: order.customer_reference_number,
      ...extra,
    },
  };
}

/**
 * Cancels a live order: its stops (except completed ones) and the order itself. The caller holds
 * the order's lock, has checked that it may be cancelled, and records `order.cancelled`.
 */
export async function cancelOrderRows(tx: Tx, existing: OrderRow): Promise<OrderRow> {
  await repo.cancelStops(tx.trx, existing.tenant_id, existing.id);
  return repo.updateOrder(tx.trx, existing.tenant_id, existing.id, {
    cancelled_at: new Date(),
    // A cancelled order is CANCELLED whatever its stops say.
    status: deriveOrderStatus({ quote: existing.is_quote, cancelled: true, stopStatuses: [] }),
  });
}

/** Called inside the transaction that changed or cancelled an order (trips re-send their dispatch). */
export type OrderChangeListener = (tx: Tx, tenantId: string, orderId: string) => Promise<void>;

/**
 * Other modules' reactions to an order change, run in the changing transaction before the order's
 * event: the orders module knows nothing of trips, trips register here.
 */
export class OrderChangeHooks {
  private readonly listeners: OrderChangeListener[] = [];

  add(listener: OrderChangeListener): void {
    this.listeners.push(listener);
  }

  async notify(tx: Tx, order: Pick<OrderRow, 'tenant_id' | 'id'>): Promise<void> {
    for (const listener of this.listeners) await listener(tx, order.tenant_id, order.id);
  }
}
