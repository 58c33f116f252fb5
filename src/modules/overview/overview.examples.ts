import type { Overview } from './overview.schemas.js';

/** Recorded from a run of the API (GET /v1/overview?date=2026-12-07). */
const at = (operation_id: string, path: string, query: Record<string, string>) => ({
  operation_id,
  path,
  query,
  href: `${path}?${new URLSearchParams(query).toString()}`,
});

export const overviewExample: Overview = {
  date: '2026-12-07',
  orders_today: {
    total: 3,
    by_status: (['QUOTE', 'TO_PLAN', 'PLANNED', 'IN_TRANSIT', 'COMPLETED', 'CANCELLED'] as const).map((status) => ({
      status,
      count: status === 'TO_PLAN' ? 2 : status === 'IN_TRANSIT' ? 1 : 0,
      list: at('listOrders', '/v1/orders/order', { stop_date: '2026-12-07', status }),
    })),
  },
  trips_under_way: { count: 1, list: at('listTrips', '/v1/trips/trip', { status: 'PLANNED', cancelled: 'false', date_to: '2026-12-07' }) },
  deliveries_failing: { count: 4, list: at('listAllWebhookDeliveries', '/v1/admin/webhook-deliveries', { status: 'FAILED' }) },
  endpoints_disabled: { count: 1, list: at('listWebhookEndpoints', '/v1/admin/webhook-endpoints', { enabled: 'false' }) },
  sync_tasks_failed: { count: 0, list: at('listSyncTasks', '/v1/accounting/sync-tasks', { status: 'FAILED' }) },
  unmatched_status_updates: { count: 2, list: at('listUnmatchedStatusUpdates', '/v1/trips/unmatched-status-updates', { state: 'OPEN' }) },
};
