/**
 * Trips benchmark (issue 10), on PostgreSQL: inbound stop status updates per second through
 * `POST /v1/webhook/subco-status-update` in batches of 1 and of 50, each beside the one-row insert
 * ceiling measured in the same alternating rounds with the same load driver; then the time from a
 * status update's request to the customer's receiver on 127.0.0.1 getting the push (p50/p99).
 * Goal (issue 21): applied updates per second ≥ 0.25 × the ceiling, in batches of 1 and of 50 (the
 * issue's goal for order import, also a locked, evented write), and an update in a batch of 50 at
 * most 0.6 × the CPU of one sent alone. The CPU µs per applied update
 * (this process + the benchmark database's backends) is printed beside it, to size a machine.
 *
 * Every update is a new ETA with a later `event_time` for a stop no other request in flight
 * touches, so each one is APPLIED (a duplicate or stale report would be an early exit): it locks
 * the order, writes the stop, stores the order's status document and appends a stop event.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { realisticOrder } from '../test/orders/orders.fixtures.js';
import {
  basicHeader,
  bearerHeader,
  cpuMeter,
  databaseBackends,
  INSERT_CEILING,
  machineLine,
  markdownTable,
  registerCeilings,
  startBenchServer,
  type BenchServer,
  type LoadResult,
} from './support.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const ORDERS = Number(process.env.BENCH_TRIP_ORDERS ?? 150);
const ORDERS_PER_TRIP = 10;
const PROBES = Number(process.env.BENCH_TRIP_PROBES ?? 100);
const STATUS_URL = '/v1/webhook/subco-status-update';
const GOAL = 0.25;
/**
 * A batch shares its transaction, lookups, locks and event statement (issue 21), so an update sent
 * in a batch of 50 must cost clearly less than one sent alone: at most this share of its CPU.
 */
const BATCH_GOAL = 0.6;

interface World {
  server: BenchServer;
  admin: Record<string, string>;
  subco: Record<string, string>;
  customerId: string;
  stopIds: string[];
}

async function call(server: BenchServer, headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, unknown>;
}

/** A customer, a subcontractor with its WEBHOOK client, and ORDERS orders on trips dispatched to it. */
async function setUp(server: BenchServer): Promise<World> {
  const admin = { ...bearerHeader(server.admin.token), 'content-type': 'application/json' };
  const company = (body: object) => call(server, admin, 'POST', '/v1/companies/company', { currency: 'EUR', ...body });
  const customerId = (await company({ name: 'Acme', code: 'ACME', is_customer: true })).id as string;
  const subcoId = (await company({ name: 'Haulers', code: 'HAUL', is_subcontractor: true })).id as string;
  const { client, clientSecret } = await server.services.auth.createClient(server.admin.tenantId, {
    name: 'Haulers app',
    role: 'SUBCONTRACTOR',
    kind: 'WEBHOOK',
    companyId: subcoId,
  });
  const stopIds: string[] = [];
  for (let t = 0; t < ORDERS / ORDERS_PER_TRIP; t++) {
    const tripStops: string[] = [];
    for (let o = 0; o < ORDERS_PER_TRIP; o++) {
      const created = await call(server, admin, 'POST', '/v1/orders/order/upload', realisticOrder(`TRIP-BENCH-${t}-${o}`));
      const order = await call(server, admin, 'GET', `/v1/orders/order/${created.order_id as string}`);
      tripStops.push(...(order.stops as Array<{ id: string }>).map((s) => s.id));
    }
    const trip = await call(server, admin, 'POST', '/v1/trips/trip', { stops: tripStops.map((id) => ({ id })) });
    await call(server, admin, 'POST', `/v1/trips/trip/${trip.id as string}/dispatch`, { subcontractor_id: subcoId, purchase_price: '500' });
    stopIds.push(...tripStops);
  }
  return { server, admin, subco: { ...basicHeader(client.client_id, clientSecret), 'content-type': 'application/json' }, customerId, stopIds };
}

/**
 * A fresh ETA for each stop, later than every earlier one (`n` only grows). Consecutive updates
 * step through the stops by a stride prime to their count, so updates in flight concern different
 * orders, as a fleet's reports do, rather than queueing on one order's lock.
 */
let n = 0;
const strideFor = (count: number) => [37, 41, 43, 47].find((p) => count % p !== 0) ?? 1;
function etaUpdates(stopIds: string[], batch: number): object {
  const updates = [];
  const stride = strideFor(stopIds.length);
  for (let i = 0; i < batch; i++) {
    const at = Date.UTC(2027, 0, 1) + ++n * 1000;
    const stopId = stopIds[(n * stride) % stopIds.length] as string;
    updates.push({
      stop: { id: stopId, eta_start: new Date(at + 3_600_000).toISOString(), eta_end: new Date(at + 5_400_000).toISOString() },
      event_time: new Date(at).toISOString(),
    });
  }
  return { updates };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * CONNECTIONS requests in flight for `seconds`, each body made fresh by `body()`; `check` tells a
 * good answer. The same driver serves the ceiling, so both carry the same client cost.
 */
async function drive(
  world: World,
  title: string,
  target: { url: string; headers: Record<string, string>; body: () => object; check: (answer: string) => boolean },
  seconds: number,
): Promise<LoadResult> {
  const pool = new Pool(world.server.url, { connections: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const started = performance.now();
      const res = await pool.request({ method: 'POST', path: target.url, headers: target.headers, body: JSON.stringify(target.body()) });
      const answer = await res.body.text();
      latencies.push(performance.now() - started);
      if (res.statusCode !== 200 || !target.check(answer)) errors++;
    }
  };
  const begun = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - begun) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    title,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    requests: latencies.length,
    errors,
  };
}

/** Status updates in batches of `batch` beside the insert ceiling, alternating A B, B A after a warm-up. */
async function throughput(world: World, batch: number): Promise<{ rows: LoadResult[]; line: string; cpuUs: number; perSecond: number }> {
  const allApplied = (answer: string) => (JSON.parse(answer) as { results: Array<{ outcome: string }> }).results.every((r) => r.outcome === 'APPLIED');
  const ceiling = { url: INSERT_CEILING, headers: world.admin, body: () => ({ note: 'ceiling' }), check: () => true };
  const status = { url: STATUS_URL, headers: world.subco, body: () => etaUpdates(world.stopIds, batch), check: allApplied };
  const titles = [`one-row insert ceiling (POST, Bearer)`, `POST ${STATUS_URL}, batches of ${batch} (requests/s)`];
  await drive(world, titles[0] as string, ceiling, 2);
  await drive(world, titles[1] as string, status, 2);
  const runs: [LoadResult[], LoadResult[]] = [[], []];
  const round = Math.max(2, Math.round(SECONDS / 2));
  // CPU of the status rounds only: this process and this database's backends (the warm-up opened the pool).
  const backends = await databaseBackends(world.server);
  // Seconds of CPU in the rounds of each scenario: [ceiling, status] × [this process, the database's backends].
  const spent: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  for (let r = 0; r < 4; r++) {
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const meter = cpuMeter(backends);
      runs[i as 0 | 1].push(await drive(world, titles[i] as string, i === 0 ? ceiling : status, round));
      for (const [group, seconds] of Object.entries(meter.stop())) {
        if (group === 'postgres') continue;
        spent[i as 0 | 1][group === 'waybill' ? 0 : 1] += seconds;
      }
    }
  }
  const cpuSeconds = spent[1][0] + spent[1][1];
  const combine = (rs: LoadResult[]): LoadResult => ({
    title: `PostgreSQL: ${rs[0]?.title ?? ''}`,
    requestsPerSecond: Math.round(rs.reduce((s, x) => s + x.requestsPerSecond, 0) / rs.length),
    p50Ms: percentile(
      rs.map((x) => x.p50Ms).sort((a, b) => a - b),
      50,
    ),
    p99Ms: percentile(
      rs.map((x) => x.p99Ms).sort((a, b) => a - b),
      50,
    ),
    requests: rs.reduce((s, x) => s + x.requests, 0),
    errors: rs.reduce((s, x) => s + x.errors, 0),
  });
  const [insert, updates] = [combine(runs[0]), combine(runs[1])];
  // From the request count, not the rounded rate: a batch of 50 takes seconds.
  const perSecond = Math.round((updates.requests * batch) / (runs[1].length * round));
  const ratio = perSecond / insert.requestsPerSecond;
  const cpuUs = Math.round((cpuSeconds * 1e6) / (updates.requests * batch));
  const us = (seconds: number, count: number) => Math.round((seconds * 1e6) / count);
  return {
    rows: [insert, updates],
    cpuUs,
    perSecond,
    line:
      `- batches of ${batch}: **${perSecond} updates/s** = ${ratio.toFixed(2)} × the insert ceiling (${insert.requestsPerSecond} rows/s; ` +
      `goal ≥ ${GOAL}, ${ratio >= GOAL ? 'met' : '**not met**'}), ${cpuUs} µs CPU per update (Waybill + database backends: ` +
      `${us(spent[1][0], updates.requests * batch)} + ${us(spent[1][1], updates.requests * batch)}; ` +
      `a ceiling insert: ${us(spent[0][0], insert.requests)} + ${us(spent[0][1], insert.requests)})`,
  };
}

/**
 * Sequential probes with the webhook engine running: one ETA update at a time, timed from the
 * request's start until the customer's receiver (an HTTP server on 127.0.0.1 in this process)
 * gets the Eta message for that stop.
 */
async function pushLatency(world: World): Promise<string> {
  const waiting = new Map<string, () => void>();
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { events: Array<{ update: { type: string; id: string } }> };
      const update = body.events[0]?.update;
      if (update?.type === 'Eta') waiting.get(update.id)?.();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const engine = world.server.services.webhooks.startEngine((err) => console.error('engine error', err));
  try {
    await call(world.server, world.admin, 'POST', '/v1/admin/webhook-endpoints', { url, families: ['operational_visibility'], company_id: world.customerId });
    const latencies: number[] = [];
    for (let i = 0; i < PROBES; i++) {
      const body = etaUpdates(world.stopIds, 1) as { updates: Array<{ stop: { id: string } }> };
      const stopId = body.updates[0]?.stop.id as string;
      const started = performance.now();
      const arrived = new Promise<void>((resolve) => waiting.set(stopId, resolve));
      await call(world.server, world.subco, 'POST', STATUS_URL, body);
      await arrived;
      latencies.push(performance.now() - started);
      waiting.delete(stopId);
    }
    latencies.sort((a, b) => a - b);
    return `- status update → customer's receiver, ${PROBES} sequential probes: p50 **${percentile(latencies, 50).toFixed(1)} ms**, p99 **${percentile(latencies, 99).toFixed(1)} ms**`;
  } finally {
    await engine.stop();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

const server = await startBenchServer({ engine: 'postgres', config: { outboundAllowlist: ['127.0.0.0/8'] }, extend: registerCeilings });
try {
  const world = await setUp(server);
  const one = await throughput(world, 1);
  const fifty = await throughput(world, 50);
  const latency = await pushLatency(world);
  console.log(`\nMeasured ${machineLine()}, ${CONNECTIONS} connections, ${world.stopIds.length} stops on ${ORDERS / ORDERS_PER_TRIP} dispatched trips\n`);
  console.log(markdownTable([...one.rows, ...fifty.rows]));
  const batching = fifty.cpuUs / one.cpuUs;
  console.log(`\n${one.line}\n${fifty.line}\n${latency}`);
  console.log(
    `- batches of 50 against batches of 1: ${batching.toFixed(2)} × the CPU per update (goal ≤ ${BATCH_GOAL}, ${batching <= BATCH_GOAL ? 'met' : '**not met**'}), ` +
      `${(fifty.perSecond / one.perSecond).toFixed(1)} × the updates per second`,
  );
} finally {
  await server.stop();
}
