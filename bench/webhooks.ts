/**
 * Webhook delivery benchmark (issue 4), on PGlite and on PostgreSQL:
 *  - the raw ceiling: autocannon POSTing a webhook-sized body straight to the receiver;
 *  - delivery throughput: draining a burst of 10,000 committed events to one endpoint, and to 50;
 *  - latency from the committing request's start to the receiver getting the message (p50/p99),
 *    at idle and while order imports load the server.
 * The receiver is a separate process, so it never shares an event loop with Waybill.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { sql } from 'kysely';
import { inTransaction } from '../src/platform/db/tx.js';
import { appendEvent } from '../src/platform/events/append.js';
import '../test/support/fixture-events.js';
import type { FixtureEventType } from '../test/support/fixture-events.js';
import { signedHeaders, newSigningSecret } from '../src/modules/webhooks/index.js';
import { AddressPolicy } from '../src/platform/net/address-policy.js';
import { GuardedHttpClient } from '../src/platform/net/guarded-http.js';
import { bearerHeader, cpuMeter, databaseBackends, machineLine, startBenchServer, type BenchServer, type Engine } from './support.js';

const BURST = Number(process.env.BENCH_WEBHOOK_BURST ?? 10_000);
const PROBES = Number(process.env.BENCH_WEBHOOK_PROBES ?? 200);
const LOAD_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CEILING_SECONDS = Math.min(LOAD_SECONDS, 5);
/** Default engine settings, but for the loopback allowlist; BENCH_WEBHOOK_ENDPOINT_CONCURRENCY overrides the per-endpoint cap. */
const BENCH_CONFIG = {
  outboundAllowlist: ['127.0.0.0/8'],
  ...(process.env.BENCH_WEBHOOK_ENDPOINT_CONCURRENCY ? { webhookEndpointConcurrency: Number(process.env.BENCH_WEBHOOK_ENDPOINT_CONCURRENCY) } : {}),
};
/**
 * Which scenarios to run (BENCH_WEBHOOK_PARTS, comma-separated): all four by default, and
 * `latency-async`, the latency part again with this benchmark's own connections committing without
 * waiting for their WAL flush (a diagnostic of where the tail waits, never how Waybill runs).
 */
const PARTS = new Set((process.env.BENCH_WEBHOOK_PARTS ?? 'burst1,burst50,processes,latency').split(','));
/**
 * BENCH_WEBHOOK_API_PROBE=0 drains without the `GET /me` probe: the probe's requests run in the
 * Waybill process and, on a slow drain, add tens of µs to its CPU per delivery.
 */
const API_PROBE = process.env.BENCH_WEBHOOK_API_PROBE !== '0';

/** The receiver process: answers 200 `{}` and remembers when each message arrived. */
const RECEIVER_SOURCE = `
const http = require('node:http');
const arrivals = new Map();
const seen = new Set();
let count = 0, duplicates = 0, first = null, last = null;
const now = () => performance.timeOrigin + performance.now();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    count++;
    const id = req.headers['x-probe'] ? undefined : req.headers['webhook-id'];
    if (id) {
      if (seen.has(id)) duplicates++;
      seen.add(id);
      first ??= now();
      last = now();
    }
    const key = id && extractKey(Buffer.concat(chunks).toString());
    if (key) arrivals.set(key, now());
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
function extractKey(body) {
  const m = /"entity_id":"([0-9a-f-]{36})"/.exec(body);
  return m ? m[1] : undefined;
}
server.keepAliveTimeout = 60000;
server.listen(0, '0.0.0.0', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (m.type === 'stats') process.send({ count, unique: seen.size, duplicates, first, last, arrivals: m.keys ? m.keys.map((k) => arrivals.get(k) ?? null) : [] });
  if (m.type === 'reset') { count = 0; duplicates = 0; first = null; last = null; seen.clear(); arrivals.clear(); process.send({ ok: true }); }
});
`;

class ReceiverProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<ReceiverProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-receiver-'));
    const file = path.join(dir, 'receiver.cjs');
    fs.writeFileSync(file, RECEIVER_SOURCE);
    const child = fork(file, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
    fs.rmSync(dir, { recursive: true, force: true }); // loaded: the file is no longer needed
    return new ReceiverProcess(child, port);
  }

  /** A URL on its own loopback address per endpoint index, like distinct receivers would be. */
  url(host = 1): string {
    return `http://127.0.0.${host}:${this.port}/hook`;
  }

  private ask<T>(message: object): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as T));
      this.child.send(message);
    });
  }

  stats(keys?: string[]) {
    return this.ask<{ count: number; unique: number; duplicates: number; first: number | null; last: number | null; arrivals: Array<number | null> }>({
      type: 'stats',
      keys,
    });
  }

  reset() {
    return this.ask({ type: 'reset' });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  stop() {
    this.child.kill();
  }
}

/**
 * Statements sent by this process's PostgreSQL clients (Waybill's pool included): every query
 * goes through `Client.prototype.query`, so counting there needs nothing from Waybill's code.
 */
let statementsSent = 0;
/**
 * BENCH_WEBHOOK_STATEMENTS=1 also tallies statements by their first words, with their time to the
 * answer (wall clock, so queueing for the CPU included), printed after each drain: which
 * statements a delivery costs, and which of them are slow.
 */
const TALLY = process.env.BENCH_WEBHOOK_STATEMENTS === '1';
const tally = new Map<string, { count: number; ms: number }>();
const sendQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<typeof sendQuery>) {
  statementsSent++;
  const answer: unknown = Reflect.apply(sendQuery, this, args);
  const text: unknown = args[0];
  if (TALLY && typeof text === 'string' && answer instanceof Promise) {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const started = performance.now();
    const count = () => {
      const entry = tally.get(key) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += performance.now() - started;
      tally.set(key, entry);
    };
    answer.then(count, count);
  }
  return answer as ReturnType<typeof sendQuery>;
} as typeof sendQuery;

/** Prints and clears the statement tally (BENCH_WEBHOOK_STATEMENTS=1) for `deliveries` messages. */
function printTally(title: string, deliveries: number): void {
  if (!TALLY) return;
  console.log(`\nStatements during ${title} (per 1,000 deliveries; mean ms to the answer):`);
  for (const [key, { count, ms }] of [...tally].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${((count * 1000) / deliveries).toFixed(1).padStart(6)}  ${(ms / count).toFixed(2).padStart(7)} ms  ${key}`);
  }
  tally.clear();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wallNow = () => performance.timeOrigin + performance.now();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * The raw ceiling: autocannon POSTing a webhook-sized body straight to the receiver. It moves by
 * tens of percent from one minute to the next on a shared machine, so every burst measures its own,
 * right before its drain.
 */
async function rawCeiling(receiver: ReceiverProcess): Promise<number> {
  const body = JSON.stringify({
    id: crypto.randomUUID(),
    position: 1,
    type: 'company.created',
    entity_type: 'company',
    entity_id: crypto.randomUUID(),
    payload: { name: 'x'.repeat(300) },
  });
  const run = (duration: number) =>
    autocannon({
      url: receiver.url(),
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-probe': '1' },
      connections: 10,
      duration,
      workers: 1,
    });
  await run(2);
  return Math.round((await run(CEILING_SECONDS)).requests.average);
}

/**
 * Waybill's own sending path without any database work: the guarded HTTP client POSTing signed
 * messages to the receiver, 8 in flight (the default per-endpoint cap). The gap between this and
 * the raw ceiling is the cost of Node's HTTP client; the gap between this and a drain is the cost
 * of durable bookkeeping.
 */
async function clientCeiling(receiver: ReceiverProcess): Promise<{ rate: number; cpuUs: number }> {
  const client = new GuardedHttpClient({ policy: new AddressPolicy(['127.0.0.0/8']), timeoutMs: 15_000, connectionsPerOrigin: 8 });
  const secret = newSigningSecret();
  const total = BURST;
  let next = 0;
  const cpu = cpuMeter();
  const started = wallNow();
  const lane = async () => {
    while (next < total) {
      const n = next++;
      const body = JSON.stringify({ id: crypto.randomUUID(), type: 'bench.client', entity_id: crypto.randomUUID(), payload: { n, note: 'x'.repeat(200) } });
      const result = await client.post(receiver.url(), body, {
        'content-type': 'application/json',
        'x-probe': '1',
        ...signedHeaders(`msg_${n}`, new Date(), body, [secret]),
      });
      if (result.statusCode !== 200) throw new Error(`client ceiling: ${result.error ?? result.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  const seconds = (wallNow() - started) / 1000;
  const used = cpu.stop();
  await client.close();
  return { rate: Math.round(total / seconds), cpuUs: Math.round(((used.waybill ?? 0) * 1e6) / total) };
}

async function createEndpoint(server: BenchServer, url: string, body: Record<string, unknown>) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/admin/webhook-endpoints',
    headers: bearerHeader(server.admin.token),
    payload: { url, ...body },
  });
  if (res.statusCode !== 201) throw new Error(`endpoint: ${res.body}`);
  return res.json() as { id: string };
}

/**
 * `GET /me` over HTTP, one request every 10 ms until `until` settles: how the API answers while the
 * engine works in the same process (its event loop is the API's). Returns p50/p99 in ms.
 */
async function probeApi(server: BenchServer, until: Promise<unknown>): Promise<{ p50: number; p99: number }> {
  if (!API_PROBE) {
    await until;
    return { p50: NaN, p99: NaN };
  }
  let done = false;
  void until.then(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const sent = performance.now();
    const res = await fetch(`${server.url}/me`, { headers: bearerHeader(server.admin.token) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET /me answered ${res.status}`);
    latencies.push(performance.now() - sent);
    await sleep(10);
  }
  return { p50: Number(percentile(latencies, 50).toFixed(1)), p99: Number(percentile(latencies, 99).toFixed(1)) };
}

/** Commits `BURST` events, 500 per transaction. */
async function commitBurst(server: BenchServer, typeOf: (i: number) => FixtureEventType): Promise<void> {
  for (let i = 0; i < BURST; i += 500) {
    await inTransaction(server.services.db, async (tx) => {
      for (let j = i; j < Math.min(BURST, i + 500); j++) {
        await appendEvent(tx, server.services.bus, {
          tenantId: server.admin.tenantId,
          type: typeOf(j),
          entityType: 'bench',
          entityId: crypto.randomUUID(),
          payload: { n: j, note: 'x'.repeat(200) },
        });
      }
    });
  }
}

const BIN = path.resolve(import.meta.dirname, '../bin/waybill.mjs');

/**
 * Starts `waybill serve` with its workers on against `databaseUrl`, and resolves once it is ready,
 * with a CPU meter of the process started then: its start-up is not counted, its drain is.
 */
async function serveProcess(databaseUrl: string): Promise<{ child: ChildProcess; cpu: ReturnType<typeof cpuMeter> }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      WAYBILL_WORKERS: 'true',
      WAYBILL_OUTBOUND_ALLOWLIST: '127.0.0.0/8',
      WAYBILL_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`http://127.0.0.1:${port}/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { child, cpu: cpuMeter({ serve: child.pid ?? 0 }) };
    if (tries > 600 || child.exitCode !== null) throw new Error('waybill serve did not become ready');
    await sleep(100);
  }
}

/** CPU seconds a process has used since it started (user + system, from /proc). */
function lifetimeCpuSeconds(pid: number): number {
  try {
    const fields = fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ
  } catch {
    return 0; // ended meanwhile
  }
}

/**
 * CPU seconds of the benchmark database's own backends (its pool's, and an autovacuum worker's
 * while one runs on it) from now to `stop()`; a backend that starts meanwhile counts from zero,
 * one that ends meanwhile is missed. Every `postgres` process on the host (cpuMeter's group)
 * counts other engineers' work on a shared server too. Undefined on PGlite (in this process).
 */
async function backendCpuMeter(server: BenchServer): Promise<{ stop(): Promise<number | undefined> }> {
  const lives = async () => new Map(Object.values(await databaseBackends(server)).map((pid) => [pid, lifetimeCpuSeconds(pid)]));
  if (server.engine !== 'postgres') return { stop: async () => undefined };
  const before = await lives();
  return {
    async stop() {
      let total = 0;
      for (const [pid, seconds] of await lives()) total += seconds - (before.get(pid) ?? 0);
      return total;
    },
  };
}

/**
 * Scale-out on PostgreSQL: the burst is committed, then `processes` separate `waybill serve`
 * processes drain it together. Their start-up is not timed: the rate runs from the first message
 * the receiver gets to the last. Duplicates (the same webhook-id twice) are counted.
 */
async function drainWithProcesses(receiver: ReceiverProcess, processes: number): Promise<string> {
  const server = await startBenchServer({ engine: 'postgres', config: BENCH_CONFIG });
  const children: ChildProcess[] = [];
  try {
    await createEndpoint(server, receiver.url(), { families: ['events'], event_types: ['bench.*'] });
    await receiver.reset();
    await commitBurst(server, () => 'bench.burst');
    const databaseUrl = server.services.database.databaseUrl as string;
    const started = await Promise.all(Array.from({ length: processes }, () => serveProcess(databaseUrl)));
    children.push(...started.map((s) => s.child));
    let stats = await receiver.stats();
    for (let waited = 0; stats.unique < BURST && waited < 300_000; waited += 50) {
      await sleep(50);
      stats = await receiver.stats();
    }
    // CPU per delivery of each serve process (from its readiness on), and of the benchmark
    // database's backends over their whole lives (the serve processes' pools, opened at their
    // start-up, so a slight over-count). Every `postgres` process on the host would count other
    // engineers' work, and backends that ended meanwhile made that sum go negative.
    const perProcess = started.map((s) => Math.round(((s.cpu.stop().serve ?? 0) * 1e6) / BURST));
    const backends = Object.values(await databaseBackends(server));
    const postgres = Math.round((backends.reduce((sum, pid) => sum + lifetimeCpuSeconds(pid), 0) * 1e6) / BURST);
    const seconds = ((stats.last ?? 0) - (stats.first ?? 0)) / 1000;
    return `| PostgreSQL: burst of ${BURST} events → 1 endpoint, drained by ${processes} \`waybill serve\` process${processes > 1 ? 'es' : ''} | ${Math.round(stats.unique / seconds)} deliveries/s | ${stats.unique} of ${BURST} | ${stats.duplicates} | ${perProcess.join(' + ')} = ${perProcess.reduce((a, b) => a + b, 0)} | ${postgres} |`;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await server.stop();
  }
}

interface BurstResult {
  rate: number;
  ceiling: number;
  commitSeconds: number;
  drainSeconds: number;
  cpuUs: string;
  /** Statements per 1,000 deliveries during the drain (PostgreSQL only). */
  statements: number;
  /** GET /me latency before the drain and during it. */
  api: { idle: { p50: number; p99: number }; draining: { p50: number; p99: number } };
}

/**
 * A burst: commits `BURST` events (in transactions of 500) with the webhook engine stopped, then
 * starts it and times until the receiver has every message: fan-out, claims, HTTP and outcome
 * writes, the whole drain. Committing the events one `appendEvent` at a time is slower than
 * delivering them, so timing from the first commit would measure the event generator instead.
 */
async function burst(server: BenchServer, receiver: ReceiverProcess, typeOf: (i: number) => FixtureEventType): Promise<BurstResult> {
  await receiver.reset();
  const started = wallNow();
  await commitBurst(server, typeOf);
  const commitSeconds = (wallNow() - started) / 1000;
  const ceiling = await rawCeiling(receiver);
  await receiver.reset();
  const idleApi = await probeApi(server, sleep(2_000));
  const committed = wallNow();
  const cpu = cpuMeter({ receiver: receiver.pid });
  const backendCpu = await backendCpuMeter(server);
  const statementsBefore = statementsSent;
  tally.clear();
  const profile = await startProfile();
  const engine = server.services.webhooks.startEngine((err) => console.error(err));
  let drainingApi: { p50: number; p99: number };
  try {
    const drained = (async () => {
      for (;;) {
        const { count } = await receiver.stats();
        if (count >= BURST) break;
        await sleep(20);
      }
    })();
    [drainingApi] = await Promise.all([probeApi(server, drained), drained]);
  } finally {
    await engine.stop();
    await profile?.stop();
  }
  const drain = (wallNow() - committed) / 1000;
  const used = cpu.stop();
  const backends = await backendCpu.stop();
  const perDelivery = (seconds = 0) => Math.round((seconds * 1e6) / BURST);
  const database = backends === undefined ? '—' : `${perDelivery(backends)} (host ${perDelivery(used.postgres)})`;
  const cpuUs = `${perDelivery(used.waybill)} / ${database} / ${perDelivery(used.receiver)}`;
  const statements = Math.round(((statementsSent - statementsBefore) * 1000) / BURST);
  printTally(`a drain of ${BURST}`, BURST);
  return { rate: Math.round(BURST / drain), ceiling, commitSeconds, drainSeconds: drain, cpuUs, statements, api: { idle: idleApi, draining: drainingApi } };
}

/**
 * With BENCH_WEBHOOK_PROFILE=<folder>, a CPU profile of this process over each drain alone (the
 * engine's start to its stop), written there as `drain-<time>.cpuprofile` for DevTools.
 */
async function startProfile(): Promise<{ stop(): Promise<void> } | undefined> {
  const dir = process.env.BENCH_WEBHOOK_PROFILE;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `drain-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Creates companies one after another over HTTP and measures request start → arrival. */
async function probeLatency(server: BenchServer, receiver: ReceiverProcess, count: number, gapMs: number): Promise<Latency> {
  const latencies: number[] = [];
  const requests: number[] = [];
  const afterAnswer: number[] = [];
  for (let i = 0; i < count; i++) {
    const sent = wallNow();
    const res = await fetch(`${server.url}/v1/companies/company`, {
      method: 'POST',
      headers: { ...bearerHeader(server.admin.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Probe ${i}`, currency: 'EUR', is_customer: true }),
    });
    const { id } = (await res.json()) as { id: string };
    const answered = wallNow();
    let arrived: number | null = null;
    for (let tries = 0; arrived === null && tries < 2_000; tries++) {
      arrived = (await receiver.stats([id])).arrivals[0] ?? null;
      if (arrived === null) await sleep(2);
    }
    if (arrived !== null) {
      latencies.push(arrived - sent);
      requests.push(answered - sent);
      afterAnswer.push(arrived - answered);
    }
    await sleep(gapMs);
  }
  const p = (values: number[]) => ({ p50: Math.round(percentile(values, 50)), p99: Math.round(percentile(values, 99)) });
  return { ...p(latencies), request: p(requests), afterAnswer: p(afterAnswer) };
}

/**
 * Request start → arrival, and its two parts: the committing request itself (start → answer, the
 * API's own queueing included) and answer → arrival (wake-up, fan-out, delivery). The arrival can
 * precede the answer, so the parts' percentiles need not add up to the whole's.
 */
interface Latency {
  p50: number;
  p99: number;
  request: { p50: number; p99: number };
  afterAnswer: { p50: number; p99: number };
}

const parts = (l: Latency) => `${l.request.p50} / ${l.request.p99} | ${l.afterAnswer.p50} / ${l.afterAnswer.p99}`;

const apiRows: string[] = [];

const burstRow = (title: string, b: BurstResult) =>
  `| ${title} | ${b.rate} deliveries/s | ${b.ceiling} req/s | ${(b.rate / b.ceiling).toFixed(2)} × | ${b.commitSeconds.toFixed(1)} s / ${b.drainSeconds.toFixed(1)} s | ${b.cpuUs} | ${b.statements} |`;

/** The latency part: company creates one at a time, idle and then under order-import load. */
async function measureLatency(engine: Engine, receiver: ReceiverProcess, label: string, note: string): Promise<string[]> {
  const latency: string[] = [];
  const server = await startBenchServer({ engine, config: BENCH_CONFIG });
  const engineHandle = server.services.webhooks.startEngine((err) => console.error(err));
  try {
    await createEndpoint(server, receiver.url(1), { families: ['events'], event_types: ['company.created'] });
    // Order imports also fan out to a visibility endpoint, so the load exercises the whole path.
    await createEndpoint(server, receiver.url(2), { families: ['operational_visibility'] });
    await server.app.inject({
      method: 'POST',
      url: '/v1/companies/company',
      headers: bearerHeader(server.admin.token),
      payload: { name: 'Load customer', code: 'LOAD', currency: 'EUR', is_customer: true },
    });
    await probeLatency(server, receiver, 20, 5);
    const idle = await probeLatency(server, receiver, PROBES, 5);
    if (engine === 'postgres') {
      // What Waybill's own connections run with, so the row says what it measured.
      const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(server.services.db);
      note += ` (synchronous_commit ${rows[0]?.synchronous_commit ?? '?'})`;
    }
    latency.push(`| ${label}${note}: idle | ${idle.p50} | ${idle.p99} | ${parts(idle)} | — |`);

    const order = {
      operation: 'CREATE',
      order_identifier: 'LOAD-[<id>]',
      customer: { code: 'LOAD' },
      customer_reference_number: 'PO-[<id>]',
      consignments: [
        {
          pickup_stop: { location: { name: 'Antwerp DC', city: 'Antwerpen', country: 'BE' }, date: '2026-12-01' },
          delivery_stop: { location: { name: 'Lyon Hub', city: 'Lyon', country: 'FR' }, date: '2026-12-02' },
          goods: [{ description: 'Pallets', quantity: 10, total_weight_kg: 5000 }],
        },
      ],
    };
    const loadRun = autocannon({
      url: `${server.url}/v1/orders/order/upload`,
      method: 'POST',
      headers: { ...bearerHeader(server.admin.token), 'content-type': 'application/json' },
      body: JSON.stringify(order),
      idReplacement: true,
      connections: 4,
      duration: LOAD_SECONDS + 5,
      workers: 1,
    });
    await sleep(1_000);
    const loaded = await probeLatency(server, receiver, PROBES, 20);
    const result = await loadRun;
    latency.push(
      `| ${label}${note}: under order-import load | ${loaded.p50} | ${loaded.p99} | ${parts(loaded)} | ${Math.round(result.requests.average)} imports/s (${result.non2xx + result.errors} errors) |`,
    );
  } finally {
    await engineHandle.stop();
    await server.stop();
  }
  return latency;
}

async function benchEngine(engine: Engine, receiver: ReceiverProcess) {
  const label = engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const rows: string[] = [];
  // Burst to one endpoint.
  if (PARTS.has('burst1')) {
    const server = await startBenchServer({ engine, config: BENCH_CONFIG });
    try {
      await createEndpoint(server, receiver.url(), { families: ['events'], event_types: ['bench.*'] });
      const b = await burst(server, receiver, () => 'bench.burst');
      rows.push(burstRow(`${label}: burst of ${BURST} events → 1 endpoint`, b));
      apiRows.push(`| ${label}: 1 endpoint | ${b.api.idle.p50} / ${b.api.idle.p99} | ${b.api.draining.p50} / ${b.api.draining.p99} |`);
    } finally {
      await server.stop();
    }
  }
  // The same burst spread over 50 endpoints (each on its own loopback address).
  if (PARTS.has('burst50')) {
    const server = await startBenchServer({ engine, config: BENCH_CONFIG });
    try {
      for (let e = 0; e < 50; e++) await createEndpoint(server, receiver.url(e + 1), { families: ['events'], event_types: [`bench.e${e}`] });
      const b = await burst(server, receiver, (i) => `bench.e${i % 50}`);
      rows.push(burstRow(`${label}: burst of ${BURST} events → 50 endpoints`, b));
      apiRows.push(`| ${label}: 50 endpoints | ${b.api.idle.p50} / ${b.api.idle.p99} | ${b.api.draining.p50} / ${b.api.draining.p99} |`);
    } finally {
      await server.stop();
    }
  }
  // Latency, idle and under order-import load.
  const latency: string[] = [];
  if (PARTS.has('latency')) latency.push(...(await measureLatency(engine, receiver, label, '')));
  if (PARTS.has('latency-async') && engine === 'postgres') {
    // Every connection this benchmark opens from here on (Waybill's pool included) commits without
    // waiting for its WAL flush: if the tail is the flush, it goes with it. Only this run's
    // connections; the server's settings and other databases are untouched.
    const before = process.env.PGOPTIONS;
    process.env.PGOPTIONS = `${before ?? ''} -c synchronous_commit=off`.trim();
    try {
      latency.push(...(await measureLatency(engine, receiver, label, ', diagnostic')));
    } finally {
      if (before === undefined) delete process.env.PGOPTIONS;
      else process.env.PGOPTIONS = before;
    }
  }
  return { rows, latency };
}

const receiver = await ReceiverProcess.start();
try {
  const processRows: string[] = [];
  const engines: Engine[] = process.env.BENCH_ENGINES ? (process.env.BENCH_ENGINES.split(',') as Engine[]) : ['pglite', 'postgres'];
  const throughput: string[] = [];
  const client = await clientCeiling(receiver);
  const clientRaw = await rawCeiling(receiver);
  throughput.push(
    `| Waybill's HTTP client alone: ${BURST} signed POSTs, 8 in flight, no database | ${client.rate} req/s | ${clientRaw} req/s | ${(client.rate / clientRaw).toFixed(2)} × | — | ${client.cpuUs} / — / — | — |`,
  );
  const latency: string[] = [];
  for (const engine of engines) {
    const result = await benchEngine(engine, receiver);
    throughput.push(...result.rows);
    latency.push(...result.latency);
  }
  if (PARTS.has('processes') && engines.includes('postgres')) {
    for (const n of [1, 2]) processRows.push(await drainWithProcesses(receiver, n));
  }
  console.log(`\nMeasured ${machineLine()}\n`);
  console.log(
    '| Scenario | delivered | raw ceiling just before | ratio | committing the events / draining them | CPU µs per delivery: Waybill / PostgreSQL, the benchmark database backends (host: every postgres process) / receiver | statements per 1,000 deliveries |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  console.log(throughput.join('\n'));
  // Without the probe (BENCH_WEBHOOK_API_PROBE=0) there is nothing to show, not a row of NaN.
  if (API_PROBE) {
    console.log('\nThe API while a burst drains (GET /me every 10 ms, same process as the engine):\n');
    console.log('| Engine and burst | before the drain: p50 / p99 ms | during the drain: p50 / p99 ms |\n|---|---:|---:|');
    console.log(apiRows.join('\n'));
  }
  if (processRows.length) {
    console.log('\nScale-out: separate server processes on one PostgreSQL (rate from the first to the last message received):\n');
    console.log(
      '| Scenario | delivered | unique messages | duplicates | CPU µs per delivery, each serve process (from its readiness) | the database backends |\n|---|---:|---:|---:|---:|---:|',
    );
    console.log(processRows.join('\n'));
  }
  console.log(`\nLatency from the committing request's start to the receiver (${PROBES} company creates, one at a time):\n`);
  console.log('| Engine and load | p50 ms | p99 ms | request alone: p50 / p99 ms | answer → receiver: p50 / p99 ms | load |\n|---|---:|---:|---:|---:|---|');
  console.log(latency.join('\n'));
} finally {
  receiver.stop();
}
