import { principalOf } from '../../platform/http/auth.js';
import { IdParams, readErrors, writeErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { companyExample, companyInputExample, companyListExample } from './companies.examples.js';
import { CompanyDetailOutput, CompanyInput, CompanyListQuery, ListCompanyOutput } from './companies.schemas.js';
import type { CompaniesService } from './companies.service.js';

export function companiesRoutes(app: App, deps: { companies: CompaniesService }) {
  const { companies } = deps;

  app.post('/v1/companies/company', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'createCompany',
      tags: ['Companies'],
      summary: 'Create a company (customer, subcontractor, or both)',
      description:
        'Give a `name`, or at least a `code` (which then serves as the name). A `code` is unique in the tenant and is how orders and ' +
        'API clients name the company; creating the same code twice answers 409. Only TENANT clients create companies.',
      body: ref(CompanyInput, { example: companyInputExample }),
      response: { 200: ref(CompanyDetailOutput, { example: companyExample, description: 'The company as stored' }), ...writeErrors(409) },
    },
    handler: async (request) => companies.create(principalOf(request), request.body),
  });

  app.get('/v1/companies/company', {
    schema: {
      operationId: 'listCompanies',
      tags: ['Companies'],
      summary: 'List companies, oldest change first',
      description: 'Use `updated_after` to fetch what changed since your last sync. Customer and subcontractor clients see only their own company.',
      querystring: CompanyListQuery,
      response: { 200: ref(ListCompanyOutput, { example: companyListExample, description: 'One page of companies' }), ...readErrors() },
    },
    handler: async (request) => companies.list(principalOf(request), request.query),
  });

  app.get('/v1/companies/company/:id', {
    schema: {
      operationId: 'getCompany',
      tags: ['Companies'],
      summary: 'Get a company',
      description: 'By id. Customer and subcontractor clients get only their own company; any other id is 404.',
      params: IdParams,
      response: { 200: ref(CompanyDetailOutput, { example: companyExample, description: 'The company' }), ...readErrors(404) },
    },
    handler: async (request) => companies.get(principalOf(request), request.params.id),
  });
}
