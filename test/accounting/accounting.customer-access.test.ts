import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { asPerson, newPerson, type Person } from '../support/people.js';
import { as } from '../support/requests.js';
import { newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

/**
 * Customers read the sales invoices and credit notes issued to their company (the portal, issue 23):
 * never a draft, never another company's, never a purchase document; subcontractors and WEBHOOK
 * credentials read none.
 */
let ctx: TestContext;
let admin: Client;
let acme: Client;
let beta: Client;
let subco: Client;
let acmeHook: Client;
let acmeBuyer: Person;
let issued: { id: string; name: string };
let draft: { id: string };
let betaIssued: { id: string };
let credit: { id: string; name: string };
let files: Array<{ id: string; type: string; download_url: string }>;

async function invoiceFor(code: string, identifier: string, finalize: boolean) {
  const orderId = await newOrder(ctx, admin, identifier, code);
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '845.50', tax_rate: { code: 'BE21' } });
  const invoice = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
  return finalize ? ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/finalize`, { date: '2026-11-30' }) : invoice;
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Portal carrier');
  await seedBillingEntity(ctx, admin);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA', vat_number: 'BE0477472701' });
  const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
  acmeHook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId, kind: 'WEBHOOK' });
  acmeBuyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: acmeId });

  issued = await invoiceFor('ACME', 'ACC-1', true);
  draft = await invoiceFor('ACME', 'ACC-2', false);
  betaIssued = await invoiceFor('BETA', 'ACC-3', true);
  const creditDraft = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${issued.id}/credit`, {});
  credit = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${creditDraft.id}/finalize`, { date: '2026-12-01' });
  // A draft credit note of Acme's too: it must stay out of Acme's list.
  const second = await invoiceFor('ACME', 'ACC-4', true);
  await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${second.id}/credit`, {});
  files = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${issued.id}/documents`);
});
afterAll(() => ctx.close());

const ids = (res: { json(): unknown }) => (res.json() as { items: Array<{ id: string }> }).items.map((i) => i.id).sort();

describe('a customer reads its issued sales documents', () => {
  it('lists only its own issued invoices and credit notes, never drafts or another company’s', async () => {
    const invoices = await as(acme).get('/v1/accounting/sales-invoice/');
    expect(invoices.statusCode, invoices.body).toBe(200);
    const own = ids(invoices);
    expect(own).toContain(issued.id);
    expect(own).not.toContain(draft.id);
    expect(own).not.toContain(betaIssued.id);
    for (const item of (invoices.json() as { items: Array<Record<string, unknown>> }).items) {
      expectContract('SalesInvoiceOutput', item);
      expect(item.status).not.toBe('DRAFT');
    }
    const notes = await as(acme).get('/v1/accounting/sales-credit-note/');
    expect(notes.statusCode, notes.body).toBe(200);
    expect(ids(notes)).toEqual([credit.id]);

    // Filters cannot widen it: drafts and another company's id list nothing.
    expect(ids(await as(acme).get('/v1/accounting/sales-invoice/?status=DRAFT'))).toEqual([]);
    expect(ids(await as(acme).get(`/v1/accounting/sales-invoice/?customer_id=${beta.companyId}`))).toEqual([]);
    expect(ids(await as(beta).get('/v1/accounting/sales-invoice/'))).toEqual([betaIssued.id]);
    // The tenant still sees every document, drafts included.
    expect(ids(await as(admin).get('/v1/accounting/sales-invoice/'))).toEqual(expect.arrayContaining([issued.id, draft.id, betaIssued.id]));
  });

  it('reads its invoice and credit note, and 404s for a draft or another company’s', async () => {
    const invoice = await as(acme).get(`/v1/accounting/sales-invoice/${issued.id}`);
    expect(invoice.statusCode, invoice.body).toBe(200);
    expect(invoice.json().name).toBe(issued.name);
    expect((await as(acme).get(`/v1/accounting/sales-credit-note/${credit.id}`)).json().name).toBe(credit.name);
    expectError(await as(acme).get(`/v1/accounting/sales-invoice/${draft.id}`), 404);
    expectError(await as(acme).get(`/v1/accounting/sales-invoice/${betaIssued.id}`), 404);
    expectError(await as(acme).get(`/v1/accounting/sales-invoice/${betaIssued.id}/documents`), 404);
    expectError(await as(beta).get(`/v1/accounting/sales-invoice/${issued.id}`), 404);
    expectError(await as(beta).get(`/v1/accounting/sales-credit-note/${credit.id}`), 404);
    // The deprecated underscore alias follows the same rule.
    expect((await as(acme).get(`/v1/accounting/sales_invoice/${issued.id}`)).statusCode).toBe(200);
    expectError(await as(acme).get(`/v1/accounting/sales_invoice/${draft.id}`), 404);
  });

  it('downloads its invoice’s PDF and UBL (304 once held); another customer gets 404 for the same file, with its ETag too', async () => {
    const listed = await as(acme).get(`/v1/accounting/sales-invoice/${issued.id}/documents`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect((listed.json() as Array<{ type: string }>).map((f) => f.type).sort()).toEqual(['SALES_INVOICE_PDF', 'SALES_INVOICE_UBL']);
    const pdf = files.find((f) => f.type.endsWith('PDF')) as { id: string; download_url: string };
    const ubl = files.find((f) => f.type.endsWith('UBL')) as { id: string; download_url: string };
    const pdfBytes = await as(acme).get(pdf.download_url);
    expect(pdfBytes.statusCode).toBe(200);
    expect(pdfBytes.headers['content-type']).toContain('application/pdf');
    expect(pdfBytes.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = await as(acme).get(ubl.download_url);
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toContain(issued.name);
    expectError(await as(beta).get(pdf.download_url), 404);
    expectError(await as(subco).get(pdf.download_url), 403);
    // Holding the bytes already: Acme is answered 304; Beta, sending the same ETag, still a 404.
    const etag = String(pdfBytes.headers.etag);
    const held = await as(acme).get(pdf.download_url, { 'if-none-match': etag });
    expect(held.statusCode).toBe(304);
    expect(held.body).toBe('');
    for (const guess of [etag, '*']) expectError(await as(beta).get(pdf.download_url, { 'if-none-match': guess }), 404);
    expectError(await as(subco).get(pdf.download_url, { 'if-none-match': etag }), 403);
    // A person of Acme's, signed in to the portal, reads the same.
    expect((await asPerson(acmeBuyer).get(pdf.download_url)).statusCode).toBe(200);
    expect(ids(await asPerson(acmeBuyer).get('/v1/accounting/sales-invoice/'))).toContain(issued.id);
  });

  it('refuses purchase documents, sync tasks and every write to customers; subcontractors and WEBHOOK credentials read nothing', async () => {
    for (const url of ['/v1/accounting/purchase-invoice/', '/v1/accounting/purchase-credit-note/', '/v1/accounting/sync-tasks']) {
      expectError(await as(acme).get(url), 403);
    }
    expectError(await as(acme).get(`/v1/accounting/purchase-invoice/${issued.id}`), 403);
    expectError(await as(acme).post(`/v1/accounting/sales-invoice/${draft.id}/finalize`, {}), 403);
    expectError(await as(acme).patch(`/v1/accounting/sales-invoice/${issued.id}`, { custom_fields: { x: 1 } }), 403);
    expectError(await as(acme).post(`/v1/accounting/sales-invoice/${issued.id}/payment/update-status`, { status: 'PAID' }), 403);
    expectError(await as(subco).get('/v1/accounting/sales-invoice/'), 403);
    expectError(await as(subco).get(`/v1/accounting/sales-invoice/${issued.id}`), 403);
    expectError(await as(acmeHook).get('/v1/accounting/sales-invoice/'), 403);
    expectError(await as(acmeHook).get(`/v1/accounting/sales-invoice/${issued.id}`), 403);
  });
});
