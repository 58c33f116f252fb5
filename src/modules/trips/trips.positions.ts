import type { EventBus } from '../../platform/events/bus.js';
import type { Tx } from '../../platform/db/tx.js';
import type { OrdersService } from '../orders/orders.service.js';
import { appendResourcePositionEvents, type VisibilityResource } from './trips.events.js';
import { visibilityOrders, type TripReader } from './trips.output.js';
import * as repo from './trips.repo.js';

/**
 * Positions of own resources, as the tracking module receives them, told to the customers whose
 * goods those resources carry: the live (not cancelled, not completed) fleet trips the resource is
 * dispatched on. The contract gives no rule for deriving an ETA from a position, so none is made.
 */
export function createPositionFanout(deps: { bus: EventBus; orders: Pick<OrdersService, 'visibilityOrder'>; view: TripReader }) {
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
      }
      return trips.length;
    },
  };
}
