/**
 * Portal benchmark (issue 23): the order list export, `GET /v1/orders/export`, with N orders.
 * - CSV streams page by page and xlsx is drawn in a worker thread, so neither should hold the
 *   event loop: the longest event-loop delay seen while each export runs is measured here
 *   (perf_hooks, in this process, which is the server's).
 * - The ceiling, in the same run: the same workbook drawn on the main thread, which is how long a
 *   request thread would be blocked if the export were written there.
 * BENCH_ENGINES=pglite,postgres (default pglite), BENCH_PORTAL_ORDERS (default 10000),
 * BENCH_PORTAL_ROUNDS (default 3).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { renderOrderWorkbook } from '../src/modules/orders/index.js';
import { bearerHeader, importOrders, machineLine, startBenchServer, type Engine } from './support.js';

const ORDERS = Number(process.env.BENCH_PORTAL_ORDERS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_PORTAL_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;

/** One export through HTTP: its time, size, and the longest event-loop stall while it ran. */
async function timedExport(url: string, token: string, format: 'csv' | 'xlsx') {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const res = await fetch(`${url}/v1/orders/export?format=${format}`, { headers: bearerHeader(token) });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  loop.disable();
  if (res.status !== 200) throw new Error(`export ${format} answered ${res.status}: ${body.toString()}`);
  return { ms, bytes: body.length, body, maxStallMs: loop.max / 1e6 };
}

async function measure(engine: Engine) {
  const server = await startBenchServer({ engine });
  try {
    const started = Date.now();
    await importOrders(server, ORDERS);
    const importSeconds = (Date.now() - started) / 1000;
    const csv: Awaited<ReturnType<typeof timedExport>>[] = [];
    const xlsx: Awaited<ReturnType<typeof timedExport>>[] = [];
    const mainThreadMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      csv.push(await timedExport(server.url, server.admin.token, 'csv'));
      xlsx.push(await timedExport(server.url, server.admin.token, 'xlsx'));
      // The ceiling: the rows of that CSV drawn as a workbook right here, on the event loop.
      const rows = csv
        .at(-1)!
        .body.toString('utf8')
        .slice(1)
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(','));
      const t0 = performance.now();
      await renderOrderWorkbook(rows);
      mainThreadMs.push(performance.now() - t0);
    }
    const lines = csv[0]!.body.toString('utf8').trim().split('\r\n').length - 1;
    if (lines !== ORDERS) throw new Error(`the CSV held ${lines} orders, not ${ORDERS}`);
    return {
      engine,
      importSeconds,
      csvMs: median(csv.map((r) => r.ms)),
      csvStall: Math.max(...csv.map((r) => r.maxStallMs)),
      csvKb: csv[0]!.bytes / 1024,
      xlsxMs: median(xlsx.map((r) => r.ms)),
      xlsxStall: Math.max(...xlsx.map((r) => r.maxStallMs)),
      xlsxKb: xlsx[0]!.bytes / 1024,
      ceilingMs: median(mainThreadMs),
    };
  } finally {
    await server.stop();
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'pglite').split(',') as Engine[];
console.log(`\nPortal export: ${machineLine()}; ${ORDERS} orders, ${ROUNDS} rounds, medians (stalls: the longest of all rounds)\n`);
console.log('| Engine | CSV | longest stall during CSV | xlsx | longest stall during xlsx | ceiling: xlsx drawn on the main thread | stall ÷ ceiling | data |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const engine of engines) {
  const r = await measure(engine);
  const worst = Math.max(r.csvStall, r.xlsxStall);
  console.log(
    `| ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'} | ${r.csvMs.toFixed(0)} ms (${r.csvKb.toFixed(0)} KB) | ${r.csvStall.toFixed(1)} ms | ` +
      `${r.xlsxMs.toFixed(0)} ms (${r.xlsxKb.toFixed(0)} KB) | ${r.xlsxStall.toFixed(1)} ms | ${r.ceilingMs.toFixed(0)} ms | ` +
      `${(worst / r.ceilingMs).toFixed(2)} | ${ORDERS} orders imported in ${r.importSeconds.toFixed(0)} s |`,
  );
}
