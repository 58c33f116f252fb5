import type { Static } from '@sinclair/typebox';
import type { EventFeed } from './events.schemas.js';

/** Examples for the OpenAPI document, recorded from a run of the API. */

export const eventFeedExample = {
  items: [
    {
      id: '124b4938-b2bb-40f2-ad8b-d71072b95f02',
      position: 1,
      type: 'tenant.created',
      entity_type: 'tenant',
      entity_id: 'a0d72669-554e-40ea-b9ab-2abf8a0e3141',
      occurred_at: '2026-11-30T20:22:03.346Z',
      payload: { name: 'Example Logistics' },
      actor: null,
    },
    {
      id: 'bdf812b6-4db2-48a3-8cd3-3dc784d8882b',
      position: 2,
      type: 'api_client.created',
      entity_type: 'api_client',
      entity_id: 'f23ccd5f-1b75-4032-b8e5-c485dcf3663d',
      occurred_at: '2026-11-30T20:22:03.395Z',
      payload: {
        kind: 'API',
        name: 'TENANT API',
        role: 'TENANT',
        client_id: 'wb_bdd3704f810381673a0dd057',
        company_id: null,
      },
      actor: { type: 'user', id: '5f0c1d0e-8a56-4a3b-9d0e-2b7f3c9a6e11', name: 'An Peeters' },
    },
  ],
  next_after: 2,
  last_position: 2,
} satisfies Static<typeof EventFeed>;
