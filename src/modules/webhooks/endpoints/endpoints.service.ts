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
import { createDeliveriesService, iso } from '../deliveries/deliveries.service.js';
import * as repo from './endpoints.repo.js';
import type { EndpointRow, EndpointScope } from './endpoints.repo.js';
import type { PayloadBuilders } from '../payloads/payloads.output.js';
import type { WebhookEndpoint, WebhookEndpointInput, WebhookEndpointPatch } from '../webhooks.schemas.js';
import { newSigningSecret } from '../webhooks.render.js';

export function endpointToWire(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    company_id: row.company_id,
    families: row.families,
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

const scopeOf = (principal: Principal): EndpointScope => ({ tenantId: principal.tenantId, companyId: principal.companyId });

export type WebhooksService = ReturnType<typeof createWebhooksService>;

export function createWebhooksService(deps: {
  db: Db;
  bus: EventBus;
  policy: AddressPolicy;
  builders: PayloadBuilders;
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

  type EndpointFacts = Pick<EndpointRow, 'tenant_id' | 'id' | 'company_id' | 'url' | 'families' | 'enabled'>;

  function record(
    tx: Tx,
    endpoint: EndpointFacts,
    what: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled' | 'secret_rotated' | 'replayed',
    payload: Record<string, unknown> = {},
  ) {
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

  const deliveries = createDeliveriesService({
    db,
    builders: deps.builders,
    queued,
    endpoints: { visible: visibleEndpoint, find: (principal, id) => repo.findEndpoint(db, scopeOf(principal), id) },
    record,
  });

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

    async list(principal: Principal, query: { enabled?: boolean; cursor?: string; limit?: number }) {
      const filters = { enabled: query.enabled ?? null };
      const page = await paginate({
        query,
        filters,
        fields: { enabled: cursorField.boolean },
        given: query.enabled === undefined ? {} : filters,
        fetch: ({ filters: f, after, limit }) => repo.listEndpoints(db, scopeOf(principal), { enabled: f.enabled ?? undefined, after, limit }),
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

    /** Endpoints switched off, by hand or after failing too long (the console's overview). */
    countDisabled: (tenantId: string) => repo.countDisabled(db, tenantId),

    ...deliveries,
  };
}
