import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../src/platform/money.js';
import { createTestApp, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { en16931Failures, haveEn16931 } from '../support/en16931.js';
import { haveXsd, xsdErrors } from '../support/ubl-xsd.js';
import { call, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Documents carrier');
  await seedBillingEntity(ctx, admin);
  await newCompany(ctx, admin, {
    name: 'Łódź Trading',
    code: 'LODZ',
    legal_name: 'Łódź Trading BV',
    vat_number: 'NL001234567B01',
    billing_location: { address: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
    sales: { payment_term: { code: 'NET_30' } },
  });
  await newCompany(ctx, admin, { name: 'No VAT', code: 'NOVAT' });
});
afterAll(() => ctx.close());

async function download(url: string) {
  const res = await ctx.app.inject({ url, headers: { authorization: admin.auth } });
  return res;
}

async function finalizedInvoice(customer: string) {
  const orderId = await newOrder(ctx, admin, `DOC-${customer}-${Math.random().toString(36).slice(2, 8)}`, customer);
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
    code: 'FREIGHT',
    name: 'Freight Antwerp–Amsterdam',
    unit_price: '845.50',
    tax_rate: { code: 'BE21' },
  });
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
    code: 'TOLL',
    quantity: 3,
    unit_price: '0.335',
    tax_rate: { code: 'BE6' },
    account_code: '700000',
  });
  const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', {
    order_ids: [orderId],
    customer_reference_numbers: ['PO-4711'],
  });
  expect(await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${draft.id}/documents`)).toEqual([]);
  return ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-11-30' });
}

const one = (xml: string, tag: string) => new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(xml)?.[1];
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] as string);

describe('invoice documents', () => {
  let invoice: Awaited<ReturnType<typeof ok>>;
  let files: Array<{ id: string; name: string; type: string; download_url: string; content_type: string }>;

  it('lists a PDF and a UBL file for a finalized invoice', async () => {
    invoice = await finalizedInvoice('LODZ');
    files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}/documents`)) as unknown as typeof files;
    for (const f of files) expectContract('Document', f);
    expect(files.map((f) => [f.name, f.content_type])).toEqual([
      [`${invoice.name}.pdf`, 'application/pdf'],
      [`${invoice.name}.xml`, 'application/xml'],
    ]);
    const pdf = await download(files[0]?.download_url as string);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(1000);
  });

  it('writes Peppol BIS 3 UBL with the mandatory elements and totals that add up', async () => {
    const res = await download(files[1]?.download_url as string);
    expect(res.statusCode).toBe(200);
    const xml = res.body;
    expect(xml).toMatch(/<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/);
    expect(one(xml, 'cbc:CustomizationID')).toBe('urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0');
    expect(one(xml, 'cbc:ProfileID')).toBe('urn:fdc:peppol.eu:2017:poacc:billing:01:1.0');
    expect(one(xml, 'cbc:ID')).toBe(invoice.name);
    expect([one(xml, 'cbc:IssueDate'), one(xml, 'cbc:DueDate'), one(xml, 'cbc:InvoiceTypeCode'), one(xml, 'cbc:DocumentCurrencyCode')]).toEqual([
      '2026-11-30',
      '2026-12-30',
      '380',
      'EUR',
    ]);
    expect(one(xml, 'cbc:BuyerReference')).toBe('PO-4711');
    expect(all(xml, 'cbc:EndpointID')).toEqual(['BE0123456749', 'NL001234567B01']);
    expect(xml).toContain('Łódź Trading BV');
    expect(one(xml, 'cbc:PayableAmount')).toBe(invoice.total_incl_tax);
    expect(one(xml, 'cbc:TaxExclusiveAmount')).toBe(invoice.total_excl_tax);
    const lineAmounts = all(xml, 'cbc:LineExtensionAmount');
    // The document total first, then one per line: the lines add up to it.
    expect(
      lineAmounts
        .slice(1)
        .reduce((acc, a) => acc.plus(a), new Dec(0))
        .toFixed(2),
    ).toBe(lineAmounts[0]);
    const taxes = all(xml, 'cbc:TaxAmount');
    expect(
      taxes
        .slice(1)
        .reduce((acc, a) => acc.plus(a), new Dec(0))
        .toFixed(2),
    ).toBe(taxes[0]);
    expect(taxes[0]).toBe(invoice.total_tax);
  });

  it.skipIf(!haveXsd)('is valid against the UBL 2.1 Invoice schema', async () => {
    const xml = (await download(files[1]?.download_url as string)).body;
    expect(await xsdErrors(xml, 'Invoice')).toEqual([]);
  });

  it.skipIf(!haveEn16931)('keeps every EN 16931 business rule (0 failed asserts)', { timeout: 600_000 }, async () => {
    const xml = (await download(files[1]?.download_url as string)).body;
    expect(await en16931Failures(xml)).toEqual([]);
    // The check itself can fail: a total that does not add up breaks BR-CO-15.
    const broken = xml.replace(/(<cbc:TaxInclusiveAmount currencyID="EUR">)[^<]*/, '$19999.99');
    expect((await en16931Failures(broken)).join('\n')).toContain('BR-CO-15');
  });

  it.skipIf(!haveXsd)('writes a credit note that references the invoice and passes the CreditNote schema', async () => {
    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {
      lines: [{ line_id: invoice.line_items[0].id, amount: '100' }],
    });
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${note.id}/finalize`, { date: '2026-12-01' });
    const noteFiles = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-credit-note/${note.id}/documents`)) as unknown as typeof files;
    const xml = (await download(noteFiles[1]?.download_url as string)).body;
    expect(xml).toMatch(/<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/);
    expect(one(xml, 'cbc:CreditNoteTypeCode')).toBe('381');
    expect(xml).toContain(`<cbc:ID>${invoice.name}</cbc:ID>`);
    expect(one(xml, 'cbc:PayableAmount')).toBe(final.total_incl_tax);
    expect(await xsdErrors(xml, 'CreditNote')).toEqual([]);
    if (haveEn16931) expect(await en16931Failures(xml)).toEqual([]);
  });

  it('refuses to finalize for a customer that cannot be addressed on Peppol (409, no number taken), 404 for unknown files and other tenants', async () => {
    const orderId = await newOrder(ctx, admin, `DOC-NOVAT-${Math.random().toString(36).slice(2, 8)}`, 'NOVAT');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '10', tax_rate: { code: 'BE21' } });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const refused = await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-11-30' });
    expect(refused.status).toBe(409);
    expectContract('ValidationErrorResponse', refused.body);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${draft.id}`)).status).toBe('DRAFT');
    expect((await call(ctx, admin.auth, 'GET', '/v1/accounting/files/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const other = await newTenant(ctx, 'Other carrier');
    expect((await call(ctx, other.auth, 'GET', files[0]?.download_url as string)).status).toBe(404);
  });
});
