import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { call, ok } from './accounting.fixtures.js';
import { seedPurchase, subcontractedTrip, subcontractor } from './accounting.purchase.fixtures.js';
import { tripsWorld } from '../trips/trips.fixtures.js';

// Received supplier invoices stay the supplier's: its number, dates and bank details, its own
// parties, and no number of Waybill's purchase series (issue 17).
const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let subco: Client;
let subcoId: string;

beforeAll(async () => {
  ({ ctx, admin } = world);
  ({ subco, subcoId } = await seedPurchase(ctx, admin));
});

async function send(client: Client, body: string | object) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/webhook/e-invoicing',
    headers: { authorization: client.auth, 'content-type': typeof body === 'string' ? 'application/xml' : 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const SELLER = '<cbc:EndpointID schemeID="9925">BE0477472701</cbc:EndpointID>';
const BUYER = '<cbc:EndpointID schemeID="9925">BE0123456749</cbc:EndpointID>';

/** A Peppol BIS invoice for one 21 % line; parties and payment means as given. */
function ubl(o: { id: string; date: string; due: string; amount: string; reference: string; seller?: string; buyer?: string; payment?: string }) {
  const tax = (Number(o.amount) * 0.21).toFixed(2);
  const incl = (Number(o.amount) + Number(tax)).toFixed(2);
  const party = (ids: string, name: string) =>
    `<cac:Party>${ids}<cac:PostalAddress><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress><cac:PartyLegalEntity><cbc:RegistrationName>${name}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>${o.id}</cbc:ID><cbc:IssueDate>${o.date}</cbc:IssueDate><cbc:DueDate>${o.due}</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>${o.reference}</cbc:BuyerReference>
  <cac:AccountingSupplierParty>${party(o.seller ?? SELLER, 'Haulers HAUL BV')}</cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>${party(o.buyer ?? BUYER, 'Waybill Logistics NV')}</cac:AccountingCustomerParty>
  ${o.payment ?? ''}
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">${tax}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">${o.amount}</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="EUR">${o.amount}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">${incl}</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="EUR">${incl}</cbc:PayableAmount></cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="EUR">${o.amount}</cbc:LineExtensionAmount><cac:Item><cbc:Name>Transport</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="EUR">${o.amount}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>`;
}

const json = (name: string, amount: string, date: string, extra: Record<string, unknown> = {}) => {
  const tax = (Number(amount) * 0.21).toFixed(2);
  return {
    invoice_type: 'PURCHASE',
    name,
    date,
    due_date: date,
    currency: 'EUR',
    total_excl_tax: amount,
    total_tax: tax,
    total_incl_tax: (Number(amount) + Number(tax)).toFixed(2),
    supplier: { name: 'Haulers HAUL BV', vat_number: 'BE0477472701' },
    line_items: [{ description: 'Transport', amount, currency: 'EUR', tax_rate: { percentage: 21, tax_type: 'VAT' } }],
    ...extra,
  };
};

async function selfBillAndFinalize(identifier: string, price: string, date?: string) {
  const trip = await subcontractedTrip(ctx, admin, subco, subcoId, identifier, price);
  const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', {
    subcontractor_id: subcoId,
    tax_rate: { code: 'BE21-P' },
    trip_ids: [trip.id],
  });
  return call(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${draft.id}/finalize`, date ? { date } : {});
}

describe('a received supplier invoice stays the supplier’s', () => {
  it('keeps its number, issue date, due date and payee account; approving it books it without a number of the purchase series', async () => {
    const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'RCV-1', '640.00');
    const payment =
      '<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>+++090/9337/55493+++</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>BE71096123456769</cbc:ID><cbc:Name>Haulers HAUL BV</cbc:Name><cac:FinancialInstitutionBranch><cbc:ID>GKCCBEBB</cbc:ID></cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount></cac:PaymentMeans>';
    const sent = ubl({ id: 'HAUL/2026/0777', date: '2026-11-28', due: '2027-01-15', amount: '640.00', reference: trip.orderName, payment });
    const res = await send(subco, sent);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.match_status).toBe('MATCHED');
    const stated = { iban: 'BE71096123456769', bic: 'GKCCBEBB', account_name: 'Haulers HAUL BV', reference: '+++090/9337/55493+++' };

    const draft = await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${res.body.id}`);
    expectContract('PurchaseInvoice', draft);
    expect(draft).toMatchObject({
      name: 'HAUL/2026/0777',
      external_name: 'HAUL/2026/0777',
      date: '2026-11-28',
      due_date: '2027-01-15',
      e_invoice: { payment: stated },
    });

    // Approved a week later: the date given is the booking date, the supplier's dates stay.
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${res.body.id}/finalize`, { date: '2026-12-05' });
    expectContract('PurchaseInvoice', final);
    expect(final).toMatchObject({
      status: 'INVOICED',
      name: 'HAUL/2026/0777',
      external_name: 'HAUL/2026/0777',
      date: '2026-11-28',
      due_date: '2027-01-15',
      booking_date: '2026-12-05',
      e_invoice: { payment: stated },
    });
    // Its own file is the invoice, kept as received: no self-billing rendering of Waybill's stands in for it.
    const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${res.body.id}/documents`)) as Array<Record<string, string>>;
    expect(files).toEqual([expect.objectContaining({ name: 'HAUL-2026-0777.xml', type: 'INVOICE', content_type: 'application/xml' })]);
    const original = await ctx.app.inject({ url: files[0]?.download_url as string, headers: { authorization: admin.auth } });
    expect(original.statusCode).toBe(200);
    expect(original.body).toBe(sent);

    // The self-billing series did not move: its first number goes to the first self-billed invoice.
    const selfBilled = await selfBillAndFinalize('RCV-SB-1', '100.00', '2026-11-30');
    expect(selfBilled.status, JSON.stringify(selfBilled.body)).toBe(200);
    expect(selfBilled.body.name).toBe('PINV-WB-BE-2026-00001');
    // The trip is billed on the supplier's invoice, named by the supplier's number.
    const again = await call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', {
      subcontractor_id: subcoId,
      tax_rate: { code: 'BE21-P' },
      trip_ids: [trip.id],
    });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain('HAUL/2026/0777');
  });

  it('two suppliers may use the same invoice number', async () => {
    const otherId = await subcontractor(ctx, admin, 'TWIN');
    const other = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: otherId, kind: 'WEBHOOK' });
    const ids: string[] = [];
    for (const client of [subco, other]) {
      const res = await send(client, json('INV-0001', '12.00', '2026-12-01'));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      ids.push(res.body.id);
    }
    // Unmatched (no trip), so these are kept as drafts; both carry the same supplier number.
    for (const id of ids) expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${id}`)).name).toBe('INV-0001');
  });

  it('a future-dated supplier invoice never blocks other finalizations', async () => {
    const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'RCV-FUT', '310.00');
    const future = day(45);
    const res = await send(
      subco,
      json('HAUL-FUTURE-1', '310.00', future, {
        line_items: [
          {
            description: `Transport ${trip.name}`,
            amount: '310.00',
            currency: 'EUR',
            tax_rate: { percentage: 21, tax_type: 'VAT' },
            references: { trip_name: trip.name },
          },
        ],
      }),
    );
    expect(res.body.match_status, JSON.stringify(res.body)).toBe('MATCHED');
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${res.body.id}/finalize`, {});
    expect(final).toMatchObject({ name: 'HAUL-FUTURE-1', date: future });

    // Self-billed invoices of today and yesterday still finalize, in their own series' order.
    const yesterday = await selfBillAndFinalize('RCV-FUT-SB1', '50.00', day(-1));
    expect(yesterday.status, JSON.stringify(yesterday.body)).toBe(200);
    const today = await selfBillAndFinalize('RCV-FUT-SB2', '60.00');
    expect(today.status, JSON.stringify(today.body)).toBe(200);
    expect(today.body.date).toBe(day(0));
    // A supplier invoice dated before all of them is approved as well: it is in no series' order.
    const late = await subcontractedTrip(ctx, admin, subco, subcoId, 'RCV-PAST', '70.00');
    const earlier = await send(
      subco,
      json('HAUL-PAST-1', '70.00', '2026-01-02', {
        line_items: [{ amount: '70.00', currency: 'EUR', tax_rate: { percentage: 21 }, references: { trip_name: late.name } }],
      }),
    );
    expect(earlier.body.match_status, JSON.stringify(earlier.body)).toBe('MATCHED');
    const approved = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${earlier.body.id}/finalize`, {});
    expect(approved).toMatchObject({ name: 'HAUL-PAST-1', date: '2026-01-02', status: 'INVOICED' });
  });
});

describe('the parties of a received invoice', () => {
  it('refuses a seller that is not the sending subcontractor, naming it, and records nothing', async () => {
    // The contract's own example names another supplier than the one whose credentials send it.
    const example = json('MISMATCH-1', '20.00', '2026-12-01', {
      supplier: { id: '550e8400-e29b-41d4-a716-446655440000', name: 'Supplier Company Ltd', vat_number: 'BE1234.123.123' },
    });
    const byId = await send(subco, example);
    expect(byId.status).toBe(400);
    expectContract('ValidationErrorResponse', byId.body);
    expect(byId.body.message).toContain('550e8400-e29b-41d4-a716-446655440000');
    const byVat = await send(subco, { ...example, supplier: { name: 'Supplier Company Ltd', vat_number: 'BE1234.123.123' } });
    expect(byVat.status).toBe(400);
    expect(byVat.body.message).toMatch(/seller Supplier Company Ltd \(BE1234\.123\.123\) is not Haulers HAUL/);
    expect(byVat.body.errors[0].field).toBe('supplier');

    const xml = await send(
      subco,
      ubl({
        id: 'MISMATCH-2',
        date: '2026-12-01',
        due: '2026-12-31',
        amount: '20.00',
        reference: 'X',
        seller: '<cbc:EndpointID schemeID="0208">0999999999</cbc:EndpointID>',
      }),
    );
    expect(xml.status).toBe(400);
    expect(xml.body.message).toContain('0208:0999999999');

    // Nothing was recorded: the same numbers, sent right, are new.
    expect((await send(subco, json('MISMATCH-1', '20.00', '2026-12-01'))).status).toBe(200);
    expect((await send(subco, ubl({ id: 'MISMATCH-2', date: '2026-12-01', due: '2026-12-31', amount: '20.00', reference: 'X' }))).status).toBe(200);
  });

  it('knows the sending subcontractor by its company registration number under a scheme', async () => {
    const byRegistration = (id: string) =>
      send(
        subco,
        ubl({
          id,
          date: '2026-12-01',
          due: '2026-12-31',
          amount: '20.00',
          reference: 'X',
          seller: '<cbc:EndpointID schemeID="0208">0477472701</cbc:EndpointID>',
        }),
      );
    // Unknown while the company states no registration number: the seller is then someone else.
    const unknown = await byRegistration('REGISTRATION-1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('0208:0477472701');
    await ok(ctx, admin.auth, 'PATCH', `/v1/companies/company/${subcoId}`, { reference_numbers: { company_registration_number: '0477.472.701' } });
    const known = await byRegistration('REGISTRATION-2');
    expect(known.status, JSON.stringify(known.body)).toBe(200);
  });

  it('refuses a buyer that is none of the tenant’s billing entities, and books one that is on that entity', async () => {
    const stranger = await send(
      subco,
      ubl({
        id: 'BUYER-1',
        date: '2026-12-01',
        due: '2026-12-31',
        amount: '30.00',
        reference: 'X',
        buyer: '<cbc:EndpointID schemeID="9925">BE0876543210</cbc:EndpointID>',
      }),
    );
    expect(stranger.status).toBe(400);
    expectContract('ValidationErrorResponse', stranger.body);
    expect(stranger.body.message).toMatch(/buyer Waybill Logistics NV \(9925:BE0876543210\) is none of this tenant/);
    expect(stranger.body.errors[0].field).toBe('buyer');
    const anonymous = await send(subco, ubl({ id: 'BUYER-2', date: '2026-12-01', due: '2026-12-31', amount: '30.00', reference: 'X', buyer: '' }));
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.message).toMatch(/buyer \(Waybill Logistics NV\) is named by no VAT id/);

    // A second billing entity, addressed by its Peppol id (the contract's XML example uses 0208).
    await ok(ctx, admin.auth, 'POST', '/v1/admin/billing-entities', {
      code: 'WB-NL',
      legal_name: 'Waybill Nederland BV',
      company_registration_number: '12345678',
      vat_number: 'NL123456789B01',
      address: { street: 'Kade 1', city: 'Rotterdam', postal_code: '3011', country: 'NL' },
      peppol_id: { scheme: '0106', value: '12345678' },
    });
    await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', {
      code: 'NL21-P',
      name: 'BTW 21% purchase',
      percentage: '21',
      invoice_type: 'PURCHASE',
      billing_entity_code: 'WB-NL',
    });
    const dutch = await send(
      subco,
      ubl({
        id: 'BUYER-3',
        date: '2026-12-01',
        due: '2026-12-31',
        amount: '30.00',
        reference: 'X',
        buyer: '<cbc:EndpointID schemeID="0106">12345678</cbc:EndpointID>',
      }),
    );
    expect(dutch.status, JSON.stringify(dutch.body)).toBe(200);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${dutch.body.id}`)).billing_entity.code).toBe('WB-NL');
    // By the registration number under its scheme too (0208 is the Belgian enterprise number).
    const belgian = await send(
      subco,
      ubl({
        id: 'BUYER-4',
        date: '2026-12-01',
        due: '2026-12-31',
        amount: '30.00',
        reference: 'X',
        buyer: '<cbc:EndpointID schemeID="0208">0123456749</cbc:EndpointID>',
      }),
    );
    expect(belgian.status, JSON.stringify(belgian.body)).toBe(200);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${belgian.body.id}`)).billing_entity.code).toBe('WB-BE');
    // The JSON form may name its buyer (an addition to the contract); unnamed, it is the default entity.
    const named = await send(subco, json('BUYER-5', '30.00', '2026-12-01', { buyer: { vat_number: 'NL 1234.56789.B01' } }));
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${named.body.id}`)).billing_entity.code).toBe('WB-NL');
    const wrong = await send(subco, json('BUYER-6', '30.00', '2026-12-01', { buyer: { name: 'Someone', peppol_id: { scheme: '0208', value: '0000000097' } } }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain('Someone (0208:0000000097)');
  });
});
