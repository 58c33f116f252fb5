import type { Principal } from '../../platform/http/principal.js';
import { ORDER_STATUSES } from '../orders/index.js';
import type { Overview, OverviewCount, OverviewList } from './overview.schemas.js';

/**
 * The console's first page: how much needs attention, each figure with the list filter that shows
 * the rows behind it. The counts come from the modules that own the rows, through these narrow
 * interfaces, so the overview never reads another module's tables.
 */
export interface OverviewSources {
  orders: { countOnDate(tenantId: string, date: string): Promise<Record<string, number>> };
  trips: { countUnderWay(tenantId: string, date: string): Promise<number>; countOpenUnmatched(tenantId: string): Promise<number> };
  webhooks: { countFailed(tenantId: string): Promise<number>; countDisabled(tenantId: string): Promise<number> };
  syncTasks: { countFailed(tenantId: string): Promise<number> };
}

function list(operationId: string, path: string, query: Record<string, string>): OverviewList {
  return { operation_id: operationId, path, query, href: `${path}?${new URLSearchParams(query).toString()}` };
}

const count = (n: number, where: OverviewList): OverviewCount => ({ count: n, list: where });

export type OverviewService = ReturnType<typeof createOverviewService>;

export function createOverviewService(deps: OverviewSources) {
  return {
    async overview(principal: Principal, query: { date?: string }): Promise<Overview> {
      const tenantId = principal.tenantId;
      const date = query.date ?? new Date().toISOString().slice(0, 10);
      // Independent reads: on PostgreSQL they run side by side; PGlite queues them anyway.
      const [orders, underWay, unmatched, failed, disabled, tasks] = await Promise.all([
        deps.orders.countOnDate(tenantId, date),
        deps.trips.countUnderWay(tenantId, date),
        deps.trips.countOpenUnmatched(tenantId),
        deps.webhooks.countFailed(tenantId),
        deps.webhooks.countDisabled(tenantId),
        deps.syncTasks.countFailed(tenantId),
      ]);
      const byStatus = ORDER_STATUSES.map((status) => ({
        status,
        count: orders[status] ?? 0,
        list: list('listOrders', '/v1/orders/order', { stop_date: date, status }),
      }));
      return {
        date,
        orders_today: { total: byStatus.reduce((sum, s) => sum + s.count, 0), by_status: byStatus },
        trips_under_way: count(underWay, list('listTrips', '/v1/trips/trip', { status: 'PLANNED', cancelled: 'false', date_to: date })),
        deliveries_failing: count(failed, list('listAllWebhookDeliveries', '/v1/admin/webhook-deliveries', { status: 'FAILED' })),
        endpoints_disabled: count(disabled, list('listWebhookEndpoints', '/v1/admin/webhook-endpoints', { enabled: 'false' })),
        sync_tasks_failed: count(tasks, list('listSyncTasks', '/v1/accounting/sync-tasks', { status: 'FAILED' })),
        unmatched_status_updates: count(unmatched, list('listUnmatchedStatusUpdates', '/v1/trips/unmatched-status-updates', { state: 'OPEN' })),
      };
    },
  };
}
