import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CompaniesService } from '../../companies/index.js';
import type { Db, Executor } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { conflict, detail, notFound } from '../../../platform/http/errors.js';
import { notModified, type FileNotModified } from '../../../platform/http/file-download.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { BlobStore, StoredBlob } from '../../../platform/storage/blob-store.js';
import type { DocumentKind } from './documents.tables.js';
import { accountingConversion, repriceConverted } from './conversion.service.js';
import * as repo from './documents.repo.js';
import type { DocumentRow } from './documents.repo.js';
import { contractStatus, creditNoteOutput, invoiceOutput, issuedName, type BillingParty, type DocumentParts } from './documents.output.js';
import type { CustomFieldsPatch, DocumentFile, FinalizeInput, SalesCreditNoteOutput, SalesInvoiceOutput } from './documents.schemas.js';
import { dueDate } from './payment-terms.policy.js';
import { readableBy } from './readers.policy.js';
import * as referenceRepo from '../reference/reference.repo.js';
import type { BillingEntityRow } from '../reference/reference.repo.js';
import { asBuffer, drawPdfTask } from './pdf.worker.js';
import type { WorkerPool } from '../../../platform/workers/pool.js';
import { renderUbl } from './ubl.render.js';
import { freezeParties } from './issued-parties.output.js';
import { createFileCache, FILE_CACHE } from './file-cache.policy.js';

/** Number prefixes per kind of document: INV-<entity>-<year>-00001. */
const PREFIX: Record<DocumentKind, string> = { SALES_INVOICE: 'INV', SALES_CREDIT_NOTE: 'CN', PURCHASE_INVOICE: 'PINV', PURCHASE_CREDIT_NOTE: 'PCN' };

export const documentName = (kind: DocumentKind, entity: BillingEntityRow, year: number, number: number) =>
  `${PREFIX[kind]}-${entity.code}-${year}-${String(number).padStart(5, '0')}`;

export const todayUtc = () => new Date().toISOString().slice(0, 10);

/**
 * The next number of the document's series for a document dated `date`. Numbers and dates of one
 * series go up together (EN 16931 and Belgian VAT practice: a later number never bears an earlier
 * date), so a date before the previous number's is a 409 naming that date. The check runs while
 * the series' counter row is locked, so no concurrent finalization can slip in between; the
 * refusal rolls the transaction back, which gives the number back.
 */
export async function drawNumberInDateOrder(tx: Tx, tenantId: string, entity: BillingEntityRow, kind: DocumentKind, date: string) {
  const year = Number(date.slice(0, 4));
  const number = await repo.drawDocumentNumber(tx.trx, tenantId, entity.id, kind, year);
  const previous = number > 1 ? await repo.numberDate(tx.trx, tenantId, entity.id, kind, year, number - 1) : undefined;
  if (previous && date < previous) {
    const name = documentName(kind, entity, year, number - 1);
    throw conflict(`${name} is dated ${previous}: the next number of the series cannot be dated earlier (${date})`, [
      detail(`on or after ${previous}`, 'date'),
    ]);
  }
  return { year, number, name: documentName(kind, entity, year, number) };
}

/**
 * Number, date and due date of a document Waybill issues itself (sales, self-billed purchase): the
 * next number of its series, dated `date`, due by its payment term.
 */
async function ownTerms(tx: Tx, draft: DocumentRow, entity: BillingEntityRow, date: string) {
  const numbered = await drawNumberInDateOrder(tx, draft.tenant_id, entity, draft.kind, date);
  return { ...numbered, date, due_date: draft.kind.endsWith('INVOICE') ? dueDate(date, draft.payment_term) : null };
}

/**
 * A received supplier invoice keeps what the supplier gave it: its number (`external_name`), issue
 * date and due date. It takes no number of Waybill's series, so it is outside their date order too:
 * a supplier's future-dated invoice never holds back another finalization. A date given when
 * approving it is the day it is booked (`booking_date`), not a new invoice date.
 */
function receivedTerms(draft: DocumentRow, input: FinalizeInput) {
  return { booking_date: input.date ?? draft.booking_date ?? null };
}

/**
 * Records a document's event (`sales_invoice.finalized`, `sales_credit_note.posted`...) with the
 * contract's status, for the event feed and the accounting visibility push. Tenant-only.
 */
export async function documentEvent(
  tx: Tx,
  bus: EventBus,
  row: DocumentRow,
  what: 'drafted' | 'finalized' | 'deleted' | 'posted' | 'payment_updated' | 'refund_updated',
) {
  const entityType = row.kind.toLowerCase() as Lowercase<DocumentKind>;
  await appendEvent(tx, bus, {
    tenantId: row.tenant_id,
    type: `${entityType}.${what}`,
    entityType,
    entityId: row.id,
    payload: { id: row.id, kind: row.kind, name: issuedName(row), status: contractStatus(row.kind, row.status), payment_status: row.payment_status },
  });
}

const TITLES: Record<DocumentKind, string> = {
  SALES_INVOICE: 'Invoice',
  SALES_CREDIT_NOTE: 'Credit note',
  PURCHASE_INVOICE: 'Self-billing invoice',
  PURCHASE_CREDIT_NOTE: 'Self-billing credit note',
};

/**
 * What purchase documents and the sync queue add to this shared core, passed in by
 * accounting.module.ts so that the core imports neither (they import it). `P`: the purchase answer.
 */
export interface BillingHooks<P> {
  /** A purchase document's answer from its parts: the sales shape with the supplier, and a received e-invoice's match. */
  purchaseOutput(executor: Executor, parts: DocumentParts, related: { creditNoteIds: string[]; credited: P | null }): Promise<P>;
  /** Refuses to finalize a received e-invoice that did not match the agreed costs. */
  assertMatched(executor: Executor, draft: DocumentRow): Promise<void>;
  /** In the finalizing transaction: the sync task that asks the accounting package to post the document. */
  queuePostTask(tx: Tx, document: DocumentRow, billingEntityId: string): Promise<void>;
}

/** A file to send: its bytes (streamed from the blob store, or in memory), their length and SHA-256 (the ETag). */
export interface FileDownload {
  name: string;
  contentType: string;
  body: Buffer | Readable;
  size: number;
  sha256: string;
}

export type BillingService<P = unknown> = ReturnType<typeof createBillingService<P>>;

/** Reading, finalizing and updating invoices and credit notes, whoever made them. */
export function createBillingService<P>(deps: {
  db: Db;
  bus: EventBus;
  companies: CompaniesService;
  blobs: BlobStore;
  workers: WorkerPool;
  hooks: BillingHooks<P>;
}) {
  const { db, bus, companies, blobs, hooks } = deps;
  /** The document's PDF, drawn in a worker thread. `credited`: the invoice a credit note credits. */
  const renderPdf = async (parts: DocumentParts, title: string, credited: { name: string; date?: string | null } | null) =>
    asBuffer(await deps.workers.run(drawPdfTask, { parts, title, credited }));

  const recentFiles = createFileCache();
  const storeBytes = (bytes: Buffer) => blobs.put(Readable.from([bytes]), { maxBytes: bytes.length });

  /** A document with its lines and parties: as frozen at issue, or (a draft) as they are now. */
  async function parts(executor: Executor, row: DocumentRow): Promise<DocumentParts> {
    const lines = await repo.listLines(executor, row.tenant_id, [row.id]);
    const frozen = row.issued_parties;
    if (frozen) return { row, lines, entity: frozen.entity, company: frozen.company };
    const [entity, company] = await Promise.all([
      referenceRepo.findBillingEntity(executor, row.tenant_id, { id: row.billing_entity_id }),
      companies.findById(row.tenant_id, row.company_id),
    ]);
    if (!entity || !company) throw notFound('Document');
    return { row, lines, entity, company };
  }

  async function creditedReference(executor: Executor, row: DocumentRow) {
    const credited = row.credited_document_id ? await repo.findDocument(executor, row.tenant_id, row.credited_document_id) : undefined;
    return credited ? { name: (credited.external_name ?? credited.name) as string, date: credited.date as string } : null;
  }

  /**
   * Issues a document that has just been numbered and dated: freezes its parties, renders its UBL
   * and PDF and stores their bytes, all in the caller's transaction. A UBL that cannot be made
   * (a party that cannot be addressed, a reverse charge without the buyer's VAT id…) is a 409
   * naming what is missing, and the rollback gives the number back.
   */
  async function issue(tx: Tx, numbered: DocumentRow, company: BillingParty, options = { render: true }): Promise<DocumentRow> {
    const [lines, entity] = await Promise.all([
      repo.listLines(tx.trx, numbered.tenant_id, [numbered.id]),
      referenceRepo.findBillingEntity(tx.trx, numbered.tenant_id, { id: numbered.billing_entity_id }),
    ]);
    if (!entity) throw notFound('Billing entity');
    const live = { row: numbered, lines, entity, company };
    const row = await repo.updateDocument(tx.trx, numbered.tenant_id, numbered.id, { issued_parties: freezeParties(live.entity, live.company) });
    // A received invoice is the supplier's document: its own files are kept as sent, and Waybill
    // renders none in its place (it would be an invoice the supplier never issued).
    if (!options.render) return row;
    const documentParts = { ...live, row };
    const reference = await creditedReference(tx.trx, row);
    const ubl = Buffer.from(await renderUbl(documentParts, reference), 'utf8');
    const pdf = await renderPdf(documentParts, TITLES[row.kind], reference);
    const base = (issuedName(row) as string).replace(/[^\w.-]/g, '_');
    // The bytes go to the blob store before their rows are written (a rollback leaves at most an
    // unreferenced blob, which the sweep removes after its grace period; never a row without bytes).
    // The number is drawn in this transaction and printed on both files, so they cannot be
    // written before it opens.
    const [pdfBlob, ublBlob] = await Promise.all([storeBytes(pdf), storeBytes(ubl)]);
    const file = (type: 'PDF' | 'UBL', name: string, contentType: string, blob: StoredBlob) => ({
      tenant_id: row.tenant_id,
      id: randomUUID(),
      document_id: row.id,
      type,
      name,
      content_type: contentType,
      sha256: blob.sha256,
      size_bytes: blob.size,
    });
    await repo.insertFiles(tx.trx, [file('PDF', `${base}.pdf`, 'application/pdf', pdfBlob), file('UBL', `${base}.xml`, 'application/xml', ublBlob)]);
    return row;
  }

  async function invoice(tenantId: string, row: DocumentRow): Promise<SalesInvoiceOutput> {
    return invoiceOutput(
      await parts(db, row),
      (await repo.listCreditNotes(db, tenantId, row.id)).map((n) => n.id),
    );
  }

  async function creditNote(tenantId: string, row: DocumentRow): Promise<SalesCreditNoteOutput> {
    const creditedRow = row.credited_document_id ? await repo.findDocument(db, tenantId, row.credited_document_id) : undefined;
    return creditNoteOutput(await parts(db, row), creditedRow ? await invoice(tenantId, creditedRow) : null);
  }

  /** Purchase documents: the sales shape with the supplier, and an e-invoice's match. */
  async function purchase(tenantId: string, row: DocumentRow): Promise<P> {
    const documentParts = await parts(db, row);
    if (row.kind === 'PURCHASE_INVOICE')
      return hooks.purchaseOutput(db, documentParts, { creditNoteIds: (await repo.listCreditNotes(db, tenantId, row.id)).map((n) => n.id), credited: null });
    const creditedRow = row.credited_document_id ? await repo.findDocument(db, tenantId, row.credited_document_id) : undefined;
    return hooks.purchaseOutput(db, documentParts, { creditNoteIds: [], credited: creditedRow ? await purchase(tenantId, creditedRow) : null });
  }

  /** A document this caller may read: any of the tenant's for its own clients, else 404 (see `readableBy`). */
  async function find(principal: Principal, kind: DocumentKind, id: string): Promise<DocumentRow> {
    const row = await repo.findDocument(db, principal.tenantId, id, kind);
    if (!row || !readableBy(principal, row)) throw notFound(TITLES[kind]);
    return row;
  }

  /** Locks a document that must already be finalized (payment, refund). */
  async function lockFinal(tx: Tx, tenantId: string, kind: DocumentKind, id: string): Promise<DocumentRow> {
    const row = await repo.findDocument(tx.trx, tenantId, id, kind, true);
    if (!row) throw notFound('Document');
    if (row.status === 'DRAFT') throw conflict('The document is a draft: finalize it first', [detail('draft', 'status')]);
    return row;
  }

  /** A file of a document issued before its bytes were stored, rendered as it was then. */
  async function renderedAgain(tenantId: string, file: { document_id: string; type: string }): Promise<Buffer> {
    const row = await repo.findDocument(db, tenantId, file.document_id);
    if (!row) throw notFound('File');
    const reference = await creditedReference(db, row);
    const documentParts = await parts(db, row);
    return file.type === 'PDF' ? renderPdf(documentParts, TITLES[row.kind], reference) : Buffer.from(await renderUbl(documentParts, reference), 'utf8');
  }

  const output = (tenantId: string, row: DocumentRow) =>
    row.kind.startsWith('PURCHASE') ? purchase(tenantId, row) : row.kind === 'SALES_INVOICE' ? invoice(tenantId, row) : creditNote(tenantId, row);

  return {
    output,
    issue,
    invoice,
    creditNote,

    async getInvoice(principal: Principal, id: string) {
      return invoice(principal.tenantId, await find(principal, 'SALES_INVOICE', id));
    },

    async getCreditNote(principal: Principal, id: string) {
      return creditNote(principal.tenantId, await find(principal, 'SALES_CREDIT_NOTE', id));
    },

    async getPurchase(principal: Principal, kind: DocumentKind, id: string) {
      return purchase(principal.tenantId, await find(principal, kind, id));
    },

    /**
     * Gives a draft its number, date and due date, and makes it final: from here on only its
     * custom fields and payment status change. In the same transaction: the sync task that asks
     * the accounting package to post it, and the event.
     */
    async finalize(principal: Principal, kind: DocumentKind, id: string, input: FinalizeInput) {
      // The company is read before the transaction: the companies module reads on its own
      // connection, which PGlite's single one would make wait for this transaction forever.
      const before = await repo.findDocument(db, principal.tenantId, id, kind);
      const company = before && (await companies.findById(principal.tenantId, before.company_id));
      if (!before || !company) throw notFound('Document');
      const row = await inTransaction(db, async (tx) => {
        const draft = await repo.findDocument(tx.trx, principal.tenantId, id, kind, true);
        if (!draft) throw notFound('Document');
        if (draft.status !== 'DRAFT') throw conflict(`${draft.name} is already finalized`, [detail('not a draft', 'status')]);
        const received = draft.origin === 'E_INVOICE';
        if (received && kind === 'PURCHASE_INVOICE') await hooks.assertMatched(tx.trx, draft);
        const entity = await referenceRepo.findBillingEntity(tx.trx, principal.tenantId, { id: draft.billing_entity_id });
        if (!entity) throw notFound('Billing entity');
        const date = received ? (draft.date as string) : (input.date ?? todayUtc());
        const priced = await repriceConverted(tx.trx, draft, date);
        const conversion = await accountingConversion(tx.trx, priced, entity.currency, date);
        const final = await repo.updateDocument(tx.trx, principal.tenantId, id, {
          status: 'INVOICED',
          ...(received ? receivedTerms(draft, input) : await ownTerms(tx, draft, entity, date)),
          exchange_rate: conversion && JSON.stringify(conversion),
          finalized_at: new Date(),
        });
        const issued = await issue(tx, final, company, { render: !received });
        await hooks.queuePostTask(tx, issued, entity.id);
        await documentEvent(tx, bus, issued, 'finalized');
        return issued;
      });
      return output(principal.tenantId, row);
    },

    async patchCustomFields(principal: Principal, kind: DocumentKind, id: string, input: CustomFieldsPatch) {
      const row = await inTransaction(db, async (tx) => {
        const existing = await repo.findDocument(tx.trx, principal.tenantId, id, kind, true);
        if (!existing) throw notFound('Document');
        if (input.custom_fields === undefined) return existing;
        const merged = { ...existing.custom_fields, ...input.custom_fields };
        return repo.updateDocument(tx.trx, principal.tenantId, id, { custom_fields: JSON.stringify(merged) });
      });
      return output(principal.tenantId, row);
    },

    /** PAID / UNPAID for invoices, REFUNDED / OPEN for credit notes; a change is an event. */
    async setPaymentStatus(principal: Principal, kind: DocumentKind, id: string, status: string) {
      await inTransaction(db, async (tx) => {
        const row = await lockFinal(tx, principal.tenantId, kind, id);
        if (row.payment_status === status) return;
        const updated = await repo.updateDocument(tx.trx, principal.tenantId, id, { payment_status: status });
        await documentEvent(tx, bus, updated, kind.endsWith('INVOICE') ? 'payment_updated' : 'refund_updated');
      });
      return { status };
    },

    /**
     * A file's bytes with what a client caches them by: a received file as it was sent and a file
     * issued since migration 028 from the blob store (never through the database; small ones kept
     * in memory by their hash once read, see file-cache.policy.ts), a
     * file issued before that from its stored bytes, and one issued before bytes were stored
     * rendered from the (immutable) finalized document. The ETag is the bytes' SHA-256 throughout.
     * `ifNoneMatch` naming that ETag gives `notModified` instead, decided only after who may read
     * the file is (so another customer still gets the 404 of a file it may not know of), and
     * before the blob is opened.
     */
    async download(principal: Principal, fileId: string, ifNoneMatch?: string): Promise<FileDownload | FileNotModified> {
      const file = await repo.findFile(db, principal.tenantId, fileId);
      if (!file) throw notFound('File');
      if (principal.role !== 'TENANT') {
        // A customer's files are its issued sales documents' (their content is stored, so this is the one extra read).
        const owner = await repo.findDocument(db, principal.tenantId, file.document_id);
        if (!owner || !readableBy(principal, owner)) throw notFound('File');
      }
      const named = { name: file.name, contentType: file.content_type };
      if (file.sha256) {
        const held = notModified(ifNoneMatch, file.sha256);
        if (held) return held;
        const size = Number(file.size_bytes);
        const kept = recentFiles.get(file.sha256);
        if (kept) return { ...named, body: kept, size, sha256: file.sha256 };
        const stream = await blobs.open(file.sha256);
        // A row whose blob is gone is damage on the server, not a client mistake: a logged 500.
        if (!stream) throw new Error(`Blob ${file.sha256} of file ${file.id} is missing from the blob store`);
        // A large file is streamed as it is read; a small one (every issued PDF and UBL) is read
        // whole and kept, so the next download of it is the row's select alone.
        if (size > FILE_CACHE.maxEntryBytes) return { ...named, body: stream, size, sha256: file.sha256 };
        const bytes = Buffer.concat((await stream.toArray()) as Buffer[]);
        recentFiles.set(file.sha256, bytes);
        return { ...named, body: bytes, size, sha256: file.sha256 };
      }
      const bytes = file.content ?? (await renderedAgain(principal.tenantId, file));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      return notModified(ifNoneMatch, sha256) ?? { ...named, body: bytes, size: bytes.length, sha256 };
    },

    /** The files received with an e-invoice (typed as the contract's e-invoice document types), and the rendered files of a finalized document. */
    async files(principal: Principal, kind: DocumentKind, id: string): Promise<DocumentFile[]> {
      await find(principal, kind, id);
      return (await repo.listFiles(db, principal.tenantId, id)).map((f) => ({
        id: f.id,
        name: f.name,
        type: f.type === 'PDF' || f.type === 'UBL' ? `${kind}_${f.type}` : f.type,
        download_url: `/v1/accounting/files/${f.id}`,
        subject_type: kind,
        content_type: f.content_type,
      }));
    },
  };
}
