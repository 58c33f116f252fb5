import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { Db } from '../../platform/db/database.js';
import { scrapedGauge } from '../../platform/http/metrics.js';

/** Past this many per tenant the count stops: the gauge is for alerting, and a scrape must stay cheap. */
const COUNT_CAP = 10_000;

/** Status updates from subcontractors that matched no trip or stop, received in the last hour. */
export function observeUnmatchedStatusUpdates(registry: Registry, db: Db): void {
  scrapedGauge(registry, {
    name: 'waybill_trip_unmatched_status_updates_last_hour',
    help: `Inbound stop status updates that matched no trip or stop in the last hour (at most ${COUNT_CAP} counted per tenant)`,
    // One range of the (tenant_id, received_at) index per tenant, capped.
    read: async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from tenants t
        cross join lateral (
          select 1 from trip_unmatched_updates u
          where u.tenant_id = t.id and u.received_at > now() - interval '1 hour'
          limit ${COUNT_CAP}) recent`.execute(db);
      return rows[0]?.n ?? 0;
    },
  });
}
