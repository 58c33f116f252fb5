import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { DateTime, Nullable, Page, Str, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';
import { EVENT_TYPE_PATTERN } from '../events/index.js';
import { PAYLOAD_FAMILIES } from './payloads/payloads.output.js';

export const PayloadFamily = StringEnum(PAYLOAD_FAMILIES, {
  $id: 'WebhookPayloadFamily',
  description:
    "`operational_visibility`: the contract's OperationalVisibilityUpdate. `accounting_visibility`: the contract's AccountingVisibilityUpdate (invoice and credit-note status changes). `events`: Waybill's domain events as they are recorded (the same items as GET /v1/events). " +
    '`master_data`: every change to a company, contact, resource or unavailability period, with the whole record as its GET returns it. ' +
    "`subcontractor_dispatch` / `fleet_dispatch`: the contract's SubcontractorDispatch / FleetDispatch (CREATE, UPDATE, CANCEL of a trip) for whoever executes it. " +
    "`location_booking` / `intermodal_booking`: the contract's LocationDispatchOutput / IntermodalBookingsPushPayload each time a location's booking system or an intermodal operator reports on a stop's booking, for the tenant's booking receivers and the trip's subcontractor.",
});

/** Header names a receiver may ask for; the ones Waybill sets itself cannot be overridden. */
const HEADER_NAME = '^(?!(?:webhook-|content-|host$|authorization$|connection$|transfer-encoding$|user-agent$))[a-z0-9][a-z0-9-]{0,63}$';

const BasicAuth = Type.Object(
  { username: Str(200, { minLength: 1, pattern: '^[^:]*$' }), password: Str(500, { minLength: 1 }) },
  { description: 'Sent as `Authorization: Basic …` with every message, for receivers that expect it.' },
);

const endpointFields = {
  url: Str(2000, { minLength: 8, format: 'uri', description: 'Where messages are POSTed (http or https, a public address unless allowlisted).' }),
  description: Type.Optional(Nullable(Str(500))),
  families: Type.Array(ref(PayloadFamily), { minItems: 1, maxItems: 10, uniqueItems: true }),
  event_types: Type.Optional(
    Type.Array(Str(100, { pattern: EVENT_TYPE_PATTERN }), {
      maxItems: 50,
      uniqueItems: true,
      description: 'Only these event types (`order.accepted`, or `order.*`); empty or omitted means all.',
    }),
  ),
  integration_client_ids: Type.Optional(
    Type.Array(Str(100, { minLength: 1 }), {
      maxItems: 10,
      uniqueItems: true,
      description:
        'The client_ids of the API clients the receiving system writes to Waybill with: changes they make are not sent back to it (see suppress_echo).',
    }),
  ),
  suppress_echo: Type.Optional(Type.Boolean({ description: 'Leave out changes made by integration_client_ids (default true); false sends them too.' })),
  basic_auth: Type.Optional(Nullable(BasicAuth)),
  headers: Type.Optional(
    Type.Record(Type.String(), Str(1000, { pattern: '^[\\x20-\\x7e]*$' }), {
      propertyNames: { pattern: HEADER_NAME },
      maxProperties: 20,
      description: 'Extra headers sent with every message (lower-case names).',
    }),
  ),
};

export const WebhookEndpointInput = Type.Object(
  {
    ...endpointFields,
    company_id: Type.Optional(Nullable(Str(100, { minLength: 1, description: 'Company id or code, as for API clients.' }))),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { $id: 'WebhookEndpointInput', additionalProperties: false },
);
export type WebhookEndpointInput = Static<typeof WebhookEndpointInput>;

export const WebhookEndpointPatch = Type.Object(
  {
    url: Type.Optional(endpointFields.url),
    description: endpointFields.description,
    families: Type.Optional(endpointFields.families),
    event_types: endpointFields.event_types,
    integration_client_ids: endpointFields.integration_client_ids,
    suppress_echo: endpointFields.suppress_echo,
    basic_auth: endpointFields.basic_auth,
    headers: endpointFields.headers,
  },
  { $id: 'WebhookEndpointPatch', additionalProperties: false },
);
export type WebhookEndpointPatch = Static<typeof WebhookEndpointPatch>;

export const WebhookEndpoint = Type.Object(
  {
    id: Uuid,
    url: Type.String(),
    description: Nullable(Type.String()),
    company_id: Nullable(Uuid),
    families: Type.Array(ref(PayloadFamily)),
    event_types: Type.Array(Type.String()),
    integration_client_ids: Type.Array(Type.String()),
    suppress_echo: Type.Boolean(),
    basic_auth_username: Nullable(Type.String()),
    header_names: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    disabled_reason: Nullable(Type.String()),
    failing_since: Nullable(DateTime),
    previous_secret_expires_at: Nullable(DateTime),
    created_at: DateTime,
    updated_at: DateTime,
  },
  { $id: 'WebhookEndpoint' },
);
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;

export const WebhookEndpointWithSecret = Type.Composite(
  [WebhookEndpoint, Type.Object({ secret: Type.Optional(Type.String({ description: 'The signing secret; absent on an idempotent replay.' })) })],
  {
    $id: 'WebhookEndpointWithSecret',
  },
);

export const WebhookEndpointList = Page(ref(WebhookEndpoint), 'WebhookEndpointList');

export const RotateSecretInput = Type.Object(
  {
    overlap_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 86400, default: 86400, description: 'How long the old secret keeps signing too.' })),
  },
  { $id: 'RotateSecretInput', additionalProperties: false },
);

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export const DeliveryStatusEnum = StringEnum(DELIVERY_STATUSES, { $id: 'WebhookDeliveryStatus' });

export const WebhookDelivery = Type.Object(
  {
    id: Uuid,
    endpoint_id: Uuid,
    message_id: Type.String({ description: 'The `webhook-id` header; stable across retries and redeliveries.' }),
    event_id: Nullable(Uuid),
    event_position: Nullable(Type.Integer()),
    event_type: Type.String(),
    status: ref(DeliveryStatusEnum),
    attempt_count: Type.Integer(),
    next_attempt_at: Nullable(DateTime),
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    created_at: DateTime,
    finished_at: Nullable(DateTime),
  },
  { $id: 'WebhookDelivery' },
);
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryList = Page(ref(WebhookDelivery), 'WebhookDeliveryList');

export const DeliveryListQuery = Type.Object({
  status: Type.Optional(ref(DeliveryStatusEnum)),
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const WebhookAttempt = Type.Object(
  {
    id: Uuid,
    attempted_at: DateTime,
    status_code: Nullable(Type.Integer()),
    latency_ms: Type.Integer(),
    response_excerpt: Nullable(Type.String({ description: 'The first 4 KiB of the response body.' })),
    error: Nullable(Type.String({ description: 'Why no response was received (timeout, refused, disallowed address).' })),
  },
  { $id: 'WebhookAttempt' },
);
export type WebhookAttempt = Static<typeof WebhookAttempt>;

export const WebhookAttemptList = Type.Object({ items: Type.Array(ref(WebhookAttempt)) }, { $id: 'WebhookAttemptList' });

export const ReplayInput = Type.Object(
  {
    since: DateTime,
    until: Type.Optional(DateTime),
  },
  { $id: 'WebhookReplayInput', additionalProperties: false },
);

export const ReplayResult = Type.Object(
  {
    queued: Type.Integer({ description: 'Messages newly built for events the endpoint never received.' }),
    requeued: Type.Integer({ description: 'Failed messages queued again.' }),
    resume_since: Nullable(DateTime),
  },
  { $id: 'WebhookReplayResult' },
);

export const webhookSchemas = [
  PayloadFamily,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEndpointList,
  RotateSecretInput,
  DeliveryStatusEnum,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookAttempt,
  WebhookAttemptList,
  ReplayInput,
  ReplayResult,
];
