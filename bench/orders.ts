/**
 * Orders benchmark (issue 3): order import (2 consignments, 4 goods) and status pull, beside the
 * two ceilings of the same server and database — a route doing one single-row insert and a route
 * doing one select by key, both registered only here and authenticated like the real routes — so
 * the goals read as ratios: import ≥ 0.25 × insert ceiling, status pull ≥ 0.5 × get-by-key ceiling.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { Type } from '@sinclair/typebox';
import { realisticOrder } from '../test/orders.fixtures.js';
import { bearerHeader, load, machineLine, markdownTable, startBenchServer, type Engine, type LoadOptions, type LoadResult } from './support.js';

const CONNECTIONS = 32;
const WARM_UP_SECONDS = 2;
const INSERT_CEILING = '/bench/ceiling/insert';
const GET_CEILING = '/bench/ceiling/row/:id';

/** A warm-up run first, so JIT compilation and connection set-up are not measured. */
async function measure(options: LoadOptions & { unique?: boolean }): Promise<LoadResult> {
  const run = async (duration?: number) => {
    if (!options.unique) return load({ ...options, connections: CONNECTIONS, ...(duration ? { duration } : {}) });
    // Every import needs its own order_identifier, which `load` cannot vary; same settings otherwise.
    // autocannon replaces `[<id>]` in the body with a fresh id per request (`idReplacement`).
    const settings = {
      url: options.url, method: options.method, headers: options.headers, body: options.body, idReplacement: true,
      connections: CONNECTIONS, duration: duration ?? Number(process.env.BENCH_DURATION ?? 10), workers: 1,
    };
    const result = await autocannon(settings);
    return {
      title: options.title, requestsPerSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99,
      requests: result.requests.total, errors: result.errors + result.timeouts + result.non2xx,
    };
  };
  await run(WARM_UP_SECONDS);
  return run();
}

async function benchEngine(engine: Engine) {
  const server = await startBenchServer({
    engine,
    extend: async (app, services) => {
      // The ceilings: the least work a route on this stack can do against the same database.
      await sql`create table bench_rows (tenant_id uuid not null, id uuid not null, body jsonb not null, primary key (tenant_id, id))`.execute(services.db);
      app.post(INSERT_CEILING, {
        schema: { hide: true, body: Type.Object({ note: Type.String({ maxLength: 100 }) }) },
        handler: async (request) => {
          const tenantId = request.principal?.tenantId as string;
          await services.db.insertInto('bench_rows' as never).values({ tenant_id: tenantId, id: randomUUID(), body: JSON.stringify(request.body) } as never).execute();
          return { ok: true };
        },
      });
      app.get(GET_CEILING, {
        schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
        handler: async (request) =>
          services.db.selectFrom('bench_rows' as never).selectAll().where('tenant_id' as never, '=', request.principal?.tenantId as never).where('id' as never, '=', request.params.id as never).executeTakeFirstOrThrow(),
      });
    },
  });
  try {
    const auth = { ...bearerHeader(server.admin.token), 'content-type': 'application/json' };
    const company = await server.app.inject({ method: 'POST', url: '/v1/companies/company', headers: auth, payload: { name: 'Acme', code: 'ACME', currency: 'EUR', is_customer: true } });
    if (company.statusCode !== 200) throw new Error(`creating the customer failed: ${company.body}`);
    const order = await server.app.inject({ method: 'POST', url: '/v1/orders/order/upload', headers: auth, payload: realisticOrder('BENCH-STATUS') });
    const orderId = (order.json() as { order_id: string }).order_id;
    const row = randomUUID();
    await sql`insert into bench_rows (tenant_id, id, body) values (${server.admin.tenantId}, ${row}, '{"note":"x"}')`.execute(server.services.db);
    const label = engine === 'pglite' ? 'PGlite' : 'PostgreSQL';

    const insertCeiling = await measure({ title: `${label}: one-row insert ceiling (POST, Bearer)`, url: `${server.url}${INSERT_CEILING}`, method: 'POST', headers: auth, body: '{"note":"ceiling"}' });
    const importOrder = await measure({
      title: `${label}: POST /v1/orders/order/upload (CREATE, 2 consignments, 4 goods)`,
      url: `${server.url}/v1/orders/order/upload`, method: 'POST', headers: auth, body: JSON.stringify(realisticOrder('BENCH-[<id>]')), unique: true,
    });
    const getCeiling = await measure({ title: `${label}: get-by-key ceiling (GET, Bearer)`, url: `${server.url}${GET_CEILING.replace(':id', row)}`, headers: auth });
    const status = await measure({ title: `${label}: GET /v1/orders/order/{id}/status`, url: `${server.url}/v1/orders/order/${orderId}/status`, headers: auth });
    const ratios = [
      `- ${label}: import / insert ceiling = **${(importOrder.requestsPerSecond / insertCeiling.requestsPerSecond).toFixed(2)}** (goal ≥ 0.25 on PostgreSQL)`,
      `- ${label}: status pull / get-by-key ceiling = **${(status.requestsPerSecond / getCeiling.requestsPerSecond).toFixed(2)}** (goal ≥ 0.50)`,
    ];
    return { results: [insertCeiling, importOrder, getCeiling, status], ratios };
  } finally {
    await server.stop();
  }
}

const engines: Engine[] = process.env.BENCH_ENGINES ? (process.env.BENCH_ENGINES.split(',') as Engine[]) : ['pglite', 'postgres'];
const results: LoadResult[] = [];
const ratios: string[] = [];
for (const engine of engines) {
  const outcome = await benchEngine(engine);
  results.push(...outcome.results);
  ratios.push(...outcome.ratios);
}
console.log(`\nMeasured ${machineLine()}, ${CONNECTIONS} connections\n`);
console.log(markdownTable(results));
console.log(`\n${ratios.join('\n')}`);
