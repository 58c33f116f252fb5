import type { Db } from '../../../platform/db/database.js';
import { inTransaction } from '../../../platform/db/tx.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { ValiditiesService } from '../validities/validities.service.js';
import type { CompanyDocumentInput, CompanyDocumentOutput } from './company-documents.schemas.js';
import { type DocumentRow, documentOutput, type DocumentsService } from '../../documents/index.js';

/** The validities module as company documents use it: a document may arrive with the validity it proves. */
export type CompanyValidities = Pick<ValiditiesService, 'companySubject' | 'insertInTx' | 'outputsByIds'>;

export type CompanyDocumentsService = ReturnType<typeof createCompanyDocumentsService>;

/**
 * A company's documents (insurance certificates, licences, contracts): staged uploads attached to
 * the company, optionally with the validity they prove. They are the tenant's paperwork about the
 * company, so only TENANT clients see them, downloads included (`company_ids` stays empty).
 */
export function createCompanyDocumentsService(deps: { db: Db; documents: DocumentsService; validities: CompanyValidities }) {
  const { db, documents, validities } = deps;

  async function outputs(tenantId: string, rows: DocumentRow[]): Promise<CompanyDocumentOutput[]> {
    const ids = [...new Set(rows.map((r) => r.validity_id).filter((id): id is string => id !== null))];
    const byId = await validities.outputsByIds(tenantId, ids);
    return rows.map((r) => ({ ...documentOutput(r), validity: (r.validity_id && byId.get(r.validity_id)) || null }));
  }

  return {
    async list(principal: Principal, companyId: string, query: { cursor?: string; limit?: number }) {
      await validities.companySubject(principal, companyId);
      const page = await documents.pageForSubject(principal.tenantId, { type: 'COMPANY', id: companyId }, query);
      return { items: await outputs(principal.tenantId, page.rows), next_cursor: page.next_cursor };
    },

    /** Attaches the upload to the company, creating the validity sent with it in the same transaction. */
    async create(principal: Principal, companyId: string, input: CompanyDocumentInput): Promise<CompanyDocumentOutput> {
      const subject = await validities.companySubject(principal, companyId);
      const row = await inTransaction(db, async (tx) => {
        // Sent again (a retry), the upload answers its first document and creates no second validity.
        const again = await documents.attachedUpload(tx, principal.tenantId, { uploadId: input.upload_id, subjectType: 'COMPANY', subjectId: companyId });
        if (again) return again;
        const validity = input.validity ? await validities.insertInTx(tx, principal, subject, input.validity) : null;
        return documents.attachUpload(tx, {
          tenantId: principal.tenantId,
          subjectType: 'COMPANY',
          subjectId: companyId,
          validityId: validity?.id ?? null,
          companyIds: [],
          type: input.document_type,
          name: input.name,
          uploadId: input.upload_id,
          uploadIdPath: 'body.upload_id',
          uploadedBy: principal.apiClientId,
          attachedByCompanyId: principal.companyId,
        });
      });
      const [output] = await outputs(principal.tenantId, [row]);
      return output as CompanyDocumentOutput;
    },
  };
}
