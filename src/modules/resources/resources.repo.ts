import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { mustGet } from '../../platform/narrow.js';
import type { Executor } from '../../platform/db/database.js';
import { keysetPage } from '../../platform/db/keyset.js';
import { containsText } from '../../platform/db/search.js';
import { isUuid } from '../../platform/http/schemas.js';
import type { ResourceGroupTable, ResourceTable } from './resources.tables.js';
import './resources.tables.js';

export type ResourceRow = Selectable<ResourceTable>;
export type ResourceGroupRow = Selectable<ResourceGroupTable>;

export async function insertResource(db: Executor, row: Insertable<ResourceTable>): Promise<ResourceRow> {
  return db.insertInto('resources').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Many rows in one statement, answered in the order given. */
export async function insertResources(db: Executor, rows: Insertable<ResourceTable>[]): Promise<ResourceRow[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('resources').values(rows).returningAll().execute();
  const byId = new Map(inserted.map((r) => [r.id, r]));
  return rows.map((r) => mustGet(byId, r.id));
}

export async function findResource(db: Executor, tenantId: string, id: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('resources').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** The row, locked until the transaction ends, for a read-check-write. */
export async function lockResource(db: Executor, tenantId: string, id: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('resources').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findResources(db: Executor, tenantId: string, ids: string[]): Promise<ResourceRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('resources').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
}

/** What a telematics report says about a resource: each list given holds the values accepted for that field. */
export interface ResourceMatch {
  types: readonly string[];
  names?: readonly string[];
  /** The resource's id, external id or code. */
  genericIds?: readonly string[];
  externalIds?: readonly string[];
}

/** Active resources meeting every criterion of `m`; at most `limit` (two tell "one" from "several"). */
export async function matchResources(db: Executor, tenantId: string, m: ResourceMatch, limit = 2): Promise<ResourceRow[]> {
  let q = db
    .selectFrom('resources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('is_active', '=', true)
    .where('resource_type', 'in', [...m.types] as ResourceRow['resource_type'][]);
  if (m.names) q = q.where('name', 'in', [...m.names]);
  if (m.externalIds) q = q.where('external_id', 'in', [...m.externalIds]);
  const generic = m.genericIds;
  if (generic) {
    const uuids = generic.filter(isUuid);
    q = q.where((eb) => eb.or([eb('external_id', 'in', [...generic]), eb('code', 'in', [...generic]), ...(uuids.length ? [eb('id', 'in', uuids)] : [])]));
  }
  return q.orderBy('id').limit(limit).execute();
}

export async function findByExternalIds(db: Executor, tenantId: string, externalIds: string[]): Promise<ResourceRow[]> {
  if (!externalIds.length) return [];
  return db.selectFrom('resources').selectAll().where('tenant_id', '=', tenantId).where('external_id', 'in', externalIds).execute();
}

export async function findByExternalId(db: Executor, tenantId: string, externalId: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('resources').selectAll().where('tenant_id', '=', tenantId).where('external_id', '=', externalId).executeTakeFirst();
}

/** Writes new values and moves the version on by one. */
export async function updateResource(db: Executor, tenantId: string, id: string, values: Updateable<ResourceTable>): Promise<ResourceRow> {
  return db
    .updateTable('resources')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ResourceListFilter {
  tenantId: string;
  updatedAfter?: Date;
  externalIds?: string[];
  types?: string[];
  /** Name, code, external id or licence plate containing this, ignoring case. */
  search?: string;
  after?: { ts: Date; id: string };
  limit: number;
}

export async function listResources(db: Executor, f: ResourceListFilter): Promise<ResourceRow[]> {
  let q = db.selectFrom('resources').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.updatedAfter) q = q.where('updated_at', '>', f.updatedAfter);
  if (f.externalIds) q = q.where('external_id', 'in', f.externalIds);
  if (f.types) q = q.where('resource_type', 'in', f.types as ResourceRow['resource_type'][]);
  if (f.search) q = q.where(containsText([sql.ref('name'), sql.ref('code'), sql.ref('external_id'), sql`properties->>'license_plate'`], f.search));
  return keysetPage(q, 'updated_at', f);
}

/** The live groups of each resource, sorted by name. */
export async function groupsOf(db: Executor, tenantId: string, resourceIds: string[]): Promise<Map<string, ResourceGroupRow[]>> {
  const byResource = new Map<string, ResourceGroupRow[]>();
  if (!resourceIds.length) return byResource;
  const rows = await db
    .selectFrom('resource_group_members as m')
    .innerJoin('resource_groups as g', (join) => join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.group_id'))
    .selectAll('g')
    .select('m.resource_id')
    .where('m.tenant_id', '=', tenantId)
    .where('m.resource_id', 'in', resourceIds)
    .where('g.archived', '=', false)
    .orderBy('g.name')
    .orderBy('g.id')
    .execute();
  for (const { resource_id, ...group } of rows) byResource.set(resource_id, [...(byResource.get(resource_id) ?? []), group]);
  return byResource;
}

/** Allocates the resource to one group (or to none with null), replacing its allocation. */
export async function setGroup(db: Executor, tenantId: string, resourceId: string, groupId: string | null): Promise<void> {
  await db.deleteFrom('resource_group_members').where('tenant_id', '=', tenantId).where('resource_id', '=', resourceId).execute();
  if (groupId) await db.insertInto('resource_group_members').values({ tenant_id: tenantId, resource_id: resourceId, group_id: groupId }).execute();
}

export async function findLiveGroup(db: Executor, tenantId: string, id: string): Promise<ResourceGroupRow | undefined> {
  return db.selectFrom('resource_groups').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).where('archived', '=', false).executeTakeFirst();
}

export async function insertGroup(db: Executor, row: Insertable<ResourceGroupTable>): Promise<ResourceGroupRow> {
  return db.insertInto('resource_groups').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listGroups(db: Executor, tenantId: string, page: { after?: { ts: Date; id: string }; limit: number }): Promise<ResourceGroupRow[]> {
  const q = db.selectFrom('resource_groups').selectAll().where('tenant_id', '=', tenantId).where('archived', '=', false);
  return keysetPage(q, 'created_at', page);
}
