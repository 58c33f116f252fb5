import type { components } from '../api/openapi';
import type { MessageKey, Translate } from '../i18n';

/*
 * The server's enums as the console lists them (filters, labels). Each list `satisfies` the
 * generated OpenAPI type, so a value the server renames or drops fails `npm run typecheck`.
 */
type Schemas = components['schemas'];
type StopStatus = Schemas['OrderStopOutput']['status'];

/** Wire values shown to people: a location in one line, a requested slot, a known status's label. */
export interface LocationLike {
  name?: string | null;
  address?: string | null;
  postal_code?: string | null;
  city?: string | null;
  country?: string | null;
}

export function locationText(location: LocationLike | null | undefined): string {
  if (!location) return '—';
  const place = [location.postal_code, location.city].filter(Boolean).join(' ');
  return [location.name, location.address, place, location.country].filter(Boolean).join(', ') || '—';
}

/** `2026-12-01 08:00–12:00`: the customer's requested date and time window as sent. */
export function requestedText(date: string | null | undefined, window: { start_time?: string | null; end_time?: string | null } | null | undefined): string {
  if (!date) return '—';
  const times = [window?.start_time?.slice(0, 5), window?.end_time?.slice(0, 5)].filter(Boolean).join('–');
  return times ? `${date} ${times}` : date;
}

/** A status's label when the dictionary has one (`<prefix>.<STATUS>`), else the status itself. */
export function labelOf(t: Translate, prefix: string, value: string, known: readonly string[]): string {
  return known.includes(value) ? t(`${prefix}.${value}` as MessageKey) : value;
}

/** A wire value's label from a table of dictionary keys (when names differ by value), else the value itself. */
export function labelFrom(t: Translate, keys: Readonly<Record<string, MessageKey>>, value: string): string {
  const key = keys[value];
  return key ? t(key) : value;
}

export const ORDER_STATUSES = [
  'QUOTE',
  'TO_PLAN',
  'PLANNED',
  'IN_TRANSIT',
  'COMPLETED',
  'CANCELLED',
] as const satisfies readonly Schemas['OrderOutput']['status'][];
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
] as const satisfies readonly StopStatus[];
/** Stop statuses at which `start_timestamp`/`end_timestamp` are the actual times (before: the ETA). */
export const REACHED_STOP_STATUSES: readonly string[] = ['AT_STOP', 'COMPLETED'] satisfies readonly StopStatus[];
export const TRIP_STATUSES = ['CREATED', 'PLANNED', 'COMPLETED'] as const satisfies readonly Schemas['TripOutput']['status'][];
export const DISPATCH_STATUSES = ['NONE', 'SENT', 'ACCEPTED', 'REJECTED'] as const satisfies readonly Schemas['TripOutput']['dispatch']['status'][];
export const EXECUTORS = ['NONE', 'SUBCONTRACTOR', 'FLEET'] as const satisfies readonly Schemas['TripOutput']['executor'][];
