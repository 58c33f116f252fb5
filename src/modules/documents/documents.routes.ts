import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalOf } from '../../platform/http/auth.js';
import { badRequest, detail, multipartError, payloadTooLarge, unsupportedMediaType } from '../../platform/http/errors.js';
import { IdParams, readErrors, writeErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { contentDisposition } from './document-names.js';
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
import type { OrderDocumentsService } from './order-documents.service.js';

/** File parts read before giving up on finding the one named `file`. */
const MAX_FILE_PARTS = 5;

/** Room for multipart boundaries and part headers around a file of the maximum size. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * The request body as a stream the blob store may destroy (it does when the file is too large)
 * without destroying the request itself: the client must still get its 413. A client that goes
 * away mid-body still fails the copy.
 */
function detachedBody(raw: IncomingMessage): Readable {
  const body = new PassThrough();
  raw.on('error', (err) => body.destroy(err));
  raw.on('close', () => {
    if (!raw.readableEnded) body.destroy(new Error('The request was aborted before the body ended'));
  });
  return raw.pipe(body);
}

/**
 * After a 413 the rest of an oversized body is still on its way; closing the connection spares
 * the server from reading and discarding it.
 */
function closeAfterTooLarge(plugin: FastifyInstance) {
  plugin.addHook('onError', async (_request, reply, error) => {
    if ((error as { statusCode?: number }).statusCode === 413) reply.header('connection', 'close');
  });
}

/** Refuses a body whose declared length already exceeds the limit, before reading any of it. */
function checkDeclaredLength(header: string | undefined, limit: number, maxBytes: number) {
  if (header !== undefined && /^\d+$/.test(header) && Number(header) > limit) {
    throw payloadTooLarge(`The file is larger than the limit of ${maxBytes} bytes`);
  }
}

/**
 * Registers routes whose body is a file itself, in whatever Content-Type it has. Leaving it unread
 * lets the handler stream it to disk under the document limit instead of buffering it under the
 * (much smaller) JSON body limit.
 */
export async function rawFileRoutes(app: App, register: (scoped: App) => void): Promise<void> {
  await app.register(async (plugin) => {
    closeAfterTooLarge(plugin);
    const scoped = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_request, _payload, done) => done(null));
    register(scoped as App);
  });
}

/** The raw file of a `rawFileRoutes` request: its declared type, and its bytes once the handler wants them. */
export function rawFile(request: FastifyRequest, maxBytes: number): { contentType: string | undefined; openStream: () => Readable } {
  checkDeclaredLength(request.headers['content-length'], maxBytes, maxBytes);
  return { contentType: request.headers['content-type'], openStream: () => detachedBody(request.raw) };
}

/** Documented body of a raw-file route: an empty schema accepts the unparsed body the handler streams. */
export const RAW_FILE_BODY = {
  content: { 'application/octet-stream': { schema: Type.Unknown({ description: 'The file, sent with its own Content-Type (any).' }) } },
};

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
        'file name. Errors come as JSON like everywhere else.',
      params: IdParams,
      querystring: DownloadQuery,
      response: {
        // Per media type, so the JSON errors below keep their own type instead of the file's.
        200: {
          description: 'The document content',
          content: { 'application/octet-stream': { schema: Type.String({ format: 'binary', examples: ['%PDF-1.7 …'] }) } },
        },
        ...readErrors(404),
      },
    },
    handler: async (request, reply) => {
      const file = await documents.openDownload(principalOf(request), request.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', file.size)
        .header('content-disposition', contentDisposition(file.filename))
        .header('etag', `"${file.sha256}"`)
        .header('cache-control', 'private, no-cache')
        // Uploaded content is not ours: a browser must neither sniff it into HTML nor run it.
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.stream);
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
        response: { 200: ref(DocumentImportResponse, { example: documentImportExample, description: 'The new document, or why there is none' }), ...writeErrors(409) },
      },
      handler: async (request) => orderDocuments.importDocument(principalOf(request), request.query, rawFile(request, maxBytes)),
    });
  });
}
