/**
 * Orders benchmark (issue 3): order import (2 consignments, 4 goods) and status pull, beside the
 * two ceilings of the same server and database — a route doing one single-row insert and a route
 * doing one select by key, both registered only here and authenticated like the real routes — so
 * the goals read as ratios: import ≥ 0.25 × insert ceiling, status pull ≥ 0.5 × get-by-key ceiling.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { realisticOrder } from '../test/orders/orders.fixtures.js';
import {
  bearerHeader,
  cpuMeter,
  databaseBackends,
  GET_CEILING,
  INSERT_CEILING,
  load,
  machineLine,
  markdownTable,
  registerCeilings,
  startBenchServer,
  type BenchServer,
  type Engine,
  type LoadOptions,
  type LoadResult,
} from './support.js';

const CONNECTIONS = 32;
/** Tenants of the multi-tenant import scenario: every connection cycles through all of them. */
const TENANTS = 8;
/** Which pairs to measure (BENCH_ORDER_PARTS, comma-separated): all four by default. */
const PARTS = new Set((process.env.BENCH_ORDER_PARTS ?? 'import,status,tenants,cpu').split(','));
/** Operations per CPU measurement (BENCH_ORDER_CPU_OPS). */
const CPU_OPS = Number(process.env.BENCH_ORDER_CPU_OPS ?? 600);
const WARM_UP_SECONDS = 2;

/**
 * `unique`: a fresh `[<id>]` per request in the body. `rotateHeaders`: each connection sends its
 * requests with these header sets in turn (one per tenant), so load spreads over the tenants.
 */
type Scenario = LoadOptions & { unique?: boolean; rotateHeaders?: Array<Record<string, string>> };

/** One run of a scenario: `load` from the harness, or autocannon directly when bodies must differ. */
async function run(options: Scenario, duration: number): Promise<LoadResult> {
  if (!options.unique) return load({ ...options, connections: CONNECTIONS, duration });
  // Every import needs its own order_identifier: autocannon replaces `[<id>]` in the body per request.
  const requests = options.rotateHeaders?.map((headers) => ({ method: options.method, headers, body: options.body }));
  const result = await autocannon({
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body,
    idReplacement: true,
    connections: CONNECTIONS,
    duration,
    workers: 1,
    requests,
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

/** CPU per operation, in µs: the Waybill process (PGlite included) and the database's own backends. */
interface CpuRow {
  title: string;
  waybillUs: number;
  databaseUs: number;
}

/**
 * `count` operations in this process (`inject`, no load generator, no sockets), `inFlight` at a
 * time, with the CPU they cost: what a reader needs to size a machine, barely touched by other
 * processes on a shared host (unlike req/s). The backends are looked up after a warm-up, so the
 * pool's connections exist.
 */
async function cpuPerOperation(
  server: BenchServer,
  title: string,
  inFlight: number,
  operation: (i: number) => Promise<{ statusCode: number; body: string }>,
): Promise<CpuRow> {
  // Warm-up at the same concurrency, so the pool has opened every connection the run will use.
  for (let round = 0; round < 2; round++) await Promise.all(Array.from({ length: Math.max(inFlight, 20) }, () => operation(-1)));
  const meter = cpuMeter(await databaseBackends(server));
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < CPU_OPS) {
        const answer = await operation(next++);
        if (answer.statusCode !== 200) throw new Error(`${title}: ${answer.body}`);
      }
    }),
  );
  const used = meter.stop();
  // A backend the pool closed meanwhile (idle connections time out at 1 in flight) reads as a
  // negative delta (its CPU counted before, zero after): it did no work in the run, so it counts 0.
  const backends = Object.entries(used).filter(([name, seconds]) => name.startsWith('backend ') && seconds > 0);
  const us = (seconds: number) => Math.round((seconds * 1e6) / CPU_OPS);
  return { title, waybillUs: us(used.waybill ?? 0), databaseUs: us(backends.reduce((sum, [, s]) => sum + s, 0)) };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;

/**
 * A route and its ceiling, warmed up, then measured in alternating short rounds (A B, B A, ...)
 * so that background load drifting during the run weighs on both alike.
 */
async function measurePair(ceiling: Scenario, route: Scenario): Promise<[LoadResult, LoadResult]> {
  const total = Number(process.env.BENCH_DURATION ?? 10);
  await run(ceiling, WARM_UP_SECONDS);
  await run(route, WARM_UP_SECONDS);
  const rounds = 4;
  const duration = Math.max(2, Math.round(total / (rounds / 2)));
  const runs: [LoadResult[], LoadResult[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    for (const i of order) runs[i].push(await run(i === 0 ? ceiling : route, duration));
  }
  const combine = (rs: LoadResult[]): LoadResult => ({
    title: rs[0]?.title ?? '',
    requestsPerSecond: Math.round(rs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / rs.length),
    p50Ms: median(rs.map((r) => r.p50Ms)),
    p99Ms: median(rs.map((r) => r.p99Ms)),
    requests: rs.reduce((sum, r) => sum + r.requests, 0),
    errors: rs.reduce((sum, r) => sum + r.errors, 0),
  });
  return [combine(runs[0]), combine(runs[1])];
}

/** Another tenant with its admin token and the `ACME` customer the benchmark's orders name. */
async function benchTenant(server: BenchServer, index: number): Promise<Record<string, string>> {
  const { auth } = server.services;
  const tenant = await auth.createTenant(`Bench tenant ${index}`);
  const { client, clientSecret } = await auth.createClient(tenant.id, { name: 'Bench admin', role: 'TENANT' });
  const { access_token: token } = await auth.issueToken(client.client_id, clientSecret);
  const headers = { ...bearerHeader(token), 'content-type': 'application/json' };
  const company = await server.app.inject({
    method: 'POST',
    url: '/v1/companies/company',
    headers,
    payload: { name: 'Acme', code: 'ACME', currency: 'EUR', is_customer: true },
  });
  if (company.statusCode !== 200) throw new Error(`creating tenant ${index}'s customer failed: ${company.body}`);
  return headers;
}

async function benchEngine(engine: Engine) {
  const server = await startBenchServer({ engine, extend: registerCeilings });
  try {
    const auth = { ...bearerHeader(server.admin.token), 'content-type': 'application/json' };
    const company = await server.app.inject({
      method: 'POST',
      url: '/v1/companies/company',
      headers: auth,
      payload: { name: 'Acme', code: 'ACME', currency: 'EUR', is_customer: true },
    });
    if (company.statusCode !== 200) throw new Error(`creating the customer failed: ${company.body}`);
    const order = await server.app.inject({ method: 'POST', url: '/v1/orders/order/upload', headers: auth, payload: realisticOrder('BENCH-STATUS') });
    const orderId = (order.json() as { order_id: string }).order_id;
    const row = randomUUID();
    await sql`insert into bench_rows (tenant_id, id, body) values (${server.admin.tenantId}, ${row}, '{"note":"x"}')`.execute(server.services.db);
    const label = engine === 'pglite' ? 'PGlite' : 'PostgreSQL';

    const importBody = JSON.stringify(realisticOrder('BENCH-[<id>]'));
    const uploadUrl = `${server.url}/v1/orders/order/upload`;
    const results: LoadResult[] = [];
    const ratios: string[] = [];
    const ratio = (a: LoadResult, b: LoadResult) => (a.requestsPerSecond / b.requestsPerSecond).toFixed(2);

    if (PARTS.has('import')) {
      const [insertCeiling, importOrder] = await measurePair(
        {
          title: `${label}: one-row insert ceiling (POST, Bearer)`,
          url: `${server.url}${INSERT_CEILING}`,
          method: 'POST',
          headers: auth,
          body: '{"note":"ceiling"}',
        },
        {
          title: `${label}: POST /v1/orders/order/upload (CREATE, 2 consignments, 4 goods)`,
          url: uploadUrl,
          method: 'POST',
          headers: auth,
          body: importBody,
          unique: true,
        },
      );
      results.push(insertCeiling, importOrder);
      ratios.push(`- ${label}: import / insert ceiling = **${ratio(importOrder, insertCeiling)}** (goal ≥ 0.25 on PostgreSQL)`);
    }
    if (PARTS.has('status')) {
      const [getCeiling, status] = await measurePair(
        { title: `${label}: get-by-key ceiling (GET, Bearer)`, url: `${server.url}${GET_CEILING.replace(':id', row)}`, headers: auth },
        { title: `${label}: GET /v1/orders/order/{id}/status`, url: `${server.url}/v1/orders/order/${orderId}/status`, headers: auth },
      );
      results.push(getCeiling, status);
      ratios.push(`- ${label}: status pull / get-by-key ceiling = **${ratio(status, getCeiling)}** (goal ≥ 0.50)`);
    }
    if (PARTS.has('tenants')) {
      // The same import spread over several tenants: what one tenant's serialised name and event
      // counters cost, against the single-tenant number measured in the same alternating rounds.
      const tenantHeaders: Array<Record<string, string>> = [auth];
      for (let i = 1; i < TENANTS; i++) tenantHeaders.push(await benchTenant(server, i));
      const [oneTenant, manyTenants] = await measurePair(
        { title: `${label}: import, 1 tenant`, url: uploadUrl, method: 'POST', headers: auth, body: importBody, unique: true },
        {
          title: `${label}: import, ${TENANTS} tenants (connections cycle through them)`,
          url: uploadUrl,
          method: 'POST',
          body: importBody,
          unique: true,
          rotateHeaders: tenantHeaders,
        },
      );
      results.push(oneTenant, manyTenants);
      ratios.push(`- ${label}: import over ${TENANTS} tenants / over 1 tenant = ${ratio(manyTenants, oneTenant)}`);
    }
    const cpu: CpuRow[] = [];
    if (PARTS.has('cpu')) {
      let n = 0;
      const insert = () => server.app.inject({ method: 'POST', url: INSERT_CEILING, headers: auth, payload: { note: 'cpu' } });
      const create = () => server.app.inject({ method: 'POST', url: '/v1/orders/order/upload', headers: auth, payload: realisticOrder(`CPU-${n++}`) });
      for (const inFlight of [1, CONNECTIONS]) {
        cpu.push(await cpuPerOperation(server, `${label}: one-row insert ceiling, ${inFlight} in flight`, inFlight, insert));
        cpu.push(await cpuPerOperation(server, `${label}: import (CREATE), ${inFlight} in flight`, inFlight, create));
      }
    }
    return { results, ratios, cpu };
  } finally {
    await server.stop();
  }
}

const engines: Engine[] = process.env.BENCH_ENGINES ? (process.env.BENCH_ENGINES.split(',') as Engine[]) : ['pglite', 'postgres'];
const results: LoadResult[] = [];
const ratios: string[] = [];
const cpu: CpuRow[] = [];
for (const engine of engines) {
  const outcome = await benchEngine(engine);
  results.push(...outcome.results);
  ratios.push(...outcome.ratios);
  cpu.push(...outcome.cpu);
}
console.log(`\nMeasured ${machineLine()}, ${CONNECTIONS} connections\n`);
console.log(markdownTable(results));
console.log(`\n${ratios.join('\n')}`);
if (cpu.length) {
  console.log(`\nCPU per operation (${CPU_OPS} operations in process after a warm-up; PostgreSQL: this database's backends only)\n`);
  console.log('| Operation | Waybill µs | database µs | total µs |\n|---|---:|---:|---:|');
  for (const r of cpu) console.log(`| ${r.title} | ${r.waybillUs} | ${r.databaseUs} | ${r.waybillUs + r.databaseUs} |`);
}
