import { principalOf } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { ListOrderOutput, OrderExport, OrderOutput, OrderWithStatus } from './orders.output-schemas.js';
import { OrderImport, OrderImportResponse, OrderInput, OrderListQuery, OrderParams, UploadParams } from './orders.schemas.js';
import { OrderUpdatePayload, PartialOrderUpdateResponse } from './orders.partial.schemas.js';
import type { OrdersService } from './orders.service.js';

const TAGS = ['Orders'];

export function ordersRoutes(app: App, deps: { orders: OrdersService }) {
  const { orders } = deps;

  app.post('/v1/orders/order/upload', {
    config: { roles: ['TENANT', 'CUSTOMER'] },
    schema: {
      tags: TAGS,
      summary: 'Create, update or cancel an order',
      description:
        'The order is keyed by `order_identifier` per customer. Waybill processes the upload at once: the answer already holds the final ' +
        '`upload_status` (COMPLETED, DUPLICATE for a repeated CREATE, or ERROR with the reasons in `errors`).',
      body: ref(OrderInput),
      response: { 200: ref(OrderImport), ...errorResponses },
    },
    handler: async (request) => orders.importOrder(principalOf(request), request.body),
  });

  app.get('/v1/orders/order/upload/:upload_id', {
    schema: {
      tags: TAGS,
      summary: 'Get the outcome of an order upload',
      params: UploadParams,
      response: { 200: ref(OrderImport), ...errorResponses },
    },
    handler: async (request) => orders.getUpload(principalOf(request), request.params.upload_id),
  });

  // The inbound-webhook flavour of the upload: Basic credentials, and only the errors in the answer.
  for (const url of ['/v1/webhook', '/v1/webhook/order-import']) {
    app.post(url, {
      config: {
        auth: 'basic',
        roles: ['TENANT', 'CUSTOMER'],
        mediaTypeHint: 'The body is an OrderInput; custom formats (CSV, XML, EDI) will need a per-integration mapping, which Waybill does not offer yet',
      },
      schema: {
        tags: TAGS,
        summary: url === '/v1/webhook' ? 'Create, update or cancel an order (webhook)' : 'Alias of POST /v1/webhook',
        security: [{ webhookBasic: [] }],
        body: ref(OrderInput),
        response: { 200: ref(OrderImportResponse), ...errorResponses },
      },
      handler: async (request) => {
        const result = await orders.importOrder(principalOf(request), request.body);
        return { errors: result.errors, upload_id: result.upload_id, upload_status: result.upload_status, order_id: result.order_id };
      },
    });
  }

  app.post('/v1/webhook/partial-order-update', {
    config: { auth: 'basic', roles: ['TENANT', 'CUSTOMER'] },
    schema: {
      tags: TAGS,
      summary: 'Change parts of existing orders',
      description:
        'Each update matches exactly one order (by id, name, customer_reference_number, customer) and changes its header, consignments, ' +
        'stops, goods or handling units, or attaches documents. An update that fails changes nothing and is listed in `errors`; the others still apply.',
      security: [{ webhookBasic: [] }],
      body: ref(OrderUpdatePayload),
      response: { 200: ref(PartialOrderUpdateResponse), ...errorResponses },
    },
    handler: async (request) => orders.partialUpdate(principalOf(request), request.body),
  });

  app.get('/v1/orders/order', {
    schema: {
      tags: TAGS,
      summary: 'List orders, oldest change first (Waybill)',
      description: 'Filter by `status`, `customer_code` and `updated_after`; page with `next_cursor`. Customer clients see only their orders.',
      querystring: OrderListQuery,
      response: { 200: ref(ListOrderOutput), ...errorResponses },
    },
    handler: async (request) => orders.list(principalOf(request), request.query),
  });

  app.get('/v1/orders/order/:order_id', {
    schema: { tags: TAGS, summary: 'Get an order', params: OrderParams, response: { 200: ref(OrderOutput), ...errorResponses } },
    handler: async (request) => orders.get(principalOf(request), request.params.order_id),
  });

  app.get('/v1/orders/order/:order_id/status', {
    schema: {
      tags: TAGS,
      summary: 'Get an order with its status and the status of every stop',
      params: OrderParams,
      response: { 200: ref(OrderWithStatus), ...errorResponses },
    },
    handler: async (request) => orders.getStatus(principalOf(request), request.params.order_id),
  });

  app.get('/v1/orders/order/:order_id/export', {
    schema: {
      tags: TAGS,
      summary: 'Export an order as an upload body',
      description: 'The answer is a valid upload body: change `order_identifier` to create a copy.',
      params: OrderParams,
      response: { 200: ref(OrderExport), ...errorResponses },
    },
    handler: async (request) => orders.exportOrder(principalOf(request), request.params.order_id),
  });
}
