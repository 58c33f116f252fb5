/**
 * Writes one sample PDF per scenario into docs/samples/ (`node --import tsx scripts/pdf-samples.ts`),
 * made the way a carrier makes them: through the API of an in-process server on a fresh PGlite
 * database, finalized, and downloaded as stored at finalization.
 *
 *   invoice.pdf           a domestic invoice long enough for two pages, two VAT rates, line discounts and a discount line
 *   credit-note.pdf       a partial credit of that invoice
 *   foreign-currency.pdf  an invoice in USD to a customer with a Chinese name, VAT also in EUR
 *   reverse-charge.pdf    intra-EU reverse charge to a Polish customer, a Korean name on a line, a line discount
 *   amount-discount.pdf   a discount given as an amount beside one given as a percentage, two VAT rates
 *   exempt.pdf            a 21 % line beside an exempt one (E), with its VATEX code and wording
 *   intra-community.pdf   an intra-community supply (K) to a Polish customer
 *   export.pdf            an export outside the EU (G) to a US customer without a VAT number, by its Peppol id
 *   out-of-scope.pdf      a disbursement out of the scope of VAT (O) to a customer without a VAT number
 *   self-billing.pdf      a self-billed purchase invoice for a trip a subcontractor was dispatched and completed
 *
 * and the UBL of the amount-discount invoice as docs/sample-invoice.xml: short enough to read, and it shows
 * a line allowance of each kind and the date of supply.
 */
import fs from 'node:fs/promises';
import { realisticOrder } from '../test/orders/orders.fixtures.js';
import { stopRef, type OrderStops } from '../test/trips/trips.fixtures.js';
import { basicHeader, bearerHeader, startBenchServer } from '../bench/support.js';

const OUT = new URL('../docs/samples/', import.meta.url);
const server = await startBenchServer({ engine: 'pglite' });
const auth = bearerHeader(server.admin.token);

async function send(method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = auth) {
  const res = await server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 500)}`);
  return res;
}
const json = async (method: 'GET' | 'POST', url: string, payload?: object, headers?: Record<string, string>) =>
  (await send(method, url, payload, headers)).json() as Record<string, unknown>;

type Kind = 'sales-invoice' | 'sales-credit-note' | 'purchase-invoice';
let orders = 0;
/** A finalized document's stored file of this type, written to `to` (under docs/). */
async function saveFile(kind: Kind, id: string, contentType: string, to: URL) {
  const files = (await send('GET', `/v1/accounting/${kind}/${id}/documents`)).json() as Array<{ content_type: string; download_url: string }>;
  const file = files.find((f) => f.content_type === contentType);
  if (!file) throw new Error(`no ${contentType} file for ${id}`);
  await fs.writeFile(to, (await send('GET', file.download_url)).rawPayload);
  console.log(to.pathname);
}
const savePdf = (kind: Kind, id: string, file: string) => saveFile(kind, id, 'application/pdf', new URL(file, OUT));

/** An invoice of one order with these charges, finalized on `date`. */
async function invoice(customer: string, charges: object[], date: string) {
  const upload = await json('POST', '/v1/orders/order/upload', realisticOrder(`SAMPLE-${++orders}`, { customer: { code: customer } }));
  const orderId = upload.order_id as string;
  for (const charge of charges) await json('POST', `/v1/orders/order/${orderId}/charges`, charge);
  const draft = await json('POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId], customer_reference_numbers: ['PO-2026-0042'] });
  return json('POST', `/v1/accounting/sales-invoice/${draft.id as string}/finalize`, { date });
}

try {
  await fs.mkdir(OUT, { recursive: true });
  await json('POST', '/v1/admin/billing-entities', {
    code: 'WB-BE',
    legal_name: 'Waybill Logistics NV',
    vat_number: 'BE0123456749',
    company_registration_number: '0123456749',
    is_default: true,
    address: { street: 'Havenlaan 12', city: 'Antwerpen', postal_code: '2000', country: 'BE' },
    bank_account: { iban: 'BE68539007547034', bic: 'GKCCBEBB' },
  });
  await json('POST', '/v1/admin/tax-rates', { code: 'BE21', name: 'VAT 21%', percentage: '21' });
  await json('POST', '/v1/admin/tax-rates', { code: 'BE6', name: 'VAT 6%', percentage: '6' });
  await json('POST', '/v1/admin/tax-rates', { code: 'RC', name: 'Reverse charge', percentage: '0', tax_type: 'REVERSE_CHARGE' });
  await json('POST', '/v1/admin/tax-rates', {
    code: 'EXEMPT',
    name: 'Exempt',
    percentage: '0',
    tax_type: 'NO_VAT',
    vat_category: 'E',
    exemption_reason_code: 'VATEX-EU-132-1F',
    exemption_reason: 'Exempt: art. 132(1)(f) Directive 2006/112/EC',
  });
  await json('POST', '/v1/admin/tax-rates', { code: 'ICS', name: 'Intra-community supply', percentage: '0', tax_type: 'NO_VAT', vat_category: 'K' });
  await json('POST', '/v1/admin/tax-rates', { code: 'EXPORT', name: 'Export', percentage: '0', tax_type: 'NO_VAT', vat_category: 'G' });
  await json('POST', '/v1/admin/tax-rates', { code: 'OOS', name: 'Out of scope', percentage: '0', tax_type: 'OTHER', vat_category: 'O' });
  const company = (body: object) => json('POST', '/v1/companies/company', { is_customer: true, ...body });
  await company({
    name: 'Société Générale de Transport Ñandú',
    code: 'SGT',
    currency: 'EUR',
    legal_name: 'Société Générale de Transport Ñandú SA',
    vat_number: 'BE0403019261',
    billing_location: { address: 'Rue de l’Église 7', city: 'Liège', postal_code: '4000', country: 'BE' },
  });
  await company({
    name: '上海远东国际物流有限公司',
    code: 'SHFE',
    currency: 'USD',
    legal_name: '上海远东国际物流有限公司 (Shanghai Far East Logistics BV)',
    vat_number: 'BE0477472701',
    billing_location: { address: 'Noorderlaan 133', city: 'Antwerpen', postal_code: '2030', country: 'BE' },
  });
  await company({
    name: 'Przedsiębiorstwo Transportowe Łódź',
    code: 'PTL',
    currency: 'EUR',
    legal_name: 'Przedsiębiorstwo Transportowe Łódź Sp. z o.o.',
    vat_number: 'PL5260250274',
    billing_location: { address: 'ul. Żeromskiego 94', city: 'Łódź', postal_code: '90-550', country: 'PL' },
  });
  await company({
    name: 'Yankee Freight',
    code: 'YANK',
    currency: 'EUR',
    legal_name: 'Yankee Freight Inc',
    peppol_id: { scheme: '0088', value: '0614141000012' },
    billing_location: { address: '1 Harbor Rd', city: 'Boston', postal_code: '02110', country: 'US' },
  });
  await company({
    name: 'Privat Schmidt',
    code: 'PRIV',
    currency: 'EUR',
    peppol_id: { scheme: '0088', value: '4000001000005' },
    billing_location: { address: 'Hauptstraße 1', city: 'Köln', postal_code: '50667', country: 'DE' },
  });
  await json('POST', '/v1/accounting/exchange-rate', {
    from_currency: 'EUR',
    to_currency: 'USD',
    exchange_rate_date: '2026-11-02',
    exchange_rate: '1.0834',
    inverse_exchange_rate: '0.923019',
  });

  // A long domestic invoice: 28 lines over two pages, 21 % and 6 %, a discount, converted prices none.
  const lines = Array.from({ length: 26 }, (_, i) => ({
    code: i % 3 === 0 ? 'PALLET' : 'FREIGHT',
    name: i % 3 === 0 ? `Pallet exchange, ${i + 2} Euro pallets` : `Freight Antwerpen → Liège, trip ${i + 1}`,
    quantity: i % 3 === 0 ? String(i + 2) : '1',
    unit_price: i % 3 === 0 ? '12.5' : ((60000 + i * 1735) / 100).toFixed(2),
    tax_rate: { code: i % 3 === 0 ? 'BE6' : 'BE21' },
    // Some freight under the framework agreement: a line discount (BG-27) in its own column.
    ...(i % 5 === 1 ? { discount_percentage: '5', discount_reason: 'Framework agreement 2026' } : {}),
  }));
  lines.push({ code: 'WAITING', name: 'Waiting time at delivery (Liège, 2.5 h)', quantity: '2.5', unit_price: '45.333333', tax_rate: { code: 'BE21' } });
  lines.push({ code: 'DISCOUNT', name: 'Volume discount November', quantity: '1', unit_price: '-250', tax_rate: { code: 'BE21' } });
  const domestic = await invoice('SGT', lines, '2026-12-04');
  await savePdf('sales-invoice', domestic.id as string, 'invoice.pdf');

  const firstLine = (domestic.line_items as Array<{ id: string }>)[1] as { id: string };
  const note = await json('POST', `/v1/accounting/sales-invoice/${domestic.id as string}/credit`, { lines: [{ line_id: firstLine.id, amount: '200.00' }] });
  const credit = await json('POST', `/v1/accounting/sales-credit-note/${note.id as string}/finalize`, { date: '2026-12-07' });
  await savePdf('sales-credit-note', credit.id as string, 'credit-note.pdf');

  const usd = await invoice(
    'SHFE',
    [
      {
        code: 'FREIGHT',
        name: 'Sea freight Shanghai → Antwerpen, container MSKU 123456-7',
        unit_price: '1850.00',
        currency: 'EUR',
        tax_rate: { code: 'BE21' },
      },
      { code: 'HANDLING', name: 'Terminal handling 码头装卸费', quantity: '2', unit_price: '145.5', currency: 'EUR', tax_rate: { code: 'BE21' } },
    ],
    '2026-12-04',
  );
  await savePdf('sales-invoice', usd.id as string, 'foreign-currency.pdf');

  const rc = await invoice(
    'PTL',
    [
      { code: 'FREIGHT', name: 'Transport Antwerpen → Łódź (FTL)', unit_price: '1420.00', tax_rate: { code: 'RC' }, discount_percentage: '7.5' },
      { code: 'PICKUP', name: 'Pickup for 대한통운 Busan consolidation', unit_price: '95.00', tax_rate: { code: 'RC' } },
    ],
    '2026-12-05',
  );
  await savePdf('sales-invoice', rc.id as string, 'reverse-charge.pdf');

  // A goodwill amount off one line and the framework percentage off another: both line allowances (BG-27).
  const discounted = await invoice(
    'SGT',
    [
      {
        code: 'FREIGHT',
        name: 'Freight Antwerpen → Liège, 3 trips',
        quantity: '3',
        unit_price: '640.00',
        tax_rate: { code: 'BE21' },
        discount_amount: '85.50',
        discount_reason: 'Goodwill: late delivery 2026-11-28',
      },
      { code: 'WAITING', name: 'Waiting time at loading (1.5 h)', quantity: '1.5', unit_price: '48.00', tax_rate: { code: 'BE21' } },
      {
        code: 'PALLET',
        name: 'Pallet exchange, 12 Euro pallets',
        quantity: '12',
        unit_price: '12.50',
        tax_rate: { code: 'BE6' },
        discount_percentage: '5',
        discount_reason: 'Framework agreement 2026',
      },
    ],
    '2026-12-06',
  );
  await savePdf('sales-invoice', discounted.id as string, 'amount-discount.pdf');
  await saveFile('sales-invoice', discounted.id as string, 'application/xml', new URL('../docs/sample-invoice.xml', import.meta.url));

  const exempt = await invoice(
    'SGT',
    [
      { code: 'FREIGHT', name: 'Freight Antwerpen → Liège', unit_price: '780.00', tax_rate: { code: 'BE21' } },
      { code: 'INSURANCE', name: 'Cargo insurance (goods value 48,000 EUR)', unit_price: '62.40', tax_rate: { code: 'EXEMPT' } },
    ],
    '2026-12-06',
  );
  await savePdf('sales-invoice', exempt.id as string, 'exempt.pdf');
  const ics = await invoice(
    'PTL',
    [{ code: 'PALLETS', name: 'Sale of 40 used Euro pallets, delivered to Łódź', quantity: '40', unit_price: '9.50', tax_rate: { code: 'ICS' } }],
    '2026-12-06',
  );
  await savePdf('sales-invoice', ics.id as string, 'intra-community.pdf');
  const exported = await invoice(
    'YANK',
    [{ code: 'FREIGHT', name: 'Transport Antwerpen → Boston (port to port)', unit_price: '2500.00', tax_rate: { code: 'EXPORT' } }],
    '2026-12-06',
  );
  await savePdf('sales-invoice', exported.id as string, 'export.pdf');
  const outOfScope = await invoice(
    'PRIV',
    [{ code: 'ADMIN', name: 'Disbursement: customs fees paid on your behalf', unit_price: '19.99', tax_rate: { code: 'OOS' } }],
    '2026-12-06',
  );
  await savePdf('sales-invoice', outOfScope.id as string, 'out-of-scope.pdf');

  // Self-billing: the subcontractor completes a trip it was dispatched (through its own webhook
  // credential, as a real one would), and the carrier bills itself on the subcontractor's behalf.
  await json('POST', '/v1/admin/tax-rates', { code: 'BE21-P', name: 'VAT 21% purchase', percentage: '21', invoice_type: 'PURCHASE' });
  const subcoId = (
    await company({
      name: 'Transports Vandenbroucke',
      code: 'TVDB',
      currency: 'EUR',
      is_customer: false,
      is_subcontractor: true,
      legal_name: 'Transports Vandenbroucke BV',
      vat_number: 'BE0477472701',
      billing_location: { address: 'Industrieweg 5', city: 'Gent', postal_code: '9000', country: 'BE' },
      purchase: { payment_term: { code: 'NET_30' } },
    })
  ).id as string;
  const credential = await server.services.auth.createClient(server.admin.tenantId, {
    name: 'Transports Vandenbroucke status updates',
    role: 'SUBCONTRACTOR',
    kind: 'WEBHOOK',
    companyId: subcoId,
  });
  const subco = basicHeader(credential.client.client_id, credential.clientSecret);
  const identifier = `SAMPLE-${++orders}`;
  const upload = await json('POST', '/v1/orders/order/upload', realisticOrder(identifier, { customer: { code: 'SGT' } }));
  const order = await json('GET', `/v1/orders/order/${upload.order_id as string}`);
  // Both pickups, then both deliveries: the order of stops a driver would run.
  const stops = ['P1', 'P2', 'D1', 'D2'].map((ref) => stopRef(ref, order.stops as OrderStops['stops']));
  const trip = await json('POST', '/v1/trips/trip', { stops: stops.map((id) => ({ id })) });
  await json('POST', `/v1/trips/trip/${trip.id as string}/dispatch`, { subcontractor_id: subcoId, purchase_price: '685.00' });
  const updates = stops.map((id, i) => ({ stop: { id, status: 'COMPLETED' }, event_time: `2026-12-0${i + 1}T10:00:00Z` }));
  await json('POST', '/v1/webhook/subco-status-update', { updates }, subco);
  const selfBill = await json('POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: subcoId, tax_rate: { code: 'BE21-P' } });
  const purchase = await json('POST', `/v1/accounting/purchase-invoice/${selfBill.id as string}/finalize`, { date: '2026-12-06' });
  await savePdf('purchase-invoice', purchase.id as string, 'self-billing.pdf');
} finally {
  await server.stop();
}
