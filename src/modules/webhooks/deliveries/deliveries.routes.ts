import { principalOf } from '../../../platform/http/auth.js';
import { IdParams, readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { DeliveryListQuery, ReplayInput, ReplayResult, WebhookAttemptList, WebhookDelivery, WebhookDeliveryList } from '../webhooks.schemas.js';
import { attemptListExample, deliveryExample, deliveryListExample, replayInputExample, replayResultExample } from '../webhooks.examples.js';
import { WEBHOOKS_BASE as BASE, webhookTags as tags } from '../endpoints/endpoints.routes.js';
import type { WebhooksService } from '../endpoints/endpoints.service.js';

/** The messages sent to an endpoint: test messages, the delivery log, replays and redeliveries. */
export function deliveryRoutes(app: App, deps: { webhooks: WebhooksService }) {
  const { webhooks } = deps;

  app.post(`${BASE}/:id/test`, {
    schema: {
      operationId: 'testWebhookEndpoint',
      tags,
      summary: 'Send a test message',
      description: 'Queues a `webhook.test` message; follow it in the deliveries and attempts. 409 while the endpoint is disabled.',
      params: IdParams,
      response: { 202: ref(WebhookDelivery, { example: deliveryExample, description: 'The queued message' }), ...writeErrors(404, 409) },
    },
    handler: async (request, reply) => reply.code(202).send(await webhooks.sendTest(principalOf(request), request.params.id)),
  });

  app.get(`${BASE}/:id/deliveries`, {
    schema: {
      operationId: 'listWebhookDeliveries',
      tags,
      summary: 'List messages sent to an endpoint, newest first',
      description: 'Filter by `status` (PENDING, SUCCEEDED, FAILED); page with `next_cursor`.',
      params: IdParams,
      querystring: DeliveryListQuery,
      response: { 200: ref(WebhookDeliveryList, { example: deliveryListExample, description: 'One page of messages' }), ...readErrors(404) },
    },
    handler: async (request) => webhooks.deliveries(principalOf(request), request.params.id, request.query),
  });

  app.get('/v1/admin/webhook-deliveries', {
    schema: {
      operationId: 'listAllWebhookDeliveries',
      tags,
      summary: 'List messages sent to every endpoint, newest first',
      description:
        'The delivery log across endpoints (a customer or subcontractor client sees its own endpoints only). `status=FAILED` lists the messages ' +
        'given up on, to redeliver; each names its `endpoint_id`. Page with `next_cursor`.',
      querystring: DeliveryListQuery,
      response: { 200: ref(WebhookDeliveryList, { example: deliveryListExample, description: 'One page of messages' }), ...readErrors() },
    },
    handler: async (request) => webhooks.allDeliveries(principalOf(request), request.query),
  });

  app.post(`${BASE}/:id/replay`, {
    schema: {
      operationId: 'replayWebhookDeliveries',
      tags,
      summary: 'Resend what an endpoint missed in a time window',
      description:
        'Builds messages for the events in [`since`, `until`) the endpoint never received and queues failed ones again. A large window is ' +
        'done in parts: call again with `resume_since` until it is null. 409 while the endpoint is disabled.',
      params: IdParams,
      body: ref(ReplayInput, { example: replayInputExample }),
      response: { 202: ref(ReplayResult, { example: replayResultExample, description: 'How many messages were queued' }), ...writeErrors(404, 409) },
    },
    handler: async (request, reply) => reply.code(202).send(await webhooks.replay(principalOf(request), request.params.id, request.body)),
  });

  app.get(`${BASE}/deliveries/:id/attempts`, {
    schema: {
      operationId: 'listWebhookDeliveryAttempts',
      tags,
      summary: 'Every attempt of one message',
      description: 'Status code, latency and the start of the answer of each try, oldest first.',
      params: IdParams,
      response: { 200: ref(WebhookAttemptList, { example: attemptListExample, description: 'The attempts' }), ...readErrors(404) },
    },
    handler: async (request) => webhooks.attempts(principalOf(request), request.params.id),
  });

  app.post(`${BASE}/deliveries/:id/redeliver`, {
    schema: {
      operationId: 'redeliverWebhookDelivery',
      tags,
      summary: 'Send a message again (same webhook-id, same body)',
      description: 'Queues a copy of the message; receivers that deduplicate on `webhook-id` see it once. 409 while the endpoint is disabled.',
      params: IdParams,
      response: { 202: ref(WebhookDelivery, { example: deliveryExample, description: 'The queued copy' }), ...writeErrors(404, 409) },
    },
    handler: async (request, reply) => reply.code(202).send(await webhooks.redeliver(principalOf(request), request.params.id)),
  });
}
