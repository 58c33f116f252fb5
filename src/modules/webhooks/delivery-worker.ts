import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { inTransaction, type Tx } from '../../platform/db/tx.js';
import { appendEvent } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { GuardedHttpClient, PostResult } from '../../platform/net/guarded-http.js';
import { WorkLoop } from '../../platform/outbox/work-loop.js';
import { nextRetryDelayMs, parseRetryAfter } from './delivery-policy.js';
import * as deliveriesRepo from './deliveries.repo.js';
import type { AttemptOutcome, DeliveryRow } from './deliveries.repo.js';
import * as endpointsRepo from './endpoints.repo.js';
import type { EndpointRow } from './endpoints.repo.js';
import { signedHeaders } from './signing.js';

export interface DeliveryWorkerOptions {
  db: Db;
  bus: EventBus;
  http: GuardedHttpClient;
  retrySchedule: number[];
  timeoutMs: number;
  disableAfterHours: number;
  /** Deliveries in flight in this process, over all endpoints. */
  concurrency: number;
  /** Deliveries in flight in this process to one endpoint: a slow receiver cannot take every slot. */
  perEndpoint: number;
  pollMs: number;
  onError: (err: unknown) => void;
}

const USER_AGENT = 'Waybill-Webhooks/1';

/** The headers of one attempt: ours, the receiver's own, and the signatures over this timestamp. */
export function requestHeaders(endpoint: EndpointRow, delivery: Pick<DeliveryRow, 'message_id' | 'payload'>, now: Date): Record<string, string> {
  const secrets = [endpoint.secret];
  if (endpoint.previous_secret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now) {
    secrets.push(endpoint.previous_secret);
  }
  const headers: Record<string, string> = {
    ...endpoint.headers,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    ...signedHeaders(delivery.message_id, now, delivery.payload, secrets),
  };
  if (endpoint.basic_username && endpoint.basic_password) {
    headers.authorization = `Basic ${Buffer.from(`${endpoint.basic_username}:${endpoint.basic_password}`).toString('base64')}`;
  }
  return headers;
}

/**
 * Sends due deliveries: claims a batch with a lease, POSTs each outside any transaction, and
 * records the outcomes of everything that finished since the last write in one transaction.
 * Claiming never waits for slow sends, so a slow receiver only occupies its own per-endpoint slots.
 */
export class DeliveryWorker {
  private readonly token = randomUUID();
  private readonly loop: WorkLoop;
  private readonly inFlight = new Map<string, number>();
  private readonly sending = new Set<Promise<void>>();
  private total = 0;
  private finished: AttemptOutcome[] = [];
  private flushing: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = Infinity;

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.loop = new WorkLoop(() => this.claimAndSend(), o.pollMs, o.onError);
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    clearTimeout(this.retryTimer);
    await Promise.all([...this.sending]);
    await this.flushSoon();
  }

  private get leaseSeconds(): number {
    // The whole request is bounded by the timeout; the margin covers writing its outcome.
    return Math.ceil(this.o.timeoutMs / 1000) + 5;
  }

  private async claimAndSend(): Promise<boolean> {
    const free = this.o.concurrency - this.total;
    if (free <= 0) return false;
    const busy = new Map([...this.inFlight].map(([id, n]) => [id, Math.max(0, this.o.perEndpoint - n)]));
    const claimed = await deliveriesRepo.claimDue(this.o.db, {
      token: this.token,
      leaseSeconds: this.leaseSeconds,
      limit: free,
      perEndpoint: this.o.perEndpoint,
      busy,
    });
    if (!claimed.length) return false;
    const keys = [...new Map(claimed.map((d) => [d.endpoint_id, { tenantId: d.tenant_id, id: d.endpoint_id }])).values()];
    const endpoints = new Map((await endpointsRepo.endpointsByKeys(this.o.db, keys)).map((e) => [e.id, e]));
    for (const delivery of claimed) {
      const endpoint = endpoints.get(delivery.endpoint_id);
      if (!endpoint) continue; // deleted meanwhile: its deliveries went with it
      this.total++;
      this.inFlight.set(endpoint.id, (this.inFlight.get(endpoint.id) ?? 0) + 1);
      const sent: Promise<void> = this.send(endpoint, delivery).finally(() => {
        this.total--;
        const left = (this.inFlight.get(endpoint.id) ?? 1) - 1;
        if (left) this.inFlight.set(endpoint.id, left);
        else this.inFlight.delete(endpoint.id);
        this.sending.delete(sent);
      });
      this.sending.add(sent);
    }
    return claimed.length === free;
  }

  private async send(endpoint: EndpointRow, delivery: DeliveryRow): Promise<void> {
    const attemptedAt = new Date();
    const result = await this.o.http.post(endpoint.url, delivery.payload, requestHeaders(endpoint, delivery, attemptedAt));
    this.finished.push(this.outcome(delivery, attemptedAt, result));
    void this.flushSoon();
  }

  private outcome(delivery: DeliveryRow, attemptedAt: Date, result: PostResult): AttemptOutcome {
    const code = result.statusCode;
    const attempt = {
      tenant_id: delivery.tenant_id,
      id: randomUUID(),
      delivery_id: delivery.id,
      attempted_at: attemptedAt,
      status_code: code ?? null,
      latency_ms: result.latencyMs,
      response_excerpt: code === undefined ? null : result.bodyExcerpt,
      error: result.error ?? (code !== undefined && (code < 200 || code > 299) ? `receiver answered ${code}` : null),
    };
    if (code !== undefined && code >= 200 && code <= 299) return { delivery, attempt, status: 'SUCCEEDED', nextAttemptAt: null };
    if (code === 410) return { delivery, attempt, status: 'FAILED', nextAttemptAt: null };
    const retryAfter = code === 429 || code === 503 ? parseRetryAfter(result.headers['retry-after'], attemptedAt) : undefined;
    const delay = nextRetryDelayMs(this.o.retrySchedule, delivery.attempt_count + 1, retryAfter);
    if (delay === undefined) return { delivery, attempt, status: 'FAILED', nextAttemptAt: null };
    return { delivery, attempt, status: 'PENDING', nextAttemptAt: new Date(Date.now() + delay) };
  }

  /** One writer at a time; results that arrive during a write go into the next one. */
  private flushSoon(): Promise<void> {
    this.flushing ??= (async () => {
      try {
        while (this.finished.length) await this.flush();
      } catch (err) {
        this.o.onError(err);
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.finished;
    this.finished = [];
    if (!batch.length) return;
    try {
      await inTransaction(this.o.db, async (tx) => {
        const recorded = await deliveriesRepo.recordOutcomes(tx.trx, this.token, batch);
        await this.updateEndpointHealth(tx, batch.filter((o) => recorded.has(o.delivery.id)));
      });
    } catch (err) {
      // The attempts happened; keep them for the next write rather than lose the log (the lease
      // stays ours until it runs out, so nobody else sends these meanwhile).
      this.finished.unshift(...batch);
      throw err;
    }
    for (const o of batch) if (o.nextAttemptAt) this.wakeAt(o.nextAttemptAt);
    this.loop.wake();
  }

  private wakeAt(when: Date): void {
    const at = when.getTime();
    if (at >= this.retryAt) return;
    clearTimeout(this.retryTimer);
    this.retryAt = at;
    this.retryTimer = setTimeout(() => {
      this.retryAt = Infinity;
      this.loop.wake();
    }, Math.max(0, at - Date.now()));
    this.retryTimer.unref();
  }

  /**
   * Any success clears an endpoint's failing streak; a failure starts one. A 410 disables the
   * endpoint at once, and a streak older than `disableAfterHours` disables it; both are recorded
   * as `webhook_endpoint.disabled` events.
   */
  private async updateEndpointHealth(tx: Tx, outcomes: AttemptOutcome[]): Promise<void> {
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
            disabled_reason = ${`failing for more than ${this.o.disableAfterHours} hours`}
        where enabled and failing_since < now() - make_interval(hours => ${this.o.disableAfterHours})
          and (tenant_id, id) in (${sql.join(tuples(stillFailing))})
        returning *`.execute(tx.trx);
      for (const endpoint of expired.rows) await this.recordDisabled(tx, endpoint);
    }
    for (const o of gone.values()) {
      const disabled = await sql<EndpointRow>`update webhook_endpoints
        set enabled = false, updated_at = now(), disabled_reason = 'receiver answered 410 Gone'
        where enabled and tenant_id = ${o.delivery.tenant_id} and id = ${o.delivery.endpoint_id}
        returning *`.execute(tx.trx);
      for (const endpoint of disabled.rows) await this.recordDisabled(tx, endpoint);
    }
  }

  private async recordDisabled(tx: Tx, endpoint: EndpointRow): Promise<void> {
    await appendEvent(tx, this.o.bus, {
      tenantId: endpoint.tenant_id,
      type: 'webhook_endpoint.disabled',
      entityType: 'webhook_endpoint',
      entityId: endpoint.id,
      companyIds: endpoint.company_id ? [endpoint.company_id] : [],
      payload: { url: endpoint.url, reason: endpoint.disabled_reason },
    });
  }
}
