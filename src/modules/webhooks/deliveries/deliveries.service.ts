import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import type { Principal } from '../../../platform/http/principal.js';
import * as deliveriesRepo from './deliveries.repo.js';
import type { AttemptRow, DeliveryRow } from './deliveries.repo.js';
import type { EndpointRow } from '../endpoints/endpoints.repo.js';
import { buildDeliveries } from '../fanout/fanout.worker.js';
import { testPayload, type PayloadBuilder, type PayloadFamily } from '../payloads/payloads.output.js';
import type { WebhookAttempt, WebhookDelivery } from '../webhooks.schemas.js';
import { DELIVERY_STATUSES, type DeliveryListQuery } from '../webhooks.schemas.js';

type DeliveryQuery = Static<typeof DeliveryListQuery>;

/**
 * The delivery side of the webhooks API: listing deliveries and their attempts, test sends,
 * redelivery and replay. Endpoints are reached only through the narrow `endpoints` dependency,
 * so what a principal may see is decided in one place (the endpoints service).
 */

/** Events one replay call scans at most; the answer says where to continue. */
const REPLAY_LIMIT = 10_000;

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function deliveryToWire(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    message_id: row.message_id,
    event_id: row.event_id,
    event_position: row.event_position,
    event_type: row.event_type,
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt_at: row.status === 'PENDING' ? row.next_attempt_at.toISOString() : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: row.created_at.toISOString(),
    finished_at: iso(row.finished_at),
  };
}

function attemptToWire(row: AttemptRow): WebhookAttempt {
  return {
    id: row.id,
    attempted_at: row.attempted_at.toISOString(),
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    response_excerpt: row.response_excerpt,
    error: row.error,
  };
}

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;

export function createDeliveriesService(deps: {
  db: Db;
  builders: Record<PayloadFamily, PayloadBuilder>;
  /** Tells the delivery worker of this process that messages were queued outside fan-out. */
  queued: EventEmitter;
  endpoints: {
    /** The endpoint, or not_found when the principal may not see it. */
    visible(principal: Principal, id: string): Promise<EndpointRow>;
    find(principal: Principal, id: string): Promise<EndpointRow | undefined>;
  };
  /** Appends the endpoint's `webhook_endpoint.replayed` event. */
  record(tx: Tx, endpoint: EndpointRow, what: 'replayed', payload: Record<string, unknown>): Promise<unknown>;
}) {
  const { db, queued, record } = deps;
  const visibleEndpoint = deps.endpoints.visible;

  /** A delivery and its endpoint; a company client sees a delivery only through an endpoint of its own. */
  async function visibleDelivery(principal: Principal, id: string): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow }> {
    const delivery = await deliveriesRepo.findDelivery(db, principal.tenantId, id);
    const endpoint = delivery && (await deps.endpoints.find(principal, delivery.endpoint_id));
    if (!delivery || !endpoint) throw notFound('Webhook delivery');
    return { delivery, endpoint };
  }

  async function insertTestOrCopy(tx: Tx, endpoint: EndpointRow, row: Omit<deliveriesRepo.NewDelivery, 'tenant_id' | 'endpoint_id'>) {
    await deliveriesRepo.insertDeliveries(tx.trx, [{ ...row, tenant_id: endpoint.tenant_id, endpoint_id: endpoint.id }]);
    const inserted = await deliveriesRepo.findDelivery(tx.trx, endpoint.tenant_id, row.id);
    if (!inserted) throw notFound('Webhook endpoint'); // deleted a moment ago
    tx.afterCommit(() => queued.emit('queued'));
    return inserted;
  }

  /** A page of deliveries, newest first: one endpoint's, or every endpoint's the principal may see. */
  async function deliveryPage(principal: Principal, query: DeliveryQuery, endpointId?: string) {
    const filters = { status: query.status ?? null };
    const page = await paginate({
      query,
      filters,
      fields: { status: cursorField.oneOf(DELIVERY_STATUSES) },
      given: query.status ? filters : {},
      fetch: ({ filters: f, after, limit }) =>
        deliveriesRepo.listDeliveries(db, {
          tenantId: principal.tenantId,
          endpointId,
          companyId: principal.companyId,
          status: f.status ?? undefined,
          after,
          limit,
        }),
      key: (r) => ({ ts: r.created_at, id: r.id }),
    });
    return { items: page.rows.map(deliveryToWire), next_cursor: page.next_cursor };
  }

  return {
    async sendTest(principal: Principal, id: string) {
      const endpoint = await visibleEndpoint(principal, id);
      if (!endpoint.enabled) throw conflict('The endpoint is disabled; enable it before sending a test');
      const deliveryId = randomUUID();
      const row = await inTransaction(db, (tx) =>
        insertTestOrCopy(tx, endpoint, {
          id: deliveryId,
          message_id: `msg_${deliveryId.replace(/-/g, '')}`,
          event_type: 'webhook.test',
          entity_key: `test:${deliveryId}`,
          payload: JSON.stringify(testPayload(endpoint.families[0] as PayloadFamily, new Date())),
        }),
      );
      return deliveryToWire(row);
    },

    async deliveries(principal: Principal, endpointId: string, query: DeliveryQuery) {
      const endpoint = await visibleEndpoint(principal, endpointId);
      return deliveryPage(principal, query, endpoint.id);
    },

    /** Deliveries to every endpoint the principal may see, newest first: the tenant's delivery log. */
    allDeliveries: (principal: Principal, query: DeliveryQuery) => deliveryPage(principal, query),

    /** Failed messages still in the log (the console's overview). */
    countFailed: (tenantId: string) => deliveriesRepo.countFailed(db, tenantId),

    async attempts(principal: Principal, deliveryId: string) {
      const { delivery } = await visibleDelivery(principal, deliveryId);
      return { items: (await deliveriesRepo.listAttempts(db, delivery)).map(attemptToWire) };
    },

    /** Sends a delivery again as a new message row with the same `webhook-id` and the same bytes. */
    async redeliver(principal: Principal, deliveryId: string) {
      const { delivery: original, endpoint } = await visibleDelivery(principal, deliveryId);
      if (!endpoint.enabled) throw conflict('The endpoint is disabled; enable it before redelivering');
      const row = await inTransaction(db, (tx) =>
        insertTestOrCopy(tx, endpoint, {
          id: randomUUID(),
          message_id: original.message_id,
          event_id: original.event_id,
          event_position: original.event_position,
          event_type: original.event_type,
          entity_key: original.entity_key,
          payload: original.payload,
        }),
      );
      return deliveryToWire(row);
    },

    /**
     * Resends what an endpoint missed in a time window: failed messages are queued again, and
     * events it never got a message for (while disabled, or before it existed) are built now.
     */
    async replay(principal: Principal, endpointId: string, input: { since: string; until?: string }) {
      const endpoint = await visibleEndpoint(principal, endpointId);
      if (!endpoint.enabled) throw conflict('The endpoint is disabled; enable it before replaying');
      const since = new Date(input.since);
      const until = input.until ? new Date(input.until) : new Date();
      if (!(since < until)) throw badRequest('since must be before until', [detail('must be before until', 'since', 'body.since')]);
      const missed = await deliveriesRepo.eventsWithoutDelivery(db, {
        tenantId: principal.tenantId,
        endpointId: endpoint.id,
        since,
        until,
        limit: REPLAY_LIMIT,
      });
      const rows = await buildDeliveries(missed, [{ ...endpoint, start_position: 0 }], deps.builders);
      const { queuedCount, requeued } = await inTransaction(db, async (tx) => {
        const queuedCount = (await deliveriesRepo.insertDeliveries(tx.trx, rows)).size;
        const count = await deliveriesRepo.requeueFailed(tx.trx, { tenantId: principal.tenantId, endpointId: endpoint.id, since, until });
        await record(tx, endpoint, 'replayed', { since: since.toISOString(), until: until.toISOString() });
        tx.afterCommit(() => queued.emit('queued'));
        return { queuedCount, requeued: count };
      });
      const last = missed.at(-1);
      return {
        queued: queuedCount,
        requeued,
        resume_since: missed.length === REPLAY_LIMIT && last ? last.occurred_at.toISOString() : null,
      };
    },
  };
}
