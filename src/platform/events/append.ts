import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../db/tx.js';
import { EVENTS_CHANNEL, type EventBus } from './bus.js';

export interface NewEvent {
  tenantId: string;
  /** Dotted name, `<entity>.<what happened>`: `order.accepted`, `company.updated`. */
  type: string;
  entityType: string;
  entityId: string;
  /** Customer or subcontractor companies allowed to see this event (the tenant always can). */
  companyIds?: string[];
  payload: Record<string, unknown>;
}

export interface AppendedEvent {
  id: string;
  position: number;
}

/**
 * Records a domain event inside the business transaction. The position comes from a per-tenant
 * counter row, whose lock orders writers: positions are gap-free and become visible in order,
 * so a reader paging by `position > cursor` never skips an event that commits late.
 *
 * That lock is held from the draw until COMMIT and so serialises every writer of the tenant;
 * drawing the position, inserting the row and notifying listeners is therefore one statement
 * (one round trip), and callers append their event as the last statement before COMMIT.
 */
export async function appendEvent(tx: Tx, bus: EventBus, event: NewEvent): Promise<AppendedEvent> {
  const id = randomUUID();
  const { rows } = await sql<{ position: number }>`
    with counter as (
      insert into tenant_counters (tenant_id, name, value) values (${event.tenantId}, 'event_position', 1)
      on conflict (tenant_id, name) do update set value = tenant_counters.value + 1
      returning value
    ), inserted as (
      insert into events (tenant_id, position, id, type, entity_type, entity_id, company_ids, payload)
      values (
        ${event.tenantId}, (select value from counter), ${id}, ${event.type}, ${event.entityType}, ${event.entityId},
        ${event.companyIds ?? []}, ${JSON.stringify(event.payload)}
      )
      returning position
    )
    select position, pg_notify(${EVENTS_CHANNEL}, ${event.tenantId}) from inserted`.execute(tx.trx);
  const position = rows[0]?.position;
  if (position === undefined) throw new Error('appending an event returned no position');
  tx.afterCommit(() => bus.notifyCommitted(event.tenantId));
  return { id, position };
}
