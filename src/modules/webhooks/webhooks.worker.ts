import type { Executor } from '../../platform/db/database.js';
import { startWakeups } from '../../platform/outbox/wakeups.js';
import { WorkLoop } from '../../platform/outbox/work-loop.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from './deliveries/deliveries.worker.js';
import { purgeFinished, refreshQueueStatistics } from './deliveries/deliveries.repo.js';
import { fanOutTenant, tenantsWithBacklog } from './fanout/fanout.worker.js';
import type { PayloadBuilders } from './payloads/payloads.output.js';

/** Deliveries created since the last ANALYZE that make a new one worthwhile, and how often at most. */
const ANALYZE_AFTER_ROWS = 1_000;
const ANALYZE_INTERVAL_MS = 30_000;

/** The delivery worker's options (its `pollMs` is also the fan-out's fallback poll), plus fan-out's own. */
export interface EngineOptions extends DeliveryWorkerOptions {
  databaseUrl?: string;
  /** Events turned into deliveries per transaction, at most. */
  fanOutBatch: number;
  builders: PayloadBuilders;
}

export interface WebhookEngine {
  /** Wakes the delivery side (a new test message, a redelivery). */
  wakeDeliveries(): void;
  stop(): Promise<void>;
}

/**
 * The background half of webhooks: a fan-out loop turning committed events into deliveries, and
 * the delivery worker sending them. Both wake on commits in any process (in-process bus, and
 * LISTEN on PostgreSQL) and poll slowly as a fallback. Several processes can run it at once.
 */
export function startWebhookEngine(o: EngineOptions): WebhookEngine {
  const delivery = new DeliveryWorker(o);
  const dirty = new Set<string>();
  const checkpointed = new Set<string>();
  let createdSinceAnalyze = 0;
  let analyzedAt = 0;
  const maybeRefreshStatistics = async (created: number) => {
    createdSinceAnalyze += created;
    if (createdSinceAnalyze < ANALYZE_AFTER_ROWS || Date.now() - analyzedAt < ANALYZE_INTERVAL_MS) return;
    createdSinceAnalyze = 0;
    analyzedAt = Date.now();
    await refreshQueueStatistics(o.db);
  };
  let sweep = true;

  const fanOut = new WorkLoop(
    async () => {
      if (sweep) {
        sweep = false;
        for (const tenantId of await tenantsWithBacklog(o.db)) dirty.add(tenantId);
      }
      let more = false;
      let created = 0;
      let wakeDelivery = false;
      for (const tenantId of [...dirty]) {
        // Fan-out runs ahead of the local worker by about its budget: what it turns into
        // deliveries then goes straight to the worker instead of through claims. Events wait in
        // the log meanwhile, and other processes' fan-outs may take the tenant's next batch.
        const room = delivery.room().total;
        if (room * 2 < delivery.budget) {
          delivery.whenRoom(delivery.budget / 2, () => fanOut.wake());
          break;
        }
        dirty.delete(tenantId);
        const result = await fanOutTenant(o.db, tenantId, o.builders, delivery, Math.min(o.fanOutBatch, room), checkpointed);
        created += result.created;
        if (result.created > result.handedOver) wakeDelivery = true;
        if (result.more) {
          dirty.add(tenantId);
          more = true;
        }
      }
      if (wakeDelivery) delivery.wake();
      if (created) await maybeRefreshStatistics(created);
      return more;
    },
    o.pollMs,
    o.onError,
  );
  const wakeups = startWakeups({ bus: o.bus, databaseUrl: o.databaseUrl, onError: o.onError });
  const unsubscribe = wakeups.subscribe((tenantId) => {
    dirty.add(tenantId);
    fanOut.wake();
  });
  // The fallback poll sweeps every tenant whose log is ahead of its checkpoint.
  const sweepTimer = setInterval(() => {
    sweep = true;
    fanOut.wake();
  }, o.pollMs);
  sweepTimer.unref();

  // The delivery log's retention runs in the server's hourly housekeeping (`pruneDeliveryLog` below).
  fanOut.start();
  delivery.start();
  return {
    wakeDeliveries: () => delivery.wake(),
    async stop() {
      clearInterval(sweepTimer);
      unsubscribe();
      await wakeups.close();
      await fanOut.stop();
      await delivery.stop();
    },
  };
}

/**
 * Deletes finished deliveries (delivered or given up) older than `days`, with their attempts (the
 * foreign key cascades), in batches so no single statement holds locks for long. Pending
 * deliveries stay whatever their age, and so do the events they came from: the event log is
 * the pull feed, and documents are kept. Returns how many deliveries went.
 */
export async function pruneDeliveryLog(db: Executor, days: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await purgeFinished(db, days);
    total += deleted;
    if (deleted === 0) return total;
  }
}
