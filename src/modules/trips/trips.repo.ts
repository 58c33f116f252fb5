import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { drawCounter } from '../../platform/db/counters.js';
import type { Executor } from '../../platform/db/database.js';
import type { TripStatus, TripStopTable, TripTable, UnmatchedState, UnmatchedUpdateTable } from './trips.tables.js';
import './trips.tables.js';

export type TripRow = Selectable<TripTable>;
export type TripStopRow = Selectable<TripStopTable>;

/** Which trips a caller may see: all of the tenant's, or those dispatched to one subcontractor. */
export type TripScope = { kind: 'tenant' } | { kind: 'subcontractor'; companyId: string } | { kind: 'none' };

/** The next trip number of the tenant; the counter row stays locked until COMMIT, so names are gap-free. */
export async function drawTripNumber(exec: Executor, tenantId: string): Promise<number> {
  const { rows } = await sql<{ value: number | string }>`with drawn as (${drawCounter(tenantId, 'trip_name')}) select value from drawn`.execute(exec);
  return Number(rows[0]?.value);
}

export async function insertTrip(exec: Executor, row: Insertable<TripTable>): Promise<TripRow> {
  return exec.insertInto('trips').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTrip(exec: Executor, tenantId: string, id: string, scope: TripScope, forUpdate = false): Promise<TripRow | undefined> {
  if (scope.kind === 'none') return undefined;
  let q = exec.selectFrom('trips').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (scope.kind === 'subcontractor') q = q.where('subcontractor_company_id', '=', scope.companyId);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** The trip an external planner imported under this key, cancelled or not. */
export async function findTripByExternalIdentifier(exec: Executor, tenantId: string, key: string): Promise<TripRow | undefined> {
  return exec.selectFrom('trips').selectAll().where('tenant_id', '=', tenantId).where('external_identifier', '=', key).executeTakeFirst();
}

/** Changes a trip and bumps its version (the ETag planners send back in If-Match). */
export async function updateTrip(exec: Executor, tenantId: string, id: string, set: Updateable<TripTable>): Promise<TripRow> {
  return exec
    .updateTable('trips')
    .set({ ...set, version: sql<number>`version + 1`, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The operation of the last CREATE or UPDATE dispatch message about a trip (what an answer answers). */
export async function lastDispatchOperation(exec: Executor, tenantId: string, tripId: string): Promise<'CREATE' | 'UPDATE' | undefined> {
  const row = await exec
    .selectFrom('events')
    .select('type')
    .where('tenant_id', '=', tenantId)
    .where('entity_type', '=', 'trip')
    .where('entity_id', '=', tripId)
    .where('type', 'in', ['trip.dispatch_created', 'trip.dispatch_updated'])
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return row.type === 'trip.dispatch_updated' ? 'UPDATE' : 'CREATE';
}

/** A trip's stops in planned sequence (the active ones, or all of a cancelled trip). */
export async function tripStops(exec: Executor, tenantId: string, tripId: string): Promise<TripStopRow[]> {
  return exec.selectFrom('trip_stops').selectAll().where('tenant_id', '=', tenantId).where('trip_id', '=', tripId).orderBy('sequence').execute();
}

/** Replaces a trip's stop list; the unique index on active stops refuses a stop planned on another trip. */
export async function replaceTripStops(exec: Executor, tenantId: string, tripId: string, stops: Array<{ stop_id: string; order_id: string }>): Promise<void> {
  await exec.deleteFrom('trip_stops').where('tenant_id', '=', tenantId).where('trip_id', '=', tripId).execute();
  if (!stops.length) return;
  await exec
    .insertInto('trip_stops')
    .values(stops.map((s, sequence) => ({ tenant_id: tenantId, trip_id: tripId, stop_id: s.stop_id, order_id: s.order_id, sequence })))
    .execute();
}

/** Drops stops from a trip (their orders no longer have them). */
export async function removeTripStops(exec: Executor, tenantId: string, tripId: string, stopIds: string[]): Promise<void> {
  if (!stopIds.length) return;
  await exec.deleteFrom('trip_stops').where('tenant_id', '=', tenantId).where('trip_id', '=', tripId).where('stop_id', 'in', stopIds).execute();
}

export async function deactivateTripStops(exec: Executor, tenantId: string, tripId: string): Promise<void> {
  await exec.updateTable('trip_stops').set({ active: false }).where('tenant_id', '=', tenantId).where('trip_id', '=', tripId).execute();
}

/** Which of these stops are on an active trip other than `exceptTripId`, and on which trip. */
export async function plannedElsewhere(exec: Executor, tenantId: string, stopIds: string[], exceptTripId?: string) {
  if (!stopIds.length) return [];
  let q = exec
    .selectFrom('trip_stops as ts')
    .innerJoin('trips as t', (j) => j.onRef('t.tenant_id', '=', 'ts.tenant_id').onRef('t.id', '=', 'ts.trip_id'))
    .select(['ts.stop_id', 'ts.trip_id', 't.name as trip_name'])
    .where('ts.tenant_id', '=', tenantId)
    .where('ts.active', '=', true)
    .where('ts.stop_id', 'in', stopIds);
  if (exceptTripId) q = q.where('ts.trip_id', '<>', exceptTripId);
  return q.execute();
}

/** Live trips (not cancelled) carrying a stop of this order. */
export async function tripIdsOfOrder(exec: Executor, tenantId: string, orderId: string): Promise<string[]> {
  const rows = await exec
    .selectFrom('trip_stops')
    .select('trip_id')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('active', '=', true)
    .execute();
  return rows.map((r) => r.trip_id).sort();
}

/** Live fleet trips (not cancelled, not completed) an own resource is dispatched on. */
export async function liveTripsOfResource(exec: Executor, tenantId: string, resourceId: string): Promise<TripRow[]> {
  return exec
    .selectFrom('trips')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('executor', '=', 'FLEET')
    .where('cancelled_at', 'is', null)
    .where('status', '<>', 'COMPLETED')
    .where(sql<boolean>`resources @> ${JSON.stringify([{ id: resourceId }])}::jsonb`)
    .orderBy('id')
    .execute();
}

export interface TripListFilter {
  tenantId: string;
  scope: TripScope;
  status?: TripStatus;
  cancelled?: boolean;
  subcontractorId?: string;
  resourceId?: string;
  dateFrom?: string;
  dateTo?: string;
  after?: { ts: Date; id: string };
  limit: number;
}

/** Trips oldest first, keyed by (created_at, id) for cursors. */
export async function listTrips(exec: Executor, f: TripListFilter): Promise<TripRow[]> {
  if (f.scope.kind === 'none') return [];
  let q = exec.selectFrom('trips').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.scope.kind === 'subcontractor') q = q.where('subcontractor_company_id', '=', f.scope.companyId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.cancelled !== undefined) q = q.where('cancelled_at', f.cancelled ? 'is not' : 'is', null);
  if (f.subcontractorId) q = q.where('subcontractor_company_id', '=', f.subcontractorId);
  if (f.resourceId) q = q.where(sql<boolean>`resources @> ${JSON.stringify([{ id: f.resourceId }])}::jsonb`);
  // A trip is in the range when its stop dates overlap it.
  if (f.dateFrom) q = q.where('last_date', '>=', f.dateFrom);
  if (f.dateTo) q = q.where('first_date', '<=', f.dateTo);
  const after = f.after;
  if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after.ts), eb.and([eb('created_at', '=', after.ts), eb('id', '>', after.id)])]));
  return q
    .orderBy('created_at')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
}

export async function insertUnmatched(exec: Executor, row: Insertable<UnmatchedUpdateTable>): Promise<void> {
  await exec.insertInto('trip_unmatched_updates').values(row).execute();
}

export async function listUnmatched(
  exec: Executor,
  f: { tenantId: string; state?: UnmatchedState; after?: { ts: Date; id: string }; limit: number },
): Promise<UnmatchedRow[]> {
  let q = exec.selectFrom('trip_unmatched_updates').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.state) q = q.where('state', '=', f.state);
  const after = f.after;
  if (after) q = q.where((eb) => eb.or([eb('received_at', '>', after.ts), eb.and([eb('received_at', '=', after.ts), eb('id', '>', after.id)])]));
  return q
    .orderBy('received_at')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
}

export type UnmatchedRow = Selectable<UnmatchedUpdateTable>;

export async function findUnmatched(exec: Executor, tenantId: string, id: string, forUpdate = false): Promise<UnmatchedRow | undefined> {
  const q = exec.selectFrom('trip_unmatched_updates').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** Settles an open update; answers nothing when it was settled meanwhile. */
export async function settleUnmatched(
  exec: Executor,
  tenantId: string,
  id: string,
  changes: Pick<Updateable<UnmatchedUpdateTable>, 'state' | 'stop_id' | 'outcome' | 'dismiss_reason' | 'settled_by'>,
): Promise<UnmatchedRow | undefined> {
  return exec
    .updateTable('trip_unmatched_updates')
    .set({ ...changes, settled_at: sql<Date>`date_trunc('milliseconds', now())` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', '=', 'OPEN')
    .returningAll()
    .executeTakeFirst();
}

/** Whose trips a status update may touch: a subcontractor's, or those of an executor kind. */
export type ExecutorScope =
  | { kind: 'subcontractor'; companyId: string }
  | { kind: 'executor'; executor: 'SUBCONTRACTOR' | 'FLEET' }
  /** Any live trip of the tenant: the tenant assigning an update by hand. */
  | { kind: 'any' }
  /** One trip: a driver's link. */
  | { kind: 'trip'; tripId: string };

/** The stops on live (not cancelled) trips in scope. */
function liveStopsOf(exec: Executor, tenantId: string, scope: ExecutorScope) {
  const q = exec
    .selectFrom('trip_stops as ts')
    .innerJoin('trips as t', (j) => j.onRef('t.tenant_id', '=', 'ts.tenant_id').onRef('t.id', '=', 'ts.trip_id'))
    .select(['ts.stop_id', 'ts.trip_id', 'ts.order_id', 't.subcontractor_company_id'])
    .where('ts.tenant_id', '=', tenantId)
    .where('ts.active', '=', true)
    .where('t.cancelled_at', 'is', null);
  if (scope.kind === 'any') return q;
  if (scope.kind === 'trip') return q.where('t.id', '=', scope.tripId);
  return scope.kind === 'subcontractor' ? q.where('t.subcontractor_company_id', '=', scope.companyId) : q.where('t.executor', '=', scope.executor);
}

/** The stops on the caller's live trips, optionally only trips with one of `tripNames`. */
export async function candidateStops(exec: Executor, tenantId: string, scope: ExecutorScope, tripNames: string[][] = []) {
  let q = liveStopsOf(exec, tenantId, scope);
  for (const names of tripNames) q = q.where('t.name', 'in', names);
  return q.execute();
}

/**
 * One stop by id, if it is on a live trip of the caller's: a lookup through the active-stop key,
 * where `candidateStops` would read every stop of the caller's trips to find it.
 */
export function candidateStop(exec: Executor, tenantId: string, scope: ExecutorScope, stopId: string) {
  return liveStopsOf(exec, tenantId, scope).where('ts.stop_id', '=', stopId).executeTakeFirst();
}

/** Several stops by id, each if it is on a live trip of the caller's (one lookup for a batch of updates). */
export function candidateStopsById(exec: Executor, tenantId: string, scope: ExecutorScope, stopIds: readonly string[]) {
  return stopIds.length
    ? liveStopsOf(exec, tenantId, scope)
        .where('ts.stop_id', 'in', [...stopIds])
        .execute()
    : Promise.resolve([]);
}

/** Trips by id, locked in id order (after their orders, the order `findTrip(…, true)` callers take). */
export async function lockTrips(exec: Executor, tenantId: string, ids: readonly string[]): Promise<Map<string, TripRow>> {
  if (!ids.length) return new Map();
  const rows = await exec
    .selectFrom('trips')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Trips under way on `date`: planned, not cancelled or completed, and started by then (the console's overview). */
export async function countUnderWay(exec: Executor, tenantId: string, date: string): Promise<number> {
  const row = await exec
    .selectFrom('trips')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'PLANNED')
    .where('cancelled_at', 'is', null)
    .where('first_date', '<=', date)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function countUnmatched(exec: Executor, tenantId: string, state: UnmatchedState): Promise<number> {
  const row = await exec
    .selectFrom('trip_unmatched_updates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('state', '=', state)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
