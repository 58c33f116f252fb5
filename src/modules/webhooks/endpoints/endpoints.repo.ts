import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { WebhookEndpointTable } from '../webhooks.tables.js';
import '../webhooks.tables.js';

export type EndpointRow = Selectable<WebhookEndpointTable>;

/** Narrows a query to what the caller may see: the tenant's endpoints, or one company's. */
export interface EndpointScope {
  tenantId: string;
  companyId: string | null;
}

export async function insertEndpoint(db: Executor, row: Insertable<WebhookEndpointTable>): Promise<EndpointRow> {
  return db.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findEndpoint(db: Executor, scope: EndpointScope, id: string): Promise<EndpointRow | undefined> {
  let q = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', id);
  if (scope.companyId) q = q.where('company_id', '=', scope.companyId);
  return q.executeTakeFirst();
}

export async function listEndpoints(
  db: Executor,
  scope: EndpointScope,
  page: { enabled?: boolean; after?: { ts: Date; id: string }; limit: number },
): Promise<EndpointRow[]> {
  let q = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', scope.tenantId);
  if (scope.companyId) q = q.where('company_id', '=', scope.companyId);
  if (page.enabled !== undefined) q = q.where('enabled', '=', page.enabled);
  const after = page.after;
  if (after) {
    q = q.where((eb) => eb.or([eb('created_at', '>', after.ts), eb.and([eb('created_at', '=', after.ts), eb('id', '>', after.id)])]));
  }
  return q
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
}

export async function updateEndpoint(db: Executor, tenantId: string, id: string, changes: Updateable<WebhookEndpointTable>): Promise<EndpointRow> {
  return db
    .updateTable('webhook_endpoints')
    .set({ ...changes, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteEndpoint(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function enabledEndpoints(db: Executor, tenantId: string): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('enabled', '=', true).execute();
}

export async function endpointsByKeys(db: Executor, keys: Array<{ tenantId: string; id: string }>): Promise<EndpointRow[]> {
  if (!keys.length) return [];
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where((eb) =>
      eb(
        eb.refTuple('tenant_id', 'id'),
        'in',
        keys.map((k) => eb.tuple(k.tenantId, k.id)),
      ),
    )
    .execute();
}

/** Every tenant's endpoints in key order, a page at a time (maintenance across tenants). */
export async function endpointsAfter(db: Executor, after: { tenantId: string; id: string } | undefined, limit: number): Promise<EndpointRow[]> {
  let q = db.selectFrom('webhook_endpoints').selectAll();
  if (after) q = q.where((eb) => eb(eb.refTuple('tenant_id', 'id'), '>', eb.tuple(after.tenantId, after.id)));
  return q.orderBy('tenant_id').orderBy('id').limit(limit).execute();
}

export async function countDisabled(db: Executor, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('enabled', '=', false)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
