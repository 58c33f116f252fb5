import { principalOf } from '../../../platform/http/auth.js';
import { readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { templateExample, templateInputExample } from './templates.examples.js';
import { OrderTemplate, OrderTemplateInput, OrderTemplateList, TemplateParams } from './templates.schemas.js';
import type { OrderTemplates } from './templates.service.js';

const TAGS = ['Orders'];
// A template belongs to a customer company: only its people and clients keep them.
const CUSTOMER = { roles: ['CUSTOMER' as const] };
const ONE = '/v1/orders/templates/:template_id';

export function templatesRoutes(app: App, deps: { templates: OrderTemplates }) {
  const { templates } = deps;

  app.post('/v1/orders/templates', {
    config: CUSTOMER,
    schema: {
      operationId: 'createOrderTemplate',
      tags: TAGS,
      summary: 'Save an order template (Waybill)',
      description:
        "An order's contents without its key, saved under a name to book again from (the portal's booking form): the upload's header fields and " +
        'consignments, whose stops may leave out their dates. For CUSTOMER clients and people, in their own company; 409 when the name is taken.',
      body: ref(OrderTemplateInput, { example: templateInputExample }),
      response: { 201: ref(OrderTemplate, { example: templateExample, description: 'The saved template' }), ...writeErrors(409) },
    },
    handler: async (request, reply) => reply.code(201).send(await templates.create(principalOf(request), request.body)),
  });

  app.get('/v1/orders/templates', {
    config: CUSTOMER,
    schema: {
      operationId: 'listOrderTemplates',
      tags: TAGS,
      summary: "List your company's order templates (Waybill)",
      description: 'Every template of the caller’s company, by name (a company keeps at most 500).',
      response: { 200: ref(OrderTemplateList, { example: { items: [templateExample] }, description: 'The templates' }), ...readErrors() },
    },
    handler: async (request) => templates.list(principalOf(request)),
  });

  app.get(ONE, {
    config: CUSTOMER,
    schema: {
      operationId: 'getOrderTemplate',
      tags: TAGS,
      summary: 'Get an order template (Waybill)',
      description: "One of the caller's company's templates; another company's answers 404.",
      params: TemplateParams,
      response: { 200: ref(OrderTemplate, { example: templateExample, description: 'The template' }), ...readErrors(404) },
    },
    handler: async (request) => templates.get(principalOf(request), request.params.template_id),
  });

  app.put(ONE, {
    config: CUSTOMER,
    schema: {
      operationId: 'replaceOrderTemplate',
      tags: TAGS,
      summary: 'Replace an order template (Waybill)',
      description: 'Its name and contents, as a whole; 409 when the new name is another template’s.',
      params: TemplateParams,
      body: ref(OrderTemplateInput, { example: templateInputExample }),
      response: { 200: ref(OrderTemplate, { example: templateExample, description: 'The template as saved' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => templates.replace(principalOf(request), request.params.template_id, request.body),
  });

  app.delete(ONE, {
    config: CUSTOMER,
    schema: {
      operationId: 'deleteOrderTemplate',
      tags: TAGS,
      summary: 'Delete an order template (Waybill)',
      description: 'Orders booked from it stay as they are.',
      params: TemplateParams,
      response: { 204: { type: 'null', description: 'Deleted' }, ...writeErrors(404) },
    },
    handler: async (request, reply) => {
      await templates.remove(principalOf(request), request.params.template_id);
      return reply.code(204).send();
    },
  });
}
