import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../db/tx.js';
import { nextCounterValue } from '../db/counters.js';
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
 */
export async function appendEvent(tx: Tx, bus: EventBus, event: NewEvent): Promise<AppendedEvent> {
  const position = await nextCounterValue(tx.trx, event.tenantId, 'event_position');
  const id = randomUUID();
  await tx.trx
    .insertInto('events')
    .values({
      tenant_id: event.tenantId,
      position,
      id,
      type: event.type,
      entity_type: event.entityType,
      entity_id: event.entityId,
      company_ids: event.companyIds ?? [],
      payload: JSON.stringify(event.payload),
    })
    .execute();
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${event.tenantId})`.execute(tx.trx);
  tx.afterCommit(() => bus.notifyCommitted(event.tenantId));
  return { id, position };
}
