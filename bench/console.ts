/**
 * Console benchmark (issue 22), beside its two budgets:
 * - the JavaScript of the first load of `/app`, gzipped, ≤ 250 KB: what index.html loads (entry and
 *   preloads), and everything a browser actually fetched to show the orders page (entry plus the
 *   page's own chunk), read from Chromium's network log;
 * - the orders list with 10,000 orders interactive in ≤ 1 s on a local server: from the start of
 *   navigation to the first page of rows on screen, and a click on "Next page" until the next
 *   rows show (server-side cursor paging, so neither grows with the number of orders).
 * - the subcontractor's trip page (issue 23) ≤ 150 KB of JavaScript gzipped on its first load: what a
 *   phone fetches to show the trip list and then one trip, read from the same network log.
 * Needs dist/web (`npm run build`) and Debian's Chromium. BENCH_ENGINES=pglite,postgres (default
 * pglite), BENCH_CONSOLE_ORDERS (default 10000), BENCH_CONSOLE_ROUNDS (default 7).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../test/support/chromium.js';
import { importOrders, machineLine, startBenchServer, type BenchServer, type Engine } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const WEB = path.join(ROOT, 'dist/web');
const ORDERS = Number(process.env.BENCH_CONSOLE_ORDERS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_CONSOLE_ROUNDS ?? 7);
const JS_BUDGET_KB = 250;
const CARRIER_JS_BUDGET_KB = 150;
const INTERACTIVE_BUDGET_MS = 1000;
const PASSWORD = 'bench password of some length';

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const gzipped = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;

/** The scripts index.html loads before any page code: the entry and its modulepreloads. */
function entryScripts(): string[] {
  const html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
}

/** A person with a password, through the invite API, as the console's people would be (an operator unless said). */
async function newOperator(server: BenchServer, person: Record<string, unknown> = {}): Promise<string> {
  const email = String(person.email ?? 'bench.operator@carrier.example');
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/admin/users',
    headers: { authorization: `Bearer ${server.admin.token}` },
    payload: { email, name: 'Bench Operator', role: 'TENANT', ...person },
  });
  const { invite_url } = res.json() as { invite_url: string };
  const token = invite_url.slice(invite_url.indexOf('#') + 1);
  const accepted = await server.app.inject({ method: 'POST', url: `/v1/session/invite/${encodeURIComponent(token)}`, payload: { password: PASSWORD } });
  if (accepted.statusCode !== 200) throw new Error(`invite failed: ${accepted.statusCode} ${accepted.body}`);
  return email;
}

/** As the admin, through the API; the answer's JSON. */
async function call(server: BenchServer, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await server.app.inject({ method, url, headers: { authorization: `Bearer ${server.admin.token}` }, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, unknown>;
}

/**
 * The JavaScript a subcontractor's phone fetches to show its trip list and then a trip dispatched
 * to it (empty cache, gzipped): the budget of the phone-first page.
 */
/** A fresh browser context (empty cache) signed in as `email`, and the gzipped size of every script its page fetches. */
async function signedInPage(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  server: BenchServer,
  email: string,
  viewport?: { width: number; height: number },
) {
  const context = await browser.newContext({ baseURL: server.url, ...(viewport ? { viewport } : {}) });
  const signIn = await context.request.post('/v1/session', { data: { email, password: PASSWORD } });
  if (signIn.status() !== 200) throw new Error(`sign-in failed: ${signIn.status()}`);
  const page = await context.newPage();
  const scripts: Promise<number>[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.js')) scripts.push(response.body().then(gzipped));
  });
  const scriptBytes = async () => (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
  return { context, page, scriptBytes };
}

async function carrierFirstLoad(server: BenchServer, browser: Awaited<ReturnType<typeof launchChromium>>): Promise<number> {
  const subco = await call(server, 'POST', '/v1/companies/company', { name: 'Bench Haulers', code: 'BHAUL', currency: 'EUR', is_subcontractor: true });
  const email = await newOperator(server, { email: 'bench.haulier@haul.example', role: 'SUBCONTRACTOR', company_id: subco.id });
  const order = (await call(server, 'GET', '/v1/orders/order?limit=1')).items as Array<{ id: string }>;
  const stops = (await call(server, 'GET', `/v1/orders/order/${order[0]?.id}`)).stops as Array<{ id: string }>;
  const trip = await call(server, 'POST', '/v1/trips/trip', { stops: stops.map((s) => ({ id: s.id })) });
  await call(server, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subco.id, purchase_price: '450' });
  const sizes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { context, page, scriptBytes } = await signedInPage(browser, server, email, { width: 390, height: 844 });
    await page.goto('/app/carrier/trips');
    await page.locator('.trip-card').first().click();
    await page.locator('.stop-card').first().waitFor();
    sizes.push(await scriptBytes());
    await context.close();
  }
  return median(sizes);
}

async function measure(engine: Engine) {
  const server = await startBenchServer({ engine });
  const browser = await launchChromium();
  try {
    const started = Date.now();
    await importOrders(server, ORDERS);
    const importSeconds = (Date.now() - started) / 1000;
    const email = await newOperator(server);

    const firstLoadJs: number[] = [];
    const listMs: number[] = [];
    const nextPageMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh context each round: empty cache, so every round is a first load.
      const { context, page, scriptBytes } = await signedInPage(browser, server, email);
      await page.goto('/app/orders');
      // Timed inside the page, from the start of navigation, checking at every frame.
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length >= 50, undefined, { polling: 'raf' });
      listMs.push(Math.round(await page.evaluate(() => performance.now())));
      firstLoadJs.push(await scriptBytes());

      nextPageMs.push(
        Math.round(
          await page.evaluate(async () => {
            const before = document.querySelector('tbody tr a')?.textContent;
            const next = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Next page');
            const start = performance.now();
            next?.click();
            while (document.querySelector('tbody tr a')?.textContent === before) await new Promise(requestAnimationFrame);
            return performance.now() - start;
          }),
        ),
      );
      await context.close();
    }
    const carrierJs = await carrierFirstLoad(server, browser);
    return {
      engine,
      importSeconds,
      carrierJs,
      firstLoadJs: median(firstLoadJs),
      listMs: median(listMs),
      listMaxMs: Math.max(...listMs),
      nextPageMs: median(nextPageMs),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (!fs.existsSync(path.join(WEB, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` first');
const entry = entryScripts();
const entryBytes = entry.reduce((sum, file) => sum + gzipped(fs.readFileSync(path.join(WEB, file))), 0);

const engines = (process.env.BENCH_ENGINES ?? 'pglite').split(',') as Engine[];
const rows: string[] = [];
const carrierRows: string[] = [];
for (const engine of engines) {
  const r = await measure(engine);
  carrierRows.push(`| ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'} | ${kb(r.carrierJs)} KB | ${CARRIER_JS_BUDGET_KB} KB |`);
  rows.push(
    `| ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'} | ${kb(entryBytes)} KB (${entry.length} file${entry.length === 1 ? '' : 's'}) | ${kb(r.firstLoadJs)} KB | ${r.listMs} ms (max ${r.listMaxMs}) | ${r.nextPageMs} ms | ${ORDERS} orders imported in ${r.importSeconds.toFixed(0)} s |`,
  );
}
console.log(
  `\nConsole: ${machineLine()}; ${ROUNDS} rounds, medians; budgets: first-load JS ≤ ${JS_BUDGET_KB} KB gzipped, list interactive ≤ ${INTERACTIVE_BUDGET_MS} ms\n`,
);
console.log('| Engine | index.html JS, gzipped | JS fetched to show the orders page, gzipped | orders list (50 rows) on screen | next page | data |');
console.log('|---|---:|---:|---:|---:|---|');
for (const row of rows) console.log(row);
console.log(`\nSubcontractor trip page (phone, empty cache): JS fetched to show the trip list and one trip, gzipped\n`);
console.log('| Engine | JS, gzipped | budget |');
console.log('|---|---:|---:|');
for (const row of carrierRows) console.log(row);
