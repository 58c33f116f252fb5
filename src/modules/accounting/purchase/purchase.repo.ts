import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { DocumentKind } from '../documents/documents.tables.js';
import type { PurchaseEInvoiceTable } from './purchase.tables.js';
import './purchase.tables.js';

/** Which of these trips a purchase document already bills, and the document's name. */
export async function claimedTrips(db: Executor, tenantId: string, tripIds: string[]): Promise<Map<string, string>> {
  if (!tripIds.length) return new Map();
  const rows = await db
    .selectFrom('purchase_trip_claims as c')
    .innerJoin('billing_documents as d', (j) => j.onRef('d.tenant_id', '=', 'c.tenant_id').onRef('d.id', '=', 'c.document_id'))
    .select([
      'c.trip_id',
      sql<string>`coalesce(d.name, case when d.origin = 'E_INVOICE' then d.external_name end, 'DRAFT-' || substr(d.id::text, 1, 8))`.as('document'),
    ])
    .where('c.tenant_id', '=', tenantId)
    .where('c.trip_id', 'in', tripIds)
    .execute();
  return new Map(rows.map((r) => [r.trip_id, r.document]));
}

export async function insertClaims(db: Executor, tenantId: string, documentId: string, tripIds: string[]) {
  if (tripIds.length)
    await db
      .insertInto('purchase_trip_claims')
      .values(tripIds.map((trip_id) => ({ tenant_id: tenantId, trip_id, document_id: documentId })))
      .execute();
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
