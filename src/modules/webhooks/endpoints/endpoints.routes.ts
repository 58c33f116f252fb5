import { Type } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import { IdParams, readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import {
  RotateSecretInput,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointList,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
} from '../webhooks.schemas.js';
import {
  endpointExample,
  endpointInputExample,
  endpointListExample,
  endpointPatchExample,
  endpointWithSecretExample,
  patchedEndpointExample,
  rotateSecretExample,
  rotatedEndpointExample,
} from '../webhooks.examples.js';
import type { WebhooksService } from './endpoints.service.js';

/** Where every webhook admin route lives, endpoints and their deliveries alike. */
export const WEBHOOKS_BASE = '/v1/admin/webhook-endpoints';
export const webhookTags = ['Webhooks'];
const BASE = WEBHOOKS_BASE;
const tags = webhookTags;
const ListQuery = Type.Object({
  enabled: Type.Optional(Type.Boolean({ description: 'Only enabled (true) or only disabled (false) endpoints.' })),
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

/**
 * Receivers of Waybill's outbound messages. Tenant clients manage every endpoint; customer and
 * subcontractor clients manage only their company's, which receive only events about that company.
 */
export function endpointRoutes(app: App, deps: { webhooks: WebhooksService }) {
  const { webhooks } = deps;
  const endpointAnswer = (description: string) => ref(WebhookEndpoint, { example: endpointExample, description });

  app.post(BASE, {
    config: { secretFields: ['secret'] },
    schema: {
      operationId: 'createWebhookEndpoint',
      tags,
      summary: 'Register a webhook endpoint',
      description:
        'The answer carries the signing secret (`whsec_…`) for verifying the `webhook-signature` header; an idempotent ' +
        'replay answers without it (header `Secret-Shown-Once: secret`): read it again with GET …/{id}/secret. The URL must reach a public ' +
        'address: private, loopback and link-local ones are refused unless the operator lists them in WAYBILL_OUTBOUND_ALLOWLIST. ' +
        'Customer and subcontractor clients register endpoints for their own company only.',
      body: ref(WebhookEndpointInput, { example: endpointInputExample }),
      response: {
        201: ref(WebhookEndpointWithSecret, { example: endpointWithSecretExample, description: 'The endpoint with its signing secret' }),
        ...writeErrors(409),
      },
    },
    handler: async (request, reply) => reply.code(201).send(await webhooks.create(principalOf(request), request.body)),
  });

  app.get(BASE, {
    schema: {
      operationId: 'listWebhookEndpoints',
      tags,
      summary: 'List webhook endpoints',
      description:
        'Oldest first; `enabled=false` lists the disabled ones (by hand or after failing too long); page with `next_cursor`. Secrets are not included.',
      querystring: ListQuery,
      response: { 200: ref(WebhookEndpointList, { example: endpointListExample, description: 'One page of endpoints' }), ...readErrors() },
    },
    handler: async (request) => webhooks.list(principalOf(request), request.query),
  });

  app.get(`${BASE}/:id`, {
    schema: {
      operationId: 'getWebhookEndpoint',
      tags,
      summary: 'Get a webhook endpoint',
      description: 'Its settings and health (`failing_since`, `disabled_reason`), without the secret.',
      params: IdParams,
      response: { 200: endpointAnswer('The endpoint'), ...readErrors(404) },
    },
    handler: async (request) => webhooks.get(principalOf(request), request.params.id),
  });

  app.get(`${BASE}/:id/secret`, {
    schema: {
      operationId: 'getWebhookEndpointSecret',
      tags,
      summary: 'Get the current signing secret',
      description: 'The endpoint with its `secret`. 409 when the secret was sealed under a key the server no longer has: rotate it.',
      params: IdParams,
      response: {
        200: ref(WebhookEndpointWithSecret, { example: endpointWithSecretExample, description: 'The endpoint with its signing secret' }),
        ...readErrors(404, 409),
      },
    },
    handler: async (request) => webhooks.secret(principalOf(request), request.params.id),
  });

  app.patch(`${BASE}/:id`, {
    schema: {
      operationId: 'updateWebhookEndpoint',
      tags,
      summary: 'Change a webhook endpoint',
      description: 'Only the fields given change; a new `url` is checked like at registration.',
      params: IdParams,
      body: ref(WebhookEndpointPatch, { example: endpointPatchExample }),
      response: { 200: ref(WebhookEndpoint, { example: patchedEndpointExample, description: 'The changed endpoint' }), ...writeErrors(404) },
    },
    handler: async (request) => webhooks.update(principalOf(request), request.params.id, request.body),
  });

  app.delete(`${BASE}/:id`, {
    schema: {
      operationId: 'deleteWebhookEndpoint',
      tags,
      summary: 'Delete a webhook endpoint and its delivery log',
      description: 'Pending messages to it are dropped. Answers 204 without a body.',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...writeErrors(404) },
    },
    handler: async (request, reply) => {
      await webhooks.remove(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.post(`${BASE}/:id/enable`, {
    schema: {
      operationId: 'enableWebhookEndpoint',
      tags,
      summary: 'Enable an endpoint; it receives events from now on',
      description: 'Also lifts an automatic disable after repeated failures. Events from while it was disabled reach it only through a replay.',
      params: IdParams,
      response: { 200: endpointAnswer('The enabled endpoint'), ...writeErrors(404, 409) },
    },
    handler: async (request) => webhooks.setEnabled(principalOf(request), request.params.id, true),
  });

  app.post(`${BASE}/:id/disable`, {
    schema: {
      operationId: 'disableWebhookEndpoint',
      tags,
      summary: 'Disable an endpoint; pending messages wait until it is enabled',
      description:
        'Nothing is sent while it is disabled: messages already queued wait, and events from that time reach it only through a replay after enabling.',
      params: IdParams,
      response: { 200: endpointAnswer('The disabled endpoint'), ...writeErrors(404, 409) },
    },
    handler: async (request) => webhooks.setEnabled(principalOf(request), request.params.id, false),
  });

  app.post(`${BASE}/:id/rotate-secret`, {
    config: { secretFields: ['secret'] },
    schema: {
      operationId: 'rotateWebhookEndpointSecret',
      tags,
      summary: 'Replace the signing secret',
      description:
        'During the overlap (`overlap_seconds`, one day by default) every message carries signatures by both the old and the new secret. ' +
        'An idempotent replay answers without the new secret (header `Secret-Shown-Once: secret`).',
      params: IdParams,
      body: ref(RotateSecretInput, { example: rotateSecretExample }),
      response: {
        200: ref(WebhookEndpointWithSecret, { example: rotatedEndpointExample, description: 'The endpoint with its new secret' }),
        ...writeErrors(404, 409),
      },
    },
    // Every field has a default, so no body at all is a valid request.
    preValidation: async (request) => {
      request.body ??= {};
    },
    handler: async (request) => webhooks.rotateSecret(principalOf(request), request.params.id, request.body?.overlap_seconds ?? 86400),
  });
}
