import { randomUUID } from 'node:crypto';
import { CredentialUnreadableError, type CredentialBox } from '../../../platform/crypto/credential-box.js';
import type { Db } from '../../../platform/db/database.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { inSpan } from '../../../platform/tracing/spans.js';
import { noAnswer, type GuardedHttpClient, type PostResult } from '../../../platform/net/guarded-http.js';
import { WorkLoop } from '../../../platform/outbox/work-loop.js';
import { nextRetryDelayMs, parseRetryAfter } from './deliveries.policy.js';
import * as deliveriesRepo from './deliveries.repo.js';
import type { AttemptOutcome, SendableDelivery } from './deliveries.repo.js';
import * as endpointsRepo from '../endpoints/endpoints.repo.js';
import type { EndpointRow } from '../endpoints/endpoints.repo.js';
import type { Handoff, HandoffRoom } from '../fanout/fanout.worker.js';
import type { AnswerHandler, PayloadFamily } from '../payloads/payloads.output.js';
import { OutcomeWriter } from '../outcomes/outcomes.worker.js';
import { signedHeaders } from '../webhooks.render.js';

export interface DeliveryWorkerOptions {
  db: Db;
  bus: EventBus;
  http: GuardedHttpClient;
  /** Opens the credentials stored sealed on endpoint rows. */
  box: CredentialBox;
  retrySchedule: number[];
  timeoutMs: number;
  disableAfterHours: number;
  /** Deliveries in flight in this process, over all endpoints. */
  concurrency: number;
  /** Deliveries in flight in this process to one endpoint: a slow receiver cannot take every slot. */
  perEndpoint: number;
  pollMs: number;
  onError: (err: unknown) => void;
  /** Told of every attempt and every endpoint it disabled (metrics and warnings; see webhooks.metrics.ts). */
  observer?: DeliveryObserver;
  /** Who records receivers' answers, per family whose answers mean something (see AnswerHandler). */
  answers?: Partial<Record<PayloadFamily, AnswerHandler>>;
}

export interface DeliveryObserver {
  attempted(outcome: AttemptOutcome): void;
  disabled(endpoint: Pick<EndpointRow, 'tenant_id' | 'id' | 'disabled_reason'>): void;
}

const USER_AGENT = 'Waybill-Webhooks/1';

/** What the worker presents to a receiver, opened from the endpoint row (see CredentialBox). */
interface Credentials {
  secret: string;
  previousSecret: string | null;
  authorization: string | null;
  headers: Record<string, string>;
}

function openCredentials(endpoint: EndpointRow, box: CredentialBox): Credentials {
  const headers = Object.fromEntries(Object.entries(endpoint.headers).map(([name, value]) => [name, box.open(value)]));
  const password = endpoint.basic_password && box.open(endpoint.basic_password);
  return {
    secret: box.open(endpoint.secret),
    previousSecret: endpoint.previous_secret && box.open(endpoint.previous_secret),
    authorization: endpoint.basic_username && password ? `Basic ${Buffer.from(`${endpoint.basic_username}:${password}`).toString('base64')}` : null,
    headers,
  };
}

/** The headers of one attempt: ours, the receiver's own, and the signatures over this timestamp. */
function requestHeaders(
  endpoint: EndpointRow,
  credentials: Credentials,
  delivery: Pick<SendableDelivery, 'message_id' | 'payload'>,
  now: Date,
): Record<string, string> {
  const secrets = [credentials.secret];
  if (credentials.previousSecret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now) {
    secrets.push(credentials.previousSecret);
  }
  const headers: Record<string, string> = {
    ...credentials.headers,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    ...signedHeaders(delivery.message_id, now, delivery.payload, secrets),
  };
  if (credentials.authorization) headers.authorization = credentials.authorization;
  return headers;
}

interface EndpointQueue {
  endpoint: EndpointRow;
  waiting: Array<{ delivery: SendableDelivery; leaseEnds: number }>;
  active: number;
}

/**
 * How many deliveries a worker may hold (claimed, not yet finished) per in-flight slot of an
 * endpoint: many for a fast receiver, so one claim feeds it for a while; one for a receiver as
 * slow as the timeout, so nothing waits in memory longer than about one timeout.
 */
const MAX_HOLD_PER_SLOT = 64;
const DEFAULT_HOLD_PER_SLOT = 8;
/** Claims that only refill queues (no new work announced) are at least this far apart. */
const CLAIM_GAP_MS = 20;

/**
 * Sends due deliveries. Claims batches with a lease into per-endpoint queues, POSTs from them
 * outside any transaction with at most `perEndpoint` requests in flight per endpoint and
 * `concurrency` overall, and records the outcomes of everything that finished since the last
 * write in one transaction. Claiming never waits for slow sends, so a slow receiver only occupies
 * its own slots, and batching claims and writes is what lets one fast endpoint go at full speed.
 */
export class DeliveryWorker implements Handoff {
  private readonly token = randomUUID();
  private readonly loop: WorkLoop;
  private readonly queues = new Map<string, EndpointQueue>();
  private readonly sending = new Set<Promise<void>>();
  /** Claimed and not finished (queued or in flight). */
  private held = 0;
  private active = 0;
  private readonly outcomes: OutcomeWriter;
  private claimTimer: NodeJS.Timeout | undefined;
  private roomWaiter: { size: number; listener: () => void } | undefined;
  private readonly opened = new WeakMap<EndpointRow, Credentials>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = Infinity;
  /** Recent response time per endpoint (moving average, ms), which sizes how much to hold for it. */
  private readonly latency = new Map<string, number>();
  private newWork = true;
  /**
   * The last claim found nothing and nothing unleased was due: until new work is announced (or the
   * poll interval passes) another claim would find nothing either, so finished sends ask for none.
   */
  private drained = false;
  /** Endpoints that may have a failing streak to clear, as last seen by this worker. */
  private readonly failing = new Set<string>();
  private lastClaimAt = 0;

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.loop = new WorkLoop(() => this.claim(), o.pollMs, o.onError);
    this.outcomes = new OutcomeWriter({
      db: o.db,
      bus: o.bus,
      disableAfterHours: o.disableAfterHours,
      token: this.token,
      failing: this.failing,
      onError: o.onError,
      disabled: (endpoint) => o.observer?.disabled(endpoint),
      written: (batch) => {
        for (const done of batch) if (done.nextAttemptAt) this.wakeAt(done.nextAttemptAt);
        this.loop.wake();
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  /** New deliveries may be due (fan-out, a test or redelivery, a retry coming due). */
  wake(): void {
    this.newWork = true;
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    clearTimeout(this.retryTimer);
    clearTimeout(this.claimTimer);
    // Hand queued deliveries back at once instead of letting their leases run out.
    const queued = [...this.queues.values()].flatMap((q) => q.waiting.splice(0).map((w) => ({ tenantId: w.delivery.tenant_id, id: w.delivery.id })));
    await deliveriesRepo.releaseLeases(this.o.db, this.token, queued).catch(this.o.onError);
    await Promise.all([...this.sending]);
    await this.outcomes.drain();
  }

  /**
   * A queued delivery waits for a slot about one timeout at most (see holdFor), then its own
   * request takes at most one more; one dropped unsent for lack of lease is claimed again later.
   * The margin covers writing the outcome.
   */
  private get leaseMs(): number {
    return this.o.timeoutMs * 2 + 5_000;
  }

  /**
   * A claim costs a query, so a finished send alone does not trigger one: it waits until a
   * quarter of the budget is free and some endpoint's queue is at most half full (or empty).
   * New work and the poll interval always claim, so fresh deliveries are never held back.
   */
  private claimWorthwhile(budget: number): boolean {
    const sinceLast = Date.now() - this.lastClaimAt;
    if (this.newWork || sinceLast >= this.o.pollMs) return true;
    if (this.drained || budget * 4 < this.budget) return false;
    if (sinceLast < CLAIM_GAP_MS) {
      // Finished sends ask for claims in quick succession, and most would find nothing new (fresh
      // deliveries come by handoff): ask once the gap has passed instead.
      this.claimTimer ??= setTimeout(() => {
        this.claimTimer = undefined;
        this.loop.wake();
      }, CLAIM_GAP_MS - sinceLast);
      return false;
    }
    for (const [id, queue] of this.queues) if ((queue.waiting.length + queue.active) * 2 <= this.holdFor(id)) return true;
    return this.queues.size === 0;
  }

  private holdFor(endpointId: string): number {
    const ms = this.latency.get(endpointId);
    const perSlot = ms === undefined ? DEFAULT_HOLD_PER_SLOT : Math.floor(this.o.timeoutMs / Math.max(ms, 1));
    return this.slotsFor(endpointId) * Math.min(MAX_HOLD_PER_SLOT, Math.max(1, perSlot));
  }

  /**
   * Requests in flight allowed to an endpoint: the configured cap, or a single one while the
   * endpoint is failing or answers in more than half the timeout. Retries and timeouts of a dead
   * receiver then occupy one slot of the shared budget instead of the endpoint's whole cap, and
   * one request at a time is enough to notice that it is back.
   */
  private slotsFor(endpointId: string): number {
    const ms = this.latency.get(endpointId);
    if (this.failing.has(endpointId) || (ms !== undefined && ms * 2 > this.o.timeoutMs)) return 1;
    return this.o.perEndpoint;
  }

  private async claim(): Promise<boolean> {
    const budget = this.free;
    if (budget <= 0 || !this.claimWorthwhile(budget)) return false;
    this.newWork = false;
    this.lastClaimAt = Date.now();
    const busy = new Map<string, number>();
    for (const id of [...this.latency.keys(), ...this.queues.keys()]) busy.set(id, Math.max(0, this.roomFor(id)));
    const claimed = await deliveriesRepo.claimDue(this.o.db, {
      token: this.token,
      leaseSeconds: this.leaseSeconds,
      limit: budget,
      perEndpoint: this.o.perEndpoint * DEFAULT_HOLD_PER_SLOT,
      busy,
    });
    // Deliveries can wait unleased behind an earlier one of their entity; while any do, outcomes
    // may free them, so claims go on.
    this.drained = !claimed.length && !(await deliveriesRepo.anyUnleasedDue(this.o.db));
    if (!claimed.length) return false;
    const keys = [...new Map(claimed.map((d) => [d.endpoint_id, { tenantId: d.tenant_id, id: d.endpoint_id }])).values()];
    // Fresh endpoint rows each claim: a rotated secret or changed URL applies to the next batch.
    this.enqueue(claimed, await endpointsRepo.endpointsByKeys(this.o.db, keys), Date.now() + this.leaseMs);
    return claimed.length === budget;
  }

  /** The lease fan-out gives the deliveries it hands over (see `adopt`), in whole seconds. */
  get leaseSeconds(): number {
    return Math.ceil(this.leaseMs / 1000);
  }

  /** The lease token of this worker, for deliveries inserted already leased to it. */
  get leaseToken(): string {
    return this.token;
  }

  /** How many more deliveries this worker can hold right now, in all and for one endpoint. */
  room(): HandoffRoom {
    return { total: Math.max(0, this.free), forEndpoint: (id) => this.roomFor(id) };
  }

  /** All the deliveries this worker may hold at once. */
  get budget(): number {
    return this.o.concurrency * DEFAULT_HOLD_PER_SLOT;
  }

  /** How many more deliveries this worker may hold, over all endpoints. */
  private get free(): number {
    return this.budget - this.held;
  }

  /** How many more deliveries this worker may hold for one endpoint (see holdFor). */
  private roomFor(endpointId: string): number {
    const queue = this.queues.get(endpointId);
    return this.holdFor(endpointId) - (queue ? queue.active + queue.waiting.length : 0);
  }

  /** Calls `listener` once, as soon as at least `size` deliveries' worth of room is free. */
  whenRoom(size: number, listener: () => void): void {
    this.roomWaiter = { size, listener };
    this.notifyRoom();
  }

  private notifyRoom(): void {
    const waiter = this.roomWaiter;
    if (!waiter || this.free < waiter.size) return;
    this.roomWaiter = undefined;
    waiter.listener();
  }

  /**
   * Takes deliveries that fan-out committed already leased to this worker: they go straight to the
   * queues, without a claim. The lease was taken by the database clock when they were written, so
   * counting it from now errs late by the commit's duration, well inside the lease's margin.
   */
  adopt(deliveries: SendableDelivery[], endpoints: EndpointRow[]): void {
    if (deliveries.length) this.enqueue(deliveries, endpoints, Date.now() + this.leaseMs - 1_000);
  }

  private enqueue(deliveries: SendableDelivery[], endpointRows: EndpointRow[], leaseEnds: number): void {
    const endpoints = new Map(endpointRows.map((e) => [e.id, e]));
    for (const delivery of deliveries) {
      const endpoint = endpoints.get(delivery.endpoint_id);
      if (!endpoint) continue; // deleted meanwhile: its deliveries went with it
      if (endpoint.failing_since) this.failing.add(endpoint.id);
      const queue = this.queues.get(endpoint.id) ?? { endpoint, waiting: [], active: 0 };
      queue.endpoint = endpoint;
      queue.waiting.push({ delivery, leaseEnds });
      this.queues.set(endpoint.id, queue);
      this.held++;
    }
    this.pump();
  }

  /**
   * Starts sends while slots are free, visiting endpoints in turn so none starves the others: each
   * endpoint visited goes to the back of the line. It stops at the first endpoint it cannot serve
   * for lack of overall slots, so a finished send does not walk every endpoint's queue.
   */
  private pump(): void {
    const visited: Array<[string, EndpointQueue]> = [];
    for (const entry of this.queues) {
      if (this.active >= this.o.concurrency) break;
      const [id, queue] = entry;
      visited.push(entry);
      const slots = this.slotsFor(id);
      while (queue.waiting.length && queue.active < slots && this.active < this.o.concurrency) {
        const next = queue.waiting.shift() as EndpointQueue['waiting'][number];
        if (Date.now() > next.leaseEnds - this.o.timeoutMs - 1_000) {
          this.held--; // too little lease left to finish safely: leave it to whoever claims it next
          continue;
        }
        this.startSend(queue, next.delivery);
      }
    }
    for (const [id, queue] of visited) {
      this.queues.delete(id);
      if (queue.waiting.length || queue.active) this.queues.set(id, queue); // to the back of the line
    }
  }

  /**
   * One send, as one chain of promises: the POST never rejects, so what follows it needs no
   * async wrappers (each would add promises and microtasks to every delivery).
   */
  private startSend(queue: EndpointQueue, delivery: SendableDelivery): void {
    queue.active++;
    this.active++;
    let sending: Promise<void>;
    try {
      sending = this.send(queue.endpoint, delivery);
    } catch (err) {
      sending = Promise.reject(err); // thrown before the POST: reported, and its slot freed, like a failed send
    }
    const sent: Promise<void> = sending.then(
      () => this.sendEnded(queue, sent),
      (err: unknown) => {
        this.o.onError(err);
        this.sendEnded(queue, sent);
      },
    );
    this.sending.add(sent);
  }

  private sendEnded(queue: EndpointQueue, sent: Promise<void>): void {
    queue.active--;
    this.active--;
    this.held--;
    this.sending.delete(sent);
    if (!queue.waiting.length && !queue.active) this.queues.delete(queue.endpoint.id);
    this.pump();
    this.notifyRoom();
  }

  private send(endpoint: EndpointRow, delivery: SendableDelivery): Promise<void> {
    const attemptedAt = new Date();
    let headers: Record<string, string>;
    try {
      headers = requestHeaders(endpoint, this.credentials(endpoint), delivery, attemptedAt);
    } catch (err) {
      if (!(err instanceof CredentialUnreadableError)) throw err;
      // A server-side problem (the key changed or is missing): logged and retried like an attempt
      // that failed before anything was sent.
      this.finish(endpoint, delivery, attemptedAt, noAnswer(err.message));
      return Promise.resolve();
    }
    const posted = inSpan('webhook.delivery', { 'waybill.endpoint_id': endpoint.id, 'waybill.delivery_id': delivery.id }, (set) =>
      this.o.http.post(endpoint.url, delivery.payload, headers).then((answer) => {
        // never rejects
        if (answer.statusCode !== undefined) set('http.response.status_code', answer.statusCode);
        return answer;
      }),
    );
    return posted.then((result) => {
      this.observeLatency(endpoint.id, result.latencyMs);
      this.finish(endpoint, delivery, attemptedAt, result);
    });
  }

  private finish(endpoint: EndpointRow, delivery: SendableDelivery, attemptedAt: Date, result: PostResult): void {
    const outcome = this.outcome(delivery, attemptedAt, result);
    this.o.observer?.attempted(outcome);
    if (outcome.status === 'SUCCEEDED') this.handAnswer(endpoint, delivery, result.bodyExcerpt);
    // Slows the endpoint down at once (see slotsFor); only a recorded success clears it.
    if (outcome.status !== 'SUCCEEDED') this.failing.add(endpoint.id);
    this.outcomes.add(outcome);
  }

  /** Hands a receiver's accepted answer to the module that records answers of the endpoint's families. */
  private handAnswer(endpoint: EndpointRow, delivery: SendableDelivery, body: string): void {
    for (const family of endpoint.families) {
      const handler = this.o.answers?.[family];
      if (handler) void handler({ tenantId: delivery.tenant_id, sent: delivery.payload, body }).catch(this.o.onError);
    }
  }

  /** Opened once per endpoint row: rows are re-read at every claim, so a changed secret applies at once. */
  private credentials(endpoint: EndpointRow): Credentials {
    let opened = this.opened.get(endpoint);
    if (!opened) {
      opened = openCredentials(endpoint, this.o.box);
      this.opened.set(endpoint, opened);
    }
    return opened;
  }

  private observeLatency(endpointId: string, ms: number): void {
    const previous = this.latency.get(endpointId);
    this.latency.delete(endpointId); // most recent last, so the oldest go first when trimming
    this.latency.set(endpointId, previous === undefined ? ms : previous * 0.8 + ms * 0.2);
    if (this.latency.size > 1_000) this.latency.delete(this.latency.keys().next().value as string);
  }

  private outcome(delivery: SendableDelivery, attemptedAt: Date, result: PostResult): AttemptOutcome {
    const code = result.statusCode;
    const attempt = {
      id: randomUUID(),
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

  private wakeAt(when: Date): void {
    const at = when.getTime();
    if (at >= this.retryAt) return;
    clearTimeout(this.retryTimer);
    this.retryAt = at;
    this.retryTimer = setTimeout(
      () => {
        this.retryAt = Infinity;
        this.wake();
      },
      Math.max(0, at - Date.now()),
    );
    this.retryTimer.unref();
  }
}
