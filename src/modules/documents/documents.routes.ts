import { finished } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../platform/http/auth.js';
import { checkDeclaredLength, closeAfterTooLarge, RAW_FILE_BODY, rawFile, rawFileRoutes } from '../../platform/http/raw-file.js';
import { badRequest, detail, multipartError, unsupportedMediaType } from '../../platform/http/errors.js';
import { IdParams, readErrors, writeErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { contentDisposition } from '../../platform/http/file-names.js';
import { fileCacheHeaders, IfNoneMatchHeaders, NOT_MODIFIED_RESPONSE, sendNotModified } from '../../platform/http/file-download.js';
import {
  DocumentImportQuery,
  DocumentImportResponse,
  DocumentOutput,
  DocumentUploadBody,
  DocumentUploadResponse,
  DownloadQuery,
  OrderIdParams,
} from './documents.schemas.js';
import type { DocumentsService } from './documents.service.js';
import { documentImportExample, documentUploadExample, orderDocumentsExample } from './documents.examples.js';
import type { OrderDocumentsService } from './order-documents/order-documents.service.js';

/** File parts read before giving up on finding the one named `file`. */
const MAX_FILE_PARTS = 5;

/** Room for multipart boundaries and part headers around a file of the maximum size. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Upload and download. The upload sits in a plugin of its own so the multipart parser applies to
 * that route only.
 */
export async function documentsRoutes(app: App, deps: { documents: DocumentsService; config: { documentMaxBytes: number } }) {
  const { documents } = deps;
  const maxBytes = deps.config.documentMaxBytes;

  app.get('/v1/documents/document/:id/download', {
    schema: {
      operationId: 'downloadDocument',
      tags: ['Documents'],
      summary: 'Download a document',
      description:
        'Streams the bytes with the stored Content-Type (shown here as application/octet-stream) and a Content-Disposition carrying the ' +
        'file name. `ETag` is the SHA-256 of the bytes (a document never changes); send it back as `If-None-Match` to get ' +
        '`304 Not Modified` without them. Errors come as JSON like everywhere else.',
      params: IdParams,
      querystring: DownloadQuery,
      headers: IfNoneMatchHeaders,
      response: {
        // Per media type, so the JSON errors below keep their own type instead of the file's.
        200: {
          description: 'The document content',
          content: { 'application/octet-stream': { schema: Type.String({ format: 'binary', examples: ['%PDF-1.7 …'] }) } },
        },
        ...NOT_MODIFIED_RESPONSE,
        ...readErrors(404),
      },
    },
    handler: async (request, reply) => {
      const file = await documents.openDownload(principalOf(request), request.params.id, request.headers['if-none-match']);
      if ('notModified' in file) return sendNotModified(reply, file);
      return (
        fileCacheHeaders(reply, file.sha256)
          .header('content-type', file.contentType)
          .header('content-length', file.size)
          .header('content-disposition', contentDisposition(file.filename))
          // Uploaded content is not ours: a browser must neither sniff it into HTML nor run it.
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .send(file.stream)
      );
    },
  });

  await app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<TypeBoxTypeProvider>();
    closeAfterTooLarge(plugin);
    // One byte more than the limit reaches the blob store, which then refuses the file with a 413.
    // With the limit itself, busboy would cut the stream silently and a truncated file would pass.
    await scoped.register(multipart, {
      limits: { fileSize: maxBytes + 1, files: MAX_FILE_PARTS, fields: 20, fieldSize: 64 * 1024, parts: 40, headerPairs: 100 },
    });

    scoped.post('/v1/documents/document/upload_content', {
      config: { upload: true },
      schema: {
        operationId: 'uploadDocumentContent',
        tags: ['Documents'],
        summary: 'Upload a file to attach to an order later',
        description:
          'Multipart field `file`. Answers 201 with an `upload_id` to attach with POST /v1/webhook/partial-order-update: ' +
          '`question_answers: {"documents/PROOF_OF_DELIVERY": [{"remote_document": {"upload_id": "…"}}]}` (the key names the document type). ' +
          'Files over the configured limit are refused with 413.',
        consumes: ['multipart/form-data'],
        body: ref(DocumentUploadBody),
        response: { 201: ref(DocumentUploadResponse, { example: documentUploadExample, description: 'The staged upload' }), ...writeErrors(409) },
      },
      // The body schema documents the form for OpenAPI only: the handler reads the stream itself,
      // so there is no parsed body to validate.
      validatorCompiler: () => () => true,
      handler: async (request, reply) => {
        if (!request.isMultipart()) throw unsupportedMediaType('Send the file as multipart/form-data in a field named "file"');
        checkDeclaredLength(request.headers['content-length'], maxBytes + MULTIPART_OVERHEAD, maxBytes);
        let created: Awaited<ReturnType<DocumentsService['storeUpload']>> | undefined;
        try {
          // Form builders may send other file parts (a thumbnail, a manifest) before `file`: skip them.
          for await (const part of request.parts()) {
            if (part.type !== 'file') continue;
            if (part.fieldname !== 'file') {
              part.file.resume();
              await finished(part.file);
              continue;
            }
            created = await documents.storeUpload(principalOf(request), { filename: part.filename, contentType: part.mimetype, stream: part.file });
            break;
          }
        } catch (err) {
          throw multipartError(err);
        }
        if (!created) throw badRequest('The multipart field "file" is required', [detail('file is required', 'file', 'body.file')]);
        return reply.code(201).send(created);
      },
    });
  });
}

/**
 * Documents reached through an order: the order's list and the import webhook, whose raw-bytes
 * parser is scoped to its own plugin.
 */
export async function orderDocumentsRoutes(app: App, deps: { orderDocuments: OrderDocumentsService; config: { documentMaxBytes: number } }) {
  const { orderDocuments } = deps;
  const maxBytes = deps.config.documentMaxBytes;

  app.get('/v1/orders/order/:order_id/documents', {
    schema: {
      operationId: 'listOrderDocuments',
      tags: ['Documents'],
      summary: "List an order's documents",
      description: 'Documents of the order, its consignments and its stops, oldest first.',
      params: OrderIdParams,
      response: {
        200: Type.Array(ref(DocumentOutput), { description: "The order's documents", examples: [orderDocumentsExample] }),
        ...readErrors(404),
      },
    },
    handler: async (request) => orderDocuments.listForOrder(principalOf(request), request.params.order_id),
  });

  await rawFileRoutes(app, (scoped) => {
    scoped.post('/v1/webhook/document-import', {
      config: { auth: 'basic', roles: ['TENANT', 'CUSTOMER'] },
      schema: {
        operationId: 'importDocumentWebhook',
        tags: ['Documents', 'Webhooks'],
        summary: 'Import a file and attach it to the one order it names',
        description:
          'HTTP Basic with a WEBHOOK client. The body is the raw file with its own Content-Type. The query names the file and the order ' +
          '(`customer_reference_number`, `name` and/or `id`; all given must match exactly one order). ' +
          'No match or several matches are reported in `errors` and nothing is stored.',
        security: [{ webhookBasic: [] }],
        querystring: DocumentImportQuery,
        body: RAW_FILE_BODY,
        response: {
          200: ref(DocumentImportResponse, { example: documentImportExample, description: 'The new document, or why there is none' }),
          ...writeErrors(409),
        },
      },
      handler: async (request) => orderDocuments.importDocument(principalOf(request), request.query, rawFile(request, maxBytes)),
    });
  });
}
