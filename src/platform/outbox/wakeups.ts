import pg from 'pg';
import { EVENTS_CHANNEL, type EventBus } from '../events/bus.js';

export interface Wakeups {
  /** Calls `listener` with the tenant whose events just committed, in this process or another. */
  subscribe(listener: (tenantId: string) => void): () => void;
  close(): Promise<void>;
}

const RECONNECT_MS = 1_000;

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
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const listen = async () => {
    if (closed || !deps.databaseUrl) return;
    const next = new pg.Client({ connectionString: deps.databaseUrl });
    const reconnect = (err: unknown) => {
      deps.onError(err);
      next.removeAllListeners();
      next.end().catch(() => {});
      if (client === next) client = undefined;
      if (!closed && !retry) retry = setTimeout(() => ((retry = undefined), void listen()), RECONNECT_MS);
    };
    next.on('error', reconnect);
    next.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && message.payload) emit(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${EVENTS_CHANNEL}`);
      client = next;
      if (closed) await next.end();
    } catch (err) {
      reconnect(err);
    }
  };
  void listen();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      unsubscribeBus();
      listeners.clear();
      const open = client;
      client = undefined;
      if (open) {
        open.removeAllListeners();
        open.on('error', () => {});
        await open.end().catch(() => {});
      }
    },
  };
}
