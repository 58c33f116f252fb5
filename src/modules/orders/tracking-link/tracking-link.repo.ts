import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../../../platform/db/database.js';
import type { Actor } from '../../../platform/events/actor.js';
import type { StopStatus } from '../status/status.policy.js';
import type { PublicStop } from './tracking-link.policy.js';

/** Creates the order's link, or replaces its token (the old one stops working at once). */
export async function upsertLink(db: Executor, row: { tenant_id: string; order_id: string; token_hash: string; created_by: string | null; creator: Actor }) {
  const { creator, ...link } = row;
  const values = { ...link, created_by_type: creator.type, created_by_id: creator.id, created_by_name: creator.name };
  return db
    .insertInto('order_tracking_links')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'order_id']).doUpdateSet((eb) => ({
        token_hash: eb.ref('excluded.token_hash'),
        created_by: eb.ref('excluded.created_by'),
        created_by_type: eb.ref('excluded.created_by_type'),
        created_by_id: eb.ref('excluded.created_by_id'),
        created_by_name: eb.ref('excluded.created_by_name'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .returning(['created_at'])
    .executeTakeFirstOrThrow();
}

/** Deletes the order's link; answers whether there was one. */
export async function deleteLink(db: Executor, tenantId: string, orderId: string): Promise<boolean> {
  const result = await db.deleteFrom('order_tracking_links').where('tenant_id', '=', tenantId).where('order_id', '=', orderId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The order's link, without its token hash: when it was made and by whom. */
export async function findLink(db: Executor, tenantId: string, orderId: string) {
  return db
    .selectFrom('order_tracking_links')
    .select(['created_at', 'created_by_type', 'created_by_id', 'created_by_name'])
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

/** A delivery stop as the JSON array carries it: timestamps arrive as text (JSON has no dates). */
export interface DeliveryStopJson {
  status: StopStatus;
  location: PublicStop['location'];
  eta_start: string | null;
  eta_end: string | null;
  actual_start: string | null;
  updated_at: string;
}

/**
 * The order a token hash opens, with its delivery stops in visiting order and only what the
 * public answer may show. One statement, so the order and its stops come from one snapshot: a
 * status update committing in between cannot pair the old order with the new stops. It is the one
 * query not led by a tenant: the public caller knows only the token, and its 256-bit secret
 * (unique index on its hash) is what names the tenant.
 */
export async function findPublicTracking(db: Executor, tokenHash: string) {
  return db
    .selectFrom('order_tracking_links as l')
    .innerJoin('orders as o', (j) => j.onRef('o.tenant_id', '=', 'l.tenant_id').onRef('o.id', '=', 'l.order_id'))
    .select((eb) => [
      'o.status',
      'o.updated_at',
      jsonArrayFrom(
        eb
          .selectFrom('order_stops as s')
          .select(['s.status', 's.location', 's.eta_start', 's.eta_end', 's.actual_start', 's.updated_at'])
          .whereRef('s.tenant_id', '=', 'o.tenant_id')
          .whereRef('s.order_id', '=', 'o.id')
          .where('s.stop_type', '=', 'DELIVERY')
          .orderBy('s.sequence'),
      )
        .$castTo<DeliveryStopJson[]>()
        .as('deliveries'),
    ])
    .where('l.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
