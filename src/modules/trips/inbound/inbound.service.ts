import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { badRequest, conflict, detail, notFound, type ErrorDetail } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { TripReader, TripView } from '../trips.output.js';
import * as repo from '../trips.repo.js';
import type { TripImportInput, TripImportResponse } from './inbound.schemas.js';
import type { TripPatch, TripStopInput } from '../trips.schemas.js';
import type { ResourceRef } from '../trips.tables.js';

/**
 * The contract's trip import (`POST /v1/webhook/trip-import`): an external planner sends a whole
 * trip (stops in sequence, own resources), keyed by its `trip_identifier`. It goes through the
 * same planning and dispatch steps as the planning API, in one transaction, and only changes what
 * differs from the trip as it is, so the same import sent twice changes nothing the second time.
 */

/** The planning steps of the trips service, each inside the caller's transaction. */
export interface PlanningSteps {
  planIn(tx: Tx, principal: Principal, stops: TripStopInput[], externalIdentifier: string | null): Promise<TripView>;
  replanIn(tx: Tx, principal: Principal, tripId: string, input: TripPatch): Promise<TripView>;
  dispatchIn(tx: Tx, principal: Principal, tripId: string, to: { price: null; resources: ResourceRef[] }): Promise<TripView>;
  cancelIn(tx: Tx, principal: Principal, tripId: string): Promise<TripView>;
  ownResources(tenantId: string, refs: ReadonlyArray<{ id: string }>): Promise<ResourceRef[]>;
}

const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';

/** The stop ids in visiting order, or a 400 naming what the contract requires and is missing. */
function stopsInSequence(stops: TripImportInput['planned_stops']): string[] {
  const bad: ErrorDetail[] = [];
  const seen = new Set<number>();
  stops.forEach((s, i) => {
    if (!s.id) bad.push(detail('stops are named by their id', 'id', `planned_stops.${i}.id`));
    if (seen.has(s.sequence)) bad.push(detail(`sequence ${s.sequence} is given twice`, 'sequence', `planned_stops.${i}.sequence`));
    seen.add(s.sequence);
  });
  const ordered = [...stops].sort((a, b) => a.sequence - b.sequence);
  ordered.forEach((s, i) => {
    const before = ordered[i - 1];
    if (before && Date.parse(s.start_timestamp) < Date.parse(before.start_timestamp)) {
      bad.push(
        detail(
          `stop of sequence ${s.sequence} starts before the one of sequence ${before.sequence}`,
          'start_timestamp',
          `planned_stops.${stops.indexOf(s)}.start_timestamp`,
        ),
      );
    }
  });
  if (bad.length) throw badRequest(bad[0]?.message ?? 'Invalid planned stops', bad);
  return ordered.map((s) => s.id as string);
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function createTripImport(deps: { db: Db; view: TripReader; steps: PlanningSteps }) {
  const { db, view, steps } = deps;

  /** The live or cancelled trip the import is about: by its key, or else the one live trip holding its stops. */
  async function importedTrip(tx: Tx, tenantId: string, key: string | null, stopIds: string[]) {
    if (key) return repo.findTripByExternalIdentifier(tx.trx, tenantId, key);
    const holders = [...new Set((await repo.plannedElsewhere(tx.trx, tenantId, stopIds)).map((s) => s.trip_id))];
    return holders.length === 1 ? repo.findTrip(tx.trx, tenantId, holders[0] as string, { kind: 'tenant' }) : undefined;
  }

  async function apply(
    tx: Tx,
    principal: Principal,
    input: TripImportInput,
    stopIds: string[],
    resources: ResourceRef[] | undefined,
  ): Promise<TripView | undefined> {
    const key = input.trip_identifier ?? null;
    const trip = await importedTrip(tx, principal.tenantId, key, stopIds);
    if (input.status === 'CANCELLED' || !stopIds.length) {
      if (!trip) throw notFound('Trip of this trip_identifier');
      return steps.cancelIn(tx, principal, trip.id);
    }
    if (trip?.cancelled_at) throw conflict(`Trip ${trip.name} was cancelled; import it again under a new trip_identifier`);
    const stops = stopIds.map((id) => ({ id }));
    let v: TripView;
    if (!trip) v = await steps.planIn(tx, principal, stops, key);
    else {
      const current = (await repo.tripStops(tx.trx, principal.tenantId, trip.id)).map((s) => s.stop_id);
      v = sameList(current, stopIds) ? await view(tx.trx, trip) : await steps.replanIn(tx, principal, trip.id, { stops });
    }
    const assigned =
      v.trip.executor === 'FLEET' &&
      sameList(
        v.trip.resources.map((r) => r.id),
        resources?.map((r) => r.id) ?? [],
      );
    if (resources?.length && !assigned) v = await steps.dispatchIn(tx, principal, v.trip.id, { price: null, resources });
    return v;
  }

  return {
    async importTrip(principal: Principal, input: TripImportInput): Promise<TripImportResponse> {
      // The planner reports that it failed: there is no plan to take.
      if (input.failure) return { errors: [], trip_id: null, trip_name: null };
      if (input.status === 'CANCELLED' && !input.trip_identifier) {
        throw badRequest('Cancelling needs the trip_identifier of the imported trip', [detail('required with status CANCELLED', 'trip_identifier')]);
      }
      const stopIds = input.status === 'CANCELLED' ? [] : stopsInSequence(input.planned_stops);
      const resources = input.primary_resources?.length ? await steps.ownResources(principal.tenantId, input.primary_resources) : undefined;
      let v: TripView | undefined;
      try {
        v = await inTransaction(db, (tx) => apply(tx, principal, input, stopIds, resources));
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('The same trip_identifier is being imported concurrently; send it again');
        throw err;
      }
      const ignored = input.planned_stops.some((s) => s.question_answers);
      return {
        errors: ignored ? [{ error_type: 'NOT_SUPPORTED', error_message: 'question_answers of planned stops are not applied' }] : [],
        trip_id: v?.trip.id ?? null,
        trip_name: v?.trip.name ?? null,
      };
    },
  };
}
