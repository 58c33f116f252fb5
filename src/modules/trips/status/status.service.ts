import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import type { Readable } from 'node:stream';
import { appendEvent, deferringEvents, writeDeferredEvents } from '../../../platform/events/append.js';
import { AppError, badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { StopCriteria, StopExecutions, OrdersService } from '../../orders/index.js';
import { DocumentAnswerError, documentSources, isDocumentAnswer, type DocumentAnswerFile, type DocumentsService } from '../../documents/index.js';
import { documentTypeOfKey, keyedFilename } from './status.mapping.js';
import { progressStop, type Progress, type StatusReport } from './status.policy.js';
import { appendStopEvent, appendTripEvent } from '../trips.events.js';
import { visibilityOrders, type TripReader } from '../trips.output.js';
import * as repo from '../trips.repo.js';
import type { ExecutorScope, TripRow } from '../trips.repo.js';
import {
  UNMATCHED_STATES,
  type StatusUpdateResponse,
  type StopMatchInput,
  type InboundUpdate,
  type StopStatusUpdate,
  type UnmatchedStatusUpdate,
  type UpdateResult,
} from './status.schemas.js';
import type { UnmatchedState } from '../trips.tables.js';

/**
 * Inbound execution status (`/v1/webhook/subco-status-update`, `/fleet-status-update`). Each update
 * finds one stop among the caller's trips (by id, or by a match that must name exactly one), then
 * moves it. A batch is applied in one transaction (see `applyTogether`); should anything in it
 * fail, it is rolled back and applied again one update per transaction, where a failed update never
 * undoes the others. Where the contract drops what it cannot match, Waybill answers why per update
 * and keeps the update for the tenant.
 */

const result = (outcome: UpdateResult['outcome'], stopId: string | null = null, message: string | null = null): UpdateResult => ({
  outcome,
  stop_id: stopId,
  message,
});

/** The match's criteria, every entry of `matches_all` ANDed. */
function criteriaOf(matches: StopMatchInput[]): { tripNames: string[][]; stops: StopCriteria } {
  const c: StopCriteria = {
    orderIds: [],
    orderNames: [],
    orderReferences: [],
    consignmentReferences: [],
    consignmentSequences: [],
    stopReferences: [],
    stopTypes: [],
  };
  const tripNames: string[][] = [];
  for (const m of matches) {
    if (m.trip?.name) tripNames.push(m.trip.name.matches_any);
    if (m.order?.id) c.orderIds.push(m.order.id.matches_any);
    if (m.order?.name) c.orderNames.push(m.order.name.matches_any);
    if (m.order?.customer_reference_number) c.orderReferences.push(m.order.customer_reference_number.matches_any);
    if (m.consignment?.reference_number) c.consignmentReferences.push(m.consignment.reference_number.matches_any);
    if (m.consignment?.order_sequence_number) c.consignmentSequences.push(m.consignment.order_sequence_number);
    if (m.stop?.reference_number) c.stopReferences.push(m.stop.reference_number.matches_any);
    if (m.stop?.stop_type) c.stopTypes.push(m.stop.stop_type);
  }
  return { tripNames, stops: c };
}

interface Located {
  stopId: string;
  tripId: string;
  orderId: string;
  /** The trip's subcontractor, as the lookup that found the stop read it. */
  subcontractorId: string | null;
}

/**
 * The trip of a report's stop: its row, locked, where the report may complete the trip; else its
 * id and executor as the lookup that found the stop read them, since a report that completes no
 * stop leaves its trip as it is (and a transaction that reads no trip is a round trip shorter).
 */
interface TripOfReport {
  id: string;
  subcontractor_company_id: string | null;
  row?: TripRow;
}

/** Where a candidate stop (as the trips repository's lookups answer it) sits. */
const locatedAt = (hit: { stop_id: string; trip_id: string; order_id: string; subcontractor_company_id: string | null }): Located => ({
  stopId: hit.stop_id,
  tripId: hit.trip_id,
  orderId: hit.order_id,
  subcontractorId: hit.subcontractor_company_id,
});

const lockedTrip = (row: TripRow | undefined): TripOfReport | undefined => row && { id: row.id, subcontractor_company_id: row.subcontractor_company_id, row };

type StopFile = DocumentAnswerFile;

/**
 * The files among a status update's `question_answers` (the contract's document answers:
 * `embedded_document` or `remote_document.upload_id`); the question path names the document type
 * (`POD`, `documents/PROOF_OF_DELIVERY`) unless an item gives its own. Other answers are not kept.
 */
export function stopFiles(answers: Record<string, unknown> | undefined): StopFile[] {
  return Object.entries(answers ?? {})
    .filter(([, answer]) => isDocumentAnswer(answer))
    .flatMap(([path, answer]) => documentSources(path, answer).map((f) => ({ ...f, type: documentTypeOfKey(f.type) ?? f.type })));
}

const asDate = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

export function createStatusIntake(deps: {
  db: Db;
  bus: EventBus;
  orders: OrdersService;
  view: TripReader;
  documents: Pick<DocumentsService, 'createForOrder' | 'attachToOrder'>;
}) {
  const { db, bus, orders, view } = deps;
  const execution = orders.execution;

  /** The one stop an update names among the caller's trips, or why there is none. */
  async function locate(tenantId: string, scope: ExecutorScope, stop: StopStatusUpdate): Promise<Located | UpdateResult> {
    if (stop.id) {
      const hit = await repo.candidateStop(db, tenantId, scope, stop.id);
      return hit ? locatedAt(hit) : result('UNMATCHED', null, `No stop ${stop.id} on a live trip of yours`);
    }
    if (!stop.match?.matches_all.length) return result('REJECTED', null, 'stop needs an id or a match');
    const { tripNames, stops } = criteriaOf(stop.match.matches_all);
    const candidates = await repo.candidateStops(db, tenantId, scope, tripNames);
    const matched = await execution.filterStops(
      db,
      tenantId,
      candidates.map((c) => c.stop_id),
      stops,
    );
    if (matched.length > 1) return result('AMBIGUOUS', null, 'Several stops on your trips match every criterion; add criteria or send stop.id');
    const [stopId] = matched;
    const trip = candidates.find((c) => c.stop_id === stopId);
    return stopId && trip ? locatedAt(trip) : result('UNMATCHED', null, 'No stop on your live trips matches every criterion');
  }

  /** Whose trips the caller reports on: a subcontractor client its company's, the tenant's apps the executor kind's. */
  const scopeOf = (principal: Principal, executor: 'SUBCONTRACTOR' | 'FLEET'): ExecutorScope => {
    // A driver's link reaches its one trip, whoever executes it.
    if (principal.driver) return { kind: 'trip', tripId: principal.driver.tripId };
    return principal.role === 'SUBCONTRACTOR' && principal.companyId
      ? { kind: 'subcontractor', companyId: principal.companyId }
      : { kind: 'executor', executor };
  };

  async function applyOne(principal: Principal, scope: ExecutorScope, update: InboundUpdate): Promise<UpdateResult> {
    if (update.stop_group) return result('NOT_SUPPORTED', null, 'Stop group updates are not supported; update each stop');
    const found = await locate(principal.tenantId, scope, update.stop);
    if ('outcome' in found) {
      if (keptUnmatched(found)) await inTransaction(db, (tx) => recordUnmatched(tx, principal, update, found));
      return found;
    }
    return applyAt(principal.tenantId, found, update, { apiClientId: principal.apiClientId, companyId: principal.companyId });
  }

  const keptUnmatched = (r: UpdateResult) => r.outcome === 'UNMATCHED' || r.outcome === 'AMBIGUOUS';

  /** Keeps an update no stop took for the tenant to assign or dismiss. */
  async function recordUnmatched(tx: Tx, principal: Principal, update: InboundUpdate, found: UpdateResult): Promise<void> {
    const id = randomUUID();
    await repo.insertUnmatched(tx.trx, {
      tenant_id: principal.tenantId,
      id,
      api_client_id: principal.apiClientId,
      sender_company_id: principal.companyId,
      reason: found.outcome as 'UNMATCHED' | 'AMBIGUOUS',
      message: found.message ?? '',
      body: JSON.stringify(update),
    });
    await appendEvent(tx, bus, {
      tenantId: principal.tenantId,
      type: 'status_update.unmatched',
      entityType: 'status_update',
      entityId: id,
      payload: { reason: found.outcome, message: found.message ?? '', api_client_id: principal.apiClientId },
    });
  }

  /** An update's report, as `progressStop` reads it. */
  const reportOf = (update: InboundUpdate): StatusReport => ({
    status: update.stop.status,
    etaStart: asDate(update.stop.eta_start),
    etaEnd: asDate(update.stop.eta_end),
    eventTime: new Date(update.event_time),
  });

  /** Whether no update of the batch carries a file (those are applied one per transaction, see applyTogether). */
  function withoutFiles(updates: InboundUpdate[]): boolean {
    try {
      return updates.every((u) => !stopFiles(u.stop.question_answers).length);
    } catch (err) {
      if (err instanceof DocumentAnswerError) return false;
      throw err;
    }
  }

  /**
   * Where each update of a batch goes, found before anything is written: those naming a stop by id
   * in one lookup, matches one at a time. Finding a stop reads only what no status update changes
   * (which stops a trip holds, whether it is cancelled), so finding them all first answers what
   * finding each just before applying it answers. A rule broken while finding is that update's
   * REJECTED, as in `receive`.
   */
  async function locateAll(principal: Principal, scope: ExecutorScope, updates: InboundUpdate[]): Promise<Array<Located | UpdateResult>> {
    const ids = updates.flatMap((u) => (!u.stop_group && u.stop.id ? [u.stop.id] : []));
    const byId = new Map((await repo.candidateStopsById(db, principal.tenantId, scope, ids)).map((hit) => [hit.stop_id, hit]));
    const found: Array<Located | UpdateResult> = [];
    for (const { stop, stop_group } of updates) {
      if (stop_group) {
        found.push(result('NOT_SUPPORTED', null, 'Stop group updates are not supported; update each stop'));
        continue;
      }
      const hit = stop.id ? byId.get(stop.id) : undefined;
      if (hit) found.push(locatedAt(hit));
      else if (stop.id) found.push(result('UNMATCHED', null, `No stop ${stop.id} on a live trip of yours`));
      else found.push(await locate(principal.tenantId, scope, stop).catch(rejectedBy));
    }
    return found;
  }

  /**
   * A batch (or a single update) in one transaction: every stop's order locked and read first, then
   * the trips a completion may change (both in id order, as other writers take them, so batches
   * sharing orders queue instead of deadlocking), then each update in turn, exactly as `applyAt`
   * would, in memory (see `StopExecutions`); at the end one statement writes what they changed and
   * the events of all of them (each built as of its own update). Per update that saves the
   * transaction, the lookups, locks and writes, and the tenant's event counter is held from that
   * statement to COMMIT only. Anything
   * thrown rolls the whole batch back, and `receive` applies it again one update at a time.
   * Undefined when the batch keeps several unmatched updates: kept in one transaction they would
   * share one receipt time, and list in random order instead of as they came.
   */
  async function applyTogether(principal: Principal, scope: ExecutorScope, updates: InboundUpdate[]): Promise<UpdateResult[] | undefined> {
    const { tenantId } = principal;
    const found = await locateAll(principal, scope, updates);
    if (found.filter((f) => 'outcome' in f && keptUnmatched(f)).length > 1) return undefined;
    const located = found.filter((f): f is Located => !('outcome' in f));
    return inTransaction(db, async (outer) => {
      const tx = deferringEvents(outer);
      const stops = await execution.openStopExecutions(tx, tenantId, [...new Set(located.map((l) => l.stopId))]);
      // Only a completion changes a trip (when it completes its last stop), and two completions of one
      // trip must see each other's stops: those trips are locked (see TripOfReport).
      const completing = new Set(found.flatMap((f, i) => (!('outcome' in f) && updates[i]?.stop.status === 'COMPLETED' ? [f.tripId] : [])));
      const locked = await repo.lockTrips(tx.trx, tenantId, [...completing]);
      const trips = new Map<string, TripOfReport | undefined>();
      const tripOf = (at: Located) =>
        trips.has(at.tripId)
          ? trips.get(at.tripId)
          : completing.has(at.tripId)
            ? lockedTrip(locked.get(at.tripId))
            : { id: at.tripId, subcontractor_company_id: at.subcontractorId };
      const results: UpdateResult[] = [];
      for (const [i, at] of found.entries()) {
        const update = updates[i] as InboundUpdate;
        if ('outcome' in at) {
          if (keptUnmatched(at)) await recordUnmatched(tx, principal, update, at);
          results.push(at);
          continue;
        }
        const moved = await moveLocked(tx, tenantId, stops, at.stopId, tripOf(at), reportOf(update));
        if ('outcome' in moved) {
          results.push(moved);
          continue;
        }
        // What this update left is what the next one of the same trip starts from (`stops` keeps the stops').
        trips.set(at.tripId, moved.trip);
        results.push(result(moved.progress.outcome, at.stopId));
      }
      await writeDeferredEvents(tx, bus, stops.takeWrites());
      return results;
    });
  }

  /**
   * Applies an update to the stop it names (found by a match, or assigned by the tenant): moves the
   * stop and attaches the files it brings, in one transaction. `settle` runs last in that
   * transaction (an assignment records itself there), and only when the stop could take the update.
   */
  async function applyAt(
    tenantId: string,
    found: Located,
    update: InboundUpdate,
    sender: { apiClientId: string; companyId: string | null },
    settle?: (tx: Tx, outcome: UpdateResult) => Promise<void>,
  ): Promise<UpdateResult> {
    let files: StopFile[];
    try {
      files = stopFiles(update.stop.question_answers);
    } catch (err) {
      if (err instanceof DocumentAnswerError) return result(err.errorType === 'NOT_SUPPORTED' ? 'NOT_SUPPORTED' : 'REJECTED', found.stopId, err.message);
      throw err;
    }
    // Read before the transaction: on PGlite a pool read would wait behind it.
    const order = files.length ? await orders.findOrderRef(tenantId, found.orderId) : undefined;
    const filesOnly = !update.stop.status && update.stop.eta_start === undefined && update.stop.eta_end === undefined;
    return inTransaction(db, async (tx) => {
      const moved = await moveStop(tx, tenantId, found, reportOf(update));
      if ('outcome' in moved) return moved;
      const { trip, progress } = moved;
      // A repeated or stale report attaches nothing either: its files came with it the first time.
      if (progress.outcome !== 'APPLIED' && !(filesOnly && files.length)) {
        const outcome = result(progress.outcome, found.stopId);
        await settle?.(tx, outcome);
        return outcome;
      }
      if (order) {
        const companyIds = [order.customerCompanyId, ...(trip.subcontractor_company_id ? [trip.subcontractor_company_id] : [])];
        for (const file of files) {
          await deps.documents.attachToOrder(tx, {
            tenantId,
            orderId: order.id,
            companyIds,
            subjectType: 'STOP',
            subjectId: found.stopId,
            ...file,
            uploadedBy: sender.apiClientId,
            attachedByCompanyId: sender.companyId,
          });
        }
      }
      const outcome = result('APPLIED', found.stopId);
      await settle?.(tx, outcome);
      return outcome;
    });
  }

  /**
   * Locks the stop and moves it as `report` says, writing what changed: the one way a report moves
   * a stop, whether a status update brought it or a tracked position estimated its ETA.
   */
  async function moveStop(
    tx: Tx,
    tenantId: string,
    at: { stopId: string; tripId: string },
    report: StatusReport,
  ): Promise<{ trip: TripOfReport; progress: Progress } | UpdateResult> {
    const stops = await execution.openStopExecutions(tx, tenantId, [at.stopId]);
    const trip = lockedTrip(await repo.findTrip(tx.trx, tenantId, at.tripId, { kind: 'tenant' }, true));
    const moved = await moveLocked(tx, tenantId, stops, at.stopId, trip, report);
    await stops.flush();
    return moved;
  }

  /**
   * `moveStop` once the stop's order and its trip are locked and read; answers the trip as the move
   * leaves it. The stop's change is recorded in `stops`, whose `flush` writes it.
   */
  async function moveLocked(
    tx: Tx,
    tenantId: string,
    stops: StopExecutions,
    stopId: string,
    trip: TripOfReport | undefined,
    report: StatusReport,
  ): Promise<{ trip: TripOfReport; progress: Progress } | UpdateResult> {
    const current = stops.current(stopId);
    if (!current || !trip) return result('UNMATCHED', null, 'The stop left its trip meanwhile');
    if (current.status === 'CANCELLED' || current.status === 'IGNORED') return result('REJECTED', stopId, 'The stop is cancelled');
    const progress = progressStop(current, report);
    if (progress.outcome !== 'APPLIED') return { trip, progress };
    return { trip: await recordProgress(tx, tenantId, stops, trip, stopId, progress), progress };
  }

  /**
   * Writes an applied report: the stop's events first, each with the order as it leaves it, then the
   * trip's completion. Answers the trip row as it leaves it.
   */
  async function recordProgress(
    tx: Tx,
    tenantId: string,
    stops: StopExecutions,
    trip: TripOfReport,
    stopId: string,
    progress: Progress,
  ): Promise<TripOfReport> {
    await stops.record(progress.next, async (order) => {
      const stopEvent = { tenantId, stopId, tripId: trip.id, order, customerId: order.customer?.id ?? '', subcontractorId: trip.subcontractor_company_id };
      if (progress.arrived) await appendStopEvent(tx, bus, 'stop.arrived', stopEvent);
      if (progress.completed) await appendStopEvent(tx, bus, 'stop.completed', stopEvent);
      if (progress.etaChanged && !progress.completed) await appendStopEvent(tx, bus, 'stop.eta_changed', stopEvent);
    });
    if (!progress.completed) return trip;
    // The trip's view reads its stops from the database: what is recorded is written first.
    await stops.flush();
    // Locked by the caller (after the orders, as every writer of both takes them), else now.
    const row = trip.row ?? (await repo.findTrip(tx.trx, tenantId, trip.id, { kind: 'tenant' }, true));
    if (!row) return trip;
    const v = await view(tx.trx, row);
    const done = v.output.stops.every((s) => s.status === 'COMPLETED' || s.status === 'CANCELLED');
    if (!done || row.status === 'COMPLETED') return { ...trip, row };
    const completed = { ...v, trip: await repo.updateTrip(tx.trx, row.tenant_id, row.id, { status: 'COMPLETED' }) };
    await appendTripEvent(tx, bus, 'trip.completed', completed, await visibilityOrders(tx.trx, orders, completed));
    return { ...trip, row: completed.trip };
  }

  return {
    moveStop,

    async receive(principal: Principal, executor: 'SUBCONTRACTOR' | 'FLEET', updates: InboundUpdate[]): Promise<StatusUpdateResponse> {
      const scope = scopeOf(principal, executor);
      // A single update too: `applyTogether` is its shortest way (one lock, one write, one event statement).
      if (withoutFiles(updates)) {
        try {
          const results = await applyTogether(principal, scope, updates);
          if (results) return { results };
        } catch {
          // Rolled back whole: one update at a time, each failure is that update's own answer.
        }
      }
      const results: UpdateResult[] = [];
      for (const update of updates) results.push(await applyOne(principal, scope, update).catch(rejectedBy));
      return { results };
    },

    /**
     * A file about one stop of the caller's trips (a POD): stored on the stop, so it lists with its
     * order and consignment, and visible to the order's customer and the trip's subcontractor.
     */
    async uploadStopDocument(
      principal: Principal,
      executor: 'SUBCONTRACTOR' | 'FLEET',
      query: { question_path_key: string; stop_id?: string },
      file: { contentType: string | undefined; disposition: string | undefined; openStream: () => Readable },
    ): Promise<{ document_id: string }> {
      const type = documentTypeOfKey(query.question_path_key);
      if (!type)
        throw badRequest(`Unknown question_path_key "${query.question_path_key}"`, [
          detail('use POD, POD_SIGNED, POP, PHOTO, SIGNATURE or a document type', 'question_path_key'),
        ]);
      if (!query.stop_id)
        throw badRequest('Stop groups are not supported: name the stop with stop_id', [
          detail('required: Waybill has no stop groups', 'stop_id', 'querystring.stop_id'),
        ]);
      const stop = await repo.candidateStop(db, principal.tenantId, scopeOf(principal, executor), query.stop_id);
      if (!stop) throw notFound('Stop on a live trip of yours');
      const order = await orders.findOrderRef(principal.tenantId, stop.order_id);
      const document = await deps.documents.createForOrder(
        principal,
        {
          id: order.id,
          companyIds: [order.customerCompanyId, ...(stop.subcontractor_company_id ? [stop.subcontractor_company_id] : [])],
          subject: { type: 'STOP', id: stop.stop_id },
        },
        { filename: keyedFilename(file.disposition, query.question_path_key), type, contentType: file.contentType, stream: file.openStream() },
      );
      return { document_id: document.id };
    },

    async listUnmatched(principal: Principal, query: { state?: UnmatchedState; cursor?: string; limit?: number }) {
      const filters = { state: query.state ?? null };
      const page = await paginate({
        query,
        filters,
        fields: { state: cursorField.oneOf(UNMATCHED_STATES) },
        given: query.state ? filters : {},
        fetch: ({ filters: f, after, limit }) => repo.listUnmatched(db, { tenantId: principal.tenantId, state: f.state ?? undefined, after, limit }),
        key: (r) => ({ ts: r.received_at, id: r.id }),
      });
      return { items: page.rows.map(unmatchedToWire), next_cursor: page.next_cursor };
    },

    async getUnmatched(principal: Principal, id: string) {
      const row = await repo.findUnmatched(db, principal.tenantId, id);
      if (!row) throw notFound('Unmatched status update');
      return unmatchedToWire(row);
    },

    /**
     * Applies an unmatched update to the stop the tenant names, exactly as if it had matched it
     * (the stop's events, the order's status, its files), and records the assignment with the
     * outcome in the same transaction. A stop that cannot take it (not on a live trip, cancelled)
     * leaves the update open.
     */
    async assignUnmatched(principal: Principal, id: string, stopId: string) {
      const row = await openUnmatched(principal, id);
      const hit = await repo.candidateStop(db, principal.tenantId, { kind: 'any' }, stopId);
      if (!hit) throw notFound('Stop on a live trip');
      const found = locatedAt(hit);
      let settled: repo.UnmatchedRow | undefined;
      const outcome = await applyAt(
        principal.tenantId,
        found,
        row.body,
        { apiClientId: row.api_client_id, companyId: row.sender_company_id },
        async (tx, applied) => {
          settled = await repo.settleUnmatched(tx.trx, principal.tenantId, id, {
            state: 'ASSIGNED',
            stop_id: found.stopId,
            outcome: applied.outcome,
            settled_by: principal.apiClientId,
          });
          // Settled by someone else meanwhile: roll back what this assignment applied.
          if (!settled) throw alreadySettled();
          await appendEvent(tx, bus, {
            tenantId: principal.tenantId,
            type: 'status_update.assigned',
            entityType: 'status_update',
            entityId: id,
            payload: { stop_id: found.stopId, outcome: applied.outcome, settled_by: principal.apiClientId },
          });
        },
      );
      if (!settled) throw conflict(`The stop could not take the update (${outcome.outcome}${outcome.message ? `: ${outcome.message}` : ''}); it stays open`);
      return unmatchedToWire(settled);
    },

    async dismissUnmatched(principal: Principal, id: string, reason: string) {
      await openUnmatched(principal, id);
      const settled = await inTransaction(db, async (tx) => {
        const row = await repo.settleUnmatched(tx.trx, principal.tenantId, id, {
          state: 'DISMISSED',
          dismiss_reason: reason,
          settled_by: principal.apiClientId,
        });
        if (!row) throw alreadySettled();
        await appendEvent(tx, bus, {
          tenantId: principal.tenantId,
          type: 'status_update.dismissed',
          entityType: 'status_update',
          entityId: id,
          payload: { reason, settled_by: principal.apiClientId },
        });
        return row;
      });
      return unmatchedToWire(settled);
    },
  };

  async function openUnmatched(principal: Principal, id: string) {
    const row = await repo.findUnmatched(db, principal.tenantId, id);
    if (!row) throw notFound('Unmatched status update');
    if (row.state !== 'OPEN') throw alreadySettled();
    return row;
  }
}

/** A rule an update breaks is its own result (REJECTED) and the batch goes on; anything else fails the request. */
function rejectedBy(err: unknown): UpdateResult {
  if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
  return result('REJECTED', null, err.message);
}

const alreadySettled = () => conflict('The update was already assigned or dismissed');

function unmatchedToWire(r: repo.UnmatchedRow): UnmatchedStatusUpdate {
  return {
    id: r.id,
    reason: r.reason,
    message: r.message,
    api_client_id: r.api_client_id,
    update: r.body,
    received_at: r.received_at.toISOString(),
    state: r.state,
    stop_id: r.stop_id,
    outcome: r.outcome,
    dismiss_reason: r.dismiss_reason,
    settled_at: r.settled_at ? r.settled_at.toISOString() : null,
    settled_by: r.settled_by,
  };
}

export type StatusIntake = ReturnType<typeof createStatusIntake>;
