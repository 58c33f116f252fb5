import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { DateTime, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { TRIP_STATUSES, TripStopOutput } from '../trips.schemas.js';
import { DRIVER_LINK } from './drivers.policy.js';

export const DriverLinkInput = Type.Object(
  {
    expires_in_hours: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: DRIVER_LINK.maxHours,
        description: `How long the link works: ${DRIVER_LINK.defaultHours} hours unless said, at most a week.`,
      }),
    ),
  },
  { $id: 'DriverLinkInput', examples: [{ expires_in_hours: 12 }] },
);
export type DriverLinkInput = Static<typeof DriverLinkInput>;

const linkFields = {
  id: Uuid,
  trip_id: Uuid,
  state: StringEnum(['ACTIVE', 'EXPIRED', 'REVOKED', 'LOCKED'] as const, { description: `LOCKED after ${DRIVER_LINK.maxPinFailures} wrong PINs.` }),
  shared_by_subcontractor: Type.Boolean({ description: "The trip's subcontractor shared it (otherwise the carrier did)." }),
  failed_pins: Type.Integer(),
  expires_at: DateTime,
  created_at: DateTime,
};

export const DriverLink = Type.Object(linkFields, { $id: 'DriverLink', additionalProperties: false });
export type DriverLink = Static<typeof DriverLink>;

export const CreatedDriverLink = Type.Object(
  {
    ...linkFields,
    url: Type.String({ description: 'The page the driver opens: `<public base>/app/driver#<token>`. Shown only in this answer.' }),
    pin: Type.String({ description: 'The PIN the driver types on that page; tell it apart from the link. Shown only in this answer.' }),
  },
  { $id: 'CreatedDriverLink', additionalProperties: false },
);
export type CreatedDriverLink = Static<typeof CreatedDriverLink>;

export const DriverLinkList = Type.Array(ref(DriverLink), { description: "The trip's driver links, oldest first" });

export const DriverLinkParams = Type.Object({ trip_id: Uuid, link_id: Uuid });

export const DriverSignInInput = Type.Object(
  {
    token: Str(100, { description: "The link's token: the URL's fragment." }),
    pin: Str(20, { description: 'The PIN given with the link.' }),
  },
  { $id: 'DriverSignInInput', examples: [{ token: 'b7QmZ0S8Zb6yO1m2xJk7YcV4rT9uW5nE0aLdPfGhHsQ', pin: '482913' }] },
);

export const DriverAccess = Type.Object(
  {
    access_token: Type.String({ description: 'Send as `Authorization: Bearer …` to the driver routes until the link ends.' }),
    trip_id: Uuid,
    expires_at: DateTime,
  },
  { $id: 'DriverAccess', additionalProperties: false },
);
export type DriverAccess = Static<typeof DriverAccess>;

export const DriverTrip = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    status: StringEnum(TRIP_STATUSES),
    cancelled: Type.Boolean(),
    stops: Type.Array(ref(TripStopOutput)),
  },
  { $id: 'DriverTrip', additionalProperties: false, description: "The one trip of a driver's link: its stops in visiting order, nothing else." },
);
export type DriverTrip = Static<typeof DriverTrip>;

export const driverSchemas = [DriverLinkInput, DriverLink, CreatedDriverLink, DriverSignInInput, DriverAccess, DriverTrip];
