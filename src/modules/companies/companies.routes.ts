import { principalOf } from '../../platform/http/auth.js';
import { IdParams, errorResponses } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { CompanyDetailOutput, CompanyInput, CompanyListQuery, ListCompanyOutput } from './companies.schemas.js';
import type { CompaniesService } from './companies.service.js';

export function companiesRoutes(app: App, deps: { companies: CompaniesService }) {
  const { companies } = deps;

  app.post('/v1/companies/company', {
    config: { roles: ['TENANT'] },
    schema: {
      tags: ['Companies'],
      summary: 'Create a company (customer, subcontractor, or both)',
      body: ref(CompanyInput),
      response: { 200: ref(CompanyDetailOutput), ...errorResponses },
    },
    handler: async (request) => companies.create(principalOf(request), request.body),
  });

  app.get('/v1/companies/company', {
    schema: {
      tags: ['Companies'],
      summary: 'List companies, oldest change first',
      description: 'Use `updated_after` to fetch what changed since your last sync. Customer and subcontractor clients see only their own company.',
      querystring: CompanyListQuery,
      response: { 200: ref(ListCompanyOutput), ...errorResponses },
    },
    handler: async (request) => companies.list(principalOf(request), request.query),
  });

  app.get('/v1/companies/company/:id', {
    schema: {
      tags: ['Companies'],
      summary: 'Get a company',
      params: IdParams,
      response: { 200: ref(CompanyDetailOutput), ...errorResponses },
    },
    handler: async (request) => companies.get(principalOf(request), request.params.id),
  });
}
