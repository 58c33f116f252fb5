import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import type { Readable } from 'node:stream';
import { appendEvent } from '../../../platform/events/append.js';
import { AppError, badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { StopCriteria, OrdersService } from '../../orders/index.js';
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
  type StopStatusUpdate,
  type UnmatchedStatusUpdate,
  type UpdateResult,
} from './status.schemas.js';
import type { UnmatchedState } from '../trips.tables.js';

/**
 * Inbound execution status (`/v1/webhook/subco-status-update`, `/fleet-status-update`). Each update
 * finds one stop among the caller's trips (by id, or by a match that must name exactly one), then
 * moves it in its own transaction: a failed update never undoes the others. Where the contract
 * drops what it cannot match, Waybill answers why per update and keeps the update for the tenant.
 */

interface InboundUpdate {
  stop: StopStatusUpdate;
  event_time: string;
  stop_group?: Record<string, unknown> | null;
}

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
}

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
      return hit
        ? { stopId: hit.stop_id, tripId: hit.trip_id, orderId: hit.order_id }
        : result('UNMATCHED', null, `No stop ${stop.id} on a live trip of yours`);
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
    return stopId && trip
      ? { stopId, tripId: trip.trip_id, orderId: trip.order_id }
      : result('UNMATCHED', null, 'No stop on your live trips matches every criterion');
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
      if (found.outcome === 'UNMATCHED' || found.outcome === 'AMBIGUOUS') {
        const id = randomUUID();
        await inTransaction(db, async (tx) => {
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
        });
      }
      return found;
    }
    return applyAt(principal.tenantId, found, update, { apiClientId: principal.apiClientId, companyId: principal.companyId });
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
    const report = {
      status: update.stop.status,
      etaStart: asDate(update.stop.eta_start),
      etaEnd: asDate(update.stop.eta_end),
      eventTime: new Date(update.event_time),
    };
    return inTransaction(db, async (tx) => {
      const moved = await moveStop(tx, tenantId, found, report);
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
  ): Promise<{ trip: TripRow; progress: Progress } | UpdateResult> {
    const current = await execution.lockStopExecution(tx, tenantId, at.stopId);
    const trip = await repo.findTrip(tx.trx, tenantId, at.tripId, { kind: 'tenant' }, true);
    if (!current || !trip) return result('UNMATCHED', null, 'The stop left its trip meanwhile');
    if (current.status === 'CANCELLED' || current.status === 'IGNORED') return result('REJECTED', at.stopId, 'The stop is cancelled');
    const progress = progressStop(current, report);
    if (progress.outcome === 'APPLIED') await recordProgress(tx, tenantId, trip, at.stopId, progress);
    return { trip, progress };
  }

  /** Writes an applied report: the stop's events first, each with the order as it leaves it, then the trip's completion. */
  async function recordProgress(tx: Tx, tenantId: string, trip: TripRow, stopId: string, progress: Progress): Promise<void> {
    await execution.recordStopExecution(tx, tenantId, progress.next, async (order) => {
      const stopEvent = { tenantId, stopId, tripId: trip.id, order, customerId: order.customer?.id ?? '', subcontractorId: trip.subcontractor_company_id };
      if (progress.arrived) await appendStopEvent(tx, bus, 'stop.arrived', stopEvent);
      if (progress.completed) await appendStopEvent(tx, bus, 'stop.completed', stopEvent);
      if (progress.etaChanged && !progress.completed) await appendStopEvent(tx, bus, 'stop.eta_changed', stopEvent);
    });
    if (!progress.completed) return;
    const v = await view(tx.trx, trip);
    const done = v.output.stops.every((s) => s.status === 'COMPLETED' || s.status === 'CANCELLED');
    if (done && trip.status !== 'COMPLETED') {
      const completed = { ...v, trip: await repo.updateTrip(tx.trx, trip.tenant_id, trip.id, { status: 'COMPLETED' }) };
      await appendTripEvent(tx, bus, 'trip.completed', completed, await visibilityOrders(tx.trx, orders, completed));
    }
  }

  return {
    moveStop,

    async receive(principal: Principal, executor: 'SUBCONTRACTOR' | 'FLEET', updates: InboundUpdate[]): Promise<StatusUpdateResponse> {
      const scope = scopeOf(principal, executor);
      const results: UpdateResult[] = [];
      for (const update of updates) {
        try {
          results.push(await applyOne(principal, scope, update));
        } catch (err) {
          // A rule the update breaks is its own result; the batch goes on.
          if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
          results.push(result('REJECTED', null, err.message));
        }
      }
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
      const found = { stopId: hit.stop_id, tripId: hit.trip_id, orderId: hit.order_id };
      let settled: repo.UnmatchedRow | undefined;
      const outcome = await applyAt(
        principal.tenantId,
        found,
        row.body as unknown as InboundUpdate,
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
