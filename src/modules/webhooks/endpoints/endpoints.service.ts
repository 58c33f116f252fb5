import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import type { Principal } from '../../../platform/http/principal.js';
import { CredentialUnreadableError, type CredentialBox } from '../../../platform/crypto/credential-box.js';
import { checkReceiverUrl, UrlRefusedError, type AddressPolicy } from '../../../platform/net/address-policy.js';
import * as deliveriesRepo from '../deliveries/deliveries.repo.js';
import type { AttemptRow, DeliveryRow } from '../deliveries/deliveries.repo.js';
import * as repo from './endpoints.repo.js';
import type { EndpointRow, EndpointScope } from './endpoints.repo.js';
import { buildDeliveries } from '../fanout/fanout.worker.js';
import { testPayload, type PayloadBuilder, type PayloadFamily } from '../payloads.js';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEndpointInput, WebhookEndpointPatch } from '../webhooks.schemas.js';
import { DELIVERY_STATUSES } from '../webhooks.schemas.js';
import { newSigningSecret } from '../signing.js';

/** Events one replay call scans at most; the answer says where to continue. */
const REPLAY_LIMIT = 10_000;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function endpointToWire(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    company_id: row.company_id,
    families: row.families as PayloadFamily[],
    event_types: row.event_types,
    integration_client_ids: row.integration_client_ids,
    suppress_echo: row.suppress_echo,
    basic_auth_username: row.basic_username,
    header_names: Object.keys(row.headers),
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    failing_since: iso(row.failing_since),
    previous_secret_expires_at: iso(row.previous_secret_expires_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

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

const scopeOf = (principal: Principal): EndpointScope => ({ tenantId: principal.tenantId, companyId: principal.companyId });

export type WebhooksService = ReturnType<typeof createWebhooksService>;

export function createWebhooksService(deps: {
  db: Db;
  bus: EventBus;
  policy: AddressPolicy;
  builders: Record<PayloadFamily, PayloadBuilder>;
  companies: { findCompanyId(tenantId: string, idOrCode: string): Promise<string | undefined> };
  box: CredentialBox;
}) {
  const { db, bus, policy, box } = deps;
  /** Tells the delivery worker of this process that messages were queued outside fan-out. */
  const queued = new EventEmitter();

  async function checkedUrl(url: string): Promise<string> {
    try {
      return (await checkReceiverUrl(url, policy)).toString();
    } catch (err) {
      if (err instanceof UrlRefusedError) throw badRequest(`Invalid body: ${err.message}`, [detail(err.message, 'url', 'body.url')]);
      throw err;
    }
  }

  /** The company an endpoint is for, named by id or by code as `/v1/admin/api-clients` takes it. */
  async function ownerFor(principal: Principal, requested: string | null | undefined): Promise<string | null> {
    const companyId = requested ? await deps.companies.findCompanyId(principal.tenantId, requested) : null;
    if (requested && !companyId && !principal.companyId) {
      throw badRequest('company_id names no company of this tenant (give its id or code)', [detail('unknown company', 'company_id', 'body.company_id')]);
    }
    if (principal.companyId) {
      if (requested && companyId !== principal.companyId) {
        throw badRequest('company_id must be your own company', [detail('not your company', 'company_id', 'body.company_id')]);
      }
      return principal.companyId;
    }
    return companyId ?? null;
  }

  async function visibleEndpoint(principal: Principal, id: string): Promise<EndpointRow> {
    const row = await repo.findEndpoint(db, scopeOf(principal), id);
    if (!row) throw notFound('Webhook endpoint');
    return row;
  }

  /** A delivery and its endpoint; a company client sees a delivery only through an endpoint of its own. */
  async function visibleDelivery(principal: Principal, id: string): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow }> {
    const delivery = await deliveriesRepo.findDelivery(db, principal.tenantId, id);
    const endpoint = delivery && (await repo.findEndpoint(db, scopeOf(principal), delivery.endpoint_id));
    if (!delivery || !endpoint) throw notFound('Webhook delivery');
    return { delivery, endpoint };
  }

  type EndpointFacts = Pick<EndpointRow, 'tenant_id' | 'id' | 'company_id' | 'url' | 'families' | 'enabled'>;

  function record(tx: Tx, endpoint: EndpointFacts, what: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled' | 'secret_rotated' | 'replayed', payload: Record<string, unknown> = {}) {
    return appendEvent(tx, bus, {
      tenantId: endpoint.tenant_id,
      type: `webhook_endpoint.${what}`,
      entityType: 'webhook_endpoint',
      entityId: endpoint.id,
      companyIds: endpoint.company_id ? [endpoint.company_id] : [],
      payload: { url: endpoint.url, families: endpoint.families, enabled: endpoint.enabled, ...payload },
    });
  }

  // Credentials we must present to the receiver are sealed before they are stored (see CredentialBox).
  const credentials = (basic: WebhookEndpointInput['basic_auth']) => ({
    basic_username: basic?.username ?? null,
    basic_password: basic?.password ? box.seal(basic.password) : null,
  });
  const sealedHeaders = (headers: Record<string, string>) =>
    JSON.stringify(Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, box.seal(value)])));

  /** The credential columns of a row that are not sealed under the current key yet, sealed under it. */
  function resealedColumns(row: EndpointRow): Record<string, string> {
    const changes: Record<string, string> = {};
    for (const column of ['secret', 'previous_secret', 'basic_password'] as const) {
      const value = row[column];
      const sealed = value ? box.resealed(value) : undefined;
      if (sealed) changes[column] = sealed;
    }
    const headers = Object.entries(row.headers).map(([name, value]) => [name, box.resealed(value) ?? value] as const);
    if (headers.some(([name, value]) => value !== row.headers[name])) changes.headers = JSON.stringify(Object.fromEntries(headers));
    return changes;
  }

  async function insertTestOrCopy(tx: Tx, endpoint: EndpointRow, row: Omit<deliveriesRepo.NewDelivery, 'tenant_id' | 'endpoint_id'>) {
    await deliveriesRepo.insertDeliveries(tx.trx, [{ ...row, tenant_id: endpoint.tenant_id, endpoint_id: endpoint.id }]);
    const inserted = await deliveriesRepo.findDelivery(tx.trx, endpoint.tenant_id, row.id);
    if (!inserted) throw notFound('Webhook endpoint'); // deleted a moment ago
    tx.afterCommit(() => queued.emit('queued'));
    return inserted;
  }

  return {
    onQueued(listener: () => void): () => void {
      queued.on('queued', listener);
      return () => queued.off('queued', listener);
    },

    async create(principal: Principal, input: WebhookEndpointInput) {
      const url = await checkedUrl(input.url);
      const companyId = await ownerFor(principal, input.company_id);
      const secret = newSigningSecret();
      const id = randomUUID();
      const row = await inTransaction(db, async (tx) => {
        const enabled = input.enabled ?? true;
        const draft = { tenant_id: principal.tenantId, id, company_id: companyId, url, families: input.families, enabled };
        // Only events after this one reach the new endpoint; earlier ones can be replayed.
        const created = await record(tx, draft, 'created');
        return repo.insertEndpoint(tx.trx, {
          tenant_id: principal.tenantId,
          id,
          company_id: companyId,
          url,
          description: input.description ?? null,
          families: input.families,
          event_types: input.event_types ?? [],
          integration_client_ids: input.integration_client_ids ?? [],
          suppress_echo: input.suppress_echo ?? true,
          secret: box.seal(secret),
          ...credentials(input.basic_auth),
          headers: sealedHeaders(input.headers ?? {}),
          enabled,
          disabled_reason: enabled ? null : 'created disabled',
          start_position: created.position,
        });
      });
      return { ...endpointToWire(row), secret };
    },

    async list(principal: Principal, query: { cursor?: string; limit?: number }) {
      const page = await paginate({
        query,
        filters: {},
        fields: {},
        fetch: ({ after, limit }) => repo.listEndpoints(db, scopeOf(principal), { after, limit }),
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
      return { items: page.rows.map(endpointToWire), next_cursor: page.next_cursor };
    },

    async get(principal: Principal, id: string) {
      return endpointToWire(await visibleEndpoint(principal, id));
    },

    async secret(principal: Principal, id: string) {
      const row = await visibleEndpoint(principal, id);
      try {
        return { ...endpointToWire(row), secret: box.open(row.secret) };
      } catch (err) {
        if (err instanceof CredentialUnreadableError) throw conflict(`The secret cannot be read: ${err.message}. Rotate it to get a new one.`);
        throw err;
      }
    },

    async update(principal: Principal, id: string, patch: WebhookEndpointPatch) {
      const current = await visibleEndpoint(principal, id);
      const url = patch.url === undefined ? undefined : await checkedUrl(patch.url);
      const row = await inTransaction(db, async (tx) => {
        const updated = await repo.updateEndpoint(tx.trx, principal.tenantId, current.id, {
          ...(url !== undefined ? { url } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.families !== undefined ? { families: patch.families } : {}),
          ...(patch.event_types !== undefined ? { event_types: patch.event_types } : {}),
          ...(patch.integration_client_ids !== undefined ? { integration_client_ids: patch.integration_client_ids } : {}),
          ...(patch.suppress_echo !== undefined ? { suppress_echo: patch.suppress_echo } : {}),
          ...(patch.basic_auth !== undefined ? credentials(patch.basic_auth) : {}),
          ...(patch.headers !== undefined ? { headers: sealedHeaders(patch.headers) } : {}),
        });
        await record(tx, updated, 'updated', { changed: Object.keys(patch) });
        return updated;
      });
      return endpointToWire(row);
    },

    async remove(principal: Principal, id: string) {
      const current = await visibleEndpoint(principal, id);
      await inTransaction(db, async (tx) => {
        await repo.deleteEndpoint(tx.trx, principal.tenantId, current.id);
        await record(tx, current, 'deleted');
      });
    },

    async setEnabled(principal: Principal, id: string, enabled: boolean) {
      const current = await visibleEndpoint(principal, id);
      if (current.enabled === enabled) return endpointToWire(current);
      const row = await inTransaction(db, async (tx) => {
        const event = await record(tx, { ...current, enabled }, enabled ? 'enabled' : 'disabled', enabled ? {} : { reason: 'disabled by a client' });
        return repo.updateEndpoint(tx.trx, principal.tenantId, current.id, {
          enabled,
          disabled_reason: enabled ? null : 'disabled by a client',
          failing_since: null,
          // Re-enabled endpoints start from now; what they missed is a replay away.
          ...(enabled ? { start_position: event.position } : {}),
        });
      });
      return endpointToWire(row);
    },

    async rotateSecret(principal: Principal, id: string, overlapSeconds: number) {
      const current = await visibleEndpoint(principal, id);
      const secret = newSigningSecret();
      const row = await inTransaction(db, async (tx) => {
        const updated = await repo.updateEndpoint(tx.trx, principal.tenantId, current.id, {
          secret: box.seal(secret),
          previous_secret: overlapSeconds > 0 ? current.secret : null,
          previous_secret_expires_at: overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null,
        });
        await record(tx, updated, 'secret_rotated', { overlap_seconds: overlapSeconds });
        return updated;
      });
      return { ...endpointToWire(row), secret };
    },

    /**
     * Seals every stored credential under the current WAYBILL_CREDENTIALS_KEY: values stored in the
     * clear before a key was set, and values sealed under WAYBILL_CREDENTIALS_KEY_PREVIOUS. Safe to
     * run again; it rewrites only what is not sealed under the current key yet. Endpoints holding a
     * value no configured key opens are left as they are and listed: they need a rotated secret
     * and their credentials set again.
     */
    async resealCredentials(): Promise<{ endpoints: number; unreadable: Array<{ tenant_id: string; id: string }> }> {
      let endpoints = 0;
      const unreadable: Array<{ tenant_id: string; id: string }> = [];
      let after: { tenantId: string; id: string } | undefined;
      for (;;) {
        const page = await repo.endpointsAfter(db, after, 500);
        for (const row of page) {
          let changes: Record<string, string>;
          try {
            changes = resealedColumns(row);
          } catch (err) {
            if (!(err instanceof CredentialUnreadableError)) throw err;
            unreadable.push({ tenant_id: row.tenant_id, id: row.id });
            continue;
          }
          if (!Object.keys(changes).length) continue;
          await repo.updateEndpoint(db, row.tenant_id, row.id, changes);
          endpoints++;
        }
        const last = page.at(-1);
        if (!last || page.length < 500) return { endpoints, unreadable };
        after = { tenantId: last.tenant_id, id: last.id };
      }
    },

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

    async deliveries(principal: Principal, endpointId: string, query: { status?: string; cursor?: string; limit?: number }) {
      const endpoint = await visibleEndpoint(principal, endpointId);
      const filters = { status: query.status ?? null };
      const page = await paginate({
        query,
        filters,
        fields: { status: cursorField.oneOf(DELIVERY_STATUSES) },
        given: query.status ? filters : {},
        fetch: ({ after, limit }) => deliveriesRepo.listDeliveries(db, { tenantId: principal.tenantId, endpointId: endpoint.id, status: query.status, after, limit }),
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
      return { items: page.rows.map(deliveryToWire), next_cursor: page.next_cursor };
    },

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
