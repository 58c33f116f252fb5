import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Str } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';

/** A place the customer's orders and templates already use, to fill a stop with (the portal's booking form). */
export const SavedLocation = Type.Object(
  {
    id: Type.String({ description: 'Stable for the same name, address, postal code, town and country (a hash of them), not a database id.' }),
    name: Nullable(Type.String()),
    address: Nullable(Type.String()),
    postal_code: Nullable(Type.String()),
    city: Nullable(Type.String()),
    country: Nullable(Type.String()),
    uses: Type.Integer({ minimum: 1, description: 'How many stops of orders and templates use it.' }),
  },
  { $id: 'SavedLocation' },
);
export type SavedLocation = Static<typeof SavedLocation>;

export const SavedLocationList = Type.Object(
  { items: Type.Array(ref(SavedLocation), { maxItems: 200 }), next_cursor: Nullable(Type.String()) },
  { $id: 'SavedLocationList' },
);
export type SavedLocationList = Static<typeof SavedLocationList>;

export const SavedLocationQuery = Type.Object({
  q: Type.Optional(Str(100, { minLength: 1, description: 'Part of the name, address, postal code or town, in any case.' })),
  customer_code: Type.Optional(
    Str(100, {
      minLength: 1,
      description:
        "A TENANT caller's customer (code or id); required for TENANT; a CUSTOMER sees only its own company's, and another code answers an empty list.",
    }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type SavedLocationQuery = Static<typeof SavedLocationQuery>;

export const locationSchemas = [SavedLocation, SavedLocationList];
