import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { drawChangeTime } from '../../../platform/db/change-clock.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, detail, notFound } from '../../../platform/http/errors.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import { windowOf, windowPaging } from './unavailability.input.js';
import type { Principal } from '../../../platform/http/principal.js';
import { appendMasterDataEvent, type MasterDataOperation } from '../../events/index.js';
import type { ResourcesService } from '../resources.service.js';
import type { VariantKey } from '../resources.mapping.js';
import * as repo from './unavailability.repo.js';
import type { UnavailabilityRow } from './unavailability.repo.js';
import type { ResourceUnavailabilityInput, ResourceUnavailabilityOutput } from './unavailability.schemas.js';

export type UnavailabilityService = ReturnType<typeof createUnavailabilityService>;

const CLOCK = 'unavailability_clock';

export function unavailabilityOutput(row: UnavailabilityRow): ResourceUnavailabilityOutput {
  return {
    id: row.id,
    start_time: row.start_time.toISOString(),
    end_time: row.end_time?.toISOString() ?? null,
    reason: row.reason,
    description: row.description,
    external_id: row.external_id,
    resource_id: row.resource_id,
    timestamp_updated: row.updated_at.toISOString(),
  };
}

/** Driver reasons fit drivers, vehicle reasons everything else; subcontractor reasons fit any resource. */
function checkReason(variant: VariantKey, reason: string) {
  const fits = reason.startsWith('SUBCONTRACTOR_') || (variant === 'driver' ? reason.startsWith('DRIVER_') : reason.startsWith('VEHICLE_'));
  if (!fits) throw badRequest(`${reason} is not a reason for a ${variant}`, [detail(`not a reason for a ${variant}`, 'reason', 'body.reason')]);
}

/** The columns a period is written with. */
export type PeriodValues = Pick<UnavailabilityRow, 'start_time' | 'end_time' | 'reason' | 'description' | 'external_id'>;

function period(input: ResourceUnavailabilityInput): PeriodValues {
  const start = new Date(input.start_time);
  const end = input.end_time ? new Date(input.end_time) : null;
  if (end && end <= start) throw badRequest('end_time must be after start_time', [detail('end_time must be after start_time', 'end_time', 'body.end_time')]);
  return { start_time: start, end_time: end, reason: input.reason, description: input.description ?? null, external_id: input.external_id ?? null };
}

/**
 * Periods a resource cannot be planned. Deleting keeps the row as a tombstone (`deleted_at`), so
 * the tenant-wide change feed can tell a syncing system what to remove; the contract's
 * endpoints never show deleted periods.
 */
export function createUnavailabilityService(deps: { db: Db; bus: EventBus; resources: ResourcesService }) {
  const { db, bus, resources } = deps;

  async function announce(tx: Tx, principal: Principal, operation: MasterDataOperation, row: UnavailabilityRow) {
    await appendMasterDataEvent(tx, bus, {
      tenantId: row.tenant_id,
      entity: 'unavailability',
      operation,
      id: row.id,
      keys: { external_id: row.external_id, resource_id: row.resource_id },
      version: row.version,
      record: unavailabilityOutput(row),
      origin: principal,
    });
  }

  /** A new period, inside the caller's transaction: a fresh change time, the row, the event. */
  async function insertInTx(tx: Tx, principal: Principal, resourceId: string, values: PeriodValues): Promise<UnavailabilityRow> {
    const tenantId = principal.tenantId;
    const updatedAt = await drawChangeTime(tx.trx, tenantId, CLOCK);
    const created = await repo.insertUnavailability(tx.trx, {
      tenant_id: tenantId,
      id: randomUUID(),
      resource_id: resourceId,
      ...values,
      deleted_at: null,
      updated_at: updatedAt,
    });
    await announce(tx, principal, 'created', created);
    return created;
  }

  /**
   * PUT and DELETE inside the caller's transaction: the live period, locked; a fresh change time;
   * the new values; the event. Undefined when the period is unknown or already deleted.
   */
  async function changeInTx(tx: Tx, principal: Principal, resourceId: string, id: string, operation: MasterDataOperation, values: Partial<UnavailabilityRow>) {
    const tenantId = principal.tenantId;
    if (!(await repo.findUnavailability(tx.trx, tenantId, resourceId, id, true))) return undefined;
    const updatedAt = await drawChangeTime(tx.trx, tenantId, CLOCK);
    const row = await repo.updateUnavailability(tx.trx, tenantId, id, { ...values, updated_at: updatedAt });
    await announce(tx, principal, operation, row);
    return row;
  }

  async function change(principal: Principal, resourceId: string, id: string, operation: MasterDataOperation, values: Partial<UnavailabilityRow>) {
    const row = await inTransaction(db, (tx) => changeInTx(tx, principal, resourceId, id, operation, values));
    if (!row) throw notFound('Unavailability');
    return row;
  }

  return {
    insertInTx,
    changeInTx,

    async create(principal: Principal, resourceId: string, input: ResourceUnavailabilityInput) {
      const tenantId = principal.tenantId;
      checkReason(await resources.variantOf(tenantId, resourceId), input.reason);
      const values = period(input);
      const row = await inTransaction(db, (tx) => insertInTx(tx, principal, resourceId, values));
      return unavailabilityOutput(row);
    },

    async get(principal: Principal, resourceId: string, id: string) {
      const row = await repo.findUnavailability(db, principal.tenantId, resourceId, id);
      if (!row) throw notFound('Unavailability');
      return unavailabilityOutput(row);
    },

    async replace(principal: Principal, resourceId: string, id: string, input: ResourceUnavailabilityInput) {
      checkReason(await resources.variantOf(principal.tenantId, resourceId), input.reason);
      return unavailabilityOutput(await change(principal, resourceId, id, 'updated', period(input)));
    },

    /** DELETE: irreversible for the contract's endpoints; the feed keeps a tombstone. */
    async remove(principal: Principal, resourceId: string, id: string): Promise<void> {
      await change(principal, resourceId, id, 'deleted', { deleted_at: new Date() });
    },

    async listForResource(principal: Principal, resourceId: string, query: { start_time?: string; end_time?: string; cursor?: string; limit?: number }) {
      await resources.variantOf(principal.tenantId, resourceId);
      const page = await paginate({
        query,
        ...windowPaging(query),
        fetch: ({ filters: f, after, limit }) => repo.listForResource(db, { tenantId: principal.tenantId, resourceId, ...windowOf(f), after, limit }),
        key: (r) => ({ ts: r.start_time, id: r.id }),
      });
      return { items: page.rows.map(unavailabilityOutput), next_cursor: page.next_cursor };
    },

    /** The tenant-wide change feed: every period changed after `updated_after`, deletions as tombstones. */
    async changes(principal: Principal, query: { updated_after?: string; cursor?: string; limit?: number }) {
      const page = await paginate({
        query,
        filters: { updated_after: query.updated_after },
        fields: { updated_after: cursorField.dateTime },
        fetch: ({ filters, after, limit }) =>
          repo.listChanges(db, {
            tenantId: principal.tenantId,
            updatedAfter: filters.updated_after ? new Date(filters.updated_after) : undefined,
            after,
            limit,
          }),
        key: (r) => ({ ts: r.updated_at, id: r.id }),
      });
      return {
        items: page.rows.map((r) => ({ ...unavailabilityOutput(r), deleted: r.deleted_at !== null, version: r.version })),
        next_cursor: page.next_cursor,
      };
    },
  };
}
