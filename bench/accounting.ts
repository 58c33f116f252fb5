/**
 * Accounting benchmark (issues 12 and 17), on PostgreSQL or PGlite (`BENCH_ENGINE`): invoicing N orders (one charge each, one draft
 * per order), finalizing the N drafts (numbers drawn from one counter per series, so
 * finalizations of one entity queue behind each other), then an accounting package's loop: list
 * the open sync tasks (in one call, and paged by cursor), read each task with its document, report
 * it COMPLETED. Then the accountant's list of sales invoices, paged by cursor. Last, downloading the
 * UBL and PDF of finalized invoices (bytes written to the blob store at finalization; read from there, small ones kept in memory) beside the get-by-key ceiling
 * (one authenticated select by primary key) measured in the same run. Requests go through the app
 * in-process (`inject`), CONCURRENCY at a time, so the numbers are the API's and the database's,
 * without HTTP parsing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { realisticOrder } from '../test/orders/orders.fixtures.js';
import { bearerHeader, GET_CEILING, INSERT_CEILING, machineLine, registerCeilings, startBenchServer, type Engine } from './support.js';

const ORDERS = Number(process.env.BENCH_ACCOUNTING_ORDERS ?? 1000);
const CONCURRENCY = 8;
const RENDERED = Math.min(ORDERS, 100);
const PAGE = 100;
const ENGINE = (process.env.BENCH_ENGINE ?? 'postgres') as Engine;
/** Each download and ceiling read is repeated this many times, so the rows time more than a blink. */
const READS = Number(process.env.BENCH_ACCOUNTING_READS ?? 20);

// Issued files go to the blob store: a directory of this run's own, removed at the end.
const blobDir = await mkdtemp(path.join(os.tmpdir(), 'waybill-bench-accounting-'));
const server = await startBenchServer({ engine: ENGINE, extend: registerCeilings, config: { blobDir } });
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
  // For comparison, the PDFs of the next invoices (up to RENDERED more) made into files as issued
  // before migration 028: the bytes in the row (bytea), no blob.
  const rowFiles = (await Promise.all(
    drafts.results.slice(RENDERED, 2 * RENDERED).map((id) => send('GET', `/v1/accounting/sales-invoice/${id}/documents`)),
  )) as unknown as Array<Array<{ id: string; download_url: string }>>;
  for (const [pdfFile] of rowFiles) {
    const { id, download_url: url } = pdfFile as { id: string; download_url: string };
    const bytes = (await server.app.inject({ method: 'GET', url, headers: auth })).rawPayload;
    await server.services.db.updateTable('billing_document_files').set({ content: bytes, sha256: null, size_bytes: null }).where('id', '=', id).execute();
  }
  // The ceiling: the least a GET can do on this stack, one select by primary key, authenticated.
  await send('POST', INSERT_CEILING, { note: 'ceiling' });
  const ceilingRow = await server.services.db
    .selectFrom('bench_rows' as never)
    .select('id' as never)
    .executeTakeFirstOrThrow();
  const ceilingUrl = GET_CEILING.replace(':id', (ceilingRow as { id: string }).id);
  const ublOf = (f: Array<{ download_url: string }>) => send('GET', (f[1] as { download_url: string }).download_url);
  const pdfOf = (f: Array<{ download_url: string }>) => send('GET', (f[0] as { download_url: string }).download_url);
  // One untimed pass of each first, so no row pays for first opens and compilation the others skip.
  await timed([...files, ...rowFiles], async (f) => Promise.all([ublOf(f), pdfOf(f), send('GET', ceilingUrl)]));
  // READS rounds, each a pass of every kind of read in turn, so a change in the machine's load
  // (other people's tests) falls on the ceiling and the downloads alike.
  const kinds = {
    ceiling: { items: files, work: () => send('GET', ceilingUrl) },
    ubl: { items: files, work: ublOf },
    pdf: { items: files, work: pdfOf },
    rowPdf: { items: rowFiles, work: pdfOf },
  };
  const totals = Object.fromEntries(Object.keys(kinds).map((k) => [k, { count: 0, seconds: 0 }])) as Record<
    keyof typeof kinds,
    { count: number; seconds: number }
  >;
  for (let round = 0; round < READS; round++) {
    for (const [name, kind] of Object.entries(kinds) as Array<[keyof typeof kinds, (typeof kinds)[keyof typeof kinds]]>) {
      const r = await timed(kind.items, kind.work);
      totals[name].count += kind.items.length;
      totals[name].seconds += r.seconds;
    }
  }
  const rate = (k: keyof typeof kinds) => ({
    seconds: totals[k].seconds,
    perSecond: totals[k].count / totals[k].seconds,
    results: { length: totals[k].count },
  });
  const [ceiling, ubl, pdf] = [rate('ceiling'), rate('ubl'), rate('pdf')];
  const rowPdf = rowFiles.length ? rate('rowPdf') : undefined;
  // The accountant's list of sales invoices, 50 a page by next_cursor.
  const listStartedAt = process.hrtime.bigint();
  let listed = 0;
  let listPages = 0;
  for (let cursor: string | null = null; listPages === 0 || cursor; listPages++) {
    const page = await send('GET', `/v1/accounting/sales-invoice/?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    listed += (page.items as unknown[]).length;
    cursor = page.next_cursor as string | null;
  }
  const listSeconds = Number(process.hrtime.bigint() - listStartedAt) / 1e9;

  const row = (what: string, n: number, r: { perSecond: number; seconds: number }) =>
    `| ${what} | ${n} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(0)} |`;
  const engineName = ENGINE === 'postgres' ? 'PostgreSQL 15' : 'PGlite';
  console.log(`\n${machineLine()}; ${engineName}; ${CONCURRENCY} requests in flight (in-process inject)\n`);
  console.log('| Step | count | seconds | per second | × get-by-key ceiling |\n|---|---:|---:|---:|---:|');
  const ratio = (r: { perSecond: number }) => (r.perSecond / ceiling.perSecond).toFixed(2);
  console.log(`${row('order upload + one charge (set-up)', ORDERS, orders)} — |`);
  console.log(`${row('draft invoice from one order', ORDERS, drafts)} — |`);
  console.log(`${row('finalize (number, due date, UBL + PDF stored, sync task, event)', ORDERS, finals)} — |`);
  console.log(`| list open sync tasks (one call, default page of 1,000) | ${tasks.length} | ${(listMs / 1000).toFixed(2)} | — | — |`);
  console.log(
    `| page through open sync tasks (${pages} pages of ${PAGE}, next_cursor) | ${paged} | ${(pageMs / 1000).toFixed(2)} | ${(paged / (pageMs / 1000)).toFixed(0)} | — |`,
  );
  console.log(`${row('task detail (document inline) + COMPLETED', tasks.length, posted)} — |`);
  console.log(
    `| list sales invoices (${listPages} pages of 50, next_cursor) | ${listed} | ${listSeconds.toFixed(2)} | ${(listed / listSeconds).toFixed(0)} | — |`,
  );
  console.log(`${row('get-by-key ceiling (one select by primary key)', ceiling.results.length, ceiling)} 1.00 |`);
  console.log(`${row('UBL download (blob store; small files kept in memory once read)', ubl.results.length, ubl)} ${ratio(ubl)} |`);
  console.log(`${row('PDF download (blob store; small files kept in memory once read)', pdf.results.length, pdf)} ${ratio(pdf)} |`);
  if (rowPdf) console.log(`${row('PDF download (bytes in the row, as issued before migration 028)', rowPdf.results.length, rowPdf)} ${ratio(rowPdf)} |`);
} finally {
  await server.stop();
  await rm(blobDir, { recursive: true, force: true });
}
