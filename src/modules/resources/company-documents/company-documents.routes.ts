import { principalOf } from '../../../platform/http/auth.js';
import { readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { CompanyDocumentInput, CompanyDocumentOutput, CompanyDocumentsQuery, CompanyIdParams, ListCompanyDocumentOutput } from './company-documents.schemas.js';
import type { CompanyDocumentsService } from './company-documents.service.js';

const TENANT_ONLY = { roles: ['TENANT' as const] };

export function companyDocumentsRoutes(app: App, deps: { companyDocuments: CompanyDocumentsService }) {
  const { companyDocuments } = deps;

  app.get('/v1/companies/company/:company_id/documents', {
    config: TENANT_ONLY,
    schema: {
      operationId: 'listCompanyDocuments',
      tags: ['Companies', 'Documents'],
      summary: "List a company's documents",
      description: 'Documents attached to the company, oldest first, each with the validity it proves (or null). Download them with `download_url`.',
      params: CompanyIdParams,
      querystring: CompanyDocumentsQuery,
      response: { 200: ref(ListCompanyDocumentOutput, { description: "One page of the company's documents" }), ...readErrors(404) },
    },
    handler: async (request) => companyDocuments.list(principalOf(request), request.params.company_id, request.query),
  });

  app.post('/v1/companies/company/:company_id/documents', {
    config: TENANT_ONLY,
    schema: {
      operationId: 'createCompanyDocument',
      tags: ['Companies', 'Documents'],
      summary: 'Attach a document to a company',
      description:
        'Attaches a file staged with POST /v1/documents/document/upload_content. With `validity`, that validity is created for the company ' +
        'in the same transaction and the document is listed under it too. Attaching the same upload to the company again answers the first document.',
      params: CompanyIdParams,
      body: ref(CompanyDocumentInput),
      response: { 200: ref(CompanyDocumentOutput, { description: 'The attached document' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => companyDocuments.create(principalOf(request), request.params.company_id, request.body),
  });
}
