import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, Str } from '../../../platform/http/schemas.js';

export const TrackingLink = Type.Object(
  {
    token: Type.String({ description: 'The secret of the link (256 random bits, base64url). Shown only in this answer.' }),
    url: Type.String({ description: 'The page anyone with the link can open without signing in: `<public base>/app/track#<token>`.' }),
    created_at: DateTime,
  },
  { $id: 'TrackingLink', additionalProperties: false },
);
export type TrackingLink = Static<typeof TrackingLink>;

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

export const trackingLinkSchemas = [TrackingLink, PublicTracking];
