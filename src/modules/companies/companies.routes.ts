import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../platform/http/auth.js';
import { etagOf, sendVersioned } from '../../platform/http/etag.js';
import { conditionalErrorResponses, errorResponses, IdParams, IfMatchHeaders } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { companyExample, companyInputExample, companyListExample } from './companies.examples.js';
import { CompanyDetailOutput, CompanyInput, CompanyListQuery, CompanyPartialInput, ListCompanyOutput } from './companies.schemas.js';
import type { CompaniesService } from './companies.service.js';

const TAGS = ['Companies'];
const ETAG_NOTE = 'The answer carries the version as `ETag`; send it back as `If-Match` on a write to get 412 instead of overwriting a newer change.';

/**
 * The company endpoints, under the contract's path and again under its deprecated
 * `/v1/accounting/company` alias (same shapes; the alias's DELETE answers 200 `{}`).
 */
export function companiesRoutes(app: App, deps: { companies: CompaniesService }) {
  const { companies } = deps;

  for (const legacy of [false, true]) {
    const base = legacy ? '/v1/accounting/company' : '/v1/companies/company';
    const op = (name: string) => (legacy ? `${name}Deprecated` : name);
    const aliasNote = legacy ? ' Deprecated alias of the same operation under `/v1/companies/company`.' : '';
    const common = { tags: TAGS, deprecated: legacy || undefined };

    app.post(base, {
      config: { roles: ['TENANT'] },
      schema: {
        ...common,
        operationId: op('createCompany'),
        summary: 'Create a company (customer, subcontractor, buyer/seller, or several)',
        description: `Only \`currency\` is required. \`code\` and \`accounting_code\` are unique per tenant (409 otherwise); IBANs are checked. ${ETAG_NOTE}${aliasNote}`,
        body: ref(CompanyInput, { example: companyInputExample }),
        response: { 200: ref(CompanyDetailOutput, { example: companyExample, description: 'The company' }), ...errorResponses },
      },
      handler: async (request, reply) => sendVersioned(reply, await companies.create(principalOf(request), request.body)),
    });

    app.get(base, {
      schema: {
        ...common,
        operationId: op('listCompanies'),
        summary: 'List companies, oldest change first',
        description:
          'Use `updated_after` to fetch what changed since your last sync, then follow `next_cursor`. Pages stay consistent while records change: ' +
          `a record changed during the walk shows up again later with its new state, never skipped. Waybill filters: \`q\` (name, code or accounting code containing it, in any case) and \`role\` (customer, subcontractor or buyer_or_seller); a cursor carries them. Customer and subcontractor clients see only their own company.${aliasNote}`,
        querystring: CompanyListQuery,
        response: { 200: ref(ListCompanyOutput, { example: companyListExample, description: 'One page of companies' }), ...errorResponses },
      },
      handler: async (request) => companies.list(principalOf(request), request.query),
    });

    app.get(`${base}/:id`, {
      schema: {
        ...common,
        operationId: op('getCompany'),
        summary: 'Get a company',
        description: `Customer and subcontractor clients can read only their own company. ${ETAG_NOTE}${aliasNote}`,
        params: IdParams,
        response: { 200: ref(CompanyDetailOutput, { example: companyExample, description: 'The company' }), ...errorResponses },
      },
      handler: async (request, reply) => sendVersioned(reply, await companies.get(principalOf(request), request.params.id)),
    });

    app.put(`${base}/:id`, {
      config: { roles: ['TENANT'] },
      schema: {
        ...common,
        operationId: op('replaceCompany'),
        summary: 'Replace a company',
        description:
          'Sends the whole company. Contacts are matched by `id` (without one a contact is added; `is_archived: true` archives it); contacts left out stay. ' +
          `Archive flags left out keep their value. ${ETAG_NOTE}${aliasNote}`,
        params: IdParams,
        headers: IfMatchHeaders,
        body: ref(CompanyInput),
        response: { 200: ref(CompanyDetailOutput, { example: companyExample, description: 'The company' }), ...conditionalErrorResponses },
      },
      handler: async (request, reply) =>
        sendVersioned(reply, await companies.replace(principalOf(request), request.params.id, request.body, { ifMatch: request.headers['if-match'] })),
    });

    app.patch(`${base}/:id`, {
      config: { roles: ['TENANT'] },
      schema: {
        ...common,
        operationId: op('updateCompany'),
        summary: 'Change parts of a company',
        description:
          'Fields sent replace the stored ones, null clears them, the rest stay. `archived_customer` / `archived_subcontractor` archive (true) or reactivate (false) one role; ' +
          `contacts work as in PUT. ${ETAG_NOTE}${aliasNote}`,
        params: IdParams,
        headers: IfMatchHeaders,
        body: ref(CompanyPartialInput),
        response: { 200: ref(CompanyDetailOutput, { example: companyExample, description: 'The company' }), ...conditionalErrorResponses },
      },
      handler: async (request, reply) =>
        sendVersioned(reply, await companies.patch(principalOf(request), request.params.id, request.body, { ifMatch: request.headers['if-match'] })),
    });

    app.delete(`${base}/:id`, {
      config: { roles: ['TENANT'] },
      schema: {
        ...common,
        operationId: op('archiveCompany'),
        summary: 'Archive a company',
        description: `Archives every role (customer, subcontractor, buyer/seller); the company stays readable, and PATCH can reactivate a role.${aliasNote}`,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          ...(legacy ? { 200: Type.Object({}, { description: 'Archived', examples: [{}] }) } : { 204: Type.Null({ description: 'Archived' }) }),
          ...conditionalErrorResponses,
        },
      },
      handler: async (request, reply) => {
        const archived = await companies.archive(principalOf(request), request.params.id, { ifMatch: request.headers['if-match'] });
        reply.header('etag', etagOf(archived.version));
        // The two paths answer differently (200 `{}` on the alias, 204 here), which the route's union type cannot express.
        return legacy ? {} : (reply as FastifyReply).code(204).send();
      },
    });
  }
}
