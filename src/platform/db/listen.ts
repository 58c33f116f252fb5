import type pg from 'pg';

export interface Listener {
  close(): Promise<void>;
}

const RECONNECT_MS = 1_000;

/**
 * LISTEN on one PostgreSQL channel over a dedicated connection, reopened when it drops.
 * `onConnect` runs on every (re)connection: notifications sent while the connection was down are
 * lost, so a listener that keeps derived state (a cache) must treat a reconnection as "anything
 * may have changed".
 */
export function listenChannel(deps: {
  databaseUrl: string;
  channel: string;
  onNotify: (payload: string) => void;
  onConnect?: () => void;
  onError: (err: unknown) => void;
}): Listener {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const listen = async () => {
    if (closed) return;
    // Loaded here, on PostgreSQL only: a PGlite process never needs the client (issue 19).
    const { default: pg } = await import('pg');
    if (closed) return;
    const next = new pg.Client({ connectionString: deps.databaseUrl });
    const reconnect = (err: unknown) => {
      deps.onError(err);
      next.removeAllListeners();
      next.end().catch(() => {});
      if (client === next) client = undefined;
      if (!closed && !retry) retry = setTimeout(() => ((retry = undefined), void listen().catch(deps.onError)), RECONNECT_MS);
    };
    next.on('error', reconnect);
    next.on('notification', (message) => {
      if (message.channel === deps.channel && message.payload) deps.onNotify(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${deps.channel}`);
      client = next;
      deps.onConnect?.();
      if (closed) await next.end();
    } catch (err) {
      reconnect(err);
    }
  };
  void listen().catch(deps.onError);

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
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
