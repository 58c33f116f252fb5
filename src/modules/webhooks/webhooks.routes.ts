import { Type } from '@sinclair/typebox';
import { principalOf } from '../../platform/http/auth.js';
import { IdParams, errorResponses } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import {
  DeliveryListQuery,
  ReplayInput,
  ReplayResult,
  RotateSecretInput,
  WebhookAttemptList,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointList,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

const BASE = '/v1/admin/webhook-endpoints';
const tags = ['Webhooks'];
const ListQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

/**
 * Receivers of Waybill's outbound messages. Tenant clients manage every endpoint; customer and
 * subcontractor clients manage only their company's, which receive only events about that company.
 */
export function webhooksRoutes(app: App, deps: { webhooks: WebhooksService }) {
  const { webhooks } = deps;
  const one = { 200: ref(WebhookEndpoint), ...errorResponses };

  app.post(BASE, {
    schema: {
      tags,
      summary: 'Register a webhook endpoint',
      description: 'The answer carries the signing secret (`whsec_…`) for verifying the `webhook-signature` header.',
      body: ref(WebhookEndpointInput),
      response: { 201: ref(WebhookEndpointWithSecret), ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await webhooks.create(principalOf(request), request.body)),
  });

  app.get(BASE, {
    schema: { tags, summary: 'List webhook endpoints', querystring: ListQuery, response: { 200: ref(WebhookEndpointList), ...errorResponses } },
    handler: async (request) => webhooks.list(principalOf(request), request.query),
  });

  app.get(`${BASE}/:id`, {
    schema: { tags, summary: 'Get a webhook endpoint', params: IdParams, response: one },
    handler: async (request) => webhooks.get(principalOf(request), request.params.id),
  });

  app.get(`${BASE}/:id/secret`, {
    schema: { tags, summary: 'Get the current signing secret', params: IdParams, response: { 200: ref(WebhookEndpointWithSecret), ...errorResponses } },
    handler: async (request) => webhooks.secret(principalOf(request), request.params.id),
  });

  app.patch(`${BASE}/:id`, {
    schema: { tags, summary: 'Change a webhook endpoint', params: IdParams, body: ref(WebhookEndpointPatch), response: one },
    handler: async (request) => webhooks.update(principalOf(request), request.params.id, request.body),
  });

  app.delete(`${BASE}/:id`, {
    schema: { tags, summary: 'Delete a webhook endpoint and its delivery log', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (request, reply) => {
      await webhooks.remove(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.post(`${BASE}/:id/enable`, {
    schema: { tags, summary: 'Enable an endpoint; it receives events from now on', params: IdParams, response: one },
    handler: async (request) => webhooks.setEnabled(principalOf(request), request.params.id, true),
  });

  app.post(`${BASE}/:id/disable`, {
    schema: { tags, summary: 'Disable an endpoint; pending messages wait until it is enabled', params: IdParams, response: one },
    handler: async (request) => webhooks.setEnabled(principalOf(request), request.params.id, false),
  });

  app.post(`${BASE}/:id/rotate-secret`, {
    schema: {
      tags,
      summary: 'Replace the signing secret',
      description: 'During the overlap every message carries signatures by both the old and the new secret.',
      params: IdParams,
      body: ref(RotateSecretInput),
      response: { 200: ref(WebhookEndpointWithSecret), ...errorResponses },
    },
    // Every field has a default, so no body at all is a valid request.
    preValidation: async (request) => {
      request.body ??= {};
    },
    handler: async (request) => webhooks.rotateSecret(principalOf(request), request.params.id, request.body?.overlap_seconds ?? 86400),
  });

  app.post(`${BASE}/:id/test`, {
    schema: { tags, summary: 'Send a test message', params: IdParams, response: { 202: ref(WebhookDelivery), ...errorResponses } },
    handler: async (request, reply) => reply.code(202).send(await webhooks.sendTest(principalOf(request), request.params.id)),
  });

  app.get(`${BASE}/:id/deliveries`, {
    schema: {
      tags,
      summary: 'List messages sent to an endpoint, newest first',
      params: IdParams,
      querystring: DeliveryListQuery,
      response: { 200: ref(WebhookDeliveryList), ...errorResponses },
    },
    handler: async (request) => webhooks.deliveries(principalOf(request), request.params.id, request.query),
  });

  app.post(`${BASE}/:id/replay`, {
    schema: {
      tags,
      summary: 'Resend what an endpoint missed in a time window',
      params: IdParams,
      body: ref(ReplayInput),
      response: { 202: ref(ReplayResult), ...errorResponses },
    },
    handler: async (request, reply) => reply.code(202).send(await webhooks.replay(principalOf(request), request.params.id, request.body)),
  });

  app.get(`${BASE}/deliveries/:id/attempts`, {
    schema: { tags, summary: 'Every attempt of one message', params: IdParams, response: { 200: ref(WebhookAttemptList), ...errorResponses } },
    handler: async (request) => webhooks.attempts(principalOf(request), request.params.id),
  });

  app.post(`${BASE}/deliveries/:id/redeliver`, {
    schema: { tags, summary: 'Send a message again (same webhook-id, same body)', params: IdParams, response: { 202: ref(WebhookDelivery), ...errorResponses } },
    handler: async (request, reply) => reply.code(202).send(await webhooks.redeliver(principalOf(request), request.params.id)),
  });
}
