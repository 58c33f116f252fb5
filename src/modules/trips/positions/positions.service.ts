import type { EventBus } from '../../../platform/events/bus.js';
import type { Tx } from '../../../platform/db/tx.js';
import type { OrdersService } from '../../orders/index.js';
import { estimateArrival, etaMoved, locationPoint, type EtaSettings, type GeoPoint } from './positions.policy.js';
import { appendResourcePositionEvents, type VisibilityResource } from '../trips.events.js';
import { visibilityOrders, type TripReader, type TripView } from '../trips.output.js';
import * as repo from '../trips.repo.js';
import type { StatusIntake } from '../status/status.service.js';

/** Stops a vehicle no longer drives to. */
const PASSED = new Set(['COMPLETED', 'CANCELLED', 'IGNORED']);

/**
 * Positions of own resources, as the tracking module receives them, told to the customers whose
 * goods those resources carry: the live (not cancelled, not completed) fleet trips the resource is
 * dispatched on. The contract gives no rule for an ETA, so Waybill's own (see eta-estimate.ts) gives
 * each such trip's next stop one, applied like an ETA-only status update so it sends the same event.
 */
export function createPositionFanout(deps: {
  bus: EventBus;
  orders: Pick<OrdersService, 'visibilityOrder'>;
  view: TripReader;
  moveStop: StatusIntake['moveStop'];
  eta: EtaSettings;
}) {
  /**
   * The next stop is the first in trip sequence not yet passed; a vehicle already at it needs no
   * ETA, and a stop whose location has no coordinates gets none.
   */
  async function estimateNextStop(tx: Tx, v: TripView, from: GeoPoint, at: Date): Promise<void> {
    const next = v.output.stops.find((s) => !PASSED.has(s.status));
    const to = next && next.status !== 'AT_STOP' ? locationPoint(next.location) : undefined;
    if (!next || !to) return;
    const eta = estimateArrival(from, to, at, deps.eta);
    // Before arrival the stop's start timestamp is its stored ETA.
    const stored = next.start_timestamp ? new Date(next.start_timestamp) : null;
    if (!etaMoved(stored, eta, deps.eta)) return;
    await deps.moveStop(tx, v.trip.tenant_id, { stopId: next.id, tripId: v.trip.id }, { etaStart: eta, eventTime: at });
  }

  return {
    /** Inside the transaction that stored the position; answers how many trips were told. */
    async announcePosition(
      tx: Tx,
      tenantId: string,
      report: { resource: VisibilityResource; latitude: number; longitude: number; recordedAt: Date },
    ): Promise<number> {
      const trips = await repo.liveTripsOfResource(tx.trx, tenantId, report.resource.id);
      for (const trip of trips) {
        const v = await deps.view(tx.trx, trip);
        await appendResourcePositionEvents(tx, deps.bus, v, await visibilityOrders(tx.trx, deps.orders, v), report);
        await estimateNextStop(tx, v, report, report.recordedAt);
      }
      return trips.length;
    },
  };
}
