import { sql } from 'kysely';
import type { Tx } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import type { AttemptOutcome } from '../deliveries/deliveries.repo.js';
import type { EndpointRow } from './endpoints.repo.js';

/**
 * Any success clears an endpoint's failing streak; a failure starts one. A 410 disables the
 * endpoint at once, and a streak older than `disableAfterHours` disables it; both are recorded
 * as `webhook_endpoint.disabled` events. Returns the endpoints it disabled.
 */
export async function updateEndpointHealth(tx: Tx, bus: EventBus, disableAfterHours: number, outcomes: AttemptOutcome[]): Promise<EndpointRow[]> {
  const disabled: EndpointRow[] = [];
  const key = (o: AttemptOutcome) => `${o.delivery.tenant_id}/${o.delivery.endpoint_id}`;
  const succeeded = new Map<string, AttemptOutcome>();
  const failed = new Map<string, AttemptOutcome>();
  const gone = new Map<string, AttemptOutcome>();
  for (const o of outcomes) {
    if (o.status === 'SUCCEEDED') succeeded.set(key(o), o);
    else failed.set(key(o), o);
    if (o.attempt.status_code === 410) gone.set(key(o), o);
  }
  const tuples = (list: AttemptOutcome[]) => list.map((o) => sql`(${o.delivery.tenant_id}::uuid, ${o.delivery.endpoint_id}::uuid)`);
  if (succeeded.size) {
    await sql`update webhook_endpoints set failing_since = null
      where failing_since is not null and (tenant_id, id) in (${sql.join(tuples([...succeeded.values()]))})`.execute(tx.trx);
  }
  const stillFailing = [...failed.entries()].filter(([k]) => !succeeded.has(k)).map(([, o]) => o);
  if (stillFailing.length) {
    await sql`update webhook_endpoints set failing_since = now()
      where failing_since is null and (tenant_id, id) in (${sql.join(tuples(stillFailing))})`.execute(tx.trx);
    const expired = await sql<EndpointRow>`update webhook_endpoints
      set enabled = false, updated_at = now(),
          disabled_reason = ${`failing for more than ${disableAfterHours} hours`}
      where enabled and failing_since < now() - make_interval(hours => ${disableAfterHours})
        and (tenant_id, id) in (${sql.join(tuples(stillFailing))})
      returning *`.execute(tx.trx);
    for (const endpoint of expired.rows) await recordDisabled(tx, bus, endpoint);
    disabled.push(...expired.rows);
  }
  for (const o of gone.values()) {
    const gone = await sql<EndpointRow>`update webhook_endpoints
      set enabled = false, updated_at = now(), disabled_reason = 'receiver answered 410 Gone'
      where enabled and tenant_id = ${o.delivery.tenant_id} and id = ${o.delivery.endpoint_id}
      returning *`.execute(tx.trx);
    for (const endpoint of gone.rows) await recordDisabled(tx, bus, endpoint);
    disabled.push(...gone.rows);
  }
  return disabled;
}

async function recordDisabled(tx: Tx, bus: EventBus, endpoint: EndpointRow): Promise<void> {
  await appendEvent(tx, bus, {
    tenantId: endpoint.tenant_id,
    type: 'webhook_endpoint.disabled',
    entityType: 'webhook_endpoint',
    entityId: endpoint.id,
    companyIds: endpoint.company_id ? [endpoint.company_id] : [],
    payload: { url: endpoint.url, reason: endpoint.disabled_reason },
  });
}
