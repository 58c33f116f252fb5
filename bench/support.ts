/**
 * Shared benchmark harness: starts a Waybill app in this process on PGlite (temporary data
 * folder) or on a fresh PostgreSQL database, bootstraps a tenant admin, and runs autocannon
 * against one route. Every benchmark script builds on these few functions.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../src/platform/db/connect.js';
import { migrate } from '../src/platform/db/migrate.js';
import { EventBus } from '../src/platform/events/bus.js';
import type { App } from '../src/platform/http/types.js';
import { createServices, type Services } from '../src/services.js';
import { realisticOrder } from '../test/orders/orders.fixtures.js';
import { scratchDatabase } from '../test/support/postgres.js';

export type Engine = 'pglite' | 'postgres';

/** The PostgreSQL server benchmarks create their throw-away databases on. */
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchServer {
  engine: Engine;
  url: string;
  app: App;
  services: Services;
  /** Credentials and a fresh token of a TENANT admin API client. */
  admin: { tenantId: string; apiClientId: string; clientId: string; clientSecret: string; token: string };
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  engine: Engine;
  config?: Partial<Config>;
  /** Runs after the app's own routes are registered and before it listens: bench-only routes go here. */
  extend?: (app: App, services: Services, admin: BenchServer['admin']) => void | Promise<void>;
}

async function openBenchDatabase(engine: Engine): Promise<{ database: DatabaseHandle; dispose(): Promise<void> }> {
  if (engine === 'pglite') {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-bench-'));
    const database = await connectDatabase({ dataDir });
    return { database, dispose: () => fs.rm(dataDir, { recursive: true, force: true }) };
  }
  const scratch = await scratchDatabase(POSTGRES_URL, 'waybill_bench_');
  if (process.env.BENCH_PG_LOG) await scratch.admin(`alter database ${scratch.name} set log_min_duration_statement = 0`);
  const database = await connectDatabase({ databaseUrl: scratch.url });
  return { database, dispose: scratch.drop };
}

/** Starts Waybill on 127.0.0.1 (a free port) with rate limits out of the way and no workers. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const { database, dispose } = await openBenchDatabase(options.engine);
  try {
    await migrate(database.db);
    const config: Config = {
      ...loadConfig({}),
      databaseUrl: database.databaseUrl,
      rateLimitPerMinute: 100_000_000,
      tokenRateLimitPerMinute: 100_000_000,
      runWorkers: false,
      ...options.config,
    };
    const services = await createServices({ config, database, bus: new EventBus() });
    const tenant = await services.auth.createTenant('Bench tenant');
    const { client, clientSecret } = await services.auth.createClient(tenant.id, { name: 'Bench admin', role: 'TENANT' });
    const { access_token: token } = await services.auth.issueToken(client.client_id, clientSecret);
    const admin = { tenantId: tenant.id, apiClientId: client.id, clientId: client.client_id, clientSecret, token };

    const app = await buildApp(services);
    await options.extend?.(app, services, admin);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      engine: options.engine,
      url,
      app,
      services,
      admin,
      stop: async () => {
        await app.close();
        await database.close();
        await dispose();
      },
    };
  } catch (err) {
    await database.close();
    await dispose();
    throw err;
  }
}

export const INSERT_CEILING = '/bench/ceiling/insert';
export const GET_CEILING = '/bench/ceiling/row/:id';

/**
 * The ceilings a route is measured against: the least work a route on this stack can do against
 * the same database (one single-row insert, one select by primary key), authenticated like the
 * real routes. Registered through `BenchServerOptions.extend`.
 */
export async function registerCeilings(app: App, services: Services): Promise<void> {
  await sql`create table bench_rows (tenant_id uuid not null, id uuid not null, body jsonb not null, primary key (tenant_id, id))`.execute(services.db);
  app.post(INSERT_CEILING, {
    schema: { hide: true, body: Type.Object({ note: Type.String({ maxLength: 100 }) }) },
    handler: async (request) => {
      const tenantId = request.principal?.tenantId as string;
      await services.db
        .insertInto('bench_rows' as never)
        .values({ tenant_id: tenantId, id: randomUUID(), body: JSON.stringify(request.body) } as never)
        .execute();
      return { ok: true };
    },
  });
  app.get(GET_CEILING, {
    schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    handler: async (request) =>
      services.db
        .selectFrom('bench_rows' as never)
        .selectAll()
        .where('tenant_id' as never, '=', request.principal?.tenantId as never)
        .where('id' as never, '=', request.params.id as never)
        .executeTakeFirstOrThrow(),
  });
}

export interface LoadOptions {
  title: string;
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Seconds; BENCH_DURATION overrides the default of 10. */
  duration?: number;
  /** Concurrent connections; BENCH_CONNECTIONS overrides the default of 10. */
  connections?: number;
}

export interface LoadResult {
  title: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers: any of them means the row is suspect. */
  errors: number;
}

const envNumber = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

/** Runs autocannon against one route and condenses its result. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    duration: options.duration ?? envNumber('BENCH_DURATION') ?? 10,
    connections: options.connections ?? envNumber('BENCH_CONNECTIONS') ?? 10,
    // The load generator gets its own thread, so it does not share the server's event loop.
    workers: 1,
  });
  return {
    title: options.title,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export const TABLE_HEADER = '| Scenario | req/s | p50 ms | p99 ms | requests | errors |\n|---|---:|---:|---:|---:|---:|';

export function markdownRow(r: LoadResult): string {
  return `| ${r.title} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.requests} | ${r.errors} |`;
}

export function markdownTable(results: LoadResult[]): string {
  return [TABLE_HEADER, ...results.map(markdownRow)].join('\n');
}

/** One line naming the machine, for the benchmark page. */
export function machineLine(): string {
  const cpus = os.cpus();
  return (
    `${new Date().toISOString().slice(0, 10)}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${os.type()} ${os.release()}`
  );
}

/** `Authorization` header for a Bearer token. */
export const bearerHeader = (token: string) => ({ authorization: `Bearer ${token}` });
export const basicHeader = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

/** CPU seconds used so far by each process group (Linux /proc; zero elsewhere). */
function cpuSeconds(pids: Record<string, number[]>): Record<string, number> {
  const tick = 100; // USER_HZ on Linux
  const read = (pid: number) => {
    try {
      const fields = fsSync
        .readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      return (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      return 0; // the process ended meanwhile
    }
  };
  return Object.fromEntries(Object.entries(pids).map(([name, list]) => [name, list.reduce((sum, pid) => sum + read(pid), 0)]));
}

/** The pids of PostgreSQL server processes on this machine (the benchmark's database lives there). */
function postgresPids(): number[] {
  try {
    return fsSync
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => {
        try {
          return fsSync.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

/**
 * Starts measuring the CPU time that Waybill (this process), PostgreSQL and any named extra
 * processes spend until `stop()`; a backend that starts meanwhile counts from zero.
 */
export function cpuMeter(extra: Record<string, number> = {}) {
  const groups = () => ({ waybill: [process.pid], postgres: postgresPids(), ...Object.fromEntries(Object.entries(extra).map(([k, pid]) => [k, [pid]])) });
  const before = cpuSeconds(groups());
  return {
    /** Seconds per group. A process that ended meanwhile is missed, so keep connections open until then. */
    stop(): Record<string, number> {
      const after = cpuSeconds(groups());
      return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
    },
  };
}

/**
 * The server processes of the benchmark's own PostgreSQL database (its pool's backends), for
 * `cpuMeter`: on a shared server, every `postgres` process includes other people's work.
 */
export async function databaseBackends(server: BenchServer): Promise<Record<string, number>> {
  if (server.engine !== 'postgres') return {};
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(server.services.db);
  return Object.fromEntries(rows.map((r) => [`backend ${r.pid}`, r.pid]));
}

/** `count` orders of a new customer ACME through the upload API, 16 at a time (the console and portal benches). */
export async function importOrders(server: BenchServer, count: number): Promise<void> {
  await server.app.inject({
    method: 'POST',
    url: '/v1/companies/company',
    headers: bearerHeader(server.admin.token),
    payload: { name: 'Acme', code: 'ACME', currency: 'EUR', is_customer: true },
  });
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/orders/order/upload',
        headers: bearerHeader(server.admin.token),
        payload: realisticOrder(`BENCH-${String(i).padStart(5, '0')}`),
      });
      if (res.statusCode !== 200) throw new Error(`import failed: ${res.statusCode} ${res.body}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}
