/**
 * Documents: uploads, downloads and the files attached to orders, stops and master data.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { DocumentAnswerError, documentSources, isDocumentAnswer } from './documents.input.js';
export type { DocumentAnswerFile } from './documents.input.js';
export { orderDocumentsExample } from './documents.examples.js';
export type { DocumentRow } from './documents.repo.js';
export { documentsModule } from './documents.module.js';
export { DocumentOutput, ORDER_DOCUMENT_TYPES } from './documents.schemas.js';
export { documentOutput } from './documents.service.js';
export type { AttachToOrderInput, BlobReferenceCheck, DocumentsService } from './documents.service.js';
export type { OrderLookup } from './order-documents/order-documents.service.js';
export { documentEvents } from './documents.events.js';
export type { OrderSnapshots } from './documents.service.js';
