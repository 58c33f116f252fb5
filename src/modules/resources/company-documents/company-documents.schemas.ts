import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page, PageQuery, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { CompanyValidity as CompanyValiditySchemas, validityOutputExample } from '../validities/validities.schemas.js';
import { DocumentOutput } from '../../documents/index.js';
import { CompanyDocumentType } from '../master-data-documents/master-data-documents.schemas.js';

/** A company validity as a company document carries it: the validity's fields without its own documents. */
export const CompanyValidity = Type.Omit(CompanyValiditySchemas.input, ['documents'], {
  $id: 'CompanyValidity',
  description: 'The validity the document proves: created with the document, listed with the company validities.',
});

const validityExample = { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: 'CMR_INSURANCE' as const, external_id: 'CMR-2026' };

export const CompanyDocumentInput = Type.Object(
  {
    upload_id: Type.String({ format: 'uuid', description: 'From POST /v1/documents/document/upload_content, staged by the same client.' }),
    document_type: ref(CompanyDocumentType),
    name: Str(255, { description: "Display name of the document; empty: the uploaded file's name." }),
    validity: Type.Optional(Nullable(ref(CompanyValidity))),
  },
  {
    $id: 'UploadedCompanyDocumentWithValidity',
    examples: [{ upload_id: 'eebde951-808b-4d1a-8591-a2dd4b90e4c4', document_type: 'CMR_INSURANCE', name: 'CMR insurance 2026', validity: validityExample }],
  },
);
export type CompanyDocumentInput = Static<typeof CompanyDocumentInput>;

const outputExample = {
  id: '573c3d86-d23f-476c-bbb5-6815e00a1388',
  name: 'CMR insurance 2026',
  type: 'CMR_INSURANCE',
  download_url: '/v1/documents/document/573c3d86-d23f-476c-bbb5-6815e00a1388/download',
  subject_type: 'COMPANY',
  content_type: 'application/pdf',
  subject_id: '9d60d850-4f98-4eb7-99f8-be061b82e576',
  filename: 'cmr-2026.pdf',
  size: 16,
  created_at: '2026-11-30T20:22:09.713Z',
  validity: validityOutputExample(validityExample),
};

export const CompanyDocumentOutput = Type.Composite(
  [DocumentOutput, Type.Object({ validity: Nullable(ref(CompanyValiditySchemas.output, { description: 'The validity the document proves, if any.' })) })],
  { $id: 'CompanyDocumentOutput', examples: [outputExample] },
);
export type CompanyDocumentOutput = Static<typeof CompanyDocumentOutput>;

export const ListCompanyDocumentOutput = Page(ref(CompanyDocumentOutput), 'ListCompanyDocumentOutput', [{ items: [outputExample], next_cursor: null }]);

export const CompanyIdParams = Type.Object({ company_id: Uuid });
export const CompanyDocumentsQuery = Type.Object(PageQuery);

export const companyDocumentSchemas = [CompanyValidity, CompanyDocumentInput, CompanyDocumentOutput, ListCompanyDocumentOutput];
