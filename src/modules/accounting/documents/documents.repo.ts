import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import { drawCounter } from '../../../platform/db/counters.js';
import { drawChangeTime } from '../../../platform/db/change-clock.js';
import { keysetAfter } from '../../../platform/db/keyset.js';
import type { BillingDocumentFileTable, BillingDocumentLineTable, BillingDocumentTable, DocumentKind, DocumentStatus } from './documents.tables.js';
import './documents.tables.js';

export type DocumentRow = Selectable<BillingDocumentTable>;
export type LineRow = Selectable<BillingDocumentLineTable>;

/** Every column, with the `date` columns as `YYYY-MM-DD` text (no driver turns them into local-time Dates). */
const documentColumns = [
  'tenant_id',
  'id',
  'kind',
  'status',
  'billing_entity_id',
  'company_id',
  'currency',
  'year',
  'number',
  'name',
  'external_name',
  'payment_term',
  'payment_status',
  'credited_document_id',
  'customer_reference_numbers',
  'custom_fields',
  'exchange_rate',
  'total_excl_tax',
  'total_tax',
  'total_incl_tax',
  'tax_subtotals',
  'origin',
  'created_at',
  'updated_at',
  'finalized_at',
  'issued_parties',
] as const;
const dateColumns = [
  sql<string | null>`date::text`.as('date'),
  sql<string | null>`due_date::text`.as('due_date'),
  sql<string | null>`booking_date::text`.as('booking_date'),
  sql<string | null>`supply_start::text`.as('supply_start'),
  sql<string | null>`supply_end::text`.as('supply_end'),
];

/**
 * The clock documents' `updated_at` comes from: the lists page by `(updated_at, id)` and filter by
 * `updated_after`, so a change must get a time after every change committed before it (see
 * `drawChangeTime`), or a reader syncing by time could pass a document still being finalized.
 */
const CHANGE_CLOCK = 'billing_documents';

export async function insertDocument(db: Executor, row: Insertable<BillingDocumentTable>): Promise<DocumentRow> {
  const changedAt = await drawChangeTime(db, row.tenant_id, CHANGE_CLOCK);
  return db
    .insertInto('billing_documents')
    .values({ ...row, updated_at: changedAt })
    .returning([...documentColumns, ...dateColumns])
    .executeTakeFirstOrThrow();
}

export async function insertLines(db: Executor, rows: Insertable<BillingDocumentLineTable>[]) {
  if (rows.length) await db.insertInto('billing_document_lines').values(rows).execute();
}

export async function findDocument(db: Executor, tenantId: string, id: string, kind?: DocumentKind, lock = false): Promise<DocumentRow | undefined> {
  let q = db
    .selectFrom('billing_documents')
    .select([...documentColumns, ...dateColumns])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (kind) q = q.where('kind', '=', kind);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** Many documents by id, in one query (the sync queue's page names each task's document). */
export async function findDocumentsByIds(db: Executor, tenantId: string, ids: string[]): Promise<DocumentRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('billing_documents')
    .select([...documentColumns, ...dateColumns])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

export async function findDocumentsByName(db: Executor, tenantId: string, kind: DocumentKind, names: string[]): Promise<DocumentRow[]> {
  if (!names.length) return [];
  return db
    .selectFrom('billing_documents')
    .select([...documentColumns, ...dateColumns])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('name', 'in', names)
    .execute();
}

export async function updateDocument(db: Executor, tenantId: string, id: string, set: Updateable<BillingDocumentTable>): Promise<DocumentRow> {
  return db
    .updateTable('billing_documents')
    .set({ ...set, updated_at: await drawChangeTime(db, tenantId, CHANGE_CLOCK) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning([...documentColumns, ...dateColumns])
    .executeTakeFirstOrThrow();
}

export interface DocumentListFilter {
  tenantId: string;
  kind: DocumentKind;
  status?: DocumentStatus;
  /** Leave drafts out (what a customer may see). */
  issuedOnly?: boolean;
  companyId?: string;
  billingEntityId?: string;
  dateFrom?: string;
  dateTo?: string;
  updatedAfter?: Date;
  after?: { ts: Date; id: string };
  limit: number;
}

/**
 * One kind's documents in `(updated_at, id)` order (what changed last comes last, so a reader
 * keeping the last `updated_at` it saw picks up from there), one more than `limit` to tell
 * whether a page follows. Dates are inclusive.
 */
export async function listDocuments(db: Executor, f: DocumentListFilter): Promise<DocumentRow[]> {
  let q = db
    .selectFrom('billing_documents')
    .select([...documentColumns, ...dateColumns])
    .where('tenant_id', '=', f.tenantId)
    .where('kind', '=', f.kind);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.issuedOnly) q = q.where('status', '!=', 'DRAFT');
  if (f.companyId) q = q.where('company_id', '=', f.companyId);
  if (f.billingEntityId) q = q.where('billing_entity_id', '=', f.billingEntityId);
  if (f.dateFrom) q = q.where('date', '>=', f.dateFrom);
  if (f.dateTo) q = q.where('date', '<=', f.dateTo);
  if (f.updatedAfter) q = q.where('updated_at', '>', f.updatedAfter);
  if (f.after) q = q.where(keysetAfter('updated_at', 'id', f.after));
  return q
    .orderBy('updated_at')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
}

export async function updateLine(db: Executor, tenantId: string, id: string, set: Updateable<BillingDocumentLineTable>) {
  await db.updateTable('billing_document_lines').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function deleteDocument(db: Executor, tenantId: string, id: string) {
  // A draft has no rendered files, but a received e-invoice's attachments go with it.
  await db.deleteFrom('billing_document_files').where('tenant_id', '=', tenantId).where('document_id', '=', id).execute();
  await db.deleteFrom('billing_documents').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function listLines(db: Executor, tenantId: string, documentIds: string[]): Promise<LineRow[]> {
  if (!documentIds.length) return [];
  return db
    .selectFrom('billing_document_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('document_id', 'in', documentIds)
    .orderBy('document_id')
    .orderBy('position')
    .execute();
}

/** Credit notes issued against an invoice (drafts included), oldest first. */
export async function listCreditNotes(db: Executor, tenantId: string, invoiceId: string) {
  return db
    .selectFrom('billing_documents')
    .select(['id', 'tax_subtotals'])
    .where('tenant_id', '=', tenantId)
    .where('credited_document_id', '=', invoiceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Per invoice line, what credit notes (drafts included) already take from it. */
export async function creditedPerLine(db: Executor, tenantId: string, lineIds: string[]): Promise<Map<string, string>> {
  if (!lineIds.length) return new Map();
  const rows = await db
    .selectFrom('billing_document_lines')
    .select(['credited_line_id', sql<string>`sum(amount)::text`.as('credited')])
    .where('tenant_id', '=', tenantId)
    .where('credited_line_id', 'in', lineIds)
    .groupBy('credited_line_id')
    .execute();
  return new Map(rows.map((r) => [r.credited_line_id as string, r.credited]));
}

/**
 * The next number of a series (one per billing entity, kind and year). The counter row stays
 * locked until the transaction ends, so two finalizations never share a number, and a rollback
 * gives its number back: the series has no gaps.
 */
export async function drawDocumentNumber(db: Executor, tenantId: string, entityId: string, kind: DocumentKind, year: number): Promise<number> {
  const { rows } = await sql<{ value: number | string }>`${drawCounter(tenantId, `billing:${entityId}:${kind}:${year}`)}`.execute(db);
  return Number(rows[0]?.value);
}

/** The date of a series' number (the previous one, when checking the next). */
export async function numberDate(
  db: Executor,
  tenantId: string,
  entityId: string,
  kind: DocumentKind,
  year: number,
  number: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('billing_documents')
    .select(sql<string>`date::text`.as('date'))
    .where('tenant_id', '=', tenantId)
    .where('billing_entity_id', '=', entityId)
    .where('kind', '=', kind)
    .where('year', '=', year)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.date;
}

/** A document's files without their stored bytes (those are read one at a time, by findFile). */
export async function listFiles(db: Executor, tenantId: string, documentId: string) {
  return db
    .selectFrom('billing_document_files')
    .select(['tenant_id', 'id', 'document_id', 'type', 'name', 'content_type', 'sha256', 'size_bytes', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('document_id', '=', documentId)
    .orderBy('created_at')
    .orderBy('type')
    .orderBy('id')
    .execute();
}

export async function insertFiles(db: Executor, rows: Insertable<BillingDocumentFileTable>[]) {
  await db.insertInto('billing_document_files').values(rows).execute();
}

export async function findFile(db: Executor, tenantId: string, id: string) {
  return db.selectFrom('billing_document_files').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Which of these blobs an accounting file points at (issued PDF or UBL, or received with an e-invoice; of any tenant: blobs are shared by content), for the blob sweep. */
export async function referencedBlobs(db: Executor, sha256s: string[]): Promise<string[]> {
  if (sha256s.length === 0) return [];
  const rows = await db
    .selectFrom('billing_document_files')
    .select(sql<string>`sha256`.as('sha256'))
    .distinct()
    .where('sha256', 'in', sha256s)
    .execute();
  return rows.map((r) => r.sha256);
}
