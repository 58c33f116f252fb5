import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { currentActor } from '../../../platform/events/actor.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { notFound } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import * as orders from '../orders.repo.js';
import type { OrderRow } from '../orders.repo.js';
import { scopeOf } from '../orders.policy.js';
import { publicTracking, type PublicTracking } from './tracking-link.policy.js';
import type { TrackingLinkState } from './tracking-link.schemas.js';
import * as repo from './tracking-link.repo.js';

/** A token is 256 random bits in base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Only the token's SHA-256 is stored: a fast hash is enough for a secret nobody can guess, and a
 * copy of the database opens no link.
 */
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface CreatedTrackingLink {
  token: string;
  url: string;
  created_at: string;
}

export type TrackingLinks = ReturnType<typeof createTrackingLinks>;

/**
 * The public tracking link of an order: made and revoked by the tenant or the order's own
 * customer, read by anyone holding the token. One live link per order; a new one replaces it.
 */
export function createTrackingLinks(deps: { db: Db; bus: EventBus; publicBaseUrl: string }) {
  const { db, bus } = deps;

  /** The order under lock, if this caller may manage its link; 404 otherwise (a subcontractor never may). */
  async function lockOrder(tx: Tx, principal: Principal, orderId: string): Promise<OrderRow> {
    const order = await orders.findOrder(tx.trx, principal.tenantId, orderId, scopeOf(principal), true);
    if (!order) throw notFound('Order');
    return order;
  }

  const event = (type: 'order.tracking_link_created' | 'order.tracking_link_revoked', order: OrderRow) => ({
    tenantId: order.tenant_id,
    type,
    entityType: 'order',
    entityId: order.id,
    companyIds: [order.customer_company_id],
    payload: { order_id: order.id, order_name: order.name },
  });

  return {
    async create(principal: Principal, orderId: string): Promise<CreatedTrackingLink> {
      const token = randomBytes(32).toString('base64url');
      return inTransaction(db, async (tx) => {
        const order = await lockOrder(tx, principal, orderId);
        const row = await repo.upsertLink(tx.trx, {
          tenant_id: order.tenant_id,
          order_id: order.id,
          token_hash: hashOf(token),
          created_by: principal.apiClientId,
          // The request's actor, as its event names it; outside a request (none today) the client.
          creator: currentActor() ?? { type: 'api_client', id: principal.apiClientId, name: principal.name ?? principal.clientId },
        });
        await appendEvent(tx, bus, event('order.tracking_link_created', order));
        // In the fragment, like invite links: the token never reaches a server's access log or a Referer.
        return { token, url: `${deps.publicBaseUrl}/app/track#${token}`, created_at: row.created_at.toISOString() };
      });
    },

    async revoke(principal: Principal, orderId: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        const order = await lockOrder(tx, principal, orderId);
        if (!(await repo.deleteLink(tx.trx, order.tenant_id, order.id))) throw notFound('Tracking link');
        await appendEvent(tx, bus, event('order.tracking_link_revoked', order));
      });
    },

    /** Whether the order has a link, since when and by whom; never its token. 404 when the caller may not see the order. */
    async state(principal: Principal, orderId: string): Promise<TrackingLinkState> {
      const order = await orders.findOrder(db, principal.tenantId, orderId, scopeOf(principal));
      if (!order) throw notFound('Order');
      const link = await repo.findLink(db, order.tenant_id, order.id);
      if (!link) return { exists: false, created_at: null, created_by: null };
      const { created_by_type: type, created_by_id: id, created_by_name: name } = link;
      return { exists: true, created_at: link.created_at.toISOString(), created_by: type && id ? { type, id, name: name ?? '' } : null };
    },

    /** The public answer for a token; 404 alike for a malformed, unknown or revoked one. */
    async read(token: string): Promise<PublicTracking> {
      const found = TOKEN.test(token) ? await repo.findPublicTracking(db, hashOf(token)) : undefined;
      if (!found) throw notFound('Tracking link');
      const date = (text: string | null) => (text === null ? null : new Date(text));
      const deliveries = found.deliveries.map((s) => ({
        ...s,
        eta_start: date(s.eta_start),
        eta_end: date(s.eta_end),
        actual_start: date(s.actual_start),
        updated_at: new Date(s.updated_at),
      }));
      return publicTracking(found, deliveries);
    },
  };
}
