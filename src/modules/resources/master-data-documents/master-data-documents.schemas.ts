import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { Str } from '../../../platform/http/schemas.js';
import { COMPANY_DOCUMENT_TYPES, RESOURCE_DOCUMENT_TYPES, RESOURCE_TYPE_PREFIX } from './master-data-documents.mapping.js';

export const CompanyDocumentType = StringEnum(COMPANY_DOCUMENT_TYPES, {
  $id: 'CompanyDocumentType',
  description: "A company document's type: the contract's customer and subcontractor document types.",
});

/** Bare names as Waybill answers with them, and the contract's `DocumentType.` spelling, read as the same. */
export const ResourceDocumentType = StringEnum([...RESOURCE_DOCUMENT_TYPES, ...RESOURCE_DOCUMENT_TYPES.map((t) => `${RESOURCE_TYPE_PREFIX}${t}`)], {
  $id: 'ResourceDocumentType',
  description: 'A resource validity document type (container, driver and vehicle documents). `DocumentType.X` is accepted for `X`.',
});

/** The bare document type, whichever spelling was sent. */
export const bareDocumentType = (type: string) => (type.startsWith(RESOURCE_TYPE_PREFIX) ? type.slice(RESOURCE_TYPE_PREFIX.length) : type);

/** A staged upload sent along with a validity, to be attached to it. */
function uploadedDocument(type: typeof CompanyDocumentType | typeof ResourceDocumentType, $id: string) {
  return Type.Object(
    {
      upload_id: Type.String({ format: 'uuid', description: 'From POST /v1/documents/document/upload_content, staged by the same client.' }),
      document_type: type,
      name: Str(255, { description: "Display name of the document; empty: the uploaded file's name." }),
    },
    { $id },
  );
}

export const CompanyValidityDocumentInput = uploadedDocument(CompanyDocumentType, 'CompanyValidityDocumentInput');
export const ResourceValidityDocumentInput = uploadedDocument(ResourceDocumentType, 'ResourceValidityDocumentInput');
export type ValidityDocumentInput = Static<typeof CompanyValidityDocumentInput> | Static<typeof ResourceValidityDocumentInput>;

export const masterDataDocumentSchemas = [CompanyDocumentType, ResourceDocumentType, CompanyValidityDocumentInput, ResourceValidityDocumentInput];
