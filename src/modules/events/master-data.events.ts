import { Type } from '@sinclair/typebox';
import { MASTER_DATA_ENTITIES, type MasterDataEntity, type MasterDataOperation } from './master-data.js';
import { declareEvents, type EventDeclaration, Nullable, type PayloadsOf, Snapshot } from '../../platform/events/catalog.js';

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

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof masterDataEvents> {}
}
