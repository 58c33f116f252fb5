import type { Generated } from '../../platform/db/database.js';

export interface DocumentTable {
  tenant_id: string;
  id: string;
  name: string;
  filename: string;
  /** Contract document type; null while the row is a staged upload. */
  type: string | null;
  content_type: string;
  size_bytes: number;
  sha256: string;
  /** ORDER, CONSIGNMENT, STOP, ...; null while the row is a staged upload. */
  subject_type: string | null;
  subject_id: string | null;
  order_id: string | null;
  /** The validity the document proves (a company's or a resource's); null for other documents. */
  validity_id: string | null;
  /** The staged upload this row was attached from. */
  source_upload_id: string | null;
  company_ids: string[];
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

declare module '../../platform/db/database.js' {
  interface Database {
    documents: DocumentTable;
  }
}
