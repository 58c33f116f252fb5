import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { en16931Failures, haveEn16931, havePeppol, peppolFailures } from '../support/en16931.js';
import { haveXsd, xsdErrors } from '../support/ubl-xsd.js';
import { call, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

let ctx: TestContext;
let admin: Client;
let seq = 0;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Currency carrier');
  await seedBillingEntity(ctx, admin);
  const peppol = { vat_number: 'NL001234567B01', billing_location: { address: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' } };
  await newCompany(ctx, admin, { name: 'Yankee Freight', code: 'USD-CUST', currency: 'USD', legal_name: 'Yankee Freight BV', ...peppol });
  await newCompany(ctx, admin, { name: 'Euro Freight', code: 'EUR-CUST', currency: 'EUR', legal_name: 'Euro Freight BV', ...peppol });
});
afterAll(() => ctx.close());

function expectConflict(res: { status: number; body: { message?: string } }, text: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expectContract('ValidationErrorResponse', res.body);
  expect(res.body.message).toContain(text);
}

async function draftFor(customer: string, charges: Array<Record<string, unknown>>) {
  const orderId = await newOrder(ctx, admin, `FX-${++seq}`, customer);
  for (const charge of charges) await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { tax_rate: { code: 'BE21' }, ...charge });
  return { orderId, draft: () => call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] }) };
}

const rate = (from: string, to: string, day: string, value: string, inverse: string) =>
  ok(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', {
    from_currency: from,
    to_currency: to,
    exchange_rate_date: day,
    exchange_rate: value,
    inverse_exchange_rate: inverse,
  });

async function ublOf(invoiceId: string) {
  const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoiceId}/documents`)) as unknown as Array<{
    type: string;
    download_url: string;
  }>;
  const ubl = files.find((f) => f.type.endsWith('_UBL'));
  return (await ctx.app.inject({ url: ubl?.download_url as string, headers: { authorization: admin.auth } })).body;
}

describe('an invoice in another currency than the books', () => {
  let invoice: Awaited<ReturnType<typeof ok>>;

  it('needs the rate of its date: 409 without one, nothing numbered', async () => {
    const { draft } = await draftFor('USD-CUST', [{ code: 'FREIGHT', unit_price: '1000.00' }]);
    const drafted = await draft();
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
    const usd = drafted.body;
    expect(usd).toMatchObject({ currency: 'USD', status: 'DRAFT', exchange_rate: null, total_tax: '210.00' });
    expectConflict(
      await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${usd.id}/finalize`, { date: '2026-11-30' }),
      'No USD→EUR exchange rate on or before 2026-11-30',
    );
    // A rate of another tenant is no help.
    const other = await newTenant(ctx, 'Other currency carrier');
    await ok(ctx, other.auth, 'POST', '/v1/accounting/exchange-rate', {
      from_currency: 'USD',
      to_currency: 'EUR',
      exchange_rate_date: '2026-11-01',
      exchange_rate: '0.9',
      inverse_exchange_rate: '1.1111',
    });
    expectConflict(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${usd.id}/finalize`, { date: '2026-11-30' }), 'USD→EUR');
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${usd.id}`)).status).toBe('DRAFT');

    // Recorded the other way round, and a later rate that must not apply to a November invoice.
    await rate('EUR', 'USD', '2026-11-27', '1.055', '0.947867298578');
    await rate('USD', 'EUR', '2026-12-01', '0.9', '1.111111111111');
    invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${usd.id}/finalize`, { date: '2026-11-30' });
    expectContract('SalesInvoiceOutput', invoice);
    // The refused attempts gave their numbers back.
    expect(invoice.name).toBe('INV-WB-BE-2026-00001');
    // 210.00 USD × 0.947867298578 = 199.0521… EUR.
    expect(invoice.exchange_rate).toEqual({ rate: 0.947867298578, inverse_rate: 1.055, rate_date: '2026-11-27', currency: 'EUR', total_tax: '199.05' });
    expect(invoice).toMatchObject({ currency: 'USD', total_excl_tax: '1000.00', total_tax: '210.00', total_incl_tax: '1210.00' });
  });

  it('states the VAT total in the books’ currency in the UBL (BT-6, BT-111)', async () => {
    const xml = await ublOf(invoice.id);
    expect(xml).toContain('<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>');
    expect(xml).toMatch(/<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="EUR">199.05<\/cbc:TaxAmount>\s*<\/cac:TaxTotal>/);
    expect(xml).toContain('<cbc:TaxAmount currencyID="USD">210.00</cbc:TaxAmount>');
    if (haveXsd) expect(await xsdErrors(xml, 'Invoice')).toEqual([]);
  });

  it.skipIf(!haveEn16931)('keeps every EN 16931 business rule with a tax currency', { timeout: 600_000 }, async () => {
    const xml = await ublOf(invoice.id);
    expect(await en16931Failures(xml)).toEqual([]);
    if (havePeppol) expect(await peppolFailures(xml)).toEqual([]);
  });

  it('converts a credit note at the rate of its own date', async () => {
    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {});
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${note.id}/finalize`, { date: '2026-12-02' });
    expectContract('SalesCreditNoteOutput', final);
    // The rate recorded for 2026-12-01 applies now: 210.00 USD × 0.9.
    expect(final.exchange_rate).toEqual({ rate: 0.9, inverse_rate: 1.111111111111, rate_date: '2026-12-01', currency: 'EUR', total_tax: '189.00' });
    const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-credit-note/${note.id}/documents`)) as unknown as Array<{
      type: string;
      download_url: string;
    }>;
    const url = files.find((f) => f.type.endsWith('_UBL'))?.download_url as string;
    const xml = (await ctx.app.inject({ url, headers: { authorization: admin.auth } })).body;
    expect(xml).toContain('<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>');
    if (haveXsd) expect(await xsdErrors(xml, 'CreditNote')).toEqual([]);
    if (haveEn16931) expect(await en16931Failures(xml)).toEqual([]);
    if (havePeppol) expect(await peppolFailures(xml)).toEqual([]);
  }, 600_000);

  it('converts documents an accounting package sends too, and refuses them without a rate', async () => {
    const body = {
      date: '2026-11-30',
      currency: 'GBP',
      customer: { id: invoice.customer.id },
      charges: [{ amount_excl_tax: '100.00', price_list_item: { code: 'X' }, tax_rate: { code: 'BE21' } }],
    };
    expectConflict(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', body), 'No GBP→EUR exchange rate');
    await rate('GBP', 'EUR', '2026-11-30', '1.1665', '0.8573');
    const posted = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', body);
    expect(posted.exchange_rate).toEqual({ rate: 1.1665, inverse_rate: 0.8573, rate_date: '2026-11-30', currency: 'EUR', total_tax: '24.50' });
  });
});

describe('charges in another currency than the invoice', () => {
  it('converts them at the rate of the invoice date, recorded on the line, again at finalization, and refuses a draft without one', async () => {
    const { orderId, draft } = await draftFor('EUR-CUST', [
      { code: 'FREIGHT', unit_price: '100.00' },
      { code: 'TOLL', quantity: 3, unit_price: '40.00', currency: 'CHF' },
    ]);
    const charges = await ok(ctx, admin.auth, 'GET', `/v1/orders/order/${orderId}/charges`);
    expect(charges.charges.map((c: { currency: string; amount_excl_tax: string }) => [c.currency, c.amount_excl_tax])).toEqual([
      ['EUR', '100.00'],
      ['CHF', '120.00'],
    ]);
    const refused = await draft();
    expectConflict(refused, 'No CHF→EUR exchange rate on or before');
    // The charges stay free for the next draft.
    await rate('CHF', 'EUR', '2020-01-01', '1.0712345', '0.933502');
    const drafted = (await draft()).body;
    expectContract('SalesInvoiceOutput', drafted);
    expect(drafted.currency).toBe('EUR');
    const toll = drafted.line_items.find((l: { code: string }) => l.code === 'TOLL');
    // 40 CHF × 1.0712345 = 42.84938 EUR a unit; 3 units = 128.54814 → 128.55.
    expect(toll).toMatchObject({
      currency: 'EUR',
      quantity: '3',
      unit_price: '42.84938',
      amount: '128.55',
      converted_from: { currency: 'CHF', unit_price: '40', exchange_rate: '1.0712345', rate_date: '2020-01-01' },
    });
    expect(drafted.line_items.find((l: { code: string }) => l.code === 'FREIGHT').converted_from).toBeNull();
    expect(drafted).toMatchObject({ total_excl_tax: '228.55', total_tax: '48.00', total_incl_tax: '276.55' });
    // Finalized with a later date, the charge takes the rate in force on that date.
    await rate('CHF', 'EUR', '2026-11-15', '1.1', '0.909091');
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${drafted.id}/finalize`, { date: '2026-11-30' });
    expectContract('SalesInvoiceOutput', final);
    expect(final.exchange_rate).toBeNull();
    expect(final.line_items.find((l: { code: string }) => l.code === 'TOLL')).toMatchObject({
      unit_price: '44',
      amount: '132.00',
      converted_from: { unit_price: '40', exchange_rate: '1.1', rate_date: '2026-11-15' },
    });
    expect(final).toMatchObject({ total_excl_tax: '232.00', total_tax: '48.72', total_incl_tax: '280.72' });
    const xml = await ublOf(final.id);
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">44</cbc:PriceAmount>');
    expect(xml).not.toContain('TaxCurrencyCode');
    if (haveXsd) expect(await xsdErrors(xml, 'Invoice')).toEqual([]);
  });
});
