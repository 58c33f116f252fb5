import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { Counter, type Registry } from 'prom-client';
import type { Db } from '../../platform/db/database.js';
import { scrapedGauge } from '../../platform/http/metrics.js';
import type { AttemptOutcome } from './deliveries/deliveries.repo.js';
import type { DeliveryObserver } from './deliveries/deliveries.worker.js';

const OUTCOME_LABEL = { SUCCEEDED: 'succeeded', PENDING: 'retrying', FAILED: 'failed' } as const;

/**
 * How far webhooks run behind, and what is switched off, read from the database at scrape time
 * (the backlog is shared by every process, so no single process could count it):
 * - fan-out lag: age of the oldest committed event not yet turned into deliveries;
 * - delivery lag: how long the longest-waiting due delivery to an enabled endpoint has waited.
 */
export function observeWebhookBacklog(registry: Registry, db: Db): void {
  scrapedGauge(registry, {
    name: 'waybill_outbox_lag_seconds',
    help: 'Age of the oldest undelivered work: stage="fan_out" an event not yet turned into deliveries, stage="delivery" a due delivery not yet sent',
    labelNames: ['stage'],
    read: async () => {
      // The next event after each tenant's checkpoint is one primary-key lookup per tenant with a backlog.
      const fanOut = await sql<{ lag: number | null }>`
        select extract(epoch from now() - min(e.occurred_at))::float8 as lag
        from tenant_counters c
        left join webhook_checkpoints w on w.tenant_id = c.tenant_id
        join events e on e.tenant_id = c.tenant_id and e.position = coalesce(w.position, 0) + 1
        where c.name = 'event_position' and c.value > coalesce(w.position, 0)`.execute(db);
      // The due-deliveries index is ordered by next_attempt_at, so the oldest due row comes first.
      const delivery = await sql<{ lag: number | null }>`
        select extract(epoch from now() - min(d.next_attempt_at))::float8 as lag
        from webhook_deliveries d
        join webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id and e.enabled
        where d.status = 'PENDING' and d.next_attempt_at <= now()`.execute(db);
      return [
        { labels: { stage: 'fan_out' }, value: Math.max(0, fanOut.rows[0]?.lag ?? 0) },
        { labels: { stage: 'delivery' }, value: Math.max(0, delivery.rows[0]?.lag ?? 0) },
      ];
    },
  });
  scrapedGauge(registry, {
    name: 'waybill_webhook_endpoints_disabled',
    help: 'Webhook endpoints switched off (by a 410 answer, a long failing streak, or their tenant)',
    read: async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from webhook_endpoints where not enabled`.execute(db);
      return rows[0]?.n ?? 0;
    },
  });
}

/**
 * Counts every attempt this process makes, and logs a warning for each failed attempt and each
 * endpoint it disables. Logs carry ids, status codes and reasons only: never a URL (it may hold a
 * token), a credential, or a payload or response body.
 */
export function deliveryObserver(registry: Registry, log: FastifyBaseLogger): DeliveryObserver {
  const labelNames = ['endpoint_id', 'outcome'] as const;
  const attempts = new Counter({
    name: 'waybill_webhook_attempts_total',
    help: 'Delivery attempts, per endpoint and outcome (succeeded, retrying, failed)',
    labelNames,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'waybill_webhook_retries_total',
    help: "Attempts after a delivery's first, per endpoint and outcome",
    labelNames,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'waybill_webhook_deliveries_total',
    help: 'Deliveries finished, per endpoint and final outcome (succeeded, failed)',
    labelNames,
    registers: [registry],
  });
  return {
    attempted(o: AttemptOutcome) {
      const labels = { endpoint_id: o.delivery.endpoint_id, outcome: OUTCOME_LABEL[o.status] };
      attempts.inc(labels);
      if (o.delivery.attempt_count > 0) retries.inc(labels);
      if (o.status !== 'PENDING') deliveries.inc(labels);
      if (o.status === 'SUCCEEDED') return;
      log.warn(
        {
          endpointId: o.delivery.endpoint_id,
          deliveryId: o.delivery.id,
          statusCode: o.attempt.status_code,
          attempt: o.delivery.attempt_count + 1,
          nextAttemptAt: o.nextAttemptAt?.toISOString() ?? null,
        },
        o.status === 'FAILED' ? 'webhook delivery failed for good' : 'webhook delivery attempt failed; will retry',
      );
    },
    disabled(endpoint) {
      log.warn({ endpointId: endpoint.id, tenantId: endpoint.tenant_id, reason: endpoint.disabled_reason }, 'webhook endpoint disabled');
    },
  };
}
