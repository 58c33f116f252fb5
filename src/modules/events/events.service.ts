import { sql, type Selectable } from 'kysely';
import type { Db, EventTable } from '../../platform/db/database.js';
import { badRequest, detail } from '../../platform/http/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { matchesEventType } from './events.policy.js';
import type { EventItem } from './events.schemas.js';

export type EventRow = Selectable<EventTable>;

export function eventToWire(row: EventRow): EventItem {
  return {
    id: row.id,
    position: row.position,
    type: row.type,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    occurred_at: row.occurred_at.toISOString(),
    payload: row.payload,
    actor: row.actor_type && row.actor_id ? { type: row.actor_type, id: row.actor_id, name: row.actor_name ?? '' } : null,
  };
}

/** How many events one page scans at most, so a narrow `types` filter cannot make a request unbounded. */
const SCAN_LIMIT = 5_000;

export type EventsService = ReturnType<typeof createEventsService>;

/**
 * The pull side of the event log. A CUSTOMER or SUBCONTRACTOR client sees only events naming its
 * company; the tenant sees all. Paging is by position, which is gap-free and commits in order, so
 * a reader that resumes after its last position never misses an event.
 */
export function createEventsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async feed(principal: Principal, query: { after?: number; types?: string; entity_type?: string; entity_id?: string; limit?: number }) {
      const after = query.after ?? 0;
      const limit = query.limit ?? 100;
      const types = query.types ? query.types.split(',') : [];
      if (types.length > 50) throw badRequest('types lists at most 50 event types');
      if (query.entity_id && !query.entity_type)
        throw badRequest('entity_id needs entity_type', [detail('entity_type is required with entity_id', 'entity_type')]);
      let q = db
        .selectFrom('events')
        .selectAll()
        .where('tenant_id', '=', principal.tenantId)
        .where('position', '>', after)
        .orderBy('position')
        .limit(SCAN_LIMIT);
      if (principal.companyId) q = q.where(sql<boolean>`company_ids @> array[${principal.companyId}]::uuid[]`);
      // One entity's history (an order page's): served by events_entity_idx.
      if (query.entity_type) q = q.where('entity_type', '=', query.entity_type);
      if (query.entity_id) q = q.where('entity_id', '=', query.entity_id);
      const exact = types.filter((t) => !t.includes('*'));
      // Exact types filter in SQL; prefix patterns are applied below on the scanned window.
      if (exact.length === types.length && exact.length) q = q.where('type', 'in', exact);
      const scanned = await q.execute();
      const items: EventItem[] = [];
      let lastPosition = after;
      for (const row of scanned) {
        if (items.length === limit) break;
        lastPosition = row.position;
        if (matchesEventType(types, row.type)) items.push(eventToWire(row));
      }
      const exhausted = items.length < limit && scanned.length < SCAN_LIMIT;
      return { items, next_after: exhausted ? null : lastPosition, last_position: lastPosition };
    },
  };
}
