/**
 * When a transport was supplied (EN 16931 BT-72, or the invoicing period BT-73/BT-74 when the
 * invoice bills several days): the delivery dates of the orders it invoices. Pure: the orders come
 * in as their answers show them.
 */

/** What this needs of an order: its stops, as the orders module answers them. */
export interface DeliveredOrder {
  stops: ReadonlyArray<{ stop_type: string; status: string; date?: string | null; end_timestamp: string | null }>;
}

export interface SupplyPeriod {
  start: string;
  end: string;
}

/**
 * An order's delivery day: when its last delivery was completed, else the day it is planned for,
 * else the day it is expected to end. Null when none is known (an order of custom stops only).
 */
export function deliveryDay(order: DeliveredOrder): string | null {
  const deliveries = order.stops.filter((s) => s.stop_type === 'DELIVERY' && s.status !== 'CANCELLED');
  const days = deliveries.flatMap((s) => {
    const done = s.status === 'COMPLETED' && s.end_timestamp ? s.end_timestamp.slice(0, 10) : null;
    const day = done ?? s.date ?? s.end_timestamp?.slice(0, 10) ?? null;
    return day ? [day] : [];
  });
  return days.length ? (days.sort().at(-1) as string) : null;
}

/** From the first to the last delivery day of the orders; null when no order knows its day (the issue date stands then). */
export function supplyPeriod(orders: readonly DeliveredOrder[]): SupplyPeriod | null {
  const days = orders.flatMap((o) => deliveryDay(o) ?? []).sort();
  return days.length ? { start: days[0] as string, end: days.at(-1) as string } : null;
}
