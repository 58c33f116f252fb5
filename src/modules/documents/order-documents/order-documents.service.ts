import { Readable } from 'node:stream';
import { onlyOne } from '../../../platform/narrow.js';
import { AppError, badRequest, isAppError, payloadTooLarge } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { DocumentImportQuery, DocumentImportResponse, DocumentOutput, OrderDocumentType } from '../documents.schemas.js';
import { strictBase64 } from '../../../platform/http/file-names.js';
import type { DocumentsService } from '../documents.service.js';

/** What the documents module needs to know about an order. */
export interface OrderRef {
  id: string;
  name: string;
  customerCompanyId: string;
}

/** The orders module's read side, as the documents module uses it (implemented by the orders service). */
export interface OrderLookup {
  /** The order when `principal` may see it; a 404 AppError for unknown ids and other customers' orders. */
  findVisibleOrder(principal: Principal, orderId: string): Promise<OrderRef>;
  /** Orders `principal` may see whose fields equal every criterion given. */
  matchOrder(principal: Principal, by: { customerReferenceNumber?: string; name?: string; id?: string }): Promise<OrderRef[]>;
}

/** When an import says nothing about the kind of file, it is filed as paperwork from the customer. */
export const DEFAULT_IMPORT_TYPE: OrderDocumentType = 'CUSTOMER_PAPERWORK';

function describe(query: DocumentImportQuery): string {
  const parts: string[] = [];
  if (query.customer_reference_number !== undefined) parts.push(`customer_reference_number "${query.customer_reference_number}"`);
  if (query.name !== undefined) parts.push(`name "${query.name}"`);
  if (query.id !== undefined) parts.push(`id ${query.id}`);
  return parts.join(' and ');
}

/**
 * A body sent without a Content-Type may be the file in base64 (integrations that can only send
 * text do this): such a body is decoded, anything else is kept as it came. Telling the two apart
 * needs the whole body, so this path buffers it, within the document limit.
 */
async function decodeIfBase64(stream: Readable, maxBytes: number): Promise<Readable> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw payloadTooLarge(`The file is larger than the limit of ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badRequest('The file could not be read completely; the upload was cut off');
  }
  const body = Buffer.concat(chunks);
  return Readable.from([strictBase64(body.toString('latin1')) ?? body]);
}

const userError = (message: string): DocumentImportResponse => ({ errors: [{ error_type: 'USER_INPUT_ERROR', error_message: message }] });

export type OrderDocumentsService = ReturnType<typeof createOrderDocumentsService>;

/**
 * Documents seen through an order: the order's document list and the document-import webhook.
 * Separate from the documents service so the orders module can depend on that one (to attach
 * files during an import) while this one depends on orders, without a cycle.
 */
export function createOrderDocumentsService(deps: { documents: DocumentsService; orders: OrderLookup }) {
  const { documents, orders } = deps;

  async function visibleById(principal: Principal, orderId: string): Promise<OrderRef[]> {
    try {
      return [await orders.findVisibleOrder(principal, orderId)];
    } catch (err) {
      if (isAppError(err, 'not_found')) return [];
      throw err;
    }
  }

  /** The one order the import's criteria name, among those the caller may see; or why there is none. */
  async function matchOne(principal: Principal, query: DocumentImportQuery): Promise<OrderRef | string> {
    const byFields = query.customer_reference_number !== undefined || query.name !== undefined;
    let candidates: OrderRef[];
    if (byFields) {
      candidates = await orders.matchOrder(principal, { customerReferenceNumber: query.customer_reference_number, name: query.name, id: query.id });
    } else {
      candidates = query.id === undefined ? [] : await visibleById(principal, query.id);
    }
    const only = onlyOne(candidates);
    if (only) return only;
    if (candidates.length === 0) return `No order matches ${describe(query)}; the document was not imported`;
    return `${candidates.length} orders match ${describe(query)}; send the order name or id to pick one. The document was not imported`;
  }

  return {
    async listForOrder(principal: Principal, orderId: string): Promise<DocumentOutput[]> {
      const order = await orders.findVisibleOrder(principal, orderId);
      return documents.listForOrder(principal.tenantId, order.id);
    },

    /**
     * The document-import webhook: finds the order first and reads the body only when exactly
     * one matches, so a rejected import costs no disk. Mismatches are answered in `errors[]`
     * (the contract's webhook convention); bad input and oversized files are HTTP errors.
     */
    async importDocument(
      principal: Principal,
      query: DocumentImportQuery,
      /** `openStream` is called only once an order matched: a rejected import leaves the body unread. */
      file: { contentType: string | undefined; openStream: () => Readable },
    ): Promise<DocumentImportResponse> {
      if (query.customer_reference_number === undefined && query.name === undefined && query.id === undefined) {
        return userError('Say which order the document belongs to: send customer_reference_number, name or id');
      }
      const match = await matchOne(principal, query);
      if (typeof match === 'string') return userError(match);
      const body = file.openStream();
      const stream = file.contentType === undefined ? await decodeIfBase64(body, documents.maxBytes) : body;
      const document = await documents.createForOrder(
        principal,
        { id: match.id, companyIds: [match.customerCompanyId] },
        { filename: query.filename, name: query.document_name, type: query.document_type ?? DEFAULT_IMPORT_TYPE, contentType: file.contentType, stream },
      );
      return { errors: [], document_id: document.id, order_id: match.id };
    },
  };
}
