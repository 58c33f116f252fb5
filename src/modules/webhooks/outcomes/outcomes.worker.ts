import type { Db } from '../../../platform/db/database.js';
import { inTransaction } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import * as deliveriesRepo from '../deliveries/deliveries.repo.js';
import type { AttemptOutcome } from '../deliveries/deliveries.repo.js';
import { updateEndpointHealth } from '../endpoints/endpoints.policy.js';
import type { EndpointRow } from '../endpoints/endpoints.repo.js';

/** Outcomes per write that start it at once, and how long the first of a smaller batch may wait. */
const OUTCOME_BATCH = 128;
const OUTCOME_WAIT_MS = 5;
/**
 * While a burst drains (the last write carried at least BURST_BATCH outcomes), the first of a batch
 * waits up to OUTCOME_BURST_WAIT_MS instead: fewer, larger writes, each a statement and a commit
 * for PostgreSQL. Outcomes trickling in keep the short wait, since an entity's next message
 * waits for its predecessor's outcome to be recorded.
 */
const BURST_BATCH = 16;
const OUTCOME_BURST_WAIT_MS = 25;
/** After a failed write (the database is away), the next try waits this long. */
const FLUSH_RETRY_MS = 1_000;

export interface OutcomeWriterOptions {
  db: Db;
  bus: EventBus;
  disableAfterHours: number;
  /** The lease token of the worker whose attempts these are: only its own leases are recorded. */
  token: string;
  /** Endpoints that may have a failing streak to clear; shared with the worker, which slows them down. */
  failing: Set<string>;
  onError: (err: unknown) => void;
  /** Told of each endpoint a write disabled (metrics and the operator's log). */
  disabled?: (endpoint: Pick<EndpointRow, 'tenant_id' | 'id' | 'disabled_reason'>) => void;
  /** Called after each write with the outcomes it recorded (the worker wakes for their retries). */
  written: (batch: AttemptOutcome[]) => void;
}

/**
 * Records the delivery worker's attempt outcomes, and the endpoint health they imply, apart from
 * the sending: a slow or failing write never holds a send back.
 */
export class OutcomeWriter {
  private finished: AttemptOutcome[] = [];
  private flushing: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private flushFailed = false;
  private lastBatch = 0;

  constructor(private readonly o: OutcomeWriterOptions) {}

  add(outcome: AttemptOutcome): void {
    this.finished.push(outcome);
    this.scheduleFlush();
  }

  /** Writes what is left at shutdown; gives up when the database refuses (the leases will run out). */
  async drain(): Promise<void> {
    this.stopping = true;
    await this.flushing;
    while (this.finished.length) {
      const before = this.finished.length;
      await this.flushNow();
      if (this.finished.length >= before) break; // the database refuses: the leases will run out
    }
  }

  /**
   * Outcomes are written in batches: a write starts once OUTCOME_BATCH outcomes are waiting or the
   * oldest has waited OUTCOME_WAIT_MS. Each write is one statement whose fixed cost (planning, a
   * round trip, a commit) is worth several outcomes' rows; the wait delays only the bookkeeping,
   * never a send. One writer at a time; what arrives during a write goes into the next one.
   */
  scheduleFlush(): void {
    if (this.flushing) return;
    if (this.finished.length >= OUTCOME_BATCH) {
      void this.flushNow();
      return;
    }
    const wait = this.flushFailed ? FLUSH_RETRY_MS : this.lastBatch >= BURST_BATCH ? OUTCOME_BURST_WAIT_MS : OUTCOME_WAIT_MS;
    this.flushTimer ??= setTimeout(() => void this.flushNow(), wait);
  }

  private flushNow(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing ??= (async () => {
      try {
        do await this.flush();
        while (this.finished.length >= OUTCOME_BATCH);
        this.flushFailed = false;
      } catch (err) {
        this.flushFailed = true;
        this.o.onError(err);
      } finally {
        this.flushing = undefined;
        if (this.finished.length && !this.stopping) this.scheduleFlush();
      }
    })();
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.finished;
    this.finished = [];
    this.lastBatch = batch.length;
    if (!batch.length) return;
    try {
      if (batch.every((o) => o.status === 'SUCCEEDED' && !this.o.failing.has(o.delivery.endpoint_id))) {
        // The common case needs no endpoint bookkeeping: one statement, no explicit transaction.
        await deliveriesRepo.recordOutcomes(this.o.db, this.o.token, batch, { autocommitted: true });
      } else {
        const disabled = await inTransaction(this.o.db, async (tx) => {
          const recorded = await deliveriesRepo.recordOutcomes(tx.trx, this.o.token, batch);
          return updateEndpointHealth(
            tx,
            this.o.bus,
            this.o.disableAfterHours,
            batch.filter((o) => recorded.has(o.delivery.id)),
          );
        });
        for (const endpoint of disabled) this.o.disabled?.(endpoint);
        for (const o of batch) {
          if (o.status === 'SUCCEEDED') this.o.failing.delete(o.delivery.endpoint_id);
          else this.o.failing.add(o.delivery.endpoint_id);
        }
      }
    } catch (err) {
      // The attempts happened; keep them for the next write rather than lose the log (the lease
      // stays ours until it runs out, so nobody else sends these meanwhile).
      this.finished.unshift(...batch);
      throw err;
    }
    this.o.written(batch);
  }
}
