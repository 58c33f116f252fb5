import { principalOf } from '../../platform/http/auth.js';
import { readErrors, writeErrors } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { ListOrderOutput, OrderExport, OrderOutput, OrderWithStatus } from './views/views.schemas.js';
import { OrderImport, OrderImportResponse, OrderInput, OrderListQuery, OrderParams, UploadParams } from './orders.schemas.js';
import { OrderUpdatePayload, PartialOrderUpdateResponse } from './partial/partial.schemas.js';
import type { OrdersService } from './orders.service.js';
import { orderImportExample, orderImportResponseExample, orderInputExample, orderUpdateExample, orderUpdateResponseExample } from './orders.examples.js';
import { orderExample, orderExportExample, orderListExample, orderWithStatusExample } from './views/views.examples.js';

const TAGS = ['Orders'];

export function ordersRoutes(app: App, deps: { orders: OrdersService }) {
  const { orders } = deps;

  app.post('/v1/orders/order/upload', {
    config: { roles: ['TENANT', 'CUSTOMER'] },
    schema: {
      operationId: 'importOrder',
      tags: TAGS,
      summary: 'Create, update or cancel an order',
      description:
        '`operation` is CREATE, UPDATE or DELETE; the order is keyed by `order_identifier` per customer. Waybill processes the upload at once: ' +
        'the answer already holds the final `upload_status` (COMPLETED, DUPLICATE for a repeated CREATE, or ERROR with the reasons in `errors`). ' +
        'Refused with 400 naming the rule: a CREATE or UPDATE with an empty `consignments` (an order is planned and billed by its consignments), an empty ' +
        "`order_identifier` (it is the order's key). A CUSTOMER client may leave `customer` out: the order is for its own company.",
      body: ref(OrderInput, { example: orderInputExample }),
      response: { 200: ref(OrderImport, { example: orderImportExample, description: 'The outcome of the upload' }), ...writeErrors(409) },
    },
    handler: async (request) => orders.importOrder(principalOf(request), request.body),
  });

  app.get('/v1/orders/order/upload/:upload_id', {
    schema: {
      operationId: 'getOrderImportStatus',
      tags: TAGS,
      summary: 'Get the outcome of an order upload',
      description: 'The same answer the upload gave, by its `upload_id`. Customer clients see only their own uploads.',
      params: UploadParams,
      response: { 200: ref(OrderImport, { example: orderImportExample, description: 'The outcome of the upload' }), ...readErrors(404) },
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
        operationId: url === '/v1/webhook' ? 'importOrderWebhook' : 'importOrderWebhookAlias',
        tags: TAGS,
        summary: url === '/v1/webhook' ? 'Create, update or cancel an order (webhook)' : 'Alias of POST /v1/webhook',
        description:
          'The upload of POST /v1/orders/order/upload for systems that push with fixed credentials: HTTP Basic with the client_id and ' +
          'secret of a WEBHOOK client, no token. The answer lists only what went wrong (`errors`), with the upload and order ids. ' +
          'The same rules: a CREATE or UPDATE with an empty `consignments`, or an empty `order_identifier`, is refused with 400.',
        security: [{ webhookBasic: [] }],
        body: ref(OrderInput, { example: orderInputExample }),
        response: { 200: ref(OrderImportResponse, { example: orderImportResponseExample, description: 'The outcome of the upload' }), ...writeErrors(409) },
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
      operationId: 'partialOrderUpdate',
      tags: TAGS,
      summary: 'Change parts of existing orders',
      description:
        'HTTP Basic with a WEBHOOK client. Each update matches exactly one order (by id, name, customer_reference_number, customer) and ' +
        'changes its header, consignments, stops, goods or handling units, or attaches documents: `question_answers` keyed ' +
        '`documents/<OrderDocumentType>` (e.g. `documents/PROOF_OF_DELIVERY`) with a `remote_document.upload_id` from ' +
        'POST /v1/documents/document/upload_content or an `embedded_document`. An update that fails changes nothing and is listed in ' +
        '`errors`; the others still apply.',
      security: [{ webhookBasic: [] }],
      body: ref(OrderUpdatePayload, { example: orderUpdateExample }),
      response: {
        200: ref(PartialOrderUpdateResponse, { example: orderUpdateResponseExample, description: 'What happened to each update' }),
        ...writeErrors(409),
      },
    },
    handler: async (request) => orders.partialUpdate(principalOf(request), request.body),
  });

  app.get('/v1/orders/order', {
    schema: {
      operationId: 'listOrders',
      tags: TAGS,
      summary: 'List orders, oldest change first (Waybill)',
      description:
        'Filter by `status`, `customer_code`, `updated_after` and `stop_date` (a stop requested that day), search with `q`, latest first with `order=desc`; page with `next_cursor`. Customer clients see only their orders.',
      querystring: OrderListQuery,
      response: { 200: ref(ListOrderOutput, { example: orderListExample, description: 'One page of order summaries' }), ...readErrors() },
    },
    handler: async (request) => orders.list(principalOf(request), request.query),
  });

  app.get('/v1/orders/order/:order_id', {
    schema: {
      operationId: 'getOrder',
      tags: TAGS,
      summary: 'Get an order',
      description: 'The order with its consignments, stops and goods, by id. Customer clients see only their own orders.',
      params: OrderParams,
      response: { 200: ref(OrderOutput, { example: orderExample, description: 'The order' }), ...readErrors(404) },
    },
    handler: async (request) => orders.get(principalOf(request), request.params.order_id),
  });

  app.get('/v1/orders/order/:order_id/status', {
    schema: {
      operationId: 'getOrderStatus',
      tags: TAGS,
      summary: 'Get an order with its status and the status of every stop',
      description: "The order as GET /v1/orders/order/{order_id} shows it, plus its status and each stop's.",
      params: OrderParams,
      response: { 200: ref(OrderWithStatus, { example: orderWithStatusExample, description: 'The order and its statuses' }), ...readErrors(404) },
    },
    // The stored document is the serialised answer: sent as it is, not serialised again.
    handler: async (request, reply) => reply.type('application/json').send(await orders.getStatus(principalOf(request), request.params.order_id)),
  });

  app.get('/v1/orders/order/:order_id/export', {
    schema: {
      operationId: 'exportOrder',
      tags: TAGS,
      summary: 'Export an order as an upload body',
      description: 'The answer is a valid upload body: change `order_identifier` to create a copy.',
      params: OrderParams,
      response: { 200: ref(OrderExport, { example: orderExportExample, description: 'The order as an upload body' }), ...readErrors(404) },
    },
    handler: async (request) => orders.exportOrder(principalOf(request), request.params.order_id),
  });
}
