/**
 * Received e-invoices (issue 18): a 500-line UBL e-invoice sent by a subcontractor, and what the
 * rest of the server sees meanwhile. For each engine (`BENCH_ENGINES`, PGlite by default): /health
 * (no database) and /ready (one query) under autocannon load alone, then the same load while
 * e-invoices of 500 lines are sent one after another (`BENCH_EINVOICE_SENDERS` at a time, default
 * 2, each its own client). The XML is parsed in a worker thread; matching and recording run on the
 * request thread and, on PGlite, in its one database session. The idle rows are the ceiling the
 * loaded rows are read against, measured in the same run.
 */
import { fromXml } from '../src/modules/accounting/index.js';
import { basicHeader, bearerHeader, load, machineLine, startBenchServer, type Engine, type LoadResult } from './support.js';

const LINES = 500;
const SENDERS = Number(process.env.BENCH_EINVOICE_SENDERS ?? 2);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const engines: Engine[] = process.env.BENCH_ENGINES ? (process.env.BENCH_ENGINES.split(',') as Engine[]) : ['pglite'];

function ublInvoice(name: string): string {
  const line = (i: number) =>
    `<cac:InvoiceLine><cbc:ID>${i}</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>` +
    `<cbc:LineExtensionAmount currencyID="EUR">10.00</cbc:LineExtensionAmount><cac:Item><cbc:Description>Transport leg ${i} Gent to Antwerpen, pallets</cbc:Description>` +
    `<cbc:Name>Freight ${i}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>` +
    `<cac:Price><cbc:PriceAmount currencyID="EUR">10.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ` +
    `xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">` +
    `<cbc:ID>${name}</cbc:ID><cbc:IssueDate>2026-12-01</cbc:IssueDate><cbc:DueDate>2026-12-31</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>` +
    `<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cbc:BuyerReference>BENCH</cbc:BuyerReference>` +
    `<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">${(LINES * 2.1).toFixed(2)}</cbc:TaxAmount></cac:TaxTotal>` +
    `<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">${(LINES * 10).toFixed(2)}</cbc:LineExtensionAmount>` +
    `<cbc:TaxExclusiveAmount currencyID="EUR">${(LINES * 10).toFixed(2)}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">${(LINES * 12.1).toFixed(2)}</cbc:TaxInclusiveAmount>` +
    `<cbc:PayableAmount currencyID="EUR">${(LINES * 12.1).toFixed(2)}</cbc:PayableAmount></cac:LegalMonetaryTotal>` +
    Array.from({ length: LINES }, (_, i) => line(i + 1)).join('') +
    `</Invoice>`
  );
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

async function run(engine: Engine) {
  const server = await startBenchServer({ engine });
  try {
    const admin = bearerHeader(server.admin.token);
    const post = async (url: string, payload: object) => {
      const res = await server.app.inject({ method: 'POST', url, headers: admin, payload });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.json() as { id: string };
    };
    await post('/v1/admin/billing-entities', {
      code: 'WB-BE',
      legal_name: 'Waybill Logistics NV',
      vat_number: 'BE0123456749',
      company_registration_number: '0123456749',
      address: { country: 'BE' },
    });
    await post('/v1/admin/tax-rates', { code: 'BE21-P', name: 'VAT 21% purchase', percentage: '21', invoice_type: 'PURCHASE' });
    const haulier = await post('/v1/companies/company', { name: 'Bench haulier', code: 'BHAUL', currency: 'EUR', is_customer: false, is_subcontractor: true });
    const senders = await Promise.all(
      Array.from({ length: SENDERS }, async (_, i) => {
        const { client, clientSecret } = await server.services.auth.createClient(server.admin.tenantId, {
          name: `Bench sender ${i}`,
          role: 'SUBCONTRACTOR',
          kind: 'WEBHOOK',
          companyId: haulier.id,
        });
        return basicHeader(client.client_id, clientSecret);
      }),
    );
    const sample = ublInvoice('BENCH-SAMPLE');
    // Warm-up: the worker thread starts and loads the parser; the first draft is written.
    const warm = await fetch(`${server.url}/v1/webhook/e-invoicing`, {
      method: 'POST',
      headers: { ...senders[0], 'content-type': 'application/xml' },
      body: sample,
    });
    if (warm.status !== 200) throw new Error(`warm-up e-invoice: ${warm.status} ${await warm.text()}`);

    const probes = async (phase: string) => [
      await load({ title: `${engine}: GET /health, ${phase}`, url: `${server.url}/health`, duration: DURATION }),
      await load({ title: `${engine}: GET /ready (one query), ${phase}`, url: `${server.url}/ready`, duration: DURATION }),
    ];
    const idle = await probes('alone');

    // The same load while e-invoices arrive back to back; each sender waits for its answer.
    let sending = true;
    let sent = 0;
    const took: number[] = [];
    const loop = Promise.all(
      senders.map(async (auth, s) => {
        for (let n = 0; sending; n++) {
          const started = performance.now();
          const res = await fetch(`${server.url}/v1/webhook/e-invoicing`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/xml' },
            body: ublInvoice(`BENCH-${s}-${n}`),
          });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`e-invoice: ${res.status}`);
          took.push(performance.now() - started);
          sent++;
        }
      }),
    );
    const busy: LoadResult[] = [];
    for (const result of await probes(`while ${SENDERS} senders send 500-line e-invoices`)) busy.push(result);
    sending = false;
    await loop;

    // The parse alone, on this thread, for the share of a request it is.
    const parseStarted = performance.now();
    for (let i = 0; i < 5; i++) fromXml(sample);
    const parseMs = (performance.now() - parseStarted) / 5;

    const sorted = [...took].sort((a, b) => a - b);
    return { idle, busy, sent, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), parseMs, bytes: sample.length };
  } finally {
    await server.stop();
  }
}

console.log(`\n${machineLine()}; ${SENDERS} senders; autocannon ${DURATION} s per row, 10 connections\n`);
for (const engine of engines) {
  const r = await run(engine);
  console.log(
    `${engine}: e-invoice of ${LINES} lines, ${Math.round(r.bytes / 1024)} KiB; ${r.sent} received while loaded; per e-invoice p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms; its XML parse alone ${r.parseMs.toFixed(0)} ms (in the worker thread)\n`,
  );
  console.log('| Scenario | req/s | p50 ms | p99 ms | requests | errors | req/s vs alone |\n|---|---:|---:|---:|---:|---:|---:|');
  r.idle.forEach((alone, i) => {
    const loaded = r.busy[i] as LoadResult;
    for (const row of [alone, loaded]) {
      console.log(
        `| ${row.title} | ${row.requestsPerSecond} | ${row.p50Ms} | ${row.p99Ms} | ${row.requests} | ${row.errors} | ${(row.requestsPerSecond / alone.requestsPerSecond).toFixed(2)} |`,
      );
    }
  });
}
