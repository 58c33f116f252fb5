import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf } from '../../platform/events/catalog.js';

/**
 * Order events (appended by orders.events.ts), visible to the tenant and the order's customer.
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
