import { Type, type Static } from '@sinclair/typebox';
import { DateTime, FreeObject, Nullable, Str, Uuid } from '../../platform/http/schemas.js';

export const EventItem = Type.Object(
  {
    id: Uuid,
    position: Type.Integer({ description: 'Gap-free, increasing per tenant; pass the last one seen as `after`.' }),
    type: Type.String({ description: 'What happened, as `<entity>.<verb>`: `order.accepted`, `company.created`.' }),
    entity_type: Type.String(),
    entity_id: Uuid,
    occurred_at: DateTime,
    payload: FreeObject('What changed; its fields depend on the event type.'),
    actor: Nullable(
      Type.Object(
        {
          type: Type.Union([Type.Literal('api_client'), Type.Literal('user')], { description: 'An API client or a person signed in with a session.' }),
          id: Uuid,
          name: Type.String({ description: 'The client’s or the person’s name when the event was appended.' }),
        },
        { description: 'Who made the change; null for Waybill’s own work (workers, the command line).' },
      ),
    ),
  },
  { $id: 'EventItem' },
);
export type EventItem = Static<typeof EventItem>;

export const EventFeed = Type.Object(
  {
    items: Type.Array(Type.Ref('EventItem')),
    next_after: Nullable(Type.Integer({ description: 'Pass as `after` for the next page; null when you have caught up.' })),
    last_position: Type.Integer({ description: 'The position of the last event you may see or were sent; keep it to resume.' }),
  },
  { $id: 'EventFeed' },
);

/** A comma-separated list of event types; `order.*` selects every order event. */
export const EventTypesParam = Str(2000, { pattern: '^[a-z0-9_.*]+(,[a-z0-9_.*]+)*$' });

export const EventFeedQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Return events after this position.' })),
  types: Type.Optional(EventTypesParam),
  entity_type: Type.Optional(
    Str(50, { pattern: '^[a-z0-9_]+$', description: 'Only events about this kind of entity (`order`, `trip`, ...); with `entity_id`, about that one.' }),
  ),
  entity_id: Type.Optional(Type.String({ format: 'uuid', maxLength: 36, description: 'Only events about this entity; needs `entity_type`.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const EventStreamQuery = Type.Object({
  after: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Start after this position; without it (and without `Last-Event-ID`) the stream starts at the newest event.',
    }),
  ),
  types: Type.Optional(EventTypesParam),
});

export const EventStreamHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,15}$',
      description: 'Sent by a reconnecting EventSource: the stream resumes after this position (it wins over `after`).',
    }),
  ),
});

export const eventSchemas = [EventItem, EventFeed];
