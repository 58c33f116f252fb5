import type { DocumentImportResponse, DocumentOutput, DocumentUploadResponse } from './documents.schemas.js';

/** Examples for the OpenAPI document, recorded from a run of the API. */

export const documentUploadExample = { upload_id: 'eebde951-808b-4d1a-8591-a2dd4b90e4c4' } satisfies DocumentUploadResponse;

export const orderDocumentsExample = [
  {
    id: '573c3d86-d23f-476c-bbb5-6815e00a1388',
    name: 'pod-1001.pdf',
    type: 'PROOF_OF_DELIVERY',
    download_url: '/v1/documents/document/573c3d86-d23f-476c-bbb5-6815e00a1388/download',
    subject_type: 'ORDER',
    content_type: 'application/pdf',
    subject_id: '9d60d850-4f98-4eb7-99f8-be061b82e576',
    filename: 'pod-1001.pdf',
    size: 16,
    created_at: '2026-11-30T20:22:09.713Z',
  },
] satisfies DocumentOutput[];

export const documentImportExample = {
  errors: [],
  document_id: '8ade636a-8878-417b-b149-5d5e83afe7cd',
  order_id: '9d60d850-4f98-4eb7-99f8-be061b82e576',
} satisfies DocumentImportResponse;
