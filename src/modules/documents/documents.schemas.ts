import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { DateTime, ErrorStatus, Nullable, Str, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';

/** Document types an order, consignment or stop document may have (the contract's list). */
export const ORDER_DOCUMENT_TYPES = [
  'ADDRESS_LABEL',
  'ANALYSIS_CERTIFICATE',
  'ANNEX_VII_WASTE_SHIPMENT',
  'APPROVAL_LOADING_LIST',
  'ATR',
  'AUTHORIZATION_PREFERENTIAL_ORIGIN',
  'BILL_OF_LADING_INSTRUCTIONS',
  'CATTLE_TRANSPORT_JOURNAL',
  'CERTIFICATE_OF_ORIGIN',
  'CERTIFICATE_OF_SHIPMENT',
  'CLAIM',
  'CMR_INSURANCE',
  'COMMERCIAL_INVOICE',
  'CONFIRMATION_TARIFF_SHIPPING_LINE',
  'CONSIGNEE_SIGNATURE',
  'CONSIGNOR_SIGNATURE',
  'CONTAINER_CLEANING_CERTIFICATE',
  'CUSTOMER_PAPERWORK',
  'CUSTOMS_DECLARATION_INSTRUCTIONS',
  'CUSTOMS_DOCUMENT',
  'CUSTOMS_INVOICE',
  'DANGEROUS_GOODS_DECLARATION',
  'DEFENSE_MUNITIONS_VEHICLE_STABLING_REQUEST_FORM',
  'DISPATCH_CONFIRMATION',
  'DRAFT_BILL_OF_LADING',
  'DRIVER_SIGNATURE',
  'DUTCH_CUSTOMS_RELEASE',
  'EQUIPMENT_INTERCHANGE_RECEIPT',
  'EUR1',
  'EUR_MED',
  'EXPORT_ACCOMPANYING_DOCUMENT',
  'EXPORT_DECLARATION',
  'EXPORT_DOCUMENT',
  'EXTRA_COST_CONFIRMATION',
  'EXTRA_PERMITTED_WEIGHT',
  'EX_A_EXPORT_DECLARATION',
  'FINAL_BILL_OF_LADING',
  'GOODS_IN',
  'GOODS_OUT',
  'GPS_TRACKER_REPORT',
  'IFP',
  'IMDG',
  'IMPORT_DECLARATION',
  'IMPORT_DOCUMENT',
  'IM_A',
  'INSURANCE_DOCUMENT',
  'LOCATION_INFO',
  'LUMPER_RECEIPT',
  'MANIFEST',
  'MULTIMODAL_DANGEROUS_GOODS_DECL',
  'ORDER_ACCEPTANCE',
  'ORDER_CONFIRMATION',
  'ORIGINAL_CMR',
  'OTHER_ADMINISTRATION',
  'PALLET_LABEL',
  'PALLET_LABEL_EXTERNAL',
  'PALLET_NOTE',
  'PHOTO_DAMAGED_GOODS',
  'PHOTO_OF_GOODS_DELIVERY',
  'PHOTO_OF_GOODS_PICKUP',
  'PHOTO_SEAL_NUMBER',
  'PICKUP_CMR',
  'PICKUP_NOTE',
  'PREFILLED_CMR',
  'PRICE_OFFER_CUSTOMER',
  'PROOF_OF_DELIVERY',
  'PROOF_OF_DELIVERY_DRIVER_APP',
  'PROOF_OF_DELIVERY_SIGNED',
  'PROOF_OF_PICKUP',
  'PROOF_OF_PICKUP_SIGNED',
  'QUOTE',
  'RECEIPT',
  'SAFETY_SECURITY_DECLARATION',
  'SECURITY_PLAN_FORM',
  'SINGLE_ADMINISTRATIVE_DOCUMENT',
  'STANDARD_OPERATING_PROCEDURE',
  'STICKER_LABEL',
  'T1_DOCUMENT',
  'T2_DOCUMENT',
  'TEMPERATURE_REPORT',
  'TIMESLOT_CONFIRMATION',
  'TRANSIT_DOCUMENT',
  'VGM_CONTAINER',
  'VISITOR_SAFETY_INSTRUCTION',
  'WAITING_HOURS_INFORMATION',
  'WASTE',
  'WAYBILL',
  'WEIGHING_TICKET',
] as const;
export type OrderDocumentType = (typeof ORDER_DOCUMENT_TYPES)[number];

export const OrderDocumentTypeSchema = StringEnum(ORDER_DOCUMENT_TYPES, { $id: 'OrderDocumentType' });

export const DocumentOutput = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    type: Type.String({ description: 'Document type, e.g. PROOF_OF_DELIVERY.' }),
    download_url: Type.String({ description: 'Path of the download endpoint, relative to the API base URL.' }),
    subject_type: Type.String({ description: 'What the document belongs to: ORDER, CONSIGNMENT, STOP, ...' }),
    content_type: Nullable(Type.String()),
    subject_id: Uuid,
    filename: Type.String(),
    size: Type.Integer({ description: 'Length of the content in bytes.' }),
    created_at: DateTime,
  },
  { $id: 'Document' },
);
export type DocumentOutput = Static<typeof DocumentOutput>;

export const DocumentUploadResponse = Type.Object(
  { upload_id: Type.String({ format: 'uuid', description: 'Reference this id (as remote_document.upload_id) to attach the file.' }) },
  { $id: 'DocumentUploadResponse' },
);
export type DocumentUploadResponse = Static<typeof DocumentUploadResponse>;

/** Only documents the multipart body for OpenAPI; the route reads the stream itself. */
export const DocumentUploadBody = Type.Object(
  { file: Type.String({ format: 'binary', description: 'The file; its part filename and Content-Type are kept.' }) },
  { $id: 'DocumentUploadBody' },
);

export const DocumentImportResponse = Type.Object(
  {
    errors: Nullable(Type.Array(ErrorStatus, { description: 'Why the file was not imported; empty when it was.' })),
    document_id: Type.Optional(Nullable(Uuid)),
    order_id: Type.Optional(Nullable(Uuid)),
  },
  { $id: 'DocumentImportResponse' },
);
export type DocumentImportResponse = Static<typeof DocumentImportResponse>;

export const DocumentImportQuery = Type.Object({
  filename: Str(255, { description: 'File name including its extension; when empty, the file is stored under a generic name.' }),
  document_type: Type.Optional(ref(OrderDocumentTypeSchema)),
  document_name: Type.Optional(Str(255, { minLength: 1, description: 'Display name; the file name when left out.' })),
  customer_reference_number: Type.Optional(Str(255, { minLength: 1 })),
  name: Type.Optional(Str(100, { minLength: 1, description: 'Order name, e.g. OR-000042.' })),
  id: Type.Optional(Uuid),
});
export type DocumentImportQuery = Static<typeof DocumentImportQuery>;

export const DownloadQuery = Type.Object({
  direct: Type.Optional(Type.Boolean({ default: false, description: 'Accepted for compatibility; the bytes are always sent in full.' })),
});

export const OrderIdParams = Type.Object({ order_id: Uuid });

export const documentSchemas = [OrderDocumentTypeSchema, DocumentOutput, DocumentUploadResponse, DocumentUploadBody, DocumentImportResponse];
