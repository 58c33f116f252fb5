import { listenChannel, type Listener } from '../db/listen.js';
import { EVENTS_CHANNEL, type EventBus } from '../events/bus.js';

export interface Wakeups {
  /** Calls `listener` with the tenant whose events just committed, in this process or another. */
  subscribe(listener: (tenantId: string) => void): () => void;
  close(): Promise<void>;
}

/** The one LISTEN connection of a process (of its bus), and every Wakeups it feeds. */
interface Relay {
  listener: Listener;
  targets: Set<(tenantId: string) => void>;
}

/**
 * Keyed by the bus: a process has one bus, so the webhook engine and the live event streams share
 * one LISTEN connection instead of holding one each (a database connection is the scarce thing).
 */
const relays = new WeakMap<EventBus, Relay>();

/**
 * Joins the process's LISTEN on the events channel, opening it for the first holder; the returned
 * function leaves it, and the last holder to leave closes it. The first holder's `onError` reports
 * the connection's failures for everyone (they are about the same connection).
 */
function holdRelay(bus: EventBus, databaseUrl: string, target: (tenantId: string) => void, onError: (err: unknown) => void): () => Promise<void> {
  let relay = relays.get(bus);
  if (!relay) {
    const targets = new Set<(tenantId: string) => void>();
    const onNotify = (tenantId: string) => {
      for (const each of targets) each(tenantId);
    };
    relay = { targets, listener: listenChannel({ databaseUrl, channel: EVENTS_CHANNEL, onNotify, onError }) };
    relays.set(bus, relay);
  }
  const held = relay;
  held.targets.add(target);
  return async () => {
    if (!held.targets.delete(target) || held.targets.size) return;
    if (relays.get(bus) === held) relays.delete(bus);
    await held.listener.close();
  };
}

/**
 * Commit notifications from every process: the in-process bus for this process's commits and, on
 * PostgreSQL, the process's shared LISTEN for everyone else's. A dropped LISTEN connection is
 * reopened; the workers' slow poll covers the gap, so no event is lost meanwhile, only delayed.
 */
export function startWakeups(deps: { bus: EventBus; databaseUrl?: string; onError: (err: unknown) => void }): Wakeups {
  const listeners = new Set<(tenantId: string) => void>();
  const emit = (tenantId: string) => {
    for (const listener of listeners) listener(tenantId);
  };
  const unsubscribeBus = deps.bus.onCommitted(emit);
  const leaveRelay = deps.databaseUrl ? holdRelay(deps.bus, deps.databaseUrl, emit, deps.onError) : undefined;

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      unsubscribeBus();
      listeners.clear();
      await leaveRelay?.();
    },
  };
}
