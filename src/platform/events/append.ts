import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { drawCounter } from '../db/counters.js';
import type { Tx } from '../db/tx.js';
import { currentActor, type Actor } from './actor.js';
import type { EventBus } from './bus.js';
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

/** An event written by a caller's own statement (see `eventCtes`), with jsonb merged over its payload there. */
export interface StatementEvent {
  event: NewEvent;
  id: string;
  extraPayload?: RawBuilder<unknown>;
  /**
   * Who made the change. Taken from the entry, not from the running context: a statement may
   * write the events of several requests (batched imports), each with its own actor.
   */
  actor?: Actor;
}

/**
 * The two CTEs (`counter`, `inserted`) that draw the tenant's next event positions and insert the
 * events, in order, for a statement that writes them together with their change. All of one
 * tenant. `after` names a CTE of that statement that must run first: the positions are drawn
 * only once it has (lock order), and not at all when it wrote nothing. `inserted` returns
 * `position` and `payload`.
 */
export function eventCtes(entries: StatementEvent[], options: { after?: string } = {}): RawBuilder<unknown> {
  const tenantId = entries[0]?.event.tenantId;
  if (!tenantId || entries.some((e) => e.event.tenantId !== tenantId)) throw new Error('a statement writes the events of one tenant, at least one');
  for (const { event } of entries) checkEvent(event.type, event.entityType, event.payload);
  const rows = entries.map(({ event, id, extraPayload, actor }, i) => {
    const payload = sql`${JSON.stringify(event.payload)}::jsonb${extraPayload ? sql` || ${extraPayload}` : sql``}`;
    return sql`(${tenantId}, (select value from counter) - ${sql.lit(entries.length - 1 - i)}, ${id}, ${event.type}, ${event.entityType}, ${event.entityId},
        ${event.companyIds ?? []}, ${payload}, ${actor?.type ?? null}, ${actor?.id ?? null}, ${actor?.name ?? null})`;
  });
  return sql`counter as (${drawCounter(tenantId, 'event_position', { after: options.after, count: entries.length })}), inserted as (
      insert into events (tenant_id, position, id, type, entity_type, entity_id, company_ids, payload, actor_type, actor_id, actor_name)
      values ${sql.join(rows)}
      returning position, payload
    )`;
}

/**
 * Records a domain event inside the business transaction. The position comes from a per-tenant
 * counter row, whose lock orders writers: positions are gap-free and become visible in order,
 * so a reader paging by `position > cursor` never skips an event that commits late.
 *
 * That lock is held from the draw until COMMIT and so serialises every writer of the tenant;
 * drawing the position and inserting the row is therefore one statement (one round trip), and
 * callers append their event as the last statement before COMMIT. Other processes hear of it
 * after the commit (the bus, see `relay.ts`). A
 * prelude adds the caller's own statement to that one (see EventPrelude).
 */
export async function appendEvent<T extends EventType>(tx: Tx, bus: EventBus, event: NewEvent<T>, prelude?: EventPrelude): Promise<AppendedEvent> {
  const id = randomUUID();
  const queue = deferred.get(tx);
  if (queue && !prelude) {
    queue.push({ event, id, actor: currentActor() });
    return { id, position: DEFERRED_POSITION, payload: event.payload };
  }
  const { rows } = await sql<{ position: number; payload: Record<string, unknown> }>`
    with ${prelude ? sql`${prelude.ctes},` : sql``} ${eventCtes([{ event, id, extraPayload: prelude?.payload, actor: currentActor() }])}
    select position, ${prelude ? sql`payload` : sql`null as payload`} from inserted`.execute(tx.trx);
  const row = rows[0];
  if (!row) throw new Error('appending an event returned no row');
  tx.afterCommit(() => bus.notifyCommitted(event.tenantId));
  // Only a prelude changes the payload, so only then is it read back.
  return { id, position: row.position, payload: row.payload ?? event.payload };
}

/** The position a deferred event answers with: it has none until `writeDeferredEvents` draws it. */
export const DEFERRED_POSITION = 0;
const deferred = new WeakMap<Tx, StatementEvent[]>();

/**
 * A view of `tx` whose events wait and are written together, in the order they were appended, by
 * `writeDeferredEvents` (one statement, one draw of the tenant's positions): a transaction that
 * makes many changes (a batch of status updates) then holds the tenant's event counter only from
 * that statement to COMMIT, not from its first change. Each event's payload is built when it is
 * appended, so it still shows the state as of its own change. Appends with a prelude (they need
 * their row back) are written at once, so a caller deferring must not use one.
 */
export function deferringEvents(tx: Tx): Tx {
  const view: Tx = { trx: tx.trx, afterCommit: (fn) => tx.afterCommit(fn) };
  deferred.set(view, []);
  return view;
}

/**
 * Writes the events `deferringEvents(tx)` held back, as the transaction's last statement. `writes`
 * are the caller's own CTEs for that statement (the last named `written`, with one row once the
 * others ran): they run first and the positions are drawn after them, so the transaction's
 * writes and events cost one round trip.
 */
export async function writeDeferredEvents(tx: Tx, bus: EventBus, writes?: RawBuilder<unknown>): Promise<void> {
  const queue = deferred.get(tx)?.splice(0) ?? [];
  const tenantId = queue[0]?.event.tenantId;
  if (!tenantId) {
    if (writes) await sql`with ${writes} select n from written`.execute(tx.trx);
    return;
  }
  const events = eventCtes(queue, writes ? { after: 'written' } : {});
  await sql`with ${writes ? sql`${writes}, ` : sql``}${events} select 1 from inserted limit 1`.execute(tx.trx);
  tx.afterCommit(() => bus.notifyCommitted(tenantId));
}
