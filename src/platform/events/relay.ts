import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { EVENTS_CHANNEL, type EventBus } from './bus.js';

/**
 * Tells the other processes on this PostgreSQL (their LISTEN, see `outbox/wakeups.ts`) which
 * tenants' events this process has committed: a NOTIFY per tenant, sent after the commit, in a
 * statement of its own.
 *
 * Not in the committing statement, because PostgreSQL makes every transaction that notifies take
 * one cluster-wide lock at commit and hold it until its commit record is flushed (`PreCommit_Notify`
 * in async.c). With the NOTIFY inside, every event-writing commit of every tenant queued behind the
 * previous one's WAL flush: sampled as `Lock:object` waits of the imports, and 8 tenants importing
 * no faster than one (issue 21). Here the NOTIFY's transaction holds no data and does not wait for
 * its own flush, so the lock is held for the time of a memory write. A crash can lose only a
 * wake-up, which the workers' poll covers, as it covers a dropped LISTEN connection.
 *
 * At most one NOTIFY statement is on its way; tenants committing meanwhile go together in the next.
 */
export function relayCommits(bus: EventBus, db: Db): void {
  const pending = new Set<string>();
  let sending = false;

  const send = async () => {
    sending = true;
    while (pending.size) {
      const tenants = [...pending];
      pending.clear();
      try {
        await sql`select set_config('synchronous_commit', 'off', true), pg_notify(${EVENTS_CHANNEL}, t) from unnest(${tenants}::text[]) t`.execute(db);
      } catch {
        // A lost wake-up only delays the other processes until their next poll (the database may
        // also be closing): nothing to retry.
      }
    }
    sending = false;
  };

  bus.onCommitted((tenantId) => {
    pending.add(tenantId);
    if (!sending) void send();
  });
}
