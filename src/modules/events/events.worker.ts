import { PassThrough } from 'node:stream';
import type { Db } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { startWakeups, type Wakeups } from '../../platform/outbox/wakeups.js';
import type { EventsService } from './events.service.js';

/**
 * Live event streams (`GET /v1/events/stream`, server-sent events). Each stream reads the feed
 * with its own principal and filter, exactly as `GET /v1/events` would, so it shows what that
 * caller may see and nothing else. Streams wake when a transaction of their tenant commits (in
 * this process, or in another through LISTEN on PostgreSQL), and also on every heartbeat, which
 * covers a lost notification. A stream never holds a transaction: it only runs the feed's read.
 * However many streams are open, they cost no database connection of their own: all of them hang
 * on one set of wake-ups, whose LISTEN is the process's shared one (the webhook engine's too).
 *
 * The role closest to this file's is `worker`: a background loop that waits and sends.
 */

export interface EventStreamOptions {
  db: Db;
  bus: EventBus;
  databaseUrl?: string;
  feed: EventsService['feed'];
  perClient: number;
  heartbeatMs: number;
  onError: (err: unknown) => void;
}

/** Events one read sends at most; a backlog is sent in pages of this size, back to back. */
const PAGE = 200;

interface Stream {
  principal: Principal;
  key: string;
  types?: string;
  position: number;
  out: PassThrough;
  reading: boolean;
  again: boolean;
  closed: boolean;
}

export type EventStreams = ReturnType<typeof createEventStreams>;

/** The stream's frames: `id` is the event's position, so a reconnecting EventSource resumes after it (`Last-Event-ID`). */
const frame = (position: number, data?: unknown) => `id: ${position}\n${data === undefined ? '' : `data: ${JSON.stringify(data)}\n`}\n`;

export function createEventStreams(o: EventStreamOptions) {
  const byTenant = new Map<string, Set<Stream>>();
  const perKey = new Map<string, number>();
  let wakeups: Wakeups | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let shuttingDown = false;

  const all = () => [...byTenant.values()].flatMap((set) => [...set]);

  function ensureRunning() {
    if (!wakeups) {
      // Joins the process's LISTEN connection (platform/outbox/wakeups.ts) rather than opening one.
      wakeups = startWakeups({ bus: o.bus, databaseUrl: o.databaseUrl, onError: o.onError });
      wakeups.subscribe((tenantId) => {
        for (const stream of byTenant.get(tenantId) ?? []) void pump(stream);
      });
    }
    heartbeat ??= setInterval(() => {
      for (const stream of all()) {
        write(stream, ': heartbeat\n\n');
        void pump(stream);
      }
    }, o.heartbeatMs);
    heartbeat.unref();
  }

  /** Writes a frame; a client that stops reading is waited for (the next read starts only after), never buffered without end. */
  async function send(stream: Stream, text: string): Promise<void> {
    if (stream.closed) return;
    if (stream.out.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.out.off('drain', done);
        stream.out.off('close', done);
        resolve();
      };
      stream.out.on('drain', done);
      stream.out.on('close', done);
    });
  }
  const write = (stream: Stream, text: string) => {
    if (!stream.closed) stream.out.write(text);
  };

  /** Sends what the feed has after the stream's position; one read at a time per stream, repeated if woken meanwhile. */
  async function pump(stream: Stream): Promise<void> {
    if (stream.reading) {
      stream.again = true;
      return;
    }
    stream.reading = true;
    try {
      let more = true;
      while (!stream.closed && (more || stream.again)) {
        stream.again = false;
        const page = await o.feed(stream.principal, { after: stream.position, types: stream.types, limit: PAGE });
        for (const item of page.items) await send(stream, frame(item.position, item));
        // Events this caller may not see (or did not ask for) still move its position: an `id`
        // without data tells the browser where to resume without dispatching anything.
        if (page.last_position > (page.items.at(-1)?.position ?? stream.position)) await send(stream, frame(page.last_position));
        stream.position = page.last_position;
        more = page.next_after !== null;
      }
    } catch (err) {
      if (!stream.closed) {
        o.onError(err);
        close(stream);
      }
    } finally {
      stream.reading = false;
    }
  }

  function close(stream: Stream) {
    if (stream.closed) return;
    stream.closed = true;
    const set = byTenant.get(stream.principal.tenantId);
    set?.delete(stream);
    if (set && !set.size) byTenant.delete(stream.principal.tenantId);
    const left = (perKey.get(stream.key) ?? 1) - 1;
    if (left > 0) perKey.set(stream.key, left);
    else perKey.delete(stream.key);
    stream.out.end();
  }

  return {
    /**
     * Opens a stream after `after` (the last position the caller saw), or at the tenant's newest
     * event. 429 when the caller (its API client, or its user when signed in) holds too many.
     */
    async open(principal: Principal, options: { after?: number; types?: string }): Promise<{ out: PassThrough; close(): void }> {
      if (shuttingDown) throw new AppError(503, 'The server is shutting down; reconnect in a moment');
      const key = principal.userId ?? principal.apiClientId;
      const held = perKey.get(key) ?? 0;
      if (held >= o.perClient) {
        throw new AppError(429, `At most ${o.perClient} event streams per client are open at once; close one first`, [], { 'retry-after': '30' });
      }
      // Checked first, so that a caller already at its limit costs no query.
      perKey.set(key, held + 1);
      let position = options.after;
      try {
        position ??= await tail(o.db, principal.tenantId);
      } catch (err) {
        perKey.set(key, (perKey.get(key) ?? 1) - 1);
        throw err;
      }
      const stream: Stream = { principal, key, types: options.types, position, out: new PassThrough(), reading: false, again: false, closed: false };
      let set = byTenant.get(principal.tenantId);
      if (!set) byTenant.set(principal.tenantId, (set = new Set()));
      set.add(stream);
      ensureRunning();
      // How long a browser waits before reconnecting, and a first frame so proxies pass the headers on.
      write(stream, `retry: 3000\n: stream open at ${position}\n\n`);
      void pump(stream);
      return { out: stream.out, close: () => close(stream) };
    },

    /** Streams open now (metrics and tests). */
    count: () => all().length,

    /**
     * Ends every stream, so that closing the server does not wait for them (an open stream is a
     * request in flight); browsers reconnect to another process with their Last-Event-ID.
     */
    async closeAll(): Promise<void> {
      shuttingDown = true;
      clearInterval(heartbeat);
      heartbeat = undefined;
      for (const stream of all()) close(stream);
      await wakeups?.close();
      wakeups = undefined;
    },
  };
}

/** The tenant's newest event position: where a stream without a cursor starts. */
async function tail(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(row?.position ?? 0);
}
