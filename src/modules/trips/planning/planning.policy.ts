import { badRequest, conflict, detail, type ErrorDetail } from '../../../platform/http/errors.js';
import { mustGet } from '../../../platform/narrow.js';
import type { PlanningStop } from '../../orders/index.js';

export type { PlanningStop };

/** Statuses of a stop a vehicle has reached or left: no planner may move it any more. */
const REACHED = new Set(['ROUTE_TO_STOP', 'AT_STOP', 'COMPLETED']);

/**
 * Checks a trip's new stop list (`ids`, in visiting order) against the stops as they are now
 * (`found`, their orders locked), the active trips holding any of them elsewhere, and the stops
 * the trip had before (`current`). Answers the stops in plan order, or throws the first broken
 * rule: 400 for a plan that can never work, 409 for one that conflicts with the current state.
 */
export function checkPlan(
  ids: readonly string[],
  found: readonly PlanningStop[],
  elsewhere: ReadonlyArray<{ stop_id: string; trip_name: string }>,
  current: ReadonlySet<string> = new Set(),
): PlanningStop[] {
  const byId = new Map(found.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const bad: ErrorDetail[] = [];
  ids.forEach((id, i) => {
    if (seen.has(id)) bad.push(detail(`stop ${id} is listed twice`, 'id', `stops.${i}.id`));
    else if (!byId.has(id)) bad.push(detail(`no stop ${id}`, 'id', `stops.${i}.id`));
    seen.add(id);
  });
  if (bad.length) throw badRequest(bad[0]?.message ?? 'Unknown stops', bad);

  const plan = ids.map((id) => mustGet(byId, id));
  const cancelled = plan.filter((s) => s.order_cancelled || s.status === 'CANCELLED' || s.status === 'IGNORED');
  if (cancelled.length) {
    throw conflict(
      'Stops of cancelled orders cannot be planned',
      cancelled.map((s) => detail(`stop ${s.id} belongs to a cancelled order or is cancelled`, 'id')),
    );
  }
  if (elsewhere.length) {
    throw conflict(
      'A stop belongs to at most one active trip',
      elsewhere.map((e) => detail(`stop ${e.stop_id} is already on trip ${e.trip_name}`, 'id')),
    );
  }
  const notPlannable = plan.filter((s) => !current.has(s.id) && s.status !== 'TO_PLAN');
  if (notPlannable.length) {
    throw conflict(
      'Only stops still to plan can be added to a trip',
      notPlannable.map((s) => detail(`stop ${s.id} is ${s.status}`, 'id')),
    );
  }
  const dropped = found.filter((s) => current.has(s.id) && !seen.has(s.id) && REACHED.has(s.status));
  if (dropped.length) {
    throw conflict(
      'A stop the vehicle already reached stays on its trip',
      dropped.map((s) => detail(`stop ${s.id} is ${s.status}`, 'id')),
    );
  }

  // A consignment's goods are picked up before they are delivered.
  const position = new Map(ids.map((id, i) => [id, i]));
  const order: ErrorDetail[] = [];
  for (const delivery of plan.filter((s) => s.stop_type === 'DELIVERY' && s.consignment_id)) {
    const pickup = plan.find((s) => s.stop_type === 'PICKUP' && s.consignment_id === delivery.consignment_id);
    if (pickup && (position.get(pickup.id) ?? 0) > (position.get(delivery.id) ?? 0)) {
      order.push(detail(`delivery stop ${delivery.id} comes before its pickup ${pickup.id}`, 'stops', `stops.${position.get(delivery.id)}`));
    }
  }
  if (order.length) throw badRequest("A consignment's pickup must come before its delivery", order);
  return plan;
}

/** Which stops a new plan adds to the trip and which it removes. */
export function stopsToPlace(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const old = new Set(before);
  const next = new Set(after);
  return { added: after.filter((id) => !old.has(id)), removed: before.filter((id) => !next.has(id)) };
}
