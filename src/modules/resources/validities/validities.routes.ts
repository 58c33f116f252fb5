import { Type } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import { errorResponses, readErrors, Uuid } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { orderDocumentsExample, DocumentOutput } from '../../documents/index.js';
import { CompanyValidity, ResourceValidity, ValidityListQuery } from './validities.schemas.js';
import type { SubjectType, ValiditiesService } from './validities.service.js';

const TENANT_ONLY = { roles: ['TENANT' as const] };

/** The validity endpoints of the two parents the contract gives them: resources and companies. */
const PARENTS = [
  {
    type: 'resource',
    base: '/v1/resources/resource/:subject_id/validity',
    tag: 'Resources',
    noun: 'Resource',
    schemas: ResourceValidity,
    documentType: 'VEHICLE_MOT_TEST',
  },
  {
    type: 'company',
    base: '/v1/companies/company/:subject_id/validity',
    tag: 'Companies',
    noun: 'Company',
    schemas: CompanyValidity,
    documentType: 'CMR_INSURANCE',
  },
] as const;

export function validitiesRoutes(app: App, deps: { validities: ValiditiesService }) {
  const { validities } = deps;
  for (const parent of PARENTS) {
    const type: SubjectType = parent.type;
    const { input, output, list } = parent.schemas;
    const params = Type.Object({ subject_id: Uuid });
    const itemParams = Type.Object({ subject_id: Uuid, id: Uuid });
    const common = { tags: [parent.tag] };
    const what = `a ${parent.type}'s validity`;

    app.get(parent.base, {
      config: TENANT_ONLY,
      schema: {
        ...common,
        operationId: `list${parent.noun}Validities`,
        summary: `List ${what} records`,
        description: `Validities of the ${parent.type} overlapping the window \`start_time\`–\`end_time\` (either bound may be left out), by start time.`,
        params,
        querystring: ValidityListQuery,
        response: { 200: ref(list), ...errorResponses },
      },
      handler: async (request) => validities.list(principalOf(request), type, request.params.subject_id, request.query),
    });
    app.post(parent.base, {
      config: TENANT_ONLY,
      schema: {
        ...common,
        operationId: `create${parent.noun}Validity`,
        summary: `Add ${what}`,
        description: 'A licence, certificate or insurance with its period; `end_time` must be after `start_time`.',
        params,
        body: ref(input),
        response: { 200: ref(output), ...errorResponses },
      },
      handler: async (request) => validities.create(principalOf(request), type, request.params.subject_id, request.body),
    });
    app.get(`${parent.base}/:id`, {
      config: TENANT_ONLY,
      schema: {
        ...common,
        operationId: `get${parent.noun}Validity`,
        summary: `Get ${what}`,
        description: `One validity of the ${parent.type}.`,
        params: itemParams,
        response: { 200: ref(output), ...errorResponses },
      },
      handler: async (request) => validities.get(principalOf(request), type, request.params.subject_id, request.params.id),
    });
    app.put(`${parent.base}/:id`, {
      config: TENANT_ONLY,
      schema: {
        ...common,
        operationId: `replace${parent.noun}Validity`,
        summary: `Replace ${what}`,
        description: 'Replaces the whole validity; fields left out are cleared.',
        params: itemParams,
        body: ref(input),
        response: { 200: ref(output), ...errorResponses },
      },
      handler: async (request) => validities.replace(principalOf(request), type, request.params.subject_id, request.params.id, request.body),
    });
    app.delete(`${parent.base}/:id`, {
      config: TENANT_ONLY,
      schema: {
        ...common,
        operationId: `delete${parent.noun}Validity`,
        summary: `Delete ${what}`,
        description: 'Deletes the validity for good.',
        params: itemParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses },
      },
      handler: async (request, reply) => {
        await validities.remove(principalOf(request), type, request.params.subject_id, request.params.id);
        return reply.code(204).send(null);
      },
    });
    app.get(`${parent.base}/:id/documents`, {
      config: TENANT_ONLY,
      schema: {
        ...common,
        tags: [parent.tag, 'Documents'],
        operationId: `list${parent.noun}ValidityDocuments`,
        summary: `List the documents of ${what}`,
        description:
          'Documents attached with the validity (its `documents`)' +
          (parent.type === 'company' ? ' or sent with it as a company document' : '') +
          ', oldest first.',
        params: itemParams,
        response: {
          200: Type.Array(ref(DocumentOutput), {
            description: 'The validity documents',
            examples: [orderDocumentsExample.map((d) => ({ ...d, type: parent.documentType, subject_type: 'VALIDITY' }))],
          }),
          ...readErrors(404),
        },
      },
      handler: async (request) => validities.listDocuments(principalOf(request), type, request.params.subject_id, request.params.id),
    });
  }
}
