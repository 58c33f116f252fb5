import type { OrderStatus, StopStatus } from '../status/status.policy.js';

export interface PublicStop {
  status: StopStatus;
  /** What it reads of the stop's location (the stored `LocationInput`). */
  location: { city?: string | null; country?: string | null };
  eta_start: Date | null;
  eta_end: Date | null;
  actual_start: Date | null;
  updated_at: Date;
}

export interface PublicTracking {
  status: OrderStatus;
  eta: string | null;
  delivery_town: string | null;
  delivery_country: string | null;
  updated_at: string;
}

const DROPPED: ReadonlySet<StopStatus> = new Set(['CANCELLED', 'IGNORED']);

const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null);

/**
 * What a public tracking link shows, and nothing else: the order's status, and of the delivery it
 * is heading for (the first one not yet completed, else the last one) its town, country and
 * expected arrival, the actual arrival once it was delivered. Names, streets, references, prices
 * and documents never leave this function, whatever the stop's location holds.
 */
export function publicTracking(order: { status: OrderStatus; updated_at: Date }, deliveries: readonly PublicStop[]): PublicTracking {
  const active = deliveries.filter((s) => !DROPPED.has(s.status));
  const stop = active.find((s) => s.status !== 'COMPLETED') ?? active.at(-1);
  const location = stop?.location ?? {};
  const arrival = stop?.status === 'COMPLETED' ? (stop.actual_start ?? stop.eta_start) : (stop?.eta_start ?? stop?.eta_end ?? null);
  const updated = Math.max(order.updated_at.getTime(), ...deliveries.map((s) => s.updated_at.getTime()));
  return {
    status: order.status,
    eta: arrival ? arrival.toISOString() : null,
    delivery_town: text(location.city, 100),
    delivery_country: text(location.country, 2),
    updated_at: new Date(updated).toISOString(),
  };
}
