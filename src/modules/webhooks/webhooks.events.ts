import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf } from '../../platform/events/catalog.js';

/** A webhook endpoint's life: visible to the tenant and, for a company's own endpoint, to that company. */
const endpoint = (summary: string, extra: Parameters<typeof Type.Object>[0] = {}) => ({
  entityType: 'webhook_endpoint',
  summary,
  payload: Type.Object({ url: Type.String(), families: Type.Optional(Type.Array(Type.String())), enabled: Type.Optional(Type.Boolean()), ...extra }),
  families: [],
});

export const webhookEvents = declareEvents('webhooks', {
  'webhook_endpoint.created': endpoint('A webhook endpoint was created.'),
  'webhook_endpoint.updated': endpoint('A webhook endpoint was changed; `changed` names the fields sent.', { changed: Type.Array(Type.String()) }),
  'webhook_endpoint.deleted': endpoint('A webhook endpoint was deleted; its pending deliveries are dropped.'),
  'webhook_endpoint.enabled': endpoint('A client enabled a webhook endpoint again.'),
  'webhook_endpoint.disabled': endpoint('A webhook endpoint was disabled, by a client or because its receiver answered 410 Gone; `reason` says which.', {
    reason: Nullable(Type.String()),
  }),
  'webhook_endpoint.secret_rotated': endpoint('A webhook endpoint got a new signing secret; the old one signs too for `overlap_seconds`.', {
    overlap_seconds: Type.Number(),
  }),
  'webhook_endpoint.replayed': endpoint('A client asked for the events of a time window to be delivered again.', {
    since: Type.String(),
    until: Type.String(),
  }),
});

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof webhookEvents> {}
}
