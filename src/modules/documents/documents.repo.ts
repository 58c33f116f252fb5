import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { keysetPage } from '../../platform/db/keyset.js';
import type { DocumentTable } from './documents.tables.js';
import './documents.tables.js';

export type DocumentRow = Selectable<DocumentTable>;

export async function insertDocument(db: Executor, row: Insertable<DocumentTable>): Promise<DocumentRow> {
  return db.insertInto('documents').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A staged upload (a row with no subject yet). */
export async function findUpload(db: Executor, tenantId: string, uploadId: string): Promise<DocumentRow | undefined> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', uploadId)
    .where('subject_type', 'is', null)
    .executeTakeFirst();
}

/** The row an upload was already attached as, for this subject. */
export async function findAttachedUpload(
  db: Executor,
  tenantId: string,
  key: { uploadId: string; subjectType: string; subjectId: string },
): Promise<DocumentRow | undefined> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('source_upload_id', '=', key.uploadId)
    .where('subject_type', '=', key.subjectType)
    .where('subject_id', '=', key.subjectId)
    .executeTakeFirst();
}

/** Every document of an order (its own, its consignments' and its stops'), oldest first. */
export const listOrderDocuments = (db: Executor, tenantId: string, orderId: string, limit: number) => oldestFirst(db, tenantId, 'order_id', orderId, limit);

/** The first `limit` documents of the tenant with this order or validity, oldest first. */
async function oldestFirst(db: Executor, tenantId: string, column: 'order_id' | 'validity_id', value: string, limit: number): Promise<DocumentRow[]> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(column, '=', value)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * A document as `companyId` may see it: every document of the tenant when `companyId` is null
 * (a TENANT client), otherwise only those whose `company_ids` name that company.
 */
export async function findVisibleDocument(db: Executor, tenantId: string, id: string, companyId: string | null): Promise<DocumentRow | undefined> {
  let q = db.selectFrom('documents').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (companyId !== null) q = q.where(sql<boolean>`company_ids @> array[${companyId}]::uuid[]`);
  return q.executeTakeFirst();
}

/**
 * Which of these blobs some document row points at (of any tenant: blobs are shared by content).
 * Other modules' references come from the checks registered with the documents service.
 */
export async function referencedBlobs(db: Executor, sha256s: string[]): Promise<Set<string>> {
  if (sha256s.length === 0) return new Set();
  const rows = await db.selectFrom('documents').select('sha256').where('sha256', 'in', sha256s).execute();
  return new Set(rows.map((r) => r.sha256));
}

/** One page of a subject's own documents (a company's), oldest first, one row more than `limit`. */
export async function listSubjectDocuments(
  db: Executor,
  tenantId: string,
  subject: { type: string; id: string },
  page: { after?: { ts: Date; id: string }; limit: number },
): Promise<DocumentRow[]> {
  const q = db
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id);
  return keysetPage(q, 'created_at', page);
}

/** The documents proving one validity, oldest first. */
export const listValidityDocuments = (db: Executor, tenantId: string, validityId: string, limit: number) =>
  oldestFirst(db, tenantId, 'validity_id', validityId, limit);
