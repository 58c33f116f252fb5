import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf } from '../../platform/events/catalog.js';

/** Tenants and API clients: tenant-only events, carried by the `events` family alone. */
export const authEvents = declareEvents('auth', {
  'tenant.created': {
    entityType: 'tenant',
    summary: 'A tenant was created (CLI `tenant create`).',
    payload: Type.Object({ name: Type.String() }),
    families: [],
  },
  'api_client.created': {
    entityType: 'api_client',
    summary: 'An API client was created; its secret is never part of the event.',
    payload: Type.Object({ client_id: Type.String(), name: Type.String(), role: Type.String(), kind: Type.String(), company_id: Nullable(Type.String()) }),
    families: [],
  },
  'api_client.revoked': {
    entityType: 'api_client',
    summary: 'An API client was revoked: its tokens stop working at once.',
    payload: Type.Object({ client_id: Type.String() }),
    families: [],
  },
});

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof authEvents> {}
}
