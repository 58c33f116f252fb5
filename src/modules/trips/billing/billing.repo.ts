import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import '../trips.tables.js';

/**
 * What billing reads of trips: the agreed cost of a subcontracted trip. Accounting bills it; the
 * trips' tables stay trips' own, so accounting asks through these two functions (on the trips
 * service) and passes its transaction's executor, so the locks last until its commit.
 */
export interface BillableTrip {
  id: string;
  name: string;
  status: string;
  purchase_price: string;
  purchase_currency: string;
}

/** The subcontractor's trips agreed at exactly this price (references are looked up with billableTripsByReference). */
export type BillableTripsFilter = { price: string; currency: string };

/** Which trips to lock: the subcontractor's completed ones with an agreed price (the given ones, or all), or trips by id. */
export type BillingLock = { subcontractorId: string; completed: true; tripIds?: string[] } | { tripIds: string[] };

// Qualified, so a caller may join the stops and orders a trip carries.
const tripColumns = ['trips.id', 'trips.name', 'trips.status', 'trips.purchase_price', 'trips.purchase_currency'] as const;

/** Live trips dispatched to this subcontractor with an agreed price. */
function agreedTrips(db: Executor, tenantId: string, subcontractorId: string) {
  return db
    .selectFrom('trips')
    .select([...tripColumns])
    .where('trips.tenant_id', '=', tenantId)
    .where('trips.subcontractor_company_id', '=', subcontractorId)
    .where('trips.executor', '=', 'SUBCONTRACTOR')
    .where('trips.cancelled_at', 'is', null)
    .where('trips.purchase_price', 'is not', null);
}

/** References per query: a query takes only so many parameters. */
const REFERENCES_PER_QUERY = 500;

/**
 * Each reference given, with the subcontractor's live trips with an agreed price that it names: by
 * the trip's name, or by the name or customer reference of an order on one of the trip's active
 * stops. Two queries per 500 distinct references, however many lines of a document ask, so a
 * long e-invoice does not hold the database for a statement per line.
 */
export async function billableTripsByReference(
  db: Executor,
  tenantId: string,
  subcontractorId: string,
  references: string[],
): Promise<Map<string, BillableTrip[]>> {
  const named = new Map<string, Map<string, BillableTrip>>();
  const add = (reference: string | null, trip: BillableTrip) => {
    if (reference === null) return;
    const trips = named.get(reference) ?? new Map<string, BillableTrip>();
    trips.set(trip.id, trip);
    named.set(reference, trips);
  };
  const unique = [...new Set(references)];
  for (let i = 0; i < unique.length; i += REFERENCES_PER_QUERY) {
    const chunk = unique.slice(i, i + REFERENCES_PER_QUERY);
    const [byName, byOrder] = await Promise.all([
      agreedTrips(db, tenantId, subcontractorId).where('trips.name', 'in', chunk).execute(),
      agreedTrips(db, tenantId, subcontractorId)
        .innerJoin('trip_stops', (j) => j.onRef('trip_stops.tenant_id', '=', 'trips.tenant_id').onRef('trip_stops.trip_id', '=', 'trips.id'))
        .innerJoin('orders', (j) => j.onRef('orders.tenant_id', '=', 'trip_stops.tenant_id').onRef('orders.id', '=', 'trip_stops.order_id'))
        .select(['orders.name as order_name', 'orders.customer_reference_number as order_reference'])
        .where('trip_stops.active', '=', true)
        .where((o) => o.or([o('orders.name', 'in', chunk), o('orders.customer_reference_number', 'in', chunk)]))
        .execute(),
    ]);
    for (const trip of byName) add(trip.name, trip as BillableTrip);
    for (const { order_name, order_reference, ...trip } of byOrder) {
      add(order_name, trip as BillableTrip);
      add(order_reference, trip as BillableTrip);
    }
  }
  const wanted = new Set(unique);
  return new Map([...named].filter(([reference]) => wanted.has(reference)).map(([reference, trips]) => [reference, [...trips.values()]]));
}

/** The subcontractor's live trips agreed at exactly the filter's price and currency, in id order. */
export async function billableTrips(db: Executor, tenantId: string, subcontractorId: string, filter: BillableTripsFilter): Promise<BillableTrip[]> {
  const rows = await agreedTrips(db, tenantId, subcontractorId)
    .where('trips.purchase_currency', '=', filter.currency)
    .where(sql<boolean>`trips.purchase_price = ${filter.price}::numeric`)
    .orderBy('trips.id')
    .execute();
  return rows as BillableTrip[];
}

/**
 * Locks trips in id order, so two requests never deadlock and claims on a trip are decided one
 * request at a time. Whether a trip is billed already must be read *after* the lock: a request
 * that waited for it then sees the other one's claim. Answers the locked trips of the
 * subcontractor's kind of lock; none for a lock by id.
 */
export async function lockForBilling(db: Executor, tenantId: string, lock: BillingLock): Promise<BillableTrip[]> {
  if (!('subcontractorId' in lock)) {
    if (lock.tripIds.length)
      await db.selectFrom('trips').select('id').where('tenant_id', '=', tenantId).where('id', 'in', lock.tripIds).orderBy('id').forUpdate().execute();
    return [];
  }
  let q = agreedTrips(db, tenantId, lock.subcontractorId).where('trips.status', '=', 'COMPLETED');
  if (lock.tripIds) q = q.where('trips.id', 'in', lock.tripIds);
  return (await q.orderBy('trips.id').forUpdate().execute()) as BillableTrip[];
}
