import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
// eslint-disable-next-line no-restricted-imports -- accounting still reads trips' tables; trips' billing API replaces this (issue 16)
import '../trips/trips.tables.js';
import type { DocumentKind } from './accounting.tables.js';
import type { PurchaseEInvoiceTable } from './purchase.tables.js';
import './purchase.tables.js';

export interface BillableTrip {
  id: string;
  name: string;
  status: string;
  purchase_price: string;
  purchase_currency: string;
}

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

/**
 * Locks the subcontractor's completed trips with an agreed price (the given ones, or all), in id
 * order so two requests never deadlock. Whether a trip is billed already is read *after* the lock
 * (`claimedTrips`): a request that waited for the lock then sees the other one's claim.
 */
export async function lockCompletedTrips(db: Executor, tenantId: string, subcontractorId: string, tripIds?: string[]): Promise<BillableTrip[]> {
  let q = agreedTrips(db, tenantId, subcontractorId).where('status', '=', 'COMPLETED');
  if (tripIds) q = q.where('id', 'in', tripIds);
  return (await q.orderBy('id').forUpdate().execute()) as BillableTrip[];
}

/** The subcontractor's trips with an agreed price named by these references: the trip's name, or one of its orders' name or customer reference. */
export async function tripsByReference(db: Executor, tenantId: string, subcontractorId: string, given: string[]): Promise<BillableTrip[]> {
  // Bounded: a document's free text can hold thousands of words, and a query only so many parameters.
  const references = [...new Set(given)].slice(0, 500);
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

/** The subcontractor's not yet billed trips whose agreed price is exactly this amount. */
export async function unbilledTripsPriced(db: Executor, tenantId: string, subcontractorId: string, amount: string, currency: string): Promise<BillableTrip[]> {
  const rows = await agreedTrips(db, tenantId, subcontractorId)
    .where('purchase_currency', '=', currency)
    .where(sql<boolean>`purchase_price = ${amount}::numeric`)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('purchase_trip_claims as c').select(sql`1`.as('one')).whereRef('c.tenant_id', '=', 'trips.tenant_id').whereRef('c.trip_id', '=', 'trips.id'))))
    .orderBy('id')
    .execute();
  return rows as BillableTrip[];
}

/** Locks trips by id (in id order), so claims on them are decided one request at a time. */
export async function lockTrips(db: Executor, tenantId: string, ids: string[]) {
  if (ids.length) await db.selectFrom('trips').select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/** Which of these trips a purchase document already bills, and the document's name. */
export async function claimedTrips(db: Executor, tenantId: string, tripIds: string[]): Promise<Map<string, string>> {
  if (!tripIds.length) return new Map();
  const rows = await db
    .selectFrom('purchase_trip_claims as c')
    .innerJoin('billing_documents as d', (j) => j.onRef('d.tenant_id', '=', 'c.tenant_id').onRef('d.id', '=', 'c.document_id'))
    .select(['c.trip_id', sql<string>`coalesce(d.name, 'DRAFT-' || substr(d.id::text, 1, 8))`.as('document')])
    .where('c.tenant_id', '=', tenantId)
    .where('c.trip_id', 'in', tripIds)
    .execute();
  return new Map(rows.map((r) => [r.trip_id, r.document]));
}

export async function insertClaims(db: Executor, tenantId: string, documentId: string, tripIds: string[]) {
  if (tripIds.length) await db.insertInto('purchase_trip_claims').values(tripIds.map((trip_id) => ({ tenant_id: tenantId, trip_id, document_id: documentId }))).execute();
}

export type EInvoiceRow = Selectable<PurchaseEInvoiceTable>;

export async function insertEInvoice(db: Executor, row: Insertable<PurchaseEInvoiceTable>) {
  await db.insertInto('purchase_einvoices').values(row).execute();
}

export async function findEInvoice(db: Executor, tenantId: string, documentId: string): Promise<EInvoiceRow | undefined> {
  return db.selectFrom('purchase_einvoices').selectAll().where('tenant_id', '=', tenantId).where('document_id', '=', documentId).executeTakeFirst();
}

/** The entity's live PURCHASE tax rates, to book received lines under the tenant's own rate. */
export async function purchaseTaxRates(db: Executor, tenantId: string, entityId: string) {
  return db
    .selectFrom('tax_rates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('billing_entity_id', '=', entityId)
    .where('invoice_type', '=', 'PURCHASE')
    .where('archived', '=', false)
    .orderBy('code')
    .execute();
}

/** Whether this supplier already sent a document of this kind under this number. */
export async function findReceived(db: Executor, tenantId: string, supplierId: string, kind: DocumentKind, externalName: string) {
  return db
    .selectFrom('billing_documents')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('company_id', '=', supplierId)
    .where('kind', '=', kind)
    .where('origin', '=', 'E_INVOICE')
    .where('external_name', '=', externalName)
    .executeTakeFirst();
}
