import { listenChannel, type Listener } from '../db/listen.js';
import { EVENTS_CHANNEL, type EventBus } from '../events/bus.js';

export interface Wakeups {
  /** Calls `listener` with the tenant whose events just committed, in this process or another. */
  subscribe(listener: (tenantId: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * Commit notifications from every process: the in-process bus for this process's commits and, on
 * PostgreSQL, LISTEN on a dedicated connection for everyone else's. A dropped LISTEN connection is
 * reopened; the workers' slow poll covers the gap, so no event is lost meanwhile, only delayed.
 */
export function startWakeups(deps: { bus: EventBus; databaseUrl?: string; onError: (err: unknown) => void }): Wakeups {
  const listeners = new Set<(tenantId: string) => void>();
  const emit = (tenantId: string) => {
    for (const listener of listeners) listener(tenantId);
  };
  const unsubscribeBus = deps.bus.onCommitted(emit);
  const remote: Listener | undefined = deps.databaseUrl
    ? listenChannel({ databaseUrl: deps.databaseUrl, channel: EVENTS_CHANNEL, onNotify: emit, onError: deps.onError })
    : undefined;

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      unsubscribeBus();
      listeners.clear();
      await remote?.close();
    },
  };
}
