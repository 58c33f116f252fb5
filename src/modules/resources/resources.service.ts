import { randomUUID } from 'node:crypto';
import { mustGet } from '../../platform/narrow.js';
import type { Insertable } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';
import { stampChangeTime, UNSTAMPED } from '../../platform/db/change-clock.js';
import { inTransaction, type Tx } from '../../platform/db/tx.js';
import type { EventBus } from '../../platform/events/bus.js';
import { checkIfMatch, type Versioned } from '../../platform/http/etag.js';
import { AppError, badRequest, conflict, detail, notFound, type ErrorDetail } from '../../platform/http/errors.js';
import { cursorField, paginate } from '../../platform/http/pagination.js';
import type { Principal } from '../../platform/http/principal.js';
import type { CompaniesService } from '../companies/index.js';
import { appendMasterDataEvent, type MasterDataOperation } from '../events/index.js';
import { detailsOf, patchDetails, patchProperties, variantOf } from './resources.input.js';
import { resourceOutput, type ResourceDetails } from './resources.output.js';
import * as repo from './resources.repo.js';
import type { ResourceRow } from './resources.repo.js';
import type { ResourceTable } from './resources.tables.js';
import type { PartialResourceInput, ResourceGroupInput, ResourceInput, ResourceListQuery, ResourceOutput } from './resources.schemas.js';
import { normalizeProperties, VARIANTS, variantKeyOf, type VariantKey } from './resources.mapping.js';

export type ResourcesService = ReturnType<typeof createResourcesService>;

/** The per-tenant clock whose times order resources for `updated_after` paging. */
const CLOCK = 'resources_clock';
const MAX_IN_LIST = 100;

interface ResourceListFilters {
  updated_after?: string;
  external_id?: string;
  'external_id:in'?: string;
  resource_type?: string;
  'resource_type:in'?: string;
  q?: string;
}

/** The list's filters (from the query or its cursor) as the repository's, refusing lists too long or types unknown. */
function resourceFilters(f: ResourceListFilters) {
  const externalIds = [f.external_id, ...(f['external_id:in']?.split(',') ?? [])].filter((v): v is string => Boolean(v));
  const types = [f.resource_type, ...(f['resource_type:in']?.split(',') ?? [])].filter((v): v is string => Boolean(v));
  if (externalIds.length > MAX_IN_LIST)
    throw badRequest(`external_id:in takes at most ${MAX_IN_LIST} values`, [detail('too many values', 'external_id:in', 'querystring.external_id:in')]);
  const unknownType = types.find((t) => !/^[A-Z_]{1,20}$/.test(t));
  if (unknownType)
    throw badRequest(`Unknown resource_type ${unknownType}`, [detail('unknown ResourceTypeEnum value', 'resource_type:in', 'querystring.resource_type:in')]);
  return {
    updatedAfter: f.updated_after ? new Date(f.updated_after) : undefined,
    externalIds: f.external_id !== undefined || f['external_id:in'] !== undefined ? externalIds : undefined,
    types: types.length ? types : undefined,
    search: f.q,
  };
}

function checkExternalIdFree(externalId: string, taken: boolean) {
  if (taken)
    throw conflict(`A resource with external_id "${externalId}" already exists`, [detail('external_id must be unique', 'external_id', 'body.external_id')]);
}

/** The answer for one record of a bulk create: the resource, or why it was refused. */
export type BulkResult =
  { index: number; status: 200; record: ResourceOutput } | { index: number; status: number; error: { message: string; errors: ErrorDetail[] } };

/** What other modules learn about a resource they are about to use. */
export interface ActiveResource {
  id: string;
  resourceType: ResourceRow['resource_type'];
  name: string;
  externalId: string | null;
  code: string | null;
  subcontractorId: string | null;
}

const activeOf = (row: ResourceRow): ActiveResource => ({
  id: row.id,
  resourceType: row.resource_type,
  name: row.name,
  externalId: row.external_id,
  code: row.code,
  subcontractorId: row.subcontractor_id,
});

/** New column values for a resource; the two JSON documents are replaced whole when present. */
type ResourceChange = Partial<Omit<ResourceRow, 'properties' | 'details'>> & { properties?: Record<string, unknown>; details?: ResourceDetails };

export function createResourcesService(deps: { db: Db; bus: EventBus; companies: CompaniesService }) {
  const { db, bus, companies } = deps;

  async function output(ex: Executor, row: ResourceRow): Promise<Versioned<ResourceOutput>> {
    const groups = await repo.groupsOf(ex, row.tenant_id, [row.id]);
    return { record: resourceOutput(row, groups.get(row.id) ?? []), version: row.version };
  }

  /** A subcontractor reference must name a subcontractor company of the tenant. */
  async function checkSubcontractor(tenantId: string, ref: { row_id: string } | null | undefined): Promise<string | null> {
    if (!ref) return null;
    const company = await companies.findById(tenantId, ref.row_id);
    if (!company?.is_subcontractor) {
      throw badRequest('subcontractor.row_id does not name a subcontractor company of this tenant', [
        detail('unknown subcontractor', 'row_id', 'body.subcontractor.row_id'),
      ]);
    }
    return company.id;
  }

  async function checkExternalId(ex: Executor, tenantId: string, externalId: string | null | undefined, selfId?: string) {
    if (!externalId) return;
    const holder = await repo.findByExternalId(ex, tenantId, externalId);
    checkExternalIdFree(externalId, Boolean(holder && holder.id !== selfId));
  }

  /** The row a create inserts, once its variant and subcontractor are checked; its change time is drawn with its event. */
  async function newRow(tenantId: string, input: ResourceInput): Promise<Insertable<ResourceTable>> {
    const key = variantOf(input);
    return {
      tenant_id: tenantId,
      id: randomUUID(),
      resource_type: VARIANTS[key],
      name: input.name,
      external_id: input.external_id ?? null,
      code: input.code ?? null,
      subcontractor_id: await checkSubcontractor(tenantId, input.subcontractor),
      properties: JSON.stringify(normalizeProperties(input[key] ?? {})),
      details: JSON.stringify(detailsOf(input)),
      updated_at: UNSTAMPED,
    };
  }

  /**
   * The change's event, which also draws the resource's change time (see stampChangeTime): the
   * tenant's writers queue on that clock, and bulk syncs send resources by the thousand, so the
   * clock is held for this one statement and COMMIT only. `row` was written with `UNSTAMPED`.
   */
  async function announce(tx: Tx, principal: Principal | undefined, operation: MasterDataOperation, row: ResourceRow): Promise<Versioned<ResourceOutput>> {
    // A resource just created belongs to no group yet: no need to look.
    const draft = operation === 'created' ? resourceOutput(row, []) : (await output(tx.trx, row)).record;
    const event = await appendMasterDataEvent(
      tx,
      bus,
      {
        tenantId: row.tenant_id,
        entity: 'resource',
        operation,
        id: row.id,
        keys: { external_id: row.external_id },
        version: row.version,
        record: draft,
        companyIds: row.subcontractor_id ? [row.subcontractor_id] : [],
        origin: principal,
      },
      stampChangeTime({ tenantId: row.tenant_id, clock: CLOCK, table: 'resources', id: row.id, record: draft, field: 'timestamp_updated' }),
    );
    const stamped = (event.payload.record as Pick<ResourceOutput, 'timestamp_updated'>).timestamp_updated;
    return { record: { ...draft, timestamp_updated: stamped }, version: row.version };
  }

  /** PUT, PATCH and DELETE: lock, check If-Match, compute the new row from the locked one, write, announce. */
  async function change(
    principal: Principal,
    id: string,
    ifMatch: string | undefined,
    operation: MasterDataOperation,
    next: (current: ResourceRow, tx: Tx) => Promise<ResourceChange>,
  ): Promise<Versioned<ResourceOutput>> {
    const tenantId = principal.tenantId;
    return inTransaction(db, async (tx) => {
      const current = await repo.lockResource(tx.trx, tenantId, id);
      if (!current) throw notFound('Resource');
      checkIfMatch(ifMatch, current.version);
      const values = await next(current, tx);
      const { properties, details, ...columns } = values;
      const row = await repo.updateResource(tx.trx, tenantId, id, {
        ...columns,
        ...(properties ? { properties: JSON.stringify(properties) } : {}),
        ...(details ? { details: JSON.stringify(details) } : {}),
        updated_at: UNSTAMPED,
      });
      return announce(tx, principal, operation, row);
    });
  }

  return {
    async create(principal: Principal, input: ResourceInput): Promise<Versioned<ResourceOutput>> {
      const tenantId = principal.tenantId;
      const row = await newRow(tenantId, input);
      await checkExternalId(db, tenantId, input.external_id);
      return inTransaction(db, async (tx) => announce(tx, principal, 'created', await repo.insertResource(tx.trx, row)));
    },

    /**
     * Up to BULK_MAX resources in one transaction (Waybill's bulk endpoint). Each record is checked
     * on its own and answered in `results` at its index: refused ones (400, or 409 for an
     * external_id taken before or earlier in the batch) do not stop the others.
     */
    async createMany(principal: Principal, inputs: ResourceInput[]): Promise<BulkResult[]> {
      const tenantId = principal.tenantId;
      const wanted = inputs.map((i) => i.external_id).filter((id): id is string => Boolean(id));
      const taken = new Set((await repo.findByExternalIds(db, tenantId, wanted)).map((r) => r.external_id));
      const results: BulkResult[] = [];
      const rows: Array<{ index: number; row: Insertable<ResourceTable> }> = [];
      for (const [index, input] of inputs.entries()) {
        try {
          const row = await newRow(tenantId, input);
          if (input.external_id && taken.has(input.external_id)) checkExternalIdFree(input.external_id, true);
          if (input.external_id) taken.add(input.external_id);
          rows.push({ index, row });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results[index] = { index, status: err.statusCode, error: { message: err.message, errors: err.errors } };
        }
      }
      await inTransaction(db, async (tx) => {
        const inserted = await repo.insertResources(
          tx.trx,
          rows.map((r) => r.row),
        );
        for (const [i, row] of inserted.entries()) {
          const index = (rows[i] as { index: number }).index;
          results[index] = { index, status: 200, record: (await announce(tx, principal, 'created', row)).record };
        }
      });
      return results;
    },

    async get(principal: Principal, id: string): Promise<Versioned<ResourceOutput>> {
      const row = await repo.findResource(db, principal.tenantId, id);
      if (!row) throw notFound('Resource');
      return output(db, row);
    },

    async replace(principal: Principal, id: string, input: ResourceInput, ifMatch?: string) {
      const subcontractorId = await checkSubcontractor(principal.tenantId, input.subcontractor);
      return change(principal, id, ifMatch, 'updated', async (current, tx) => {
        const key = variantOf(input, variantKeyOf(current.resource_type));
        await checkExternalId(tx.trx, principal.tenantId, input.external_id, id);
        return {
          name: input.name,
          external_id: input.external_id ?? null,
          code: input.code ?? null,
          subcontractor_id: subcontractorId,
          properties: normalizeProperties(input[key] ?? {}),
          details: detailsOf(input),
        };
      });
    },

    async patch(principal: Principal, id: string, input: PartialResourceInput, ifMatch?: string) {
      const tenantId = principal.tenantId;
      const subcontractorId = input.subcontractor === undefined ? undefined : await checkSubcontractor(tenantId, input.subcontractor);
      return change(principal, id, ifMatch, 'updated', async (current, tx) => {
        const key = variantOf(input, variantKeyOf(current.resource_type));
        if (input.external_id !== undefined) await checkExternalId(tx.trx, tenantId, input.external_id, id);
        if (input.resource_group !== undefined) {
          const groupId = input.resource_group?.id ?? null;
          if (groupId && !(await repo.findLiveGroup(tx.trx, tenantId, groupId))) {
            throw badRequest('resource_group.id does not name a resource group of this tenant', [detail('unknown group', 'id', 'body.resource_group.id')]);
          }
          await repo.setGroup(tx.trx, tenantId, id, groupId);
        }
        if (input.name === null) throw badRequest('name cannot be cleared', [detail('name cannot be cleared', 'name', 'body.name')]);
        return {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.external_id !== undefined ? { external_id: input.external_id } : {}),
          ...(input.code !== undefined ? { code: input.code } : {}),
          ...(subcontractorId !== undefined ? { subcontractor_id: subcontractorId } : {}),
          ...(input.is_active !== undefined ? { is_active: input.is_active } : {}),
          properties: patchProperties(current.properties, input[key]),
          details: patchDetails(current.details, input),
        };
      });
    },

    /** DELETE: archives (is_active false). An archived resource cannot be put on a trip (see requireActiveResources). */
    archive(principal: Principal, id: string, ifMatch?: string) {
      return change(principal, id, ifMatch, 'archived', async () => ({ is_active: false }));
    },

    async list(principal: Principal, query: ResourceListQuery) {
      const page = await paginate({
        query,
        filters: {
          updated_after: query.updated_after,
          external_id: query.external_id,
          'external_id:in': query['external_id:in'],
          resource_type: query.resource_type,
          'resource_type:in': query['resource_type:in'],
          q: query.q,
        },
        fields: {
          updated_after: cursorField.dateTime,
          external_id: cursorField.text(255),
          'external_id:in': cursorField.text(4000),
          resource_type: cursorField.text(50),
          'resource_type:in': cursorField.text(4000),
          q: cursorField.text(100),
        },
        fetch: ({ filters, after, limit }) => repo.listResources(db, { tenantId: principal.tenantId, ...resourceFilters(filters), after, limit }),
        key: (r) => ({ ts: r.updated_at, id: r.id }),
      });
      const groups = await repo.groupsOf(
        db,
        principal.tenantId,
        page.rows.map((r) => r.id),
      );
      return { items: page.rows.map((r) => resourceOutput(r, groups.get(r.id) ?? [])), next_cursor: page.next_cursor };
    },

    async listGroups(principal: Principal, query: { cursor?: string; limit?: number }) {
      const page = await paginate({
        query,
        filters: {},
        fields: {},
        fetch: ({ after, limit }) => repo.listGroups(db, principal.tenantId, { after, limit }),
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
      return { items: page.rows.map((g) => ({ id: g.id, name: g.name, code: g.code })), next_cursor: page.next_cursor };
    },

    async createGroup(principal: Principal, input: ResourceGroupInput) {
      const group = await repo.insertGroup(db, { tenant_id: principal.tenantId, id: randomUUID(), name: input.name, code: input.code ?? null });
      return { id: group.id, name: group.name, code: group.code };
    },

    /** The resource's variant, for rules that depend on it (unavailability reasons); 404 when it is not the tenant's. */
    async variantOf(tenantId: string, id: string): Promise<VariantKey> {
      const row = await repo.findResource(db, tenantId, id);
      if (!row) throw notFound('Resource');
      return variantKeyOf(row.resource_type) as VariantKey;
    },

    /** For tracking: the one active resource a telematics report names, `undefined` for none, 'AMBIGUOUS' for several. */
    async matchResource(tenantId: string, match: repo.ResourceMatch): Promise<ActiveResource | undefined | 'AMBIGUOUS'> {
      const rows = await repo.matchResources(db, tenantId, match);
      if (rows.length > 1) return 'AMBIGUOUS';
      const row = rows[0];
      return row && activeOf(row);
    },

    /**
     * For other modules (trips): the resources, in the order asked, when every id names an active
     * resource of the tenant; otherwise a 400 naming each id that is unknown or archived.
     */
    async requireActiveResources(tenantId: string, ids: string[]): Promise<ActiveResource[]> {
      const rows = new Map((await repo.findResources(db, tenantId, [...new Set(ids)])).map((r) => [r.id, r]));
      const errors: ErrorDetail[] = [];
      ids.forEach((id, i) => {
        const row = rows.get(id);
        if (!row) errors.push(detail(`no resource ${id}`, 'resource_id', `resources.${i}`));
        else if (!row.is_active) errors.push(detail(`resource ${id} is archived`, 'resource_id', `resources.${i}`));
      });
      if (errors.length) throw badRequest(errors[0]?.message ?? 'unusable resource', errors);
      return ids.map((id) => activeOf(mustGet(rows, id)));
    },
  };
}
