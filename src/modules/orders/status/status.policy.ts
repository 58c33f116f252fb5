/**
 * The order status model. Stops carry the operational truth (a trip plans, dispatches and
 * completes them); the order status is always derived from them by `deriveOrderStatus`, so
 * every module that moves a stop gets a consistent order status by calling this one function.
 */

export const STOP_STATUSES = [
  'TEMPLATE',
  'BLOCKED',
  'TO_PLAN',
  'PLANNED',
  'DISPATCHED',
  'ROUTE_TO_STOP',
  'AT_STOP',
  'COMPLETED',
  'CANCELLED',
  'IGNORED',
] as const;
export type StopStatus = (typeof STOP_STATUSES)[number];

export const ORDER_STATUSES = ['QUOTE', 'TO_PLAN', 'PLANNED', 'IN_TRANSIT', 'COMPLETED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Stops that no longer take part in the order's execution. */
const DROPPED: ReadonlySet<StopStatus> = new Set(['CANCELLED', 'IGNORED']);
/** A vehicle is on its way to, at, or done with the stop: the goods are moving. */
const UNDER_WAY: ReadonlySet<StopStatus> = new Set(['ROUTE_TO_STOP', 'AT_STOP', 'COMPLETED']);
/** Assigned to a trip but not yet under way. */
const PLANNED: ReadonlySet<StopStatus> = new Set(['PLANNED', 'DISPATCHED']);

export interface OrderStatusInput {
  /** The order was entered (or last updated) with `order_status: QUOTE`. */
  quote: boolean;
  /** The order was cancelled (DELETE); nothing un-cancels it. */
  cancelled: boolean;
  stopStatuses: readonly StopStatus[];
}

export function deriveOrderStatus({ quote, cancelled, stopStatuses }: OrderStatusInput): OrderStatus {
  if (cancelled) return 'CANCELLED';
  const active = stopStatuses.filter((s) => !DROPPED.has(s));
  if (stopStatuses.length > 0 && active.length === 0) return 'CANCELLED';
  if (active.length > 0 && active.every((s) => s === 'COMPLETED')) return 'COMPLETED';
  if (active.some((s) => UNDER_WAY.has(s))) return 'IN_TRANSIT';
  // A quote is not plannable, whatever its stops say, until it is confirmed as TO_PLAN.
  if (quote) return 'QUOTE';
  if (active.length > 0 && active.every((s) => PLANNED.has(s))) return 'PLANNED';
  return 'TO_PLAN';
}

/** Whether an order in this status may still be switched between QUOTE and TO_PLAN by an UPDATE. */
export function canChangeQuoteFlag(status: OrderStatus): boolean {
  return status === 'QUOTE' || status === 'TO_PLAN';
}

/** Whether an order in this status may be cancelled: not once its goods were delivered. */
export function canCancel(status: OrderStatus): boolean {
  return status !== 'COMPLETED';
}

export type VisibilityStopStatus = 'TO_PLAN' | 'DISPATCHED' | 'ROUTE_TO_STOP' | 'PLANNED' | 'TODO' | 'AT_STOP' | 'COMPLETED' | 'CANCELLED';

/** The visibility webhook has a narrower stop vocabulary than the REST outputs. */
export function visibilityStopStatus(status: StopStatus): VisibilityStopStatus {
  switch (status) {
    case 'TEMPLATE':
    case 'BLOCKED':
      return 'TO_PLAN';
    case 'IGNORED':
      return 'CANCELLED';
    default:
      return status;
  }
}
