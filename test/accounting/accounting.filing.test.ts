import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../src/platform/money.js';
import { createTestApp, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { haveAllRules, NO_FAILURES, ublRuleFailures } from '../support/ubl-rules.js';
import { call, ENTITY, issuedUbl, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

/**
 * Invoices an accountant can file: a varied set of documents, each checked against the UBL 2.1
 * XSD, CEN's EN 16931 rules and Peppol BIS Billing 3.0 (0 fatal failures), and frozen once issued.
 */
let ctx: TestContext;
let admin: Client;
let seq = 0;
const ids: Record<string, string> = {};

const location = (address: string, city: string, postal_code: string, country: string) => ({ billing_location: { address, city, postal_code, country } });

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Filing carrier');
  await seedBillingEntity(ctx, admin);
  const rates = [
    { code: 'BE21-ROAD', name: 'Road freight 21%', percentage: '21' },
    { code: 'RC', name: 'Reverse charge', percentage: '0', tax_type: 'REVERSE_CHARGE' },
    {
      code: 'EXEMPT',
      name: 'Exempt',
      percentage: '0',
      tax_type: 'NO_VAT',
      vat_category: 'E',
      exemption_reason_code: 'VATEX-EU-132-1F',
      exemption_reason: 'Exempt: art. 132(1)(f) Directive 2006/112/EC',
    },
    { code: 'ICS', name: 'Intra-community supply', percentage: '0', tax_type: 'NO_VAT', vat_category: 'K' },
    { code: 'EXPORT', name: 'Export', percentage: '0', tax_type: 'NO_VAT', vat_category: 'G' },
    { code: 'OOS', name: 'Out of scope', percentage: '0', tax_type: 'OTHER', vat_category: 'O' },
  ];
  for (const rate of rates) await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', rate);
  const companies: Array<[string, Record<string, unknown>]> = [
    ['NL', { name: 'Łódź Trading', legal_name: 'Łódź Trading BV', vat_number: 'NL001234567B01', ...location('Keizersgracht 1', 'Amsterdam', '1015 CJ', 'NL') }],
    [
      'DE',
      { name: 'Spedition Müller', legal_name: 'Spedition Müller GmbH', vat_number: 'DE123456789', ...location('Hafenstraße 3', 'Hamburg', '20457', 'DE') },
    ],
    ['FR', { name: 'Transports Léon', legal_name: 'Transports Léon SARL', vat_number: 'FR40303265045', ...location('Rue du Port 2', 'Lille', '59000', 'FR') }],
    ['EL', { name: 'Αθήνα Logistics', legal_name: 'Αθήνα Logistics ΑΕ', vat_number: 'EL094259216', ...location('Odos Pireos 10', 'Athina', '10431', 'GR') }],
    ['PL', { name: 'Kraków Cargo', legal_name: 'Kraków Cargo Sp. z o.o.', vat_number: 'PL5260001246', ...location('ul. Długa 5', 'Kraków', '31-147', 'PL') }],
    [
      'US',
      {
        name: 'Yankee Freight',
        legal_name: 'Yankee Freight Inc',
        peppol_id: { scheme: '0088', value: '0614141000012' },
        ...location('1 Harbor Rd', 'Boston', '02110', 'US'),
      },
    ],
    [
      'JP',
      {
        name: '東京物流',
        legal_name: '東京物流株式会社',
        peppol_id: { scheme: '0088', value: '4912345000019' },
        ...location('1-1 Chiyoda', 'Tokyo', '100-0001', 'JP'),
      },
    ],
    ['NOVAT', { name: 'No VAT Bakery', ...location('Markt 1', 'Brugge', '8000', 'BE') }],
    ['DE-NOVAT', { name: 'Privat Schmidt', ...location('Hauptstraße 1', 'Köln', '50667', 'DE'), peppol_id: { scheme: '0088', value: '4000001000005' } }],
  ];
  for (const [code, body] of companies) ids[code] = await newCompany(ctx, admin, { code, ...body });
}, 600_000);
afterAll(() => ctx.close());

type Charge = { code?: string; name?: string; quantity?: number | string; unit_price: string; tax: string };

async function draftInvoice(customer: string, charges: Charge[]) {
  const orderId = await newOrder(ctx, admin, `FILE-${++seq}`, customer);
  for (const c of charges) {
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
      code: c.code ?? 'FREIGHT',
      name: c.name ?? 'Freight',
      quantity: c.quantity ?? 1,
      unit_price: c.unit_price,
      tax_rate: { code: c.tax },
    });
  }
  return ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId], customer_reference_numbers: [`PO-${seq}`] });
}

async function invoiceFor(customer: string, charges: Charge[]) {
  const draft = await draftInvoice(customer, charges);
  return ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
}

async function files(kind: string, id: string) {
  return (await ok(ctx, admin.auth, 'GET', `/v1/accounting/${kind}/${id}/documents`)) as unknown as Array<{ type: string; download_url: string }>;
}

async function download(kind: string, id: string, type: 'UBL' | 'PDF') {
  const file = (await files(kind, id)).find((f) => f.type.endsWith(`_${type}`));
  const res = await ctx.app.inject({ url: file?.download_url as string, headers: { authorization: admin.auth } });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  return res.rawPayload;
}

const ubl = async (kind: string, id: string) => (await download(kind, id, 'UBL')).toString('utf8');
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] as string);

describe.skipIf(!haveAllRules)('every document keeps the UBL XSD, EN 16931 and Peppol BIS 3 rules', { timeout: 600_000 }, () => {
  it('several VAT rates and two tax codes at 21 %: one 21 % breakdown row, the VAT exact', async () => {
    const invoice = await invoiceFor('NL', [
      { code: 'FREIGHT', unit_price: '845.50', tax: 'BE21' },
      { code: 'ROAD', name: 'Road leg', quantity: 3, unit_price: '0.335', tax: 'BE21-ROAD' },
      { code: 'TOLL', name: 'Toll', quantity: 2, unit_price: '12.40', tax: 'BE6' },
    ]);
    expect(invoice.tax_subtotals.map((s: { percentage: string }) => s.percentage)).toEqual(['21', '6']);
    // 845.50 + 1.01 = 846.51 at 21 % = 177.77 (per code it would be 177.56 + 0.21).
    expect(invoice.tax_subtotals[0]).toMatchObject({ taxable_amount: '846.51', tax_amount: '177.77' });
    const xml = await ubl('sales-invoice', invoice.id);
    expect(all(xml, 'cbc:TaxableAmount')).toEqual(['846.51', '24.80']);
    // The date of supply is the order's last delivery day, not the issue date.
    expect(all(xml, 'cbc:ActualDeliveryDate')).toEqual(['2026-12-03']);
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });

  let discounted: Awaited<ReturnType<typeof ok>>;
  it('a discount (a negative charge) is a document allowance, never a negative price (BR-27)', async () => {
    discounted = await invoiceFor('NL', [
      { code: 'FREIGHT', unit_price: '1000', tax: 'BE21' },
      { code: 'DISCOUNT', name: 'Loyalty discount', unit_price: '-50', tax: 'BE21' },
      { code: 'FUEL', name: 'Fuel surcharge', unit_price: '35.20', tax: 'BE21' },
    ]);
    expect(discounted).toMatchObject({ total_excl_tax: '985.20', total_tax: '206.89', total_incl_tax: '1192.09' });
    const xml = await ubl('sales-invoice', discounted.id);
    expect(all(xml, 'cbc:PriceAmount').every((p) => !p.startsWith('-'))).toBe(true);
    expect(all(xml, 'cbc:AllowanceTotalAmount')).toEqual(['50.00']);
    expect(all(xml, 'cbc:AllowanceChargeReason')).toEqual(['Loyalty discount']);
    expect(all(xml, 'cbc:PayableAmount')).toEqual(['1192.09']);
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });

  it('"credit all that is left" reverses the allowance too, and its VAT is base × rate', async () => {
    const draft = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${discounted.id}/credit`, {});
    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${draft.id}/finalize`, { date: '2026-12-02' });
    expect(note).toMatchObject({ total_excl_tax: '985.20', total_tax: '206.89', total_incl_tax: '1192.09' });
    for (const s of note.tax_subtotals) expect(new Dec(s.taxable_amount).times(s.percentage).dividedBy(100).toFixed(2)).toBe(s.tax_amount);
    const xml = await ubl('sales-credit-note', note.id);
    expect(xml).toContain(`<cbc:ID>${discounted.name}</cbc:ID>`);
    expect(all(xml, 'cbc:AllowanceTotalAmount')).toEqual(['50.00']);
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });

  it('a partial credit note', async () => {
    const invoice = await invoiceFor('NL', [
      { unit_price: '333.33', tax: 'BE21' },
      { code: 'TOLL', unit_price: '10.10', tax: 'BE6' },
    ]);
    const draft = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {
      lines: [{ line_id: invoice.line_items[0].id, amount: '100.01' }],
    });
    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${draft.id}/finalize`, { date: '2026-12-02' });
    expect(note).toMatchObject({ total_excl_tax: '100.01', total_tax: '21.00' });
    expect(await ublRuleFailures(await ubl('sales-credit-note', note.id))).toEqual(NO_FAILURES);
  });

  it('an exempt line (E) carries its VATEX code and wording, not the tax rate’s name', async () => {
    const invoice = await invoiceFor('NL', [
      { unit_price: '500', tax: 'BE21' },
      { code: 'INSURANCE', name: 'Cargo insurance', unit_price: '40', tax: 'EXEMPT' },
    ]);
    const xml = await ubl('sales-invoice', invoice.id);
    expect(all(xml, 'cbc:TaxExemptionReasonCode')).toEqual(['VATEX-EU-132-1F']);
    expect(xml).toContain('Exempt: art. 132(1)(f) Directive 2006/112/EC');
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });

  for (const country of ['DE', 'FR', 'EL']) {
    it(`intra-EU reverse charge (AE) to ${country}`, async () => {
      const invoice = await invoiceFor(country, [
        { unit_price: '1200', tax: 'RC' },
        { code: 'WAIT', name: 'Waiting time', quantity: '1.5', unit_price: '45', tax: 'RC' },
      ]);
      expect(invoice).toMatchObject({ total_excl_tax: '1267.50', total_tax: '0.00', total_incl_tax: '1267.50' });
      const xml = await ubl('sales-invoice', invoice.id);
      expect(all(xml, 'cbc:TaxExemptionReasonCode')).toEqual(['VATEX-EU-AE']);
      if (country === 'EL') {
        expect(xml).toContain('<cbc:EndpointID schemeID="9933">EL094259216</cbc:EndpointID>');
        expect(all(xml, 'cbc:IdentificationCode')).toContain('GR');
      }
      expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
    });
  }

  // A plausible VAT number of every other member state (EN 16931 and Peppol check the prefix, and
  // Peppol the check digits of the Italian and Swedish schemes, so those two are real numbers).
  const EU_VAT: Record<string, string> = {
    AT: 'ATU12345678',
    BG: 'BG123456789',
    CY: 'CY12345678L',
    CZ: 'CZ12345678',
    DK: 'DK12345678',
    EE: 'EE123456789',
    ES: 'ESA12345674',
    FI: 'FI12345671',
    GR: 'EL123456783',
    HR: 'HR12345678901',
    HU: 'HU12345678',
    IE: 'IE1234567T',
    IT: 'IT00743110157',
    LT: 'LT123456789',
    LU: 'LU12345678',
    LV: 'LV12345678901',
    MT: 'MT12345678',
    NL: 'NL123456789B01',
    PT: 'PT123456789',
    RO: 'RO1234567',
    SE: 'SE556036079301',
    SI: 'SI12345678',
    SK: 'SK1234567890',
  };
  it('intra-EU reverse charge (AE) to a customer in each of the other member states, named by its VAT prefix (EL for Greece)', async () => {
    const documents: Array<[string, string]> = [];
    for (const [country, vat] of Object.entries(EU_VAT)) {
      const code = `RC-${country}`;
      await newCompany(ctx, admin, { code, name: `Carrier ${country}`, vat_number: vat, ...location('Main street 1', 'Capital', '1000', country) });
      const xml = await ubl('sales-invoice', (await invoiceFor(code, [{ unit_price: '300', tax: 'RC' }])).id);
      const buyer = xml.slice(xml.indexOf('<cac:AccountingCustomerParty>'), xml.indexOf('</cac:AccountingCustomerParty>'));
      expect(all(buyer, 'cbc:IdentificationCode'), country).toEqual([country]);
      expect(all(buyer, 'cbc:CompanyID'), country).toContain(vat);
      expect(all(xml, 'cbc:TaxExemptionReasonCode'), country).toEqual(['VATEX-EU-AE']);
      documents.push([country, xml]);
    }
    // Checked together: one schema check for all of them instead of one per document (ubl-xsd.ts).
    const found = await Promise.all(documents.map(([, xml]) => ublRuleFailures(xml)));
    const failures = Object.fromEntries(
      documents.map(([country], i) => [country, found[i]]).filter(([, f]) => JSON.stringify(f) !== JSON.stringify(NO_FAILURES)),
    );
    // With DE and FR above, PL (K) below and BE (the seller's own country): all 27.
    expect(failures).toEqual({});
  });

  it('intra-community supply (K) to Poland names where the goods go', async () => {
    const invoice = await invoiceFor('PL', [{ unit_price: '780', tax: 'ICS' }]);
    const xml = await ubl('sales-invoice', invoice.id);
    expect(all(xml, 'cbc:TaxExemptionReasonCode')).toEqual(['VATEX-EU-IC']);
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });

  for (const country of ['US', 'JP']) {
    it(`export outside the EU (G) to a customer in ${country} without a VAT number, addressed by its Peppol id`, async () => {
      const invoice = await invoiceFor(country, [{ unit_price: '2500', tax: 'EXPORT' }]);
      const xml = await ubl('sales-invoice', invoice.id);
      expect(all(xml, 'cbc:TaxExemptionReasonCode')).toEqual(['VATEX-EU-G']);
      expect(xml).toMatch(/<cbc:EndpointID schemeID="0088">\d+<\/cbc:EndpointID>/);
      expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
    });
  }

  it('out of scope (O) on its own invoice', async () => {
    const invoice = await invoiceFor('DE-NOVAT', [{ code: 'ADMIN', name: 'Disbursement', unit_price: '19.99', tax: 'OOS' }]);
    const xml = await ubl('sales-invoice', invoice.id);
    expect(all(xml, 'cbc:TaxExemptionReasonCode')).toEqual(['VATEX-EU-O']);
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });
});

describe('electronic addresses (Peppol participant ids)', () => {
  it.skipIf(!haveAllRules)(
    'a billing entity’s and a customer’s participant id address them in the UBL; an Italian party by 0211',
    { timeout: 600_000 },
    async () => {
      const carrier = await newTenant(ctx, 'Peppol-addressed carrier');
      const entity = await ok(ctx, carrier.auth, 'POST', '/v1/admin/billing-entities', {
        ...ENTITY,
        legal_name: 'Addressed Logistics NV',
        peppol_id: { scheme: '0208', value: '0123456749' },
      });
      expect(entity.peppol_id).toEqual({ scheme: '0208', value: '0123456749' });
      await ok(ctx, carrier.auth, 'POST', '/v1/admin/tax-rates', { code: 'RC', name: 'Reverse charge', percentage: '0', tax_type: 'REVERSE_CHARGE' });
      await newCompany(ctx, carrier, {
        code: 'IT',
        name: 'Trasporti Milano',
        legal_name: 'Trasporti Milano Srl',
        vat_number: 'IT00743110157',
        peppol_id: { scheme: '0211', value: 'IT00743110157' },
        ...location('Via Roma 1', 'Milano', '20121', 'IT'),
      });
      const orderId = await newOrder(ctx, carrier, 'PEPPOL-1', 'IT');
      await ok(ctx, carrier.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '900', tax_rate: { code: 'RC' } });
      const draft = await ok(ctx, carrier.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
      const invoice = await ok(ctx, carrier.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
      const xml = await issuedUbl(ctx, carrier.auth, 'sales-invoice', invoice.id);
      // The seller's id, not the 9925 one its VAT number would make; the buyer's as given.
      expect(all(xml, 'cbc:EndpointID')).toEqual(['0123456749', 'IT00743110157']);
      expect(xml).toContain('<cbc:EndpointID schemeID="0208">0123456749</cbc:EndpointID>');
      expect(xml).toContain('<cbc:EndpointID schemeID="0211">IT00743110157</cbc:EndpointID>');
      expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
    },
  );

  it('refuses a retired scheme (9906, Italy’s old one) for a company and a billing entity, naming the field; 0211 is taken', async () => {
    const carrier = await newTenant(ctx, 'Italian carrier');
    const company = (code: string, scheme: string) =>
      call(ctx, carrier.auth, 'POST', '/v1/companies/company', {
        code,
        name: `Italian ${code}`,
        currency: 'EUR',
        is_customer: true,
        peppol_id: { scheme, value: 'IT00743110157' },
      });
    const entity = (code: string, scheme: string) =>
      call(ctx, carrier.auth, 'POST', '/v1/admin/billing-entities', {
        code,
        legal_name: `Italian entity ${code}`,
        vat_number: 'IT00743110157',
        company_registration_number: '00743110157',
        address: { street: 'Via Roma 1', city: 'Milano', postal_code: '20121', country: 'IT' },
        bank_account: { iban: 'IT60X0542811101000000123456' },
        peppol_id: { scheme, value: 'IT00743110157' },
      });
    for (const refused of [await company('IT-OLD', '9906'), await entity('IT-OLD', '9906')]) {
      expect(refused.status).toBe(400);
      expectContract('ValidationErrorResponse', refused.body);
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.peppol_id.scheme']);
    }
    expect((await company('IT-NEW', '0211')).status).toBe(200);
    expect((await entity('IT-NEW', '0211')).status).toBe(200);
  });
});

describe('a document is finalized only if it can be issued in full', () => {
  it('refuses reverse charge to a customer without a VAT number with a 409 naming it, and takes no number', async () => {
    const draft = await draftInvoice('DE-NOVAT', [{ unit_price: '100', tax: 'RC' }]);
    const res = await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
    expect(res.status).toBe(409);
    expectContract('ValidationErrorResponse', res.body);
    expect(res.body.message).toContain('Privat Schmidt');
    expect(res.body.message).toContain('VAT number');
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${draft.id}`)).status).toBe('DRAFT');
  });

  it('refuses a customer that cannot be addressed on Peppol (no VAT number, no participant id)', async () => {
    const draft = await draftInvoice('NOVAT', [{ unit_price: '100', tax: 'BE21' }]);
    const res = await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('No VAT Bakery');
    expect(res.body.message).toContain('peppol_id');
  });

  it('refuses a customer without a country (no address country, no VAT number to take it from), naming it', async () => {
    await newCompany(ctx, admin, { code: 'NOWHERE', name: 'Nowhere Freight', peppol_id: { scheme: '0088', value: '4000001000012' } });
    const draft = await draftInvoice('NOWHERE', [{ unit_price: '100', tax: 'BE21' }]);
    const res = await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
    expect(res.status).toBe(409);
    expectContract('ValidationErrorResponse', res.body);
    expect(res.body.message).toContain('Nowhere Freight');
    expect(res.body.message).toContain('country');
    const after = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${draft.id}`);
    expect(after).toMatchObject({ status: 'DRAFT', name: draft.name });
  });
});

describe('issued means frozen', () => {
  it('renaming the customer leaves the GET, the UBL and the PDF of an issued invoice byte-identical', async () => {
    const invoice = await invoiceFor('FR', [{ unit_price: '640', tax: 'RC' }]);
    const before = await Promise.all([
      ctx.app.inject({ url: `/v1/accounting/sales-invoice/${invoice.id}`, headers: { authorization: admin.auth } }).then((r) => r.body),
      download('sales-invoice', invoice.id, 'UBL'),
      download('sales-invoice', invoice.id, 'PDF'),
    ]);
    const renamed = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/companies/company/${ids.FR}`,
      headers: { authorization: admin.auth },
      payload: {
        name: 'Léon Renamed',
        legal_name: 'Léon Renamed SA',
        vat_number: 'FR83404833048',
        billing_location: { address: 'Autre rue 9', city: 'Paris', postal_code: '75001', country: 'FR' },
      },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = await Promise.all([
      ctx.app.inject({ url: `/v1/accounting/sales-invoice/${invoice.id}`, headers: { authorization: admin.auth } }).then((r) => r.body),
      download('sales-invoice', invoice.id, 'UBL'),
      download('sales-invoice', invoice.id, 'PDF'),
    ]);
    expect(after[0]).toBe(before[0]);
    expect(before[0]).toContain('Transports Léon SARL');
    expect(Buffer.compare(after[1], before[1])).toBe(0);
    expect(Buffer.compare(after[2], before[2])).toBe(0);
    // A new invoice takes the new name.
    const next = await invoiceFor('FR', [{ unit_price: '10', tax: 'RC' }]);
    expect(next.customer.legal_name).toBe('Léon Renamed SA');
  });
});
