import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Db, Executor } from '../../platform/db/database.js';
import { inTransaction, type Tx } from '../../platform/db/tx.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError, badRequest, conflict, detail, notFound } from '../../platform/http/errors.js';
import { cursorField, paginate } from '../../platform/http/pagination.js';
import type { Principal } from '../../platform/http/principal.js';
import { companyOutput, type CompaniesService } from '../companies/index.js';
import type { DocumentOutput, DocumentsService } from '../documents/index.js';
import type { OrdersService } from '../orders/index.js';
import type { ResourcesService } from '../resources/index.js';
import { billableTrips, billableTripsByReference, lockForBilling } from './billing/billing.repo.js';
import { answerDispatch, recordDispatchAnswer, sendDispatch, updateDispatch } from './dispatch/dispatch.service.js';
import { appendTripEvent } from './trips.events.js';
import { createStatusIntake } from './status/status.service.js';
import { createBookingIntake } from './bookings/bookings.service.js';
import { createTripImport } from './inbound/inbound.service.js';
import { createPositionFanout } from './positions/positions.service.js';
import type { EtaSettings } from './positions/positions.policy.js';
import { createTripReader, visibilityOrders, type TripView } from './trips.output.js';
import { checkPlan, stopsToPlace, type PlanningStop } from './planning/planning.policy.js';
import * as repo from './trips.repo.js';
import type { TripRow, TripScope } from './trips.repo.js';
import {
  TRIP_STATUSES,
  type DispatchAnswerInput,
  type DispatchInput,
  type TripCostsOutput,
  type TripInput,
  type TripListQuery,
  type TripOutput,
  type TripPatch,
  type TripStopInput,
} from './trips.schemas.js';
import type { ResourceRef } from './trips.tables.js';

/** Trip names: `TR-000001`, gap-free per tenant. */
const TRIP_NAME = { prefix: 'TR-', digits: 6 };

export function tripScopeOf(principal: Principal): TripScope {
  // A driver reads its trip through the driver routes only, which show its stops and nothing more.
  if (principal.driver) return { kind: 'none' };
  if (principal.role === 'TENANT') return { kind: 'tenant' };
  if (principal.role === 'SUBCONTRACTOR' && principal.companyId) return { kind: 'subcontractor', companyId: principal.companyId };
  return { kind: 'none' };
}

const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';

/** The span of the planned stops' dates, for listing trips by date. */
function dateSpan(view: TripView): { first_date: string | null; last_date: string | null } {
  const dates = view.output.stops
    .map((s) => s.date)
    .filter((d): d is string => typeof d === 'string')
    .sort();
  return { first_date: dates[0] ?? null, last_date: dates.at(-1) ?? null };
}

export type TripsService = ReturnType<typeof createTripsService>;

/** What the trips service is built from (the module adds its own settings). */
export interface TripsDeps {
  db: Db;
  bus: EventBus;
  orders: OrdersService;
  companies: CompaniesService;
  resources: Pick<ResourcesService, 'requireActiveResources'>;
  documents: Pick<DocumentsService, 'listForOrder' | 'createForOrder' | 'attachToOrder'>;
  eta: EtaSettings;
}

export function createTripsService(deps: TripsDeps) {
  const { db, bus, orders, companies } = deps;
  const view = createTripReader({ orders, companies });
  // Status updates and position ETAs move stops the same way; only the services' callers see `receive`.
  const { moveStop, ...statusIntake } = createStatusIntake({ db, bus, orders, view, documents: deps.documents });
  const { listForTrip: bookingsOfTrip, ...bookingIntake } = createBookingIntake({ db, bus, orders, documents: deps.documents, view });
  const execution = orders.execution;
  orders.onOrderChanged((tx, tenantId, orderId) => orderChanged(tx, tenantId, orderId));

  /** The trip if this caller may see it, its row locked when `tx` is given. */
  async function visibleTrip(exec: Executor, principal: Principal, tripId: string, forUpdate = false): Promise<TripRow> {
    const trip = await repo.findTrip(exec, principal.tenantId, tripId, tripScopeOf(principal), forUpdate);
    if (!trip) throw notFound('Trip');
    return trip;
  }

  /**
   * Locks a trip for a change: the orders of its stops (and of `joining` stops) first, then the
   * trip row, the order every writer takes (an order UPDATE locks its order, then its trips), so
   * planners and order imports queue instead of deadlocking. A trip whose stops changed between
   * the two steps is refused rather than changed on a stale reading.
   */
  async function lockTrip(tx: Tx, principal: Principal, tripId: string, joining: readonly string[] = [], ifMatch?: string) {
    const seen = await visibleTrip(tx.trx, principal, tripId);
    const planned = (await repo.tripStops(tx.trx, principal.tenantId, seen.id)).map((s) => s.stop_id);
    const stops = await execution.lockStops(tx, principal.tenantId, [...new Set([...planned, ...joining])]);
    const trip = await visibleTrip(tx.trx, principal, tripId, true);
    // A planner who names the version it read learns first that it is outdated.
    if (ifMatch !== undefined && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(trip.version)) {
      throw new AppError(412, `The trip changed meanwhile (now version ${trip.version}); reload it and apply your change again`);
    }
    const now = (await repo.tripStops(tx.trx, principal.tenantId, trip.id)).map((s) => s.stop_id);
    if (now.join() !== planned.join()) throw conflict(`Trip ${trip.name} changed meanwhile; reload it and try again`);
    return { trip, planned, stops };
  }

  /** Checks the stops of a new plan (their orders locked); answers them in the plan's order. */
  async function checkStops(tx: Tx, tenantId: string, input: TripStopInput[], found: PlanningStop[], tripId?: string, alreadyOn: readonly string[] = []) {
    const ids = input.map((s) => s.id);
    const elsewhere = await repo.plannedElsewhere(tx.trx, tenantId, ids, tripId);
    return checkPlan(ids, found, elsewhere, new Set(alreadyOn));
  }

  /** Writes a trip's stop list and the schedule changes it carries; stop statuses follow the trip. */
  async function writeStops(tx: Tx, trip: TripRow, input: TripStopInput[], plan: PlanningStop[]): Promise<void> {
    try {
      await repo.replaceTripStops(
        tx.trx,
        trip.tenant_id,
        trip.id,
        plan.map((s) => ({ stop_id: s.id, order_id: s.order_id })),
      );
    } catch (err) {
      // Another planner put one of these stops on a trip between our check and our insert.
      if (isUniqueViolation(err)) throw conflict('A stop of this plan was just planned on another trip; reload and try again');
      throw err;
    }
    await execution.rescheduleStops(
      tx.trx,
      trip.tenant_id,
      input.map((s) => ({ stopId: s.id, date: s.date, timeWindow: s.time_window as Record<string, unknown> | null | undefined })),
    );
  }

  /** The subcontractor to dispatch to, refused when it is no subcontractor, archived or blocked. */
  async function subcontractorFor(tenantId: string, companyId: string) {
    const company = await companies.findById(tenantId, companyId);
    if (!company || !company.is_subcontractor) {
      throw badRequest('subcontractor_id is not a subcontractor company', [detail(`no subcontractor company ${companyId}`, 'subcontractor_id')]);
    }
    if (company.archived_subcontractor) throw conflict(`Subcontractor ${company.name} is archived; trips cannot be dispatched to it`);
    const shown = companyOutput(company);
    if (shown.is_blocked || shown.purchase?.status === 'BLOCKED') throw conflict(`Subcontractor ${company.name} is BLOCKED; trips cannot be dispatched to it`);
    return company;
  }

  /** Who a dispatch hands the trip to, checked before its transaction. */
  interface DispatchTarget {
    subcontractor?: Awaited<ReturnType<typeof subcontractorFor>>;
    price: Decimal | null;
    currency?: string;
    resources: ResourceRef[];
  }

  /**
   * Own resources to dispatch, as master data has them: each must be an active resource of the
   * tenant (400 naming the entry otherwise), of the type the caller says when it says one.
   */
  async function ownResources(tenantId: string, refs: ReadonlyArray<{ id: string; resource_type?: string }>): Promise<ResourceRef[]> {
    const found = await deps.resources.requireActiveResources(
      tenantId,
      refs.map((r) => r.id),
    );
    const mismatch = refs.findIndex((r, i) => r.resource_type !== undefined && r.resource_type !== found[i]?.resourceType);
    if (mismatch >= 0) {
      const wrong = found[mismatch];
      throw badRequest(`resource ${wrong?.id} is a ${wrong?.resourceType}`, [
        detail(`resource ${wrong?.id} is a ${wrong?.resourceType}`, 'resource_type', `resources.${mismatch}.resource_type`),
      ]);
    }
    return found.map((r) => ({ resource_type: r.resourceType, id: r.id, name: r.name }));
  }

  /**
   * Called by the orders module inside its transaction after an order changed: each live trip
   * carrying it drops stops the order no longer has, and its executor gets an UPDATE if its view changed.
   */
  async function orderChanged(tx: Tx, tenantId: string, orderId: string): Promise<void> {
    for (const tripId of await repo.tripIdsOfOrder(tx.trx, tenantId, orderId)) {
      let trip = await repo.findTrip(tx.trx, tenantId, tripId, { kind: 'tenant' }, true);
      if (!trip || trip.cancelled_at) continue;
      const planned = await repo.tripStops(tx.trx, tenantId, trip.id);
      const v = await view(tx.trx, trip);
      const shown = new Set(v.output.stops.map((s) => s.id));
      const gone = planned.filter((p) => !shown.has(p.stop_id)).map((p) => p.stop_id);
      if (gone.length) {
        await repo.removeTripStops(tx.trx, tenantId, trip.id, gone);
        trip = await repo.updateTrip(tx.trx, tenantId, trip.id, dateSpan(v));
      }
      await updateDispatch(tx, bus, { ...v, trip });
    }
  }

  /** A new trip over these stops (in this order), named by the external planner's key when given. */
  async function planIn(tx: Tx, principal: Principal, stops: TripStopInput[], externalIdentifier: string | null = null): Promise<TripView> {
    const tenantId = principal.tenantId;
    const found = await execution.lockStops(tx, tenantId, [...new Set(stops.map((s) => s.id))]);
    const plan = await checkStops(tx, tenantId, stops, found);
    const number = await repo.drawTripNumber(tx.trx, tenantId);
    let trip = await repo.insertTrip(tx.trx, {
      tenant_id: tenantId,
      id: randomUUID(),
      name: `${TRIP_NAME.prefix}${String(number).padStart(TRIP_NAME.digits, '0')}`,
      status: 'CREATED',
      subcontractor_company_id: null,
      purchase_price: null,
      purchase_currency: null,
      resources: '[]',
      dispatch_errors: '[]',
      dispatched_at: null,
      dispatched_snapshot: null,
      first_date: null,
      last_date: null,
      external_identifier: externalIdentifier,
      cancelled_at: null,
    });
    await writeStops(tx, trip, stops, plan);
    await execution.setPlanningStatus(
      tx,
      tenantId,
      plan.map((s) => s.id),
      'PLANNED',
    );
    const first = await view(tx.trx, trip);
    trip = await repo.updateTrip(tx.trx, tenantId, trip.id, dateSpan(first));
    const v = { ...first, trip, output: { ...first.output, version: trip.version, updated_timestamp: trip.updated_at.toISOString() } };
    await appendTripEvent(tx, bus, 'trip.created', v, await visibilityOrders(tx.trx, orders, v));
    return v;
  }

  /** Changes a live trip's stop list (and the schedule it carries); its executor hears of what changed. */
  async function replanIn(tx: Tx, principal: Principal, tripId: string, input: TripPatch, ifMatch?: string): Promise<TripView> {
    const tenantId = principal.tenantId;
    const locked = await lockTrip(
      tx,
      principal,
      tripId,
      input.stops?.map((s) => s.id),
      ifMatch,
    );
    let trip = locked.trip;
    if (trip.cancelled_at) throw conflict(`Trip ${trip.name} is cancelled and cannot be changed`);
    if (trip.status === 'COMPLETED') throw conflict(`Trip ${trip.name} is completed and cannot be changed`);
    if (input.stops) {
      const plan = await checkStops(tx, tenantId, input.stops, locked.stops, trip.id, locked.planned);
      const { added, removed } = stopsToPlace(
        locked.planned,
        plan.map((s) => s.id),
      );
      await writeStops(tx, trip, input.stops, plan);
      await execution.setPlanningStatus(tx, tenantId, removed, 'TO_PLAN');
      await execution.setPlanningStatus(tx, tenantId, added, trip.executor === 'NONE' ? 'PLANNED' : 'DISPATCHED');
    }
    const planned = await view(tx.trx, trip);
    trip = await repo.updateTrip(tx.trx, tenantId, trip.id, dateSpan(planned));
    trip = await updateDispatch(tx, bus, { ...planned, trip });
    const v = await view(tx.trx, trip);
    await appendTripEvent(tx, bus, 'trip.updated', v);
    return v;
  }

  /**
   * Hands a live trip to a subcontractor (checked by `subcontractorFor`) or to own resources
   * (checked by `ownResources`); a previous executor other than the new one gets a CANCEL first.
   */
  async function dispatchIn(tx: Tx, principal: Principal, tripId: string, to: DispatchTarget): Promise<TripView> {
    const tenantId = principal.tenantId;
    const { subcontractor, price, resources } = to;
    let { trip } = await lockTrip(tx, principal, tripId);
    if (trip.cancelled_at) throw conflict(`Trip ${trip.name} is cancelled; plan a new trip`);
    if (trip.status === 'COMPLETED') throw conflict(`Trip ${trip.name} is completed`);
    const before = await view(tx.trx, trip);
    const sameExecutor = subcontractor ? trip.subcontractor_company_id === subcontractor.id : trip.executor === 'FLEET';
    // Taken away from its previous executor: that one is told first.
    if (trip.executor !== 'NONE' && !sameExecutor) await sendDispatch(tx, bus, before, 'CANCEL');
    trip = await repo.updateTrip(tx.trx, tenantId, trip.id, {
      status: 'PLANNED',
      executor: subcontractor ? 'SUBCONTRACTOR' : 'FLEET',
      subcontractor_company_id: subcontractor?.id ?? null,
      // Money keeps at least cents: 450 → "450.00", 320.125 stays exact.
      purchase_price: price ? price.toFixed(Math.max(2, price.decimalPlaces())) : null,
      purchase_currency: subcontractor ? (to.currency ?? subcontractor.currency) : null,
      resources: JSON.stringify(resources),
      ...(sameExecutor ? {} : { dispatched_snapshot: null }),
    });
    await execution.setPlanningStatus(
      tx,
      tenantId,
      before.output.stops.map((s) => s.id),
      'DISPATCHED',
    );
    const after = await view(tx.trx, trip);
    trip = sameExecutor && trip.dispatched_snapshot ? await updateDispatch(tx, bus, after) : await sendDispatch(tx, bus, after, 'CREATE');
    const v = await view(tx.trx, trip);
    if (before.trip.status !== 'PLANNED') await appendTripEvent(tx, bus, 'trip.planned', v, await visibilityOrders(tx.trx, orders, v));
    return v;
  }

  /** Cancels a trip that no vehicle reached yet; its stops are free to plan again. */
  async function cancelIn(tx: Tx, principal: Principal, tripId: string): Promise<TripView> {
    const tenantId = principal.tenantId;
    let { trip } = await lockTrip(tx, principal, tripId);
    // Cancelling again answers the cancelled trip: a retried cancel never fails.
    if (trip.cancelled_at) return view(tx.trx, trip);
    const current = await view(tx.trx, trip);
    const underWay = current.output.stops.filter((s) => ['ROUTE_TO_STOP', 'AT_STOP', 'COMPLETED'].includes(s.status));
    if (underWay.length) throw conflict(`Trip ${trip.name} is under way (${underWay.length} stop(s) reached); it can no longer be cancelled`);
    if (trip.executor !== 'NONE') await sendDispatch(tx, bus, current, 'CANCEL');
    await repo.deactivateTripStops(tx.trx, tenantId, trip.id);
    await execution.setPlanningStatus(
      tx,
      tenantId,
      current.output.stops.map((s) => s.id),
      'TO_PLAN',
    );
    trip = await repo.updateTrip(tx.trx, tenantId, trip.id, { cancelled_at: new Date() });
    const v = await view(tx.trx, trip);
    await appendTripEvent(tx, bus, 'trip.cancelled', v);
    return v;
  }

  return {
    view,
    // Billing reads subcontracted trips' agreed costs through these, in its own transaction.
    billableTrips,
    billableTripsByReference,
    lockForBilling,
    ...statusIntake,
    ...bookingIntake,

    /** The bookings reported for the trip's stops, to those who may see the trip. */
    async listBookings(principal: Principal, tripId: string) {
      const trip = await visibleTrip(db, principal, tripId);
      return bookingsOfTrip(principal.tenantId, trip);
    },
    ...createPositionFanout({ bus, orders, view, moveStop, eta: deps.eta }),
    ...createTripImport({ db, view, steps: { planIn, replanIn, dispatchIn, cancelIn, ownResources } }),

    async create(principal: Principal, input: TripInput): Promise<TripOutput> {
      return inTransaction(db, async (tx) => (await planIn(tx, principal, input.stops)).output);
    },

    async get(principal: Principal, tripId: string): Promise<TripOutput> {
      const trip = await visibleTrip(db, principal, tripId);
      return (await view(db, trip)).output;
    },

    /** Counts behind the console's overview. */
    countUnderWay: (tenantId: string, date: string) => repo.countUnderWay(db, tenantId, date),
    countOpenUnmatched: (tenantId: string) => repo.countUnmatched(db, tenantId, 'OPEN'),

    async list(principal: Principal, query: TripListQuery): Promise<{ items: TripOutput[]; next_cursor: string | null }> {
      const page = await paginate({
        query,
        filters: {
          status: query.status,
          cancelled: query.cancelled,
          subcontractor_id: query.subcontractor_id,
          resource_id: query.resource_id,
          date_from: query.date_from,
          date_to: query.date_to,
        },
        fields: {
          status: cursorField.oneOf(TRIP_STATUSES),
          cancelled: cursorField.boolean,
          subcontractor_id: cursorField.uuid,
          resource_id: cursorField.text(100),
          date_from: cursorField.date,
          date_to: cursorField.date,
        },
        fetch: ({ filters: f, after, limit }) =>
          repo.listTrips(db, {
            tenantId: principal.tenantId,
            scope: tripScopeOf(principal),
            status: f.status,
            cancelled: f.cancelled,
            subcontractorId: f.subcontractor_id,
            resourceId: f.resource_id,
            dateFrom: f.date_from,
            dateTo: f.date_to,
            after,
            limit,
          }),
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
      const items: TripOutput[] = [];
      for (const row of page.rows) items.push((await view(db, row)).output);
      return { items, next_cursor: page.next_cursor };
    },

    async patch(principal: Principal, tripId: string, input: TripPatch, ifMatch?: string): Promise<TripOutput> {
      return inTransaction(db, async (tx) => (await replanIn(tx, principal, tripId, input, ifMatch)).output);
    },

    async dispatch(principal: Principal, tripId: string, input: DispatchInput): Promise<TripOutput> {
      const tenantId = principal.tenantId;
      if (Boolean(input.subcontractor_id) === Boolean(input.resources)) {
        throw badRequest('Dispatch to a subcontractor (subcontractor_id) or to own resources (resources), not both', [
          detail('exactly one of subcontractor_id and resources is required', 'subcontractor_id'),
        ]);
      }
      if (!input.subcontractor_id && (input.purchase_price !== undefined || input.currency)) {
        throw badRequest('purchase_price and currency apply to a subcontractor dispatch', [detail('only with subcontractor_id', 'purchase_price')]);
      }
      const price = input.purchase_price === undefined ? null : new Decimal(String(input.purchase_price));
      if (price?.isNegative()) throw badRequest('purchase_price cannot be negative', [detail('must be 0 or more', 'purchase_price')]);
      const subcontractor = input.subcontractor_id ? await subcontractorFor(tenantId, input.subcontractor_id) : undefined;
      const resources = input.resources ? await ownResources(tenantId, input.resources) : [];
      const executor = { subcontractor, price, currency: input.currency, resources };
      return inTransaction(db, async (tx) => (await dispatchIn(tx, principal, tripId, executor)).output);
    },

    async cancel(principal: Principal, tripId: string): Promise<TripOutput> {
      return inTransaction(db, async (tx) => (await cancelIn(tx, principal, tripId)).output);
    },

    /** The subcontractor's own answer from its trip page: the tenant sees it as a receiver's answer. */
    async answerDispatch(principal: Principal, tripId: string, input: DispatchAnswerInput): Promise<TripOutput> {
      if (input.answer === 'REJECT' && !input.reason?.trim()) {
        throw badRequest('Say why the trip is refused', [detail('required with REJECT', 'reason')]);
      }
      return inTransaction(db, async (tx) => {
        const trip = await visibleTrip(tx.trx, principal, tripId, true);
        const answered = await answerDispatch(tx, bus, trip, { accept: input.answer === 'ACCEPT', reason: input.reason?.trim() });
        return (await view(tx.trx, answered)).output;
      });
    },

    /** The executor's answer to a dispatch message (see `recordDispatchAnswer`). */
    recordDispatchAnswer: (answer: { tenantId: string; sent: string; body: string }) => recordDispatchAnswer(db, bus, answer),

    /** The agreed purchase price as the trip's one charge (empty until a subcontractor is agreed). */
    async costs(principal: Principal, tripId: string): Promise<TripCostsOutput> {
      const trip = await visibleTrip(db, principal, tripId);
      if (trip.purchase_price === null) return { charges: [] };
      return {
        charges: [
          {
            description: `Subcontracting ${trip.name}`,
            amount: trip.purchase_price,
            currency: trip.purchase_currency,
            subcontractor_id: trip.subcontractor_company_id,
          },
        ],
      };
    },

    /** The documents of the trip's orders (their consignments' and stops' included). */
    async documents(principal: Principal, tripId: string): Promise<DocumentOutput[]> {
      const trip = await visibleTrip(db, principal, tripId);
      const orderIds = [...new Set((await repo.tripStops(db, principal.tenantId, trip.id)).map((s) => s.order_id))];
      const lists = await Promise.all(orderIds.map((id) => deps.documents.listForOrder(principal.tenantId, id)));
      return lists.flat();
    },
  };
}
