import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { call, ok } from './accounting.fixtures.js';
import { seedPurchase, subcontractedTrip, subcontractor } from './accounting.purchase.fixtures.js';
import { multipart, type Part } from '../support/multipart.js';
import { tripsWorld } from '../trips/trips.fixtures.js';

// A small document limit, so that a file over it still fits the request body limit.
const MAX_FILE = 64 * 1024;
const world = tripsWorld({ documentMaxBytes: MAX_FILE });
let ctx: TestContext;
let admin: Client;
let subco: Client;
let subcoId: string;

beforeAll(async () => {
  ({ ctx, admin } = world);
  ({ subco, subcoId } = await seedPurchase(ctx, admin));
});

async function send(client: Client, body: string | object, contentType = typeof body === 'string' ? 'application/xml' : 'application/json') {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/webhook/e-invoicing',
    headers: { authorization: client.auth, 'content-type': contentType },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.body ? res.json() : {} };
}

const tax = (amount: string) => (Number(amount) * 0.21).toFixed(2);
const incl = (amount: string) => (Number(amount) + Number(tax(amount))).toFixed(2);

function ubl(o: { id: string; buyerReference: string; lines: Array<{ amount: string; name: string }>; embedded?: string }) {
  const total = o.lines.reduce((s, l) => s + Number(l.amount), 0).toFixed(2);
  const party = (name: string, vat: string) =>
    `<cac:Party><cbc:EndpointID schemeID="9925">${vat}</cbc:EndpointID><cac:PostalAddress><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress><cac:PartyLegalEntity><cbc:RegistrationName>${name}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>${o.id}</cbc:ID><cbc:IssueDate>2026-12-02</cbc:IssueDate><cbc:DueDate>2026-12-16</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>${o.buyerReference}</cbc:BuyerReference>
  ${o.embedded ?? ''}
  <cac:AccountingSupplierParty>${party('Haulers HAUL BV', 'BE0477472701')}</cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>${party('Waybill Logistics NV', 'BE0123456749')}</cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">${tax(total)}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">${total}</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="EUR">${total}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">${incl(total)}</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="EUR">${incl(total)}</cbc:PayableAmount></cac:LegalMonetaryTotal>
  ${o.lines
    .map(
      (l, i) =>
        `<cac:InvoiceLine><cbc:ID>${i + 1}</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="EUR">${l.amount}</cbc:LineExtensionAmount><cac:Item><cbc:Name>${l.name}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="EUR">${l.amount}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`,
    )
    .join('\n  ')}
</Invoice>`;
}

function cii(o: { id: string; amount: string }) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument><ram:ID>${o.id}</ram:ID><ram:TypeCode>380</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format="102">20261203</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Transport services</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>21</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${o.amount}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement><ram:BuyerReference>AP</ram:BuyerReference>
      <ram:SellerTradeParty><ram:Name>Haulers HAUL BV</ram:Name><ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">BE0477472701</ram:ID></ram:SpecifiedTaxRegistration></ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Waybill Logistics NV</ram:Name><ram:URIUniversalCommunication><ram:URIID schemeID="9925">BE0123456749</ram:URIID></ram:URIUniversalCommunication></ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">20261231</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>${o.amount}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID="EUR">${tax(o.amount)}</ram:TaxTotalAmount><ram:GrandTotalAmount>${incl(o.amount)}</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>`;
}

const jsonInvoice = (name: string, amount: string, references: Record<string, string>) => ({
  invoice_type: 'PURCHASE',
  name,
  date: '2026-12-01',
  due_date: '2026-12-31',
  currency: 'EUR',
  total_excl_tax: amount,
  total_tax: tax(amount),
  total_incl_tax: incl(amount),
  supplier: { name: 'Haulers HAUL BV', vat_number: 'BE0477472701' },
  line_items: [{ description: 'International freight transport', amount, currency: 'EUR', tax_rate: { percentage: 21, tax_type: 'VAT' }, references }],
});

describe('e-invoices from a subcontractor', () => {
  it('records a JSON invoice naming its trip and agreeing with the price as MATCHED; it finalizes with the supplier’s dates', async () => {
    const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'EIN-1', '300.00');
    const body = jsonInvoice('HAUL-0001', '300.00', { trip_name: trip.name });
    expectContract('PurchaseEInvoiceInput', body);
    const res = await send(subco, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ invoice_type: 'PURCHASE', external_name: 'HAUL-0001', match_status: 'MATCHED', differences: [] });
    const draft = await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${res.body.id}`);
    expectContract('PurchaseInvoice', draft);
    expect(draft).toMatchObject({
      status: 'DRAFT',
      external_name: 'HAUL-0001',
      total_incl_tax: '363.00',
      e_invoice: { format: 'JSON', match_status: 'MATCHED' },
    });
    expect(draft.line_items[0].trip_id).toBe(trip.id);
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${res.body.id}/finalize`, {});
    expect(final).toMatchObject({
      status: 'INVOICED',
      date: '2026-12-01',
      due_date: '2026-12-31',
      external_name: 'HAUL-0001',
      // The supplier's number: a received invoice takes none of Waybill's series.
      name: 'HAUL-0001',
    });
    const tasks = (await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks')).tasks as Array<{ task_type: string; invoice_id: string }>;
    expect(tasks).toContainEqual(expect.objectContaining({ task_type: 'POST_INVOICE_PURCHASE', invoice_id: final.id }));
    // The trip is billed: self-billing it too is refused.
    expect(
      (
        await call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', {
          subcontractor_id: subcoId,
          tax_rate: { code: 'BE21-P' },
          trip_ids: [trip.id],
        })
      ).status,
    ).toBe(409);
    expect((await send(subco, body)).status).toBe(409);
  });

  it('flags a UBL invoice whose amount differs from the agreed price: visible on GET and in an event, and it cannot be finalized', async () => {
    const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'EIN-2', '500.00');
    const res = await send(subco, ubl({ id: 'HAUL-0002', buyerReference: trip.orderName, lines: [{ amount: '520.00', name: 'Transport' }] }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.match_status).toBe('MISMATCH');
    expect(res.body.differences).toEqual([
      { reason: 'AMOUNT_DIFFERS', trip_id: trip.id, trip_name: trip.name, agreed: '500.00', invoiced: '520.00', message: expect.any(String) },
    ]);
    const draft = await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${res.body.id}`);
    expectContract('PurchaseInvoice', draft);
    expect(draft.e_invoice).toMatchObject({ format: 'UBL', match_status: 'MISMATCH', stated_totals: { total_excl_tax: '520.00', total_incl_tax: '629.20' } });
    const events = await ok(ctx, admin.auth, 'GET', '/v1/events?limit=500');
    const event = (events.items as Array<{ type: string; payload: Record<string, unknown> }>).find(
      (e) => e.type === 'purchase_invoice.e_invoice_received' && e.payload.id === res.body.id,
    );
    expect(event?.payload).toMatchObject({ match_status: 'MISMATCH', differences: [{ reason: 'AMOUNT_DIFFERS' }] });
    const refused = await call(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${res.body.id}/finalize`, {});
    expect(refused.status).toBe(409);
    expectContract('ValidationErrorResponse', refused.body);
  });

  it('matches a CII invoice without references by the agreed price, and records one matching nothing as UNMATCHED', async () => {
    const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'EIN-3', '275.40');
    const matched = await send(subco, cii({ id: 'HAUL-0003', amount: '275.40' }));
    expect(matched.status, JSON.stringify(matched.body)).toBe(200);
    expect(matched.body.match_status).toBe('MATCHED');
    const draft = await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${matched.body.id}`);
    expect(draft).toMatchObject({ date: '2026-12-03', due_date: '2026-12-31', e_invoice: { format: 'CII' }, line_items: [{ trip_id: trip.id }] });
    const unmatched = await send(subco, ubl({ id: 'HAUL-0004', buyerReference: 'PO-UNKNOWN', lines: [{ amount: '12345.00', name: 'Something else' }] }));
    expect(unmatched.body).toMatchObject({ match_status: 'UNMATCHED', differences: [] });
    expect((await call(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${unmatched.body.id}/finalize`, {})).status).toBe(409);
  });

  it('a subcontractor can only invoice its own trips; other tenants and bad credentials get nothing', async () => {
    const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'EIN-4', '410.00');
    const rivalId = await subcontractor(ctx, admin, 'RIVAL');
    const rival = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: rivalId, kind: 'WEBHOOK' });
    const byRival = await send(rival, jsonInvoice('RIVAL-1', '410.00', { trip_name: trip.name }));
    expect(byRival.body).toMatchObject({ match_status: 'UNMATCHED' });
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${byRival.body.id}`)).line_items[0].trip_id).toBeNull();

    const stranger = await newTenant(ctx, 'Other carrier');
    const { subco: foreign } = await seedPurchase(ctx, stranger, 'FOREIGN');
    const byForeign = await send(foreign, jsonInvoice('FOREIGN-1', '410.00', { trip_name: trip.name }));
    expect(byForeign.body).toMatchObject({ match_status: 'UNMATCHED' });
    expect((await call(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${byForeign.body.id}`)).status).toBe(404);
    expect((await call(ctx, stranger.auth, 'GET', `/v1/accounting/purchase-invoice/${byRival.body.id}`)).status).toBe(404);

    // The trip is still free for its own subcontractor.
    const own = await ok(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', {
      subcontractor_id: subcoId,
      tax_rate: { code: 'BE21-P' },
      trip_ids: [trip.id],
    });
    expect(own.total_excl_tax).toBe('410.00');

    const wrong = { ...subco, auth: `Basic ${Buffer.from(`${subco.clientId}:wrong-secret`).toString('base64')}` };
    expect((await send(wrong, jsonInvoice('X-1', '1.00', {}))).status).toBe(401);
    expect((await send(admin, jsonInvoice('X-2', '1.00', {}))).status).toBe(401);
  });

  it('refuses malformed input with a 400 and never resolves external entities', async () => {
    const bad = await send(subco, '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>X</ID></Invoice>');
    expect(bad.status).toBe(400);
    expectContract('ValidationErrorResponse', bad.body);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['IssueDate', 'DocumentCurrencyCode', 'lines']));
    expect((await send(subco, '<<not xml')).status).toBe(400);
    expect((await send(subco, '<Order/>')).status).toBe(400);
    expect((await send(subco, { invoice_type: 'PURCHASE', name: 'X' })).status).toBe(400);
    expect((await send(subco, 'plain text', 'text/plain')).status).toBe(415);

    const xxe = ubl({ id: '&xxe;', buyerReference: 'NONE', lines: [{ amount: '1.00', name: 'x' }] }).replace(
      '<Invoice ',
      '<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Invoice ',
    );
    const res = await send(subco, xxe);
    expect(JSON.stringify(res.body)).not.toContain('root:');
    if (res.status === 200) expect(JSON.stringify(await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${res.body.id}`))).not.toContain('root:');
  });

  describe('files sent with the invoice', () => {
    // Not text, so that a download changed by any decoding shows.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256))]);
    const attachment = (base64: string, filename = 'HAUL-0101.pdf') => ({
      document: { base64, content_type: 'application/pdf', document_type: 'INVOICE', filename },
    });

    async function documentsOf(id: string) {
      const files = await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${id}/documents`);
      for (const f of files) expectContract('Document', f);
      return files as Array<{ id: string; name: string; type: string; download_url: string; content_type: string }>;
    }
    const download = (auth: string, url: string) => ctx.app.inject({ method: 'GET', url, headers: { authorization: auth } });

    it('keeps a JSON attachment with the draft: listed under /documents and downloaded byte for byte, by the tenant only', async () => {
      const body = { ...jsonInvoice('HAUL-0101', '120.00', {}), attachments: [attachment(pdf.toString('base64'))] };
      expectContract('PurchaseEInvoiceInput', body);
      const res = await send(subco, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const files = await documentsOf(res.body.id);
      expect(files).toEqual([
        {
          id: expect.any(String),
          name: 'HAUL-0101.pdf',
          type: 'INVOICE',
          download_url: `/v1/accounting/files/${files[0]?.id}`,
          subject_type: 'PURCHASE_INVOICE',
          content_type: 'application/pdf',
        },
      ]);
      const got = await download(admin.auth, files[0]?.download_url ?? '');
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.rawPayload.equals(pdf)).toBe(true);

      const stranger = await newTenant(ctx, 'Nosy carrier');
      const foreign = await download(stranger.auth, files[0]?.download_url ?? '');
      expect(foreign.statusCode).toBe(404);
      expectContract('ValidationErrorResponse', foreign.json());
      expect((await download(subco.auth, files[0]?.download_url ?? '')).statusCode).not.toBe(200);

      // Deleting the draft takes its files along.
      expect((await call(ctx, admin.auth, 'DELETE', `/v1/accounting/purchase-invoice/${res.body.id}`)).status).toBe(204);
      expect((await download(admin.auth, files[0]?.download_url ?? '')).statusCode).toBe(404);
    });

    it('keeps a PDF embedded in a UBL invoice the same way', async () => {
      const base64 = pdf.toString('base64').replace(/(.{76})/g, '$1\n');
      const embedded = `<cac:AdditionalDocumentReference><cbc:ID>HAUL-0102</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="Rechnung “0102” €.pdf">${base64}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>`;
      const res = await send(subco, ubl({ id: 'HAUL-0102', buyerReference: 'PO-NONE', lines: [{ amount: '80.00', name: 'Waiting time' }], embedded }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const files = await documentsOf(res.body.id);
      // The embedded PDF, and the XML itself as it was received.
      expect(files).toHaveLength(2);
      expect(files).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'Rechnung “0102” €.pdf', type: 'INVOICE', content_type: 'application/pdf' }),
          expect.objectContaining({ name: 'HAUL-0102.xml', type: 'INVOICE', content_type: 'application/xml' }),
        ]),
      );
      // The blob sweep counts these files as references, as it does documents.
      await ctx.services.documents.sweepOrphanBlobs(new Date(Date.now() + 60_000));
      const got = await download(admin.auth, files.find((f) => f.content_type === 'application/pdf')?.download_url ?? '');
      expect(got.rawPayload.equals(pdf)).toBe(true);
      expect(got.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('Rechnung “0102” €.pdf')}`);
    });

    it('refuses a file over the document limit (413) or not base64 (400) and records nothing', async () => {
      const tooLarge = await send(subco, {
        ...jsonInvoice('HAUL-0103', '90.00', {}),
        attachments: [attachment(pdf.toString('base64')), attachment(Buffer.alloc(MAX_FILE + 1).toString('base64'), 'big.pdf')],
      });
      expect(tooLarge.status).toBe(413);
      expectContract('ValidationErrorResponse', tooLarge.body);
      const notBase64 = await send(subco, {
        ...jsonInvoice('HAUL-0103', '90.00', {}),
        attachments: [attachment(pdf.toString('base64')), attachment('%PDF not base64!')],
      });
      expect(notBase64.status).toBe(400);
      expectContract('ValidationErrorResponse', notBase64.body);
      expect(notBase64.body.errors[0].field).toBe('attachments[1].document');
      const badUbl = await send(
        subco,
        ubl({
          id: 'HAUL-0104',
          buyerReference: 'PO-NONE',
          lines: [{ amount: '1.00', name: 'x' }],
          embedded:
            '<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="x.pdf">@@@</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>',
        }),
      );
      expect(badUbl.status).toBe(400);
      // Nothing half-written: the invoice numbers are still free, and the invoice then has no files.
      const clean = await send(subco, jsonInvoice('HAUL-0103', '90.00', {}));
      expect(clean.status).toBe(200);
      expect(await documentsOf(clean.body.id)).toEqual([]);
      expect((await send(subco, jsonInvoice('HAUL-0104', '1.00', {}))).status).toBe(200);
    });

    describe('as a multipart form', () => {
      const sendForm = async (client: Client, parts: Part[]) => {
        const form = multipart(parts);
        const res = await ctx.app.inject({
          method: 'POST',
          url: '/v1/webhook/e-invoicing',
          headers: { authorization: client.auth, ...form.headers },
          payload: form.payload,
        });
        return { status: res.statusCode, body: res.json() };
      };
      const cmr = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 91) % 256))]);

      it('takes the contract’s example: the JSON part first, then two PDFs kept, listed and downloadable byte for byte', async () => {
        const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'EIN-MP', '999.99');
        // The contract's own document, with its order reference pointing at a real order and its
        // seller the subcontractor sending it (the example's own seller is refused: another party).
        const document = {
          name: 'INV-2023-001',
          date: '2023-01-15',
          due_date: '2023-02-15',
          invoice_type: 'PURCHASE',
          currency: 'EUR',
          total_excl_tax: 999.99,
          total_incl_tax: 1209.99,
          total_tax: 210.0,
          custom_fields: {},
          supplier: {
            name: 'Haulers HAUL BV',
            vat_number: 'BE 0477.472.701',
            billing_location: { address: 'Gaston Crommenlaan 4', city: 'Gent', postal_code: '9050', country: 'BE' },
          },
          customer_reference_numbers: ['12345'],
          line_items: [
            {
              description: 'International freight transport',
              amount: 999.99,
              currency: 'EUR',
              tax_rate: { percentage: 21.0, name: '21% VAT', tax_type: 'VAT' },
              account: { code: '6000' },
              references: { order_name: trip.orderName },
            },
          ],
        };
        expectContract('PurchaseEInvoiceInput', document);
        const res = await sendForm(subco, [
          { name: 'document', filename: 'invoice_data.json', contentType: 'application/json', content: JSON.stringify(document, null, 2) },
          { name: 'invoice', filename: 'invoice_123.pdf', contentType: 'application/pdf', content: pdf },
          { name: 'cmr', filename: 'cmr_document.pdf', contentType: 'application/pdf', content: cmr },
        ]);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ external_name: 'INV-2023-001', match_status: 'MATCHED', differences: [] });
        const files = await documentsOf(res.body.id);
        expect(files.map((f) => [f.name, f.type, f.content_type]).sort()).toEqual([
          ['cmr_document.pdf', 'INVOICE', 'application/pdf'],
          ['invoice_123.pdf', 'INVOICE', 'application/pdf'],
        ]);
        for (const [name, bytes] of [
          ['invoice_123.pdf', pdf],
          ['cmr_document.pdf', cmr],
        ] as const) {
          const got = await download(admin.auth, files.find((f) => f.name === name)?.download_url ?? '');
          expect(got.statusCode).toBe(200);
          expect(got.rawPayload.equals(bytes)).toBe(true);
        }
        // Another subcontractor's form naming the same order does not reach this supplier's trip.
        const rival = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: await subcontractor(ctx, admin, 'MPRIV'), kind: 'WEBHOOK' });
        const foreign = await sendForm(rival, [
          { name: 'document', contentType: 'application/json', content: JSON.stringify({ ...document, name: 'INV-RIVAL' }) },
        ]);
        expect(foreign.status, JSON.stringify(foreign.body)).toBe(200);
        expect(foreign.body.match_status).toBe('UNMATCHED');
      });

      it('validates the JSON part as the JSON body is validated, names the field, and records nothing', async () => {
        const bad = { ...jsonInvoice('HAUL-0201', '70.00', {}), currency: 'euro' };
        const res = await sendForm(subco, [
          { name: 'document', contentType: 'application/json', content: JSON.stringify(bad) },
          { name: 'invoice', filename: 'HAUL-0201.pdf', contentType: 'application/pdf', content: pdf },
        ]);
        expect(res.status).toBe(400);
        expectContract('ValidationErrorResponse', res.body);
        expect(res.body.errors[0].path).toContain('currency');
        expect((await send(subco, bad)).body.errors).toEqual(res.body.errors);

        const notJson = await sendForm(subco, [{ name: 'document', filename: 'invoice.json', contentType: 'application/json', content: '{"name": ' }]);
        expect(notJson.status).toBe(400);
        expectContract('ValidationErrorResponse', notJson.body);
        const noParts = await sendForm(subco, []);
        expect(noParts.status).toBe(400);
        expectContract('ValidationErrorResponse', noParts.body);
        const tooMany = await sendForm(subco, [
          { name: 'document', contentType: 'application/json', content: JSON.stringify(jsonInvoice('HAUL-0201', '70.00', {})) },
          ...Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, filename: `f${i}.txt`, contentType: 'text/plain', content: 'x' })),
        ]);
        expect(tooMany.status).toBe(400);
        expectContract('ValidationErrorResponse', tooMany.body);
        const tooLarge = await sendForm(subco, [
          { name: 'document', contentType: 'application/json', content: JSON.stringify(jsonInvoice('HAUL-0201', '70.00', {})) },
          { name: 'big', filename: 'big.bin', contentType: 'application/octet-stream', content: Buffer.alloc(MAX_FILE + 1) },
        ]);
        expect(tooLarge.status).toBe(413);
        expectContract('ValidationErrorResponse', tooLarge.body);
        // Files each within the limit, together over the body limit (1 MiB here): the form is held in memory, so it is bounded.
        const tooLargeTogether = await sendForm(subco, [
          { name: 'document', contentType: 'application/json', content: JSON.stringify(jsonInvoice('HAUL-0201', '70.00', {})) },
          ...Array.from({ length: 17 }, (_, i) => ({
            name: `f${i}`,
            filename: `f${i}.bin`,
            contentType: 'application/octet-stream',
            content: Buffer.alloc(MAX_FILE),
          })),
        ]);
        expect(tooLargeTogether.status).toBe(413);
        expectContract('ValidationErrorResponse', tooLargeTogether.body);

        // Nothing half-written: the number is still free, and a file that is not a PDF is OTHER.
        const clean = await sendForm(subco, [
          { name: 'document', content: JSON.stringify(jsonInvoice('HAUL-0201', '70.00', {})) },
          { name: 'photo', filename: 'damage.png', contentType: 'image/png', content: cmr },
        ]);
        expect(clean.status, JSON.stringify(clean.body)).toBe(200);
        expect(await documentsOf(clean.body.id)).toMatchObject([{ name: 'damage.png', type: 'OTHER', content_type: 'image/png' }]);
      });

      it('refuses XML as the first part with a 415 that says how to send it', async () => {
        const res = await sendForm(subco, [
          {
            name: 'document',
            filename: 'invoice.xml',
            contentType: 'application/xml',
            content: ubl({ id: 'HAUL-0202', buyerReference: 'PO-NONE', lines: [{ amount: '10.00', name: 'x' }] }),
          },
        ]);
        expect(res.status).toBe(415);
        expectContract('ValidationErrorResponse', res.body);
        expect(res.body.message).toMatch(/application\/xml/);
        expect((await send(subco, jsonInvoice('HAUL-0202', '10.00', {}))).status).toBe(200);
      });
    });
  });
});
