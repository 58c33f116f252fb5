import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { drawCounter } from '../db/counters.js';
import type { Tx } from '../db/tx.js';
import { EVENTS_CHANNEL, type EventBus } from './bus.js';
import { checkEvent, type EventPayloads, type EventType } from './catalog.js';

export interface NewEvent<T extends EventType = EventType> {
  tenantId: string;
  /** Dotted name, `<entity>.<what happened>`: `order.accepted`, `company.updated`; declared in a module's event catalog. */
  type: T;
  entityType: string;
  entityId: string;
  /** Customer or subcontractor companies allowed to see this event (the tenant always can). */
  companyIds?: string[];
  payload: EventPayloads[T] & Record<string, unknown>;
}

export interface AppendedEvent {
  id: string;
  position: number;
  /** The payload as stored: with a prelude's fields merged in. */
  payload: Record<string, unknown>;
}

/**
 * Something a caller writes in the same statement as its event, so that a value drawn under a
 * lock (an order's name) costs no round trip of its own while the tenant's writers queue.
 */
export interface EventPrelude {
  /** Comma-separated CTEs (`drawn as (...), named as (...)`) that run in the event's statement. */
  ctes: RawBuilder<unknown>;
  /** A jsonb object (built from those CTEs) merged over the event's payload. */
  payload: RawBuilder<unknown>;
}

/**
 * The two CTEs (`counter`, `inserted`) that draw the tenant's next event position and insert the
 * event, for a statement that writes the event together with its change. `after` names a CTE of
 * that statement whose row must exist first: the position is drawn only once it has run (lock
 * order), and not at all when it wrote nothing. `inserted` returns `position` and `payload`.
 */
export function eventCtes(event: NewEvent, id: string, options: { extraPayload?: RawBuilder<unknown>; after?: string } = {}): RawBuilder<unknown> {
  checkEvent(event.type, event.entityType, event.payload);
  const payload = sql`${JSON.stringify(event.payload)}::jsonb${options.extraPayload ? sql` || ${options.extraPayload}` : sql``}`;
  return sql`counter as (${drawCounter(event.tenantId, 'event_position', options.after)}), inserted as (
      insert into events (tenant_id, position, id, type, entity_type, entity_id, company_ids, payload)
      values (
        ${event.tenantId}, (select value from counter), ${id}, ${event.type}, ${event.entityType}, ${event.entityId},
        ${event.companyIds ?? []}, ${payload}
      )
      returning position, payload
    )`;
}

/** Wakes the webhook engine of every process once the event's statement has committed (select it beside the event). */
export const notifyEvents = (tenantId: string): RawBuilder<unknown> => sql`pg_notify(${EVENTS_CHANNEL}, ${tenantId})`;

/**
 * Records a domain event inside the business transaction. The position comes from a per-tenant
 * counter row, whose lock orders writers: positions are gap-free and become visible in order,
 * so a reader paging by `position > cursor` never skips an event that commits late.
 *
 * That lock is held from the draw until COMMIT and so serialises every writer of the tenant;
 * drawing the position, inserting the row and notifying listeners is therefore one statement
 * (one round trip), and callers append their event as the last statement before COMMIT. A
 * prelude adds the caller's own statement to that one (see EventPrelude).
 */
export async function appendEvent<T extends EventType>(tx: Tx, bus: EventBus, event: NewEvent<T>, prelude?: EventPrelude): Promise<AppendedEvent> {
  const id = randomUUID();
  const { rows } = await sql<{ position: number; payload: Record<string, unknown> }>`
    with ${prelude ? sql`${prelude.ctes},` : sql``} ${eventCtes(event, id, { extraPayload: prelude?.payload })}
    select position, ${prelude ? sql`payload` : sql`null as payload`}, ${notifyEvents(event.tenantId)} from inserted`.execute(tx.trx);
  const row = rows[0];
  if (!row) throw new Error('appending an event returned no row');
  tx.afterCommit(() => bus.notifyCommitted(event.tenantId));
  // Only a prelude changes the payload, so only then is it read back.
  return { id, position: row.position, payload: row.payload ?? event.payload };
}
