import { Type } from '@sinclair/typebox';
import { declareEvents, type EventDeclaration, Nullable, type PayloadsOf, Snapshot } from '../../../platform/events/catalog.js';
import { appendEvent, type EventPrelude } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import type { Tx } from '../../../platform/db/tx.js';
import type { Principal } from '../../../platform/http/principal.js';

export const MASTER_DATA_ENTITIES = ['company', 'contact', 'resource', 'unavailability', 'validity'] as const;
export type MasterDataEntity = (typeof MASTER_DATA_ENTITIES)[number];
export type MasterDataOperation = 'created' | 'updated' | 'archived' | 'deleted';

export interface MasterDataChange {
  tenantId: string;
  entity: MasterDataEntity;
  operation: MasterDataOperation;
  id: string;
  /** The identifiers an integrator correlates by: `{code}` for companies, `{external_id}` for resources. */
  keys: Record<string, string | null | undefined>;
  version: number;
  /** The whole record as its GET returns it (for a deletion, the last state). */
  record: object;
  /** Companies allowed to see the change (a company sees changes to itself). */
  companyIds?: string[];
  /** Who made the change; absent for the CLI and other work without an API client. */
  origin?: Principal;
}

/**
 * Records a master-data change as the event `<entity>.<operation>`. The payload already is the
 * message the `master_data` webhook family sends, with the record as it was at this change, so a
 * receiver applying messages in order ends with the current state. `origin_client_id` names the
 * API client that made the change, which lets fan-out keep a change from echoing back to it.
 */
export async function appendMasterDataEvent(tx: Tx, bus: EventBus, change: MasterDataChange, prelude?: EventPrelude) {
  return appendEvent(
    tx,
    bus,
    {
      tenantId: change.tenantId,
      type: `${change.entity}.${change.operation}`,
      entityType: change.entity,
      entityId: change.id,
      companyIds: change.companyIds,
      payload: {
        entity: change.entity,
        operation: change.operation,
        id: change.id,
        ...change.keys,
        version: change.version,
        record: change.record,
        origin_client_id: change.origin?.clientId ?? null,
      },
    },
    prelude,
  );
}

/**
 * Master-data changes, `<entity>.<operation>`, appended by companies and resources through
 * `appendMasterDataEvent`: the payload is the `master_data` family's message.
 */
const change = (entity: string, operation: string) =>
  ({
    entityType: entity,
    summary: `A ${entity} was ${operation}; \`record\` is the ${entity} as its GET returned it after the change (before it, for a deletion).`,
    payload: Type.Object({
      entity: Type.Literal(entity),
      operation: Type.Literal(operation),
      id: Type.String(),
      code: Type.Optional(Nullable(Type.String())),
      external_id: Type.Optional(Nullable(Type.String())),
      version: Type.Number(),
      record: Snapshot(`The ${entity} as its GET answers it.`),
      origin_client_id: Nullable(Type.String({ description: 'The API client that made the change; fan-out keeps it from echoing back to that client.' })),
    }),
    families: ['master_data'],
  }) satisfies EventDeclaration;

const OPERATIONS = ['created', 'updated', 'archived', 'deleted'] as const satisfies readonly MasterDataOperation[];

/** Every entity with every operation: which operations an entity has is its service's business, not the catalog's. */
export const masterDataEvents = declareEvents(
  'events (master data)',
  Object.fromEntries(MASTER_DATA_ENTITIES.flatMap((entity) => OPERATIONS.map((operation) => [`${entity}.${operation}`, change(entity, operation)]))) as Record<
    `${MasterDataEntity}.${MasterDataOperation}`,
    ReturnType<typeof change>
  >,
);

declare module '../../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof masterDataEvents> {}
}
