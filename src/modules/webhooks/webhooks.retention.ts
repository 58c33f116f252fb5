import type { Executor } from '../../platform/db/database.js';
import { purgeFinished } from './deliveries/deliveries.repo.js';

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
