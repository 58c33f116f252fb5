import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { BookingKind, TripBookingTable } from './bookings.tables.js';
import './bookings.tables.js';

export type BookingRow = Selectable<TripBookingTable>;

/** A stop a booking can be for: active on a live (not cancelled) trip of the tenant. */
export interface BookableStop {
  stop_id: string;
  trip_id: string;
  order_id: string;
  trip_name: string;
  subcontractor_company_id: string | null;
}

function bookableStops(exec: Executor, tenantId: string, kind: BookingKind) {
  return exec
    .selectFrom('trip_stops as ts')
    .innerJoin('trips as t', (j) => j.onRef('t.tenant_id', '=', 'ts.tenant_id').onRef('t.id', '=', 'ts.trip_id'))
    .leftJoin('trip_bookings as b', (j) => j.onRef('b.tenant_id', '=', 'ts.tenant_id').onRef('b.stop_id', '=', 'ts.stop_id').on('b.kind', '=', kind))
    .select(['ts.stop_id', 'ts.trip_id', 'ts.order_id', 't.name as trip_name', 't.subcontractor_company_id'])
    .where('ts.tenant_id', '=', tenantId)
    .where('ts.active', '=', true)
    .where('t.cancelled_at', 'is', null);
}

export function bookableStop(exec: Executor, tenantId: string, kind: BookingKind, stopId: string): Promise<BookableStop | undefined> {
  return bookableStops(exec, tenantId, kind).where('ts.stop_id', '=', stopId).executeTakeFirst();
}

/**
 * The stops whose booking meets every criterion (each list of references or trip names must
 * contain the booking's), those already booked first, at most `limit`.
 */
export function matchingStops(
  exec: Executor,
  tenantId: string,
  kind: BookingKind,
  c: { references: string[][]; tripNames: string[][] },
  limit: number,
): Promise<Array<BookableStop & { booked: boolean }>> {
  let q = bookableStops(exec, tenantId, kind).select(sql<boolean>`b.stop_id is not null`.as('booked'));
  for (const refs of c.references) q = q.where('b.booking_reference', 'in', refs);
  for (const names of c.tripNames) q = q.where('t.name', 'in', names);
  return q
    .orderBy(sql`b.stop_id is null`)
    .orderBy('ts.sequence')
    .limit(limit)
    .execute();
}

export function findBooking(exec: Executor, tenantId: string, stopId: string, kind: BookingKind, forUpdate = false): Promise<BookingRow | undefined> {
  const q = exec.selectFrom('trip_bookings').selectAll().where('tenant_id', '=', tenantId).where('stop_id', '=', stopId).where('kind', '=', kind);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function saveBooking(exec: Executor, row: Insertable<TripBookingTable>): Promise<BookingRow> {
  const { tenant_id: _t, stop_id: _s, kind: _k, ...set } = row;
  return exec
    .insertInto('trip_bookings')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'stop_id', 'kind']).doUpdateSet({ ...set, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function tripBookings(exec: Executor, tenantId: string, tripId: string): Promise<BookingRow[]> {
  return exec
    .selectFrom('trip_bookings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('trip_id', '=', tripId)
    .orderBy('created_at')
    .orderBy('kind')
    .execute();
}
