/**
 * Accounting benchmark (issue 12), on PostgreSQL: invoicing N orders (one charge each, one draft
 * per order), finalizing the N drafts (numbers drawn from one counter per series, so
 * finalizations of one entity queue behind each other), then an accounting package's loop: list
 * the open sync tasks (in one call, and paged by cursor), read each task with its document, report
 * it COMPLETED. Last, rendering the
 * UBL and PDF of finalized invoices. Requests go through the app in-process (`inject`), CONCURRENCY
 * at a time, so the numbers are the API's and the database's, without HTTP parsing.
 */
import { realisticOrder } from '../test/orders/orders.fixtures.js';
import { bearerHeader, machineLine, startBenchServer } from './support.js';

const ORDERS = Number(process.env.BENCH_ACCOUNTING_ORDERS ?? 1000);
const CONCURRENCY = 8;
const RENDERED = Math.min(ORDERS, 100);
const PAGE = 100;

const server = await startBenchServer({ engine: 'postgres' });
const auth = bearerHeader(server.admin.token);

async function send(method: 'GET' | 'POST', url: string, payload?: object): Promise<Record<string, unknown>> {
  const res = await server.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return String(res.headers['content-type'] ?? '').startsWith('application/json') ? (res.json() as Record<string, unknown>) : {};
}

/** Runs `work` over the items, CONCURRENCY at a time; answers the results and the items per second. */
async function timed<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<{ results: R[]; perSecond: number; seconds: number }> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { results, perSecond: items.length / seconds, seconds };
}

try {
  await send('POST', '/v1/admin/billing-entities', {
    code: 'WB-BE',
    legal_name: 'Waybill Logistics NV',
    vat_number: 'BE0123456749',
    company_registration_number: '0123456749',
    address: { country: 'BE' },
  });
  await send('POST', '/v1/admin/tax-rates', { code: 'BE21', name: 'VAT 21%', percentage: '21' });
  await send('POST', '/v1/companies/company', {
    name: 'Acme',
    code: 'ACME',
    currency: 'EUR',
    is_customer: true,
    vat_number: 'BE0403019261',
    billing_location: { country: 'BE', city: 'Antwerpen' },
  });
  const indexes = Array.from({ length: ORDERS }, (_, i) => i);
  const orders = await timed(indexes, async (i) => {
    const order = await send('POST', '/v1/orders/order/upload', realisticOrder(`BENCH-ACCT-${i}`));
    await send('POST', `/v1/orders/order/${order.order_id as string}/charges`, { code: 'FREIGHT', unit_price: `${100 + i}.55`, tax_rate: { code: 'BE21' } });
    return order.order_id as string;
  });
  const drafts = await timed(orders.results, async (id) => (await send('POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [id] })).id as string);
  const finals = await timed(drafts.results, (id) => send('POST', `/v1/accounting/sales-invoice/${id}/finalize`, {}));
  const listStarted = process.hrtime.bigint();
  const tasks = (await send('GET', '/v1/accounting/sync-tasks')).tasks as Array<{ id: string }>;
  const listMs = Number(process.hrtime.bigint() - listStarted) / 1e6;
  // The same queue walked in pages of PAGE, following next_cursor.
  const pageStarted = process.hrtime.bigint();
  let paged = 0;
  let pages = 0;
  for (let cursor: string | null = null; pages === 0 || cursor; pages++) {
    const page = await send('GET', `/v1/accounting/sync-tasks?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`);
    paged += (page.tasks as unknown[]).length;
    cursor = page.next_cursor as string | null;
  }
  const pageMs = Number(process.hrtime.bigint() - pageStarted) / 1e6;
  const posted = await timed(tasks, async (t) => {
    await send('GET', `/v1/accounting/sync-tasks/${t.id}`);
    await send('POST', `/v1/accounting/sync-tasks/${t.id}/update-status`, { status: 'COMPLETED' });
  });
  const files = (await Promise.all(
    drafts.results.slice(0, RENDERED).map((id) => send('GET', `/v1/accounting/sales-invoice/${id}/documents`)),
  )) as unknown as Array<Array<{ download_url: string }>>;
  const ubl = await timed(files, (f) => send('GET', (f[1] as { download_url: string }).download_url));
  const pdf = await timed(files, (f) => send('GET', (f[0] as { download_url: string }).download_url));

  const row = (what: string, n: number, r: { perSecond: number; seconds: number }) =>
    `| ${what} | ${n} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(0)} |`;
  console.log(`\n${machineLine()}; PostgreSQL 15; ${CONCURRENCY} requests in flight (in-process inject)\n`);
  console.log('| Step | count | seconds | per second |\n|---|---:|---:|---:|');
  console.log(row('order upload + one charge (set-up)', ORDERS, orders));
  console.log(row('draft invoice from one order', ORDERS, drafts));
  console.log(row('finalize (number, due date, sync task, event)', ORDERS, finals));
  console.log(`| list open sync tasks (one call, default page of 1,000) | ${tasks.length} | ${(listMs / 1000).toFixed(2)} | — |`);
  console.log(
    `| page through open sync tasks (${pages} pages of ${PAGE}, next_cursor) | ${paged} | ${(pageMs / 1000).toFixed(2)} | ${(paged / (pageMs / 1000)).toFixed(0)} |`,
  );
  console.log(row('task detail (document inline) + COMPLETED', tasks.length, posted));
  console.log(row('UBL download (rendered on request)', RENDERED, ubl));
  console.log(row('PDF download (rendered on request)', RENDERED, pdf));
} finally {
  await server.stop();
}
