import { appendEvent, type EventPrelude } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { Tx } from '../../platform/db/tx.js';
import type { Principal } from '../../platform/http/principal.js';

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
