import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Insertable } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';
import { inTransaction, type Tx } from '../../platform/db/tx.js';
import { appendEvent } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import { badRequest, detail, notFound, payloadTooLarge } from '../../platform/http/errors.js';
import { notModified, type FileNotModified } from '../../platform/http/file-download.js';
import { paginate } from '../../platform/http/pagination.js';
import type { Principal } from '../../platform/http/principal.js';
import { BlobSourceError, BlobTooLargeError, type BlobStore, type StoredBlob } from '../../platform/storage/blob-store.js';
import { cleanFilename, cleanName, contentTypeFromFilename, normalizeContentType, strictBase64 } from '../../platform/http/file-names.js';
import * as repo from './documents.repo.js';
import type { DocumentRow } from './documents.repo.js';
import { ORDER_DOCUMENT_TYPES, type DocumentOutput, type DocumentUploadResponse } from './documents.schemas.js';
import type { DocumentTable } from './documents.tables.js';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** A bare array has no pages; this bounds one order's list (far above what an order collects). */
const MAX_DOCUMENTS_PER_LIST = 1000;
/** Hashes asked about per query while sweeping. */
const SWEEP_BATCH = 500;
const KNOWN_TYPES: ReadonlySet<string> = new Set(ORDER_DOCUMENT_TYPES);

/**
 * Another module's answer to "which of these blobs do you still point at?" (e.g. files received
 * with e-invoices). The blob store is shared, so the sweep keeps a blob any registered check names.
 */
export type BlobReferenceCheck = (sha256s: string[]) => Promise<Iterable<string>>;

export const downloadUrl = (id: string) => `/v1/documents/document/${id}/download`;

export function documentOutput(row: DocumentRow): DocumentOutput {
  return {
    id: row.id,
    name: row.name,
    type: row.type ?? '',
    download_url: downloadUrl(row.id),
    subject_type: row.subject_type ?? '',
    content_type: row.content_type,
    subject_id: row.subject_id ?? row.id,
    filename: row.filename,
    size: Number(row.size_bytes),
    created_at: row.created_at.toISOString(),
  };
}

/** Where attached content comes from: a staged upload, or base64 bytes sent inline. */
export type AttachSource = { uploadId: string } | { embedded: { content: string; content_type: string; filename: string } };

export interface AttachToOrderInput {
  tenantId: string;
  orderId: string;
  /** The order's customer (and subcontractor) companies: who besides the tenant may see it. */
  companyIds: string[];
  subjectType: 'ORDER' | 'CONSIGNMENT' | 'STOP';
  subjectId: string;
  /** One of the contract's order document types (ORDER_DOCUMENT_TYPES). */
  type: string;
  source: AttachSource;
  /** The API client on whose behalf the content is attached, when there is one. */
  uploadedBy?: string;
  /**
   * The company of the client attaching the content, null for a TENANT client: a staged upload
   * may only be attached by the principal (the tenant, or the company) that staged it.
   */
  attachedByCompanyId: string | null;
}

/** A staged upload attached to a master-data subject: a company or a validity. */
export interface AttachUploadInput {
  tenantId: string;
  subjectType: 'COMPANY' | 'VALIDITY';
  subjectId: string;
  /** The validity the document proves, when it proves one. */
  validityId: string | null;
  /** Companies besides the tenant that may see the document. */
  companyIds: string[];
  type: string;
  /** Display name; the upload's file name when empty. */
  name: string;
  uploadId: string;
  /** Where the upload id sat in the request, for the error detail. */
  uploadIdPath: string;
  uploadedBy?: string;
  attachedByCompanyId: string | null;
}

/** Everything `attach` needs, whatever the subject. */
type AttachInput = Omit<AttachToOrderInput, 'orderId' | 'subjectType'> & {
  subjectType: string;
  orderId: string | null;
  validityId: string | null;
  name?: string;
  uploadIdPath?: string;
};

export interface NewFile {
  filename: string | undefined;
  contentType: string | undefined;
  stream: Readable;
}

export interface Download {
  stream: Readable;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;

/**
 * Document metadata and content. The bytes go to the blob store before any transaction opens
 * (a slow upload must not hold PGlite's single session); the row and its event are then written
 * together. A failure between the two leaves an unreferenced blob, never a row without content.
 */
/**
 * The order's visibility snapshot as the open transaction sees it (the orders service's), put on
 * a document's event so its push shows the order as of that moment.
 */
/** What documents need from orders: the snapshot a document's event carries (the orders service is one). */
export interface OrderSnapshots {
  visibilityOrder(tenantId: string, orderId: string, exec: Executor): Promise<object>;
}

export function createDocumentsService(deps: { db: Db; bus: EventBus; blobs: BlobStore; maxBytes: number }) {
  const { db, bus, blobs, maxBytes } = deps;
  // Orders attach documents, so they are built after documents and plug in with `useOrderSnapshots`.
  let orderSnapshots: OrderSnapshots | undefined;
  const blobReferenceChecks: BlobReferenceCheck[] = [];

  async function storeBlob(write: () => Promise<StoredBlob>): Promise<StoredBlob> {
    try {
      return await write();
    } catch (err) {
      if (err instanceof BlobTooLargeError) throw payloadTooLarge(`The file is larger than the limit of ${err.maxBytes} bytes`);
      if (err instanceof BlobSourceError) throw badRequest('The file could not be read completely; the upload was cut off or malformed');
      throw err;
    }
  }

  /** Inserts a document row with its event: `document.uploaded` for staged uploads, else `document.created`. */
  async function insertWithEvent(tx: Tx, row: Insertable<DocumentTable>): Promise<DocumentRow> {
    const created = await repo.insertDocument(tx.trx, row);
    const attached = created.subject_type !== null;
    const snapshot =
      attached && created.order_id && orderSnapshots
        ? { order_snapshot: await orderSnapshots.visibilityOrder(created.tenant_id, created.order_id, tx.trx) }
        : {};
    await appendEvent(tx, bus, {
      tenantId: created.tenant_id,
      type: attached ? 'document.created' : 'document.uploaded',
      entityType: 'document',
      entityId: created.id,
      companyIds: created.company_ids,
      payload: {
        id: created.id,
        name: created.name,
        type: created.type,
        content_type: created.content_type,
        size: Number(created.size_bytes),
        order_id: created.order_id,
        subject: attached ? { type: created.subject_type, id: created.subject_id } : null,
        download_url: downloadUrl(created.id),
        ...snapshot,
      },
    });
    return created;
  }

  function checkType(type: string) {
    if (!KNOWN_TYPES.has(type)) {
      const valid = ORDER_DOCUMENT_TYPES.join(', ');
      throw badRequest(`Unknown document type "${type}"; valid types: ${valid}`, [
        { ...detail(`not one of the OrderDocumentType values: ${valid}`, 'document_type'), detail: { allowed_values: [...ORDER_DOCUMENT_TYPES] } },
      ]);
    }
  }

  async function embeddedBlob(embedded: { content: string; content_type: string; filename: string }) {
    const bytes = strictBase64(embedded.content);
    if (!bytes) {
      throw badRequest('embedded_document.content is not valid base64', [detail('not valid base64', 'content', 'embedded_document.content')]);
    }
    const contentType = normalizeContentType(embedded.content_type);
    if (!contentType) {
      throw badRequest(`embedded_document.content_type "${embedded.content_type}" is not a media type`, [
        detail('expected a media type such as application/pdf', 'content_type', 'embedded_document.content_type'),
      ]);
    }
    const blob = await storeBlob(() => blobs.put(Readable.from([bytes]), { maxBytes }));
    return { blob, contentType, filename: cleanFilename(embedded.filename) };
  }

  /** Creates the row for content attached to a subject: from a staged upload (once per subject) or embedded bytes. */
  async function attach(tx: Tx, input: AttachInput): Promise<DocumentRow> {
    const common = {
      tenant_id: input.tenantId,
      id: randomUUID(),
      type: input.type,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      order_id: input.orderId,
      validity_id: input.validityId,
      company_ids: input.companyIds,
    };
    if ('uploadId' in input.source) {
      const uploadId = input.source.uploadId;
      const upload = await repo.findUpload(tx.trx, input.tenantId, uploadId);
      // An upload belongs to whoever staged it: the tenant (no company) or one company. Anyone
      // else attaching it could then download it through the subject, so it stays unknown to them.
      const stagedBy = upload?.company_ids[0] ?? null;
      if (!upload || stagedBy !== input.attachedByCompanyId) {
        throw badRequest(`Unknown upload_id "${uploadId}"`, [
          detail(
            `no upload ${uploadId}; upload the file with POST /v1/documents/document/upload_content first`,
            'upload_id',
            input.uploadIdPath ?? 'remote_document.upload_id',
          ),
        ]);
      }
      const existing = await repo.findAttachedUpload(tx.trx, input.tenantId, { uploadId, subjectType: input.subjectType, subjectId: input.subjectId });
      if (existing) return existing;
      return insertWithEvent(tx, {
        ...common,
        name: cleanName(input.name) ?? upload.name,
        filename: upload.filename,
        content_type: upload.content_type,
        size_bytes: upload.size_bytes,
        sha256: upload.sha256,
        source_upload_id: upload.id,
        uploaded_by: input.uploadedBy ?? upload.uploaded_by,
      });
    }
    const { blob, contentType, filename } = await embeddedBlob(input.source.embedded);
    return insertWithEvent(tx, {
      ...common,
      name: filename,
      filename,
      content_type: contentType,
      size_bytes: blob.size,
      sha256: blob.sha256,
      source_upload_id: null,
      uploaded_by: input.uploadedBy ?? null,
    });
  }

  return {
    /** Gives document events their order's snapshot; called once orders exist. */
    useOrderSnapshots(source: OrderSnapshots) {
      orderSnapshots = source;
    },
    /** The largest document accepted, in bytes. */
    maxBytes,

    /** Stages an uploaded file: visible to the tenant and, for customer/subcontractor clients, their company. */
    async storeUpload(principal: Principal, file: NewFile): Promise<DocumentUploadResponse> {
      const blob = await storeBlob(() => blobs.put(file.stream, { maxBytes }));
      const filename = cleanFilename(file.filename);
      const row = await inTransaction(db, (tx) =>
        insertWithEvent(tx, {
          tenant_id: principal.tenantId,
          id: randomUUID(),
          name: filename,
          filename,
          type: null,
          content_type: normalizeContentType(file.contentType) ?? DEFAULT_CONTENT_TYPE,
          size_bytes: blob.size,
          sha256: blob.sha256,
          subject_type: null,
          subject_id: null,
          order_id: null,
          source_upload_id: null,
          company_ids: principal.companyId ? [principal.companyId] : [],
          uploaded_by: principal.apiClientId,
        }),
      );
      return { upload_id: row.id };
    },

    /**
     * Attaches content to an order, consignment or stop inside the caller's transaction (an order
     * import). Attaching the same upload to the same subject again returns the first document.
     * Embedded content is written to the blob store first; if the caller's transaction then rolls
     * back, that blob stays unreferenced (harmless: content-addressed and never listed).
     */
    async attachToOrder(tx: Tx, input: AttachToOrderInput): Promise<{ documentId: string }> {
      checkType(input.type);
      const { orderId, ...rest } = input;
      const row = await attach(tx, { ...rest, orderId, validityId: null });
      return { documentId: row.id };
    },

    /**
     * Attaches a staged upload to a master-data subject (a company, a validity) inside the caller's
     * transaction, with the same staging rules as orders. The caller has checked `type`.
     */
    attachUpload(tx: Tx, input: AttachUploadInput): Promise<DocumentRow> {
      return attach(tx, { ...input, orderId: null, source: { uploadId: input.uploadId } });
    },

    /**
     * Stores a streamed file and attaches it to an order in one go (the document-import webhook).
     * The caller has already decided the order is visible to `principal`.
     */
    async createForOrder(
      principal: Principal,
      /** `subject`: the stop or consignment of the order the file is about (the order itself when left out). */
      order: { id: string; companyIds: string[]; subject?: { type: 'STOP' | 'CONSIGNMENT'; id: string } },
      file: NewFile & { name?: string; type: string },
    ): Promise<DocumentOutput> {
      checkType(file.type);
      const blob = await storeBlob(() => blobs.put(file.stream, { maxBytes }));
      const filename = cleanFilename(file.filename);
      const contentType = normalizeContentType(file.contentType) ?? contentTypeFromFilename(filename) ?? DEFAULT_CONTENT_TYPE;
      const row = await inTransaction(db, (tx) =>
        insertWithEvent(tx, {
          tenant_id: principal.tenantId,
          id: randomUUID(),
          name: cleanName(file.name) ?? filename,
          filename,
          type: file.type,
          content_type: contentType,
          size_bytes: blob.size,
          sha256: blob.sha256,
          subject_type: order.subject?.type ?? 'ORDER',
          subject_id: order.subject?.id ?? order.id,
          order_id: order.id,
          source_upload_id: null,
          company_ids: order.companyIds,
          uploaded_by: principal.apiClientId,
        }),
      );
      return documentOutput(row);
    },

    /** An order's documents (its consignments' and stops' included), oldest first, as the contract's `Document[]`. */
    async listForOrder(tenantId: string, orderId: string): Promise<DocumentOutput[]> {
      const rows = await repo.listOrderDocuments(db, tenantId, orderId, MAX_DOCUMENTS_PER_LIST);
      return rows.map(documentOutput);
    },

    /** The document an upload was already attached as, for this subject (inside the caller's transaction). */
    attachedUpload(tx: Tx, tenantId: string, key: { uploadId: string; subjectType: string; subjectId: string }): Promise<DocumentRow | undefined> {
      return repo.findAttachedUpload(tx.trx, tenantId, key);
    },

    /** The documents proving a validity, oldest first, as the contract's `Document[]`. */
    async listForValidity(tenantId: string, validityId: string, limit: number): Promise<DocumentOutput[]> {
      return (await repo.listValidityDocuments(db, tenantId, validityId, limit)).map(documentOutput);
    },

    /** One page of a subject's own documents (a company's), oldest first. */
    async pageForSubject(tenantId: string, subject: { type: string; id: string }, query: { cursor?: string; limit?: number }) {
      return paginate({
        query,
        filters: {},
        fields: {},
        fetch: ({ after, limit }) => repo.listSubjectDocuments(db, tenantId, subject, { after, limit }),
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
    },

    /**
     * Deletes blobs no document points at any more (embedded content whose order import rolled
     * back, crashes between write and insert) once they are older than `olderThan`. Returns how
     * many went. Run by the server's housekeeping.
     */
    async sweepOrphanBlobs(olderThan: Date): Promise<{ removed: number }> {
      return blobs.sweep({
        olderThan,
        referenced: async (sha256s) => {
          const found = new Set<string>();
          for (let i = 0; i < sha256s.length; i += SWEEP_BATCH) {
            const batch = sha256s.slice(i, i + SWEEP_BATCH);
            for (const sha of await repo.referencedBlobs(db, batch)) found.add(sha);
            for (const check of blobReferenceChecks) for (const sha of await check(batch)) found.add(sha);
          }
          return found;
        },
      });
    },

    /** Adds another module's blob references to what the sweep keeps (wired once in services.ts). */
    registerBlobReferences(check: BlobReferenceCheck): void {
      blobReferenceChecks.push(check);
    },

    /**
     * The content of a document the caller may see; anything else is a 404. `ifNoneMatch` naming
     * the content's ETag (its SHA-256) gives `notModified` instead, decided only after who may see
     * the document is (another tenant or customer still gets the 404), and before the blob is opened.
     */
    async openDownload(principal: Principal, id: string, ifNoneMatch?: string): Promise<Download | FileNotModified> {
      const tenantWide = principal.role === 'TENANT';
      if (!tenantWide && !principal.companyId) throw notFound('Document');
      const row = await repo.findVisibleDocument(db, principal.tenantId, id, tenantWide ? null : principal.companyId);
      if (!row) throw notFound('Document');
      const held = notModified(ifNoneMatch, row.sha256);
      if (held) return held;
      const stream = await blobs.open(row.sha256);
      // A row whose blob is gone is damage on the server, not a client mistake: let it surface as a logged 500.
      if (!stream) throw new Error(`Blob ${row.sha256} of document ${row.id} is missing from the blob store`);
      return { stream, filename: row.filename, contentType: row.content_type, size: Number(row.size_bytes), sha256: row.sha256 };
    },
  };
}
