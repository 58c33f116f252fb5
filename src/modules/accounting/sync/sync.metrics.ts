import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { Db } from '../../../platform/db/database.js';
import { scrapedGauge } from '../../../platform/http/metrics.js';

/** Sync tasks the accounting system reported FAILED and nobody has retried yet (over all tenants). */
export function observeSyncTasks(registry: Registry, db: Db): void {
  scrapedGauge(registry, {
    name: 'waybill_accounting_sync_tasks_failed',
    help: 'Accounting sync tasks in status FAILED, waiting for a fix and a retry',
    // Served by the partial index sync_tasks_failed_idx.
    read: async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from sync_tasks where status = 'FAILED'`.execute(db);
      return rows[0]?.n ?? 0;
    },
  });
}
