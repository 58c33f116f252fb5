import type { Static } from '@sinclair/typebox';
import type {
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

/** Examples for the OpenAPI document, recorded from a run of the API (test/app/openapi.examples.test.ts sends the request examples). */

export const endpointInputExample = {
  url: 'https://erp.acme.example/waybill/events',
  description: 'Acme ERP status updates',
  families: ['operational_visibility'],
  event_types: ['order.*'],
  company_id: '2a7740b0-58c9-43ed-9938-ce296872667a',
} satisfies WebhookEndpointInput;

export const endpointExample = {
  id: '049034f1-9c36-4d69-b098-a9b372ae094b',
  url: 'https://erp.acme.example/waybill/events',
  description: 'Acme ERP status updates',
  company_id: '2a7740b0-58c9-43ed-9938-ce296872667a',
  families: ['operational_visibility'],
  event_types: ['order.*'],
  basic_auth_username: null,
  header_names: [],
  integration_client_ids: [],
  suppress_echo: true,
  enabled: true,
  disabled_reason: null,
  failing_since: null,
  previous_secret_expires_at: null,
  created_at: '2026-11-30T20:22:10.080Z',
  updated_at: '2026-11-30T20:22:10.080Z',
} satisfies WebhookEndpoint;

export const endpointWithSecretExample = { ...endpointExample, secret: 'whsec_acODWAJ3IhswwbpqnSPAaiE5jnvisFfToD6dn8vuYt4=' } satisfies Static<
  typeof WebhookEndpointWithSecret
>;

export const endpointListExample = { items: [endpointExample], next_cursor: null } satisfies Static<typeof WebhookEndpointList>;

export const endpointPatchExample = { description: 'Acme ERP (production)' } satisfies WebhookEndpointPatch;

export const patchedEndpointExample = {
  ...endpointExample,
  description: 'Acme ERP (production)',
  updated_at: '2026-11-30T20:22:10.258Z',
} satisfies WebhookEndpoint;

export const rotateSecretExample = { overlap_seconds: 3600 } satisfies Static<typeof RotateSecretInput>;

export const rotatedEndpointExample = {
  ...patchedEndpointExample,
  previous_secret_expires_at: '2026-11-30T21:22:10.400Z',
  updated_at: '2026-11-30T20:22:10.400Z',
  secret: 'whsec_ViDtrsg4eMVE3Y3ZO/V8RA5SqJC8/ryNvT6sR5MW6B8=',
} satisfies Static<typeof WebhookEndpointWithSecret>;

export const deliveryExample = {
  id: '370c86ec-3324-4731-a75f-3878bb941113',
  endpoint_id: '049034f1-9c36-4d69-b098-a9b372ae094b',
  message_id: 'msg_370c86ec33244731a75f3878bb941113',
  event_id: null,
  event_position: null,
  event_type: 'webhook.test',
  status: 'PENDING',
  attempt_count: 0,
  next_attempt_at: '2026-11-30T20:22:10.451Z',
  last_status_code: null,
  last_error: null,
  created_at: '2026-11-30T20:22:10.451Z',
  finished_at: null,
} satisfies WebhookDelivery;

export const deliveryListExample = { items: [deliveryExample], next_cursor: null } satisfies Static<typeof WebhookDeliveryList>;

export const replayInputExample = { since: '2026-11-30T00:00:00Z' } satisfies Static<typeof ReplayInput>;

export const replayResultExample = { queued: 3, requeued: 0, resume_since: null } satisfies Static<typeof ReplayResult>;

export const attemptListExample = {
  items: [
    {
      id: '5b0f4a8e-6d2c-4f1e-9a37-2c8d1e7b4f60',
      attempted_at: '2026-11-30T20:22:10.489Z',
      status_code: 200,
      latency_ms: 38,
      response_excerpt: '{"received":true}',
      error: null,
    },
  ],
} satisfies Static<typeof WebhookAttemptList>;
