import type { Static } from '@sinclair/typebox';
import type {
  ApiClientListSchema,
  ApiClientSchema,
  CreatedApiClientSchema,
  MeSchema,
  NewApiClientSchema,
  TokenRequestSchema,
  TokenSchema,
} from './auth.schemas.js';

/** Examples for the OpenAPI document, recorded from a run of the API (test/app/openapi.examples.test.ts sends the request examples). */

export const tokenFormExample = {
  grant_type: 'client_credentials',
  client_id: 'wb_0983ce116906b3b6101d8166',
  client_secret: 'wbs_yVcVix84HqxMPcxKnA66E4MTMwM614ZC6VxK5gofjIk',
} satisfies Static<typeof TokenRequestSchema>;

export const tokenExample = {
  access_token:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0aWQiOiJhMGQ3MjY2OS01NTRlLTQwZWEtYjlhYi0yYWJmOGEwZTMxNDEiLCJyb2xlIjoiVEVOQU5UIiwiaXNzIjoid2F5YmlsbCIsInN1YiI6ImYyM2NjZDVmLTFiNzUtNDAzMi1iOGU1LWM0ODVkY2YzNjYzZCIsImp0aSI6ImM3MWIxNGU4LTUyMDMtNDVkZS1hNGQxLWFhNjQ1MDk4YTcxYiIsImlhdCI6MTc5NjA3MDEyMywiZXhwIjoxNzk2MDczNzIzfQ.x6A_b2s12_sqcGzLqXlCSET0KSqBqfMjxAkaNpmZnPA',
  token_type: 'bearer',
  expires_in: 3600,
} satisfies Static<typeof TokenSchema>;

export const meExample = {
  tenant: { id: 'a0d72669-554e-40ea-b9ab-2abf8a0e3141', name: 'Example Logistics' },
  client: {
    id: 'f23ccd5f-1b75-4032-b8e5-c485dcf3663d',
    client_id: 'wb_bdd3704f810381673a0dd057',
    name: 'TENANT API',
    role: 'TENANT',
    kind: 'API',
  },
  company_id: null,
} satisfies Static<typeof MeSchema>;

export const newApiClientExample = { name: 'Acme order portal', role: 'CUSTOMER', company_id: 'ACME' } satisfies Static<typeof NewApiClientSchema>;

export const createdApiClientExample = {
  id: '4636a110-0fe1-497d-8791-ff5ac5ae3b89',
  client_id: 'wb_65bc792bf7c88219608483b1',
  name: 'Acme order portal',
  role: 'CUSTOMER',
  kind: 'API',
  company_id: '2a7740b0-58c9-43ed-9938-ce296872667a',
  created_at: '2026-11-30T20:22:04.870Z',
  revoked_at: null,
  client_secret: 'wbs_yVcVix84HqxMPcxKnA66E4MTMwM614ZC6VxK5gofjIk',
} satisfies Static<typeof CreatedApiClientSchema>;

export const apiClientListExample = {
  items: [
    {
      id: 'f23ccd5f-1b75-4032-b8e5-c485dcf3663d',
      client_id: 'wb_bdd3704f810381673a0dd057',
      name: 'TENANT API',
      role: 'TENANT',
      kind: 'API',
      company_id: null,
      created_at: '2026-11-30T20:22:03.395Z',
      revoked_at: null,
    },
  ],
  next_cursor:
    'eyJmaWx0ZXJzIjp7InRlbmFudCI6ImEwZDcyNjY5LTU1NGUtNDBlYS1iOWFiLTJhYmY4YTBlMzE0MSJ9LCJhZnRlciI6eyJ0cyI6IjIwMjYtMTEtMzBUMjA6MjI6MDMuMzk1WiIsImlkIjoiZjIzY2NkNWYtMWI3NS00MDMyLWI4ZTUtYzQ4NWRjZjM2NjNkIn19',
} satisfies Static<typeof ApiClientListSchema>;

const { client_secret: _shownOnce, ...createdApiClient } = createdApiClientExample;
export const revokedApiClientExample = { ...createdApiClient, revoked_at: '2026-11-30T20:22:05.061Z' } satisfies Static<typeof ApiClientSchema>;
