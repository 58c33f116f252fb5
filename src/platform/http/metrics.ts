import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseHandle } from '../db/connect.js';
import { unauthorized } from './errors.js';
import type { App } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's metrics registry (see src/observability.ts). */
    metrics: Registry;
  }
}

/**
 * Buckets in seconds: most API calls answer in milliseconds; the upper buckets catch uploads,
 * PDFs and requests stuck behind PGlite's one session.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label for requests that matched no route: raw URLs would let any caller grow the series without bound. */
const NO_ROUTE = 'unmatched';

/**
 * One registry per app (not prom-client's global one), so several apps in one process (tests,
 * the CLI) never collide on metric names. Holds prom-client's process defaults (CPU, memory,
 * handles, GC, event-loop lag) and whatever modules add with `registry.registerMetric` or
 * `new Gauge({ registers: [registry], collect })`.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Request durations per route pattern, method and status, observed when the answer is sent. */
export function observeRequestDurations(app: App, registry: Registry): void {
  const durations = new Histogram({
    name: 'waybill_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, per route pattern, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    durations.observe({ method: request.method, route: request.routeOptions.url ?? NO_ROUTE, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}

/** Gauges over the database connections, read at scrape time. */
export function observeDatabasePool(registry: Registry, database: Pick<DatabaseHandle, 'poolUse'>): void {
  const gauge = (name: string, help: string, pick: (use: ReturnType<DatabaseHandle['poolUse']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(database.poolUse()));
      },
    });
  gauge('waybill_db_pool_connections', 'Database connections open (PGlite: its one session)', (u) => u.total);
  gauge('waybill_db_pool_idle_connections', 'Database connections open and idle', (u) => u.idle);
  gauge('waybill_db_pool_waiting_requests', 'Queries and transactions waiting for a connection', (u) => u.waiting);
}

/** Gauges over the worker threads (platform/workers), read at scrape time. */
export function observeWorkerPool(registry: Registry, pool: { stats(): { threads: number; busy: number; queued: number } }): void {
  const gauge = (name: string, help: string, pick: (stats: ReturnType<typeof pool.stats>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(pool.stats()));
      },
    });
  gauge('waybill_worker_threads', 'Worker threads running (they start on first use)', (s) => s.threads);
  gauge('waybill_worker_threads_busy', 'Worker threads running a task now', (s) => s.busy);
  gauge('waybill_worker_tasks_queued', 'Tasks waiting for a worker thread', (s) => s.queued);
}

type Sample = { labels?: Record<string, string>; value: number };

/**
 * A gauge whose value comes from the database when Prometheus scrapes, for state that several
 * processes share (a count kept in one process would see only its own part). `read` must be cheap:
 * an index lookup or a bounded count. When it fails the gauge shows no sample in that scrape,
 * rather than failing the whole answer, so process metrics still arrive while the database is away.
 */
export function scrapedGauge(registry: Registry, o: { name: string; help: string; labelNames?: string[]; read: () => Promise<number | Sample[]> }): void {
  new Gauge({
    name: o.name,
    help: o.help,
    labelNames: o.labelNames ?? [],
    registers: [registry],
    async collect() {
      this.reset();
      let samples: number | Sample[];
      try {
        samples = await o.read();
      } catch {
        return;
      }
      if (typeof samples === 'number') this.set(samples);
      else for (const sample of samples) this.set(sample.labels ?? {}, sample.value);
    },
  });
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in Prometheus' text format. With a token configured, only `Authorization:
 * Bearer <token>` gets in (compared in constant time); without one it is open, like /health, for a
 * scraper on a private network. It is left out of the OpenAPI document: it is for operators, not
 * for integrators, and its body is Prometheus' format rather than JSON.
 */
export function registerMetricsRoute(app: App, registry: Registry, token: string | undefined): void {
  const expected = token === undefined ? undefined : digest(token);
  app.get('/metrics', { config: { auth: 'none', rateLimit: false }, schema: { hide: true } }, async (request, reply) => {
    if (expected) {
      const given = /^bearer /i.test(request.headers.authorization ?? '') ? (request.headers.authorization as string).slice(7).trim() : '';
      if (!timingSafeEqual(digest(given), expected)) throw unauthorized('Send Authorization: Bearer <WAYBILL_METRICS_TOKEN>');
    }
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}
