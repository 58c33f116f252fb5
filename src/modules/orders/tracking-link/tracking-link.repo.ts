import type { Executor } from '../../../platform/db/database.js';

/** Creates the order's link, or replaces its token (the old one stops working at once). */
export async function upsertLink(db: Executor, row: { tenant_id: string; order_id: string; token_hash: string; created_by: string | null }) {
  return db
    .insertInto('order_tracking_links')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'order_id']).doUpdateSet((eb) => ({
        token_hash: eb.ref('excluded.token_hash'),
        created_by: eb.ref('excluded.created_by'),
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

/**
 * The order a token hash opens. The one query not led by a tenant: the public caller knows only
 * the token, and its 256-bit secret (unique index on its hash) is what names the tenant.
 */
export async function findLinkedOrder(db: Executor, tokenHash: string) {
  return db
    .selectFrom('order_tracking_links as l')
    .innerJoin('orders as o', (j) => j.onRef('o.tenant_id', '=', 'l.tenant_id').onRef('o.id', '=', 'l.order_id'))
    .select(['o.tenant_id', 'o.id', 'o.status', 'o.updated_at'])
    .where('l.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** The order's delivery stops in visiting order, with only what the public answer may show. */
export async function deliveryStops(db: Executor, tenantId: string, orderId: string) {
  return db
    .selectFrom('order_stops')
    .select(['status', 'location', 'eta_start', 'eta_end', 'actual_start', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('stop_type', '=', 'DELIVERY')
    .orderBy('sequence')
    .execute();
}
