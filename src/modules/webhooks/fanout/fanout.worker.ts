import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { type EventRow, matchesEventType } from '../../events/index.js';
import * as endpointsRepo from '../endpoints/endpoints.repo.js';
import type { EndpointRow } from '../endpoints/endpoints.repo.js';
import { commitFanOut, noFlushWait, orderingKey, type NewDelivery, type SendableDelivery } from '../deliveries/deliveries.repo.js';
import type { PayloadBuilders } from '../payloads/payloads.output.js';

/** How long a worker owns a tenant's checkpoint; another process takes over after a crash. */
const LEASE_SECONDS = 10;

/**
 * Whether an endpoint receives an event at all: its owner may see it, it is new to it, its filter
 * takes it, and it is no echo (a change the receiving system made itself through one of its own
 * API clients, which would otherwise come back to it and loop in a two-way sync).
 */
export function endpointWants(endpoint: EndpointRow, event: EventRow): boolean {
  if (event.position <= endpoint.start_position) return false;
  if (endpoint.company_id && !event.company_ids.includes(endpoint.company_id)) return false;
  const origin = event.payload.origin_client_id;
  if (endpoint.suppress_echo && typeof origin === 'string' && endpoint.integration_client_ids.includes(origin)) return false;
  return matchesEventType(endpoint.event_types, event.type);
}

export function entityKey(event: { entity_type: string; entity_id: string }): string {
  return `${event.entity_type}:${event.entity_id}`;
}

/**
 * Builds one delivery per (event, endpoint) pair an endpoint wants, payload serialised now so that
 * every retry sends the same bytes. Payloads are built once per family and shared by endpoints.
 */
export async function buildDeliveries(events: EventRow[], endpoints: EndpointRow[], builders: PayloadBuilders): Promise<NewDelivery[]> {
  const rows: NewDelivery[] = [];
  for (const event of events) {
    const wanting = endpoints.filter((endpoint) => endpointWants(endpoint, event));
    if (!wanting.length) continue;
    const payloads = new Map<string, Record<string, unknown> | null>();
    const bodies = new Map<string, string>();
    for (const endpoint of wanting) {
      // A subcontractor's endpoint gets its own cut of each payload (see companies' companies.policy.ts).
      const view = endpoint.company_id && builders.viewFor ? await builders.viewFor(event.tenant_id, endpoint.company_id) : undefined;
      for (const family of endpoint.families) {
        if (!payloads.has(family)) payloads.set(family, await builders[family](event));
        const payload = payloads.get(family);
        if (!payload) continue;
        let body = view ? JSON.stringify(view(payload)) : bodies.get(family);
        if (body === undefined) bodies.set(family, (body = JSON.stringify(payload)));
        const id = randomUUID();
        rows.push({
          tenant_id: event.tenant_id,
          id,
          endpoint_id: endpoint.id,
          message_id: `msg_${id.replace(/-/g, '')}`,
          event_id: event.id,
          event_position: event.position,
          event_type: event.type,
          entity_key: entityKey(event),
          payload: body,
        });
      }
    }
  }
  return rows;
}

/**
 * The delivery worker of this process: fresh deliveries it has room for are inserted already
 * leased to it and handed over after commit, which spares each of them a claim (a query, and a
 * row update) on the way out.
 */
export interface Handoff {
  readonly leaseToken: string;
  readonly leaseSeconds: number;
  /** How many more deliveries the worker can hold now, in all and for one endpoint. */
  room(): HandoffRoom;
  adopt(deliveries: SendableDelivery[], endpoints: EndpointRow[]): void;
}

export interface HandoffRoom {
  total: number;
  forEndpoint(endpointId: string): number;
}

/**
 * The deliveries that may go straight to a worker: as many as it has room for (in all and per
 * endpoint), and only the first of the batch per (endpoint, entity), since a later one waits for
 * it. The write leases a candidate only if no earlier delivery of its entity is still pending (see
 * commitFanOut). The rest are inserted unleased and go out through claims, in order.
 */
function pickHandoff(rows: NewDelivery[], room: HandoffRoom): Set<string> {
  const seen = new Set<string>();
  const picked = new Set<string>();
  const left = new Map<string, number>();
  let total = room.total;
  for (const row of rows) {
    if (total <= 0) break;
    const key = orderingKey(row.endpoint_id, row.entity_key);
    if (seen.has(key)) continue;
    seen.add(key); // a later row of this entity waits for this one, picked or not
    const free = left.get(row.endpoint_id) ?? room.forEndpoint(row.endpoint_id);
    if (free <= 0) continue;
    left.set(row.endpoint_id, free - 1);
    total--;
    picked.add(row.id);
  }
  return picked;
}

/**
 * Moves one tenant's checkpoint over its new events. The checkpoint is leased (claimed with SKIP
 * LOCKED) while payloads are built outside any transaction; the deliveries and the new position
 * are written by one statement that writes nothing unless the lease is still ours, so each event
 * is fanned out exactly once even with several processes. Returns whether more events are waiting.
 */
export async function fanOutTenant(
  db: Db,
  tenantId: string,
  builders: PayloadBuilders,
  handoff: Handoff,
  batch: number,
  /** Tenants this process has seen a checkpoint row of, so it need not insert one first each time. */
  checkpointed = new Set<string>(),
): Promise<{ more: boolean; created: number; handedOver: number }> {
  const token = randomUUID();
  if (!checkpointed.has(tenantId)) {
    await db
      .insertInto('webhook_checkpoints')
      .values({ tenant_id: tenantId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  // The lease, whether the tenant has an enabled endpoint at all, and the events after the
  // checkpoint come in one round trip. One statement is one snapshot; the events are read after the
  // position the lease returns (the row's latest version), so none is read twice or skipped.
  const claimed = await sql<{ checkpoint_position: number; has_endpoints: boolean } & NullableEvent>`
    with claimed as (
      update webhook_checkpoints c
      set lease_token = ${token}, lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
      where c.tenant_id = (
        select tenant_id from webhook_checkpoints
        where tenant_id = ${tenantId} and (lease_until is null or lease_until < now())
        for update skip locked
      )
      returning c.position, exists (select 1 from webhook_endpoints e where e.tenant_id = c.tenant_id and e.enabled) as has_endpoints, ${noFlushWait}
    )
    select c.position as checkpoint_position, c.has_endpoints, e.*
    from claimed c
    left join lateral (
      select * from events
      where tenant_id = ${tenantId} and position > c.position and c.has_endpoints
      order by position
      limit ${batch}
    ) e on true
    order by e.position`.execute(db);
  const checkpoint = claimed.rows[0];
  // No row: leased by another worker, or (should it ever be deleted) gone: insert it again next time.
  if (!checkpoint) checkpointed.delete(tenantId);
  if (!checkpoint) return { more: false, created: 0, handedOver: 0 };
  checkpointed.add(tenantId);

  const release = () =>
    db
      .updateTable('webhook_checkpoints')
      .set({ lease_token: null, lease_until: null })
      .where('tenant_id', '=', tenantId)
      .where('lease_token', '=', token)
      .execute();
  try {
    if (!checkpoint.has_endpoints) {
      // Nobody to tell: skip the backlog without reading it. One statement is one snapshot, so an
      // endpoint created meanwhile (atomically with its creation event, which it starts after)
      // either shows up here and stops the skip, or was created after every event skipped.
      await sql`update webhook_checkpoints
        set position = coalesce((select max(position) from events where tenant_id = ${tenantId}), position),
            lease_token = null, lease_until = null
        where tenant_id = ${tenantId} and lease_token = ${token}
          and not exists (select 1 from webhook_endpoints where tenant_id = ${tenantId} and enabled)`.execute(db);
      await release();
      return { more: false, created: 0, handedOver: 0 };
    }
    const events = claimed.rows.filter(isEvent).map(eventColumns);
    const lastEvent = events.at(-1);
    if (!lastEvent) {
      await release();
      return { more: false, created: 0, handedOver: 0 };
    }
    // The endpoints are read again, after the events: an endpoint disabled by a 410 is disabled in
    // the transaction that records `webhook_endpoint.disabled`, so once that event is read here the
    // endpoint is seen disabled too and is not sent its own news. Read before the events, it could
    // still look enabled. Endpoints created or re-enabled meanwhile start after their own event
    // (`start_position`), so reading them late sends them nothing from before.
    const endpoints = await endpointsRepo.enabledEndpoints(db, tenantId);
    const rows = await buildDeliveries(events, endpoints, builders);
    const last = lastEvent.position;
    const { moved, leased } = await commitFanOut(db, { tenantId, token, position: last }, rows, {
      token: handoff.leaseToken,
      seconds: handoff.leaseSeconds,
      candidates: pickHandoff(rows, handoff.room()),
    });
    if (!moved) throw new Error('fan-out lease lost; another worker took over');
    const adopted = rows.filter((r) => leased.has(r.id)).map((r) => ({ ...r, attempt_count: 0 }));
    handoff.adopt(adopted, endpoints);
    const handedOver = adopted.length;
    return { more: events.length === batch, created: rows.length, handedOver };
  } catch (err) {
    await release().catch(() => {});
    throw err;
  }
}

/** An event's columns as the lease's left join returns them: all null when no event came. */
type NullableEvent = { [K in keyof EventRow]: EventRow[K] | null };

function isEvent<T extends NullableEvent>(row: T): row is T & EventRow {
  return row.id !== null;
}

/** The event alone, without the lease's columns (payload builders see exactly an events row). */
function eventColumns(row: EventRow & { checkpoint_position: number; has_endpoints: boolean }): EventRow {
  const { checkpoint_position: _position, has_endpoints: _hasEndpoints, ...event } = row;
  return event;
}

/** Tenants whose event log is ahead of their checkpoint (for the fallback poll). */
export async function tenantsWithBacklog(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('tenant_counters as c')
    .leftJoin('webhook_checkpoints as w', 'w.tenant_id', 'c.tenant_id')
    .select('c.tenant_id')
    .where('c.name', '=', 'event_position')
    .where((eb) => eb('c.value', '>', eb.fn.coalesce('w.position', sql<number>`0`)))
    .limit(1000)
    .execute();
  return rows.map((r) => r.tenant_id);
}
