import { Type } from '@sinclair/typebox';
import { Nullable, Page, Str, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';

export const RoleSchema = Type.Union([Type.Literal('TENANT'), Type.Literal('CUSTOMER'), Type.Literal('SUBCONTRACTOR')], {
  description: 'TENANT acts on the whole tenant; CUSTOMER and SUBCONTRACTOR are bound to one company.',
});
export const KindSchema = Type.Union([Type.Literal('API'), Type.Literal('WEBHOOK')], {
  description: 'API clients get Bearer tokens; WEBHOOK clients call /v1/webhook/* with HTTP Basic.',
});

export const TokenSchema = Type.Object(
  {
    access_token: Type.String({ description: 'A JWT to send as `Authorization: Bearer …`.' }),
    token_type: Type.String({ description: 'Always `bearer`.' }),
    expires_in: Nullable(Type.Integer({ description: 'Seconds until the token expires.' })),
  },
  { $id: 'Token' },
);

/** The standard RFC 6749 form; credentials may also come in the Basic header (the contract's way). */
export const TokenRequestSchema = Type.Object({
  grant_type: Type.Optional(Type.Literal('client_credentials')),
  client_id: Type.Optional(Str(100)),
  client_secret: Type.Optional(Str(200)),
  scope: Type.Optional(Str(500)),
});

export const ApiClientSchema = Type.Object(
  {
    id: Uuid,
    client_id: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    kind: KindSchema,
    company_id: Nullable(Uuid),
    created_at: Type.String({ format: 'date-time' }),
    revoked_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'ApiClient' },
);

export const CreatedApiClientSchema = Type.Composite(
  [
    ApiClientSchema,
    Type.Object({
      client_secret: Type.Optional(Type.String({ description: 'Shown only in the first response; store it now. Absent on an idempotent replay.' })),
    }),
  ],
  { $id: 'CreatedApiClient' },
);

export const NewApiClientSchema = Type.Object(
  {
    name: Str(200, { minLength: 1 }),
    role: RoleSchema,
    kind: Type.Optional(KindSchema),
    company_id: Type.Optional(Str(100, { minLength: 1, description: 'Company id or code; required for CUSTOMER and SUBCONTRACTOR.' })),
  },
  { $id: 'NewApiClient', additionalProperties: false },
);

export const MeSchema = Type.Object(
  {
    tenant: Type.Object({ id: Uuid, name: Type.String() }),
    client: Type.Object({ id: Uuid, client_id: Type.String(), name: Type.String(), role: RoleSchema, kind: KindSchema }),
    company_id: Nullable(Uuid),
  },
  { $id: 'Me' },
);

export const ApiClientListSchema = Page(ref(ApiClientSchema), 'ApiClientList');

export const authSchemas = [TokenSchema, ApiClientSchema, CreatedApiClientSchema, NewApiClientSchema, MeSchema, ApiClientListSchema];
