import type { Db } from '../../../platform/db/database.js';
import { isOneOf, recordOr } from '../../../platform/narrow.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { conflict } from '../../../platform/http/errors.js';
import { diffSnapshots, type Change, type DispatchSnapshot } from './dispatch.policy.js';
import * as repo from '../trips.repo.js';
import type { TripRow } from '../trips.repo.js';
import type { TripView } from '../trips.output.js';
import type { DispatchError } from '../trips.tables.js';

/**
 * Dispatch messages. Each is an event carrying the whole message (the contract's
 * `SubcontractorDispatch` or `FleetDispatch`: operation + trip snapshot, plus Waybill's `changes`)
 * as of its transaction; the webhook engine only wraps what the event holds, so a message never
 * shows a later state than the change it announces.
 */

export type DispatchOperation = 'CREATE' | 'UPDATE' | 'CANCEL';

export const DISPATCH_EVENT = {
  CREATE: 'trip.dispatch_created',
  UPDATE: 'trip.dispatch_updated',
  CANCEL: 'trip.dispatch_cancelled',
} as const satisfies Record<DispatchOperation, string>;

/** Who receives a trip's dispatch messages: its subcontractor (and the tenant), or the tenant's fleet app. */
const audience = (trip: Pick<TripRow, 'subcontractor_company_id'>) => (trip.subcontractor_company_id ? [trip.subcontractor_company_id] : []);

/** The fleet app's shape: the same snapshot with the stop groups and templates the contract requires. */
function message(trip: TripRow, operation: DispatchOperation, snapshot: DispatchSnapshot, changes: Change[]) {
  const payload = trip.executor === 'FLEET' ? { ...snapshot, stop_groups: [], templates: [] } : snapshot;
  return { operation, payload, changes };
}

/**
 * Records a dispatch message for the trip's executor and remembers the snapshot it carried. The
 * trip row is `view.trip` as written by this transaction (executor and subcontractor included).
 */
export async function sendDispatch(tx: Tx, bus: EventBus, view: TripView, operation: DispatchOperation, changes: Change[] = []): Promise<TripRow> {
  const trip = await repo.updateTrip(tx.trx, view.trip.tenant_id, view.trip.id, {
    dispatched_snapshot: operation === 'CANCEL' ? null : JSON.stringify(view.snapshot),
    ...(operation === 'CANCEL' ? {} : { dispatch_status: 'SENT', dispatch_errors: '[]', dispatched_at: new Date() }),
  });
  await appendEvent(tx, bus, {
    tenantId: trip.tenant_id,
    type: DISPATCH_EVENT[operation],
    entityType: 'trip',
    entityId: trip.id,
    companyIds: audience(view.trip),
    payload: {
      trip_id: trip.id,
      trip_name: trip.name,
      executor: view.trip.executor,
      subcontractor_id: view.trip.subcontractor_company_id,
      message: message(view.trip, operation, view.snapshot, changes),
    },
  });
  return trip;
}

/**
 * After a change that may show in a dispatched trip's snapshot: an UPDATE listing what changed,
 * or nothing when the executor's view is the same (statuses it reported itself do not count).
 */
export async function updateDispatch(tx: Tx, bus: EventBus, view: TripView): Promise<TripRow> {
  const before = view.trip.dispatched_snapshot;
  if (view.trip.executor === 'NONE' || view.trip.cancelled_at || !before) return view.trip;
  const changes = diffSnapshots(before, view.snapshot);
  if (!changes.length) return view.trip;
  return sendDispatch(tx, bus, view, 'UPDATE', changes);
}

const ERROR_TYPES = ['USER_INPUT_ERROR', 'INTERNAL_ERROR', 'NOT_SUPPORTED'] as const;

/**
 * Reads a `SubcontractorDispatchResponse` (or the fleet's): `{errors?: ErrorStatus[]}`. An empty
 * or non-JSON 2xx body is an acceptance; entries of an unknown shape count as internal errors.
 */
export function parseDispatchAnswer(body: string): DispatchError[] {
  let parsed: unknown;
  try {
    parsed = body.trim() ? JSON.parse(body) : null;
  } catch {
    return [];
  }
  const errors = recordOr(parsed)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.slice(0, 20).map((e: unknown) => {
    const entry = recordOr(e) ?? {};
    return {
      error_type: isOneOf(ERROR_TYPES, entry.error_type) ? entry.error_type : 'INTERNAL_ERROR',
      error_message: typeof entry.error_message === 'string' ? entry.error_message.slice(0, 2000) : null,
    };
  });
}

/**
 * Records the executor's answer to a dispatch message: USER_INPUT_ERROR marks the dispatch
 * REJECTED (the tenant sees it on the trip and as a `trip.dispatch_rejected` event); any
 * other answer leaves it ACCEPTED, with the errors kept for the record.
 */
export async function recordDispatchAnswer(db: Db, bus: EventBus, answer: { tenantId: string; sent: string; body: string }): Promise<void> {
  const about = answeredTrip(answer.sent);
  if (!about) return;
  const errors = parseDispatchAnswer(answer.body);
  await inTransaction(db, async (tx) => {
    const trip = await repo.findTrip(tx.trx, answer.tenantId, about.tripId, { kind: 'tenant' }, true);
    if (!trip || trip.cancelled_at || trip.executor === 'NONE') return;
    await writeAnswer(tx, bus, trip, about.operation, errors);
  });
}

/** Writes an answer to a trip's dispatch and its event: REJECTED when an error is the executor's USER_INPUT_ERROR. */
async function writeAnswer(tx: Tx, bus: EventBus, trip: TripRow, operation: DispatchOperation, errors: DispatchError[]): Promise<TripRow> {
  const rejected = errors.some((e) => e.error_type === 'USER_INPUT_ERROR');
  const updated = await repo.updateTrip(tx.trx, trip.tenant_id, trip.id, {
    dispatch_status: rejected ? 'REJECTED' : 'ACCEPTED',
    dispatch_errors: JSON.stringify(errors),
  });
  await appendEvent(tx, bus, {
    tenantId: trip.tenant_id,
    type: rejected ? 'trip.dispatch_rejected' : 'trip.dispatch_accepted',
    entityType: 'trip',
    entityId: trip.id,
    payload: { trip_id: trip.id, trip_name: trip.name, operation, errors, version: updated.version },
  });
  return updated;
}

/**
 * A subcontractor's person answers the dispatch on its trip page, as its receiver would: ACCEPT,
 * or REJECT with a reason (recorded as the USER_INPUT_ERROR a receiver would send). The answer is
 * about the last message sent (CREATE or UPDATE); the same answer again changes nothing. The trip
 * row is locked and visible to the caller.
 */
export async function answerDispatch(tx: Tx, bus: EventBus, trip: TripRow, answer: { accept: boolean; reason?: string }): Promise<TripRow> {
  if (trip.cancelled_at || trip.executor !== 'SUBCONTRACTOR' || trip.dispatch_status === 'NONE') {
    throw conflict(`Trip ${trip.name} is not dispatched to you (any more); there is nothing to answer`);
  }
  if (trip.status === 'COMPLETED') throw conflict(`Trip ${trip.name} is completed`);
  const errors: DispatchError[] = answer.accept ? [] : [{ error_type: 'USER_INPUT_ERROR', error_message: answer.reason ?? null }];
  const same = trip.dispatch_status === (answer.accept ? 'ACCEPTED' : 'REJECTED') && JSON.stringify(trip.dispatch_errors) === JSON.stringify(errors);
  if (same) return trip;
  const operation = (await repo.lastDispatchOperation(tx.trx, trip.tenant_id, trip.id)) ?? 'CREATE';
  return writeAnswer(tx, bus, trip, operation, errors);
}

/** The trip a sent dispatch message was about, unless it was a CANCEL (whose answer changes nothing). */
export function answeredTrip(sent: string): { tripId: string; operation: DispatchOperation } | undefined {
  try {
    const message = JSON.parse(sent) as { operation?: unknown; payload?: { id?: unknown } };
    if ((message.operation !== 'CREATE' && message.operation !== 'UPDATE') || typeof message.payload?.id !== 'string') return undefined;
    return { tripId: message.payload.id, operation: message.operation };
  } catch {
    return undefined;
  }
}
