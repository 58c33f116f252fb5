import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import './trips.tables.js';

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

/** Which of a subcontractor's trips: those named by references (the trip's name, or one of its orders' name or customer reference), or those agreed at exactly this price. */
export type BillableTripsFilter = { references: string[] } | { price: string; currency: string };

/** Which trips to lock: the subcontractor's completed ones with an agreed price (the given ones, or all), or trips by id. */
export type BillingLock = { subcontractorId: string; completed: true; tripIds?: string[] } | { tripIds: string[] };

const tripColumns = ['id', 'name', 'status', 'purchase_price', 'purchase_currency'] as const;

/** Live trips dispatched to this subcontractor with an agreed price. */
function agreedTrips(db: Executor, tenantId: string, subcontractorId: string) {
  return db
    .selectFrom('trips')
    .select([...tripColumns])
    .where('tenant_id', '=', tenantId)
    .where('subcontractor_company_id', '=', subcontractorId)
    .where('executor', '=', 'SUBCONTRACTOR')
    .where('cancelled_at', 'is', null)
    .where('purchase_price', 'is not', null);
}

/** The subcontractor's live trips with an agreed price that the filter names, in id order. */
export async function billableTrips(db: Executor, tenantId: string, subcontractorId: string, filter: BillableTripsFilter): Promise<BillableTrip[]> {
  if ('price' in filter) {
    const rows = await agreedTrips(db, tenantId, subcontractorId)
      .where('purchase_currency', '=', filter.currency)
      .where(sql<boolean>`purchase_price = ${filter.price}::numeric`)
      .orderBy('id')
      .execute();
    return rows as BillableTrip[];
  }
  // Bounded: a document's free text can hold thousands of words, and a query only so many parameters.
  const references = [...new Set(filter.references)].slice(0, 500);
  if (!references.length) return [];
  const rows = await agreedTrips(db, tenantId, subcontractorId)
    .where((eb) =>
      eb.or([
        eb('name', 'in', references),
        eb.exists(
          eb
            .selectFrom('trip_stops')
            .innerJoin('orders', (j) => j.onRef('orders.tenant_id', '=', 'trip_stops.tenant_id').onRef('orders.id', '=', 'trip_stops.order_id'))
            .select(sql`1`.as('one'))
            .whereRef('trip_stops.tenant_id', '=', 'trips.tenant_id')
            .whereRef('trip_stops.trip_id', '=', 'trips.id')
            .where('trip_stops.active', '=', true)
            .where((o) => o.or([o('orders.name', 'in', references), o('orders.customer_reference_number', 'in', references)])),
        ),
      ]),
    )
    .orderBy('id')
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
  let q = agreedTrips(db, tenantId, lock.subcontractorId).where('status', '=', 'COMPLETED');
  if (lock.tripIds) q = q.where('id', 'in', lock.tripIds);
  return (await q.orderBy('id').forUpdate().execute()) as BillableTrip[];
}
