import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, Str, Uuid } from '../../../platform/http/schemas.js';

export const TrackingLink = Type.Object(
  {
    token: Type.String({ description: 'The secret of the link (256 random bits, base64url). Shown only in this answer.' }),
    url: Type.String({ description: 'The page anyone with the link can open without signing in: `<public base>/app/track#<token>`.' }),
    created_at: DateTime,
  },
  { $id: 'TrackingLink', additionalProperties: false },
);
export type TrackingLink = Static<typeof TrackingLink>;

export const TrackingLinkState = Type.Object(
  {
    exists: Type.Boolean({ description: 'Whether the order has a live link: one was made and not revoked (a new one replaces it).' }),
    created_at: Type.Union([DateTime, Type.Null()], { description: 'When the live link was made; null without one.' }),
    created_by: Type.Union(
      [
        Type.Object(
          {
            type: Type.Union([Type.Literal('api_client'), Type.Literal('user')], { description: 'An API client or a person signed in with a session.' }),
            id: Uuid,
            name: Type.String({ description: 'Its name when it made the link.' }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: 'Who made the live link, as events name their actor; null without one (or for a link older than this record).' },
    ),
  },
  {
    $id: 'TrackingLinkState',
    additionalProperties: false,
    description: 'Whether an order has a public tracking link, since when and by whom. Never the token: it is shown once, when the link is made.',
  },
);
export type TrackingLinkState = Static<typeof TrackingLinkState>;

export const PublicTracking = Type.Object(
  {
    status: Type.String({ description: 'The order status: QUOTE, TO_PLAN, PLANNED, IN_TRANSIT, COMPLETED or CANCELLED.' }),
    eta: Nullable(DateTime),
    delivery_town: Nullable(Type.String({ description: 'The town of the delivery the order is heading for (the last one once delivered).' })),
    delivery_country: Nullable(Type.String({ description: 'Its ISO 3166-1 alpha-2 country code.' })),
    updated_at: DateTime,
  },
  {
    $id: 'PublicTracking',
    additionalProperties: false,
    description:
      'What a public tracking link shows, and nothing more: no names, addresses, references, prices or documents. `eta` is the expected ' +
      'arrival at that delivery (the actual arrival once delivered), null while unknown.',
  },
);

export const TrackingTokenParams = Type.Object({ token: Str(100, { description: 'The token of a tracking link.' }) });

export const trackingLinkSchemas = [TrackingLink, TrackingLinkState, PublicTracking];
