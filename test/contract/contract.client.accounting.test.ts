import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client } from '../support/app.js';
import { contractClientWorld, droppedFields, type Schemas } from '../support/contract-client.js';
import { newOrder, ok, seedBillingEntity } from '../accounting/accounting.fixtures.js';
import { subcontractedTrip, subcontractor } from '../accounting/accounting.purchase.fixtures.js';

/**
 * Accounting through a client generated from the reference contract (see
 * support/contract-client.ts): order charges and their approval, sales invoices and credit notes
 * (and their deprecated underscore paths), the sync tasks an accounting package works through
 * (under both prefixes), the billing-document write-back webhook and the reference data (tax rates,
 * accounts, exchange rates). Charges, drafts and finalization are Waybill endpoints: set up directly.
 */

const world = contractClientWorld();
const { auth } = world;
let seeded: Awaited<ReturnType<typeof seedBillingEntity>>;
let customer: Client;
let subco: Client;
let subcoId: string;

beforeAll(async () => {
  seeded = await seedBillingEntity(world.ctx, world.admin);
  const acmeId = await newCompany(world.ctx, world.admin, { name: 'Acme', code: 'ACME', accounting_code: 'C-ACME', vat_number: 'BE0403019261' });
  customer = await newClient(world.ctx, world.admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  await ok(world.ctx, world.admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BE21-P', name: 'VAT 21% purchase', percentage: '21', invoice_type: 'PURCHASE' });
  subcoId = await subcontractor(world.ctx, world.admin, 'HAUL');
  subco = await newClient(world.ctx, world.admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
});

/** An order of ACME with one 500 EUR charge that needs the customer's approval; answers both ids. */
async function orderWithCharge(identifier: string): Promise<{ orderId: string; chargeId: string }> {
  const orderId = await newOrder(world.ctx, world.admin, identifier, 'ACME');
  const charge = await ok(world.ctx, world.admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '500', tax_rate: { code: 'BE21' }, requires_approval: true });
  return { orderId, chargeId: charge.id as string };
}

const sale: Schemas['SalesInvoiceInput'] = {
  date: '2026-11-20',
  due_date: '2026-12-31',
  booking_date: '2026-11-21',
  currency: 'EUR',
  customer: { accounting_code: 'C-ACME' },
  customer_reference_numbers: ['PO-CLIENT-1'],
  custom_fields: { ledger_batch: 'B-11' },
  charges: [{ name: 'Storage November', amount_excl_tax: '120.00', price_list_item: { code: 'STORAGE' }, tax_rate: { code: 'BE21' } }],
};

describe('a client generated from the reference contract, on accounting', () => {
  it("lists an order's charges and the customer approves them", async () => {
    const { orderId, chargeId } = await orderWithCharge('CLIENT-CHARGES');
    const path = { path: { order_id: orderId } };
    world.check('get /v1/orders/order/{order_id}/charges', await world.api.GET('/v1/orders/order/{order_id}/charges', { headers: auth(), params: path }));
    const seen = await world.api.GET('/v1/orders/order/{order_id}/charges', { headers: { authorization: customer.auth }, params: path });
    world.check('get /v1/orders/order/{order_id}/charges', seen);
    expect(JSON.stringify(seen.data)).toContain(chargeId);
    const body: Schemas['ChargesApprovalInput'] = { charges: [{ id: chargeId, approval_status: 'APPROVED' }] };
    const approved = await world.api.POST('/v1/orders/order/{order_id}/charges/approval', { headers: { authorization: customer.auth }, params: path, body });
    world.check('post /v1/orders/order/{order_id}/charges/approval', approved);
  });

  it('records a sales invoice from the accounting package, reads, patches and pays it, on both paths', async () => {
    const created = await world.api.POST('/v1/accounting/sales-invoice/', { headers: auth(), body: sale });
    world.check('post /v1/accounting/sales-invoice/', created);
    const { date, due_date: due, booking_date: booked, currency, customer_reference_numbers: refs, custom_fields: fields } = sale;
    expect(droppedFields({ date, due_date: due, booking_date: booked, currency, customer_reference_numbers: refs, custom_fields: fields }, created.data)).toEqual([]);
    const path = { path: { id: created.data?.id ?? '' } };
    world.check('get /v1/accounting/sales-invoice/{id}', await world.api.GET('/v1/accounting/sales-invoice/{id}', { headers: auth(), params: path }));
    world.check('patch /v1/accounting/sales-invoice/{id}', await world.api.PATCH('/v1/accounting/sales-invoice/{id}', { headers: auth(), params: path, body: { custom_fields: { ledger: 'JNL-1' } } }));
    world.check('get /v1/accounting/sales-invoice/{id}/documents', await world.api.GET('/v1/accounting/sales-invoice/{id}/documents', { headers: auth(), params: path }));
    const paid: Schemas['PaymentStatusUpdate'] = { status: 'PAID' };
    world.check('post /v1/accounting/sales-invoice/{id}/payment/update-status', await world.api.POST('/v1/accounting/sales-invoice/{id}/payment/update-status', { headers: auth(), params: path, body: paid }));

    world.check('get /v1/accounting/sales_invoice/{id}', await world.api.GET('/v1/accounting/sales_invoice/{id}', { headers: auth(), params: path }));
    world.check('patch /v1/accounting/sales_invoice/{id}', await world.api.PATCH('/v1/accounting/sales_invoice/{id}', { headers: auth(), params: path, body: { custom_fields: { batch: 7 } } }));
    world.check('get /v1/accounting/sales_invoice/{id}/documents', await world.api.GET('/v1/accounting/sales_invoice/{id}/documents', { headers: auth(), params: path }));
    const unpaid = await world.api.POST('/v1/accounting/sales_invoice/{id}/payment/update-status', { headers: auth(), params: path, body: { status: 'UNPAID' } });
    world.check('post /v1/accounting/sales_invoice/{id}/payment/update-status', unpaid);
    expect(unpaid.data).toEqual({ status: 'UNPAID' });
  });

  it('records a sales credit note, reads, patches and refunds it, on both paths', async () => {
    const body: Schemas['SalesCreditNoteInput'] = { ...sale, customer_reference_numbers: ['PO-CLIENT-CN'] };
    const created = await world.api.POST('/v1/accounting/sales-credit-note/', { headers: auth(), body });
    world.check('post /v1/accounting/sales-credit-note/', created);
    const path = { path: { id: created.data?.id ?? '' } };
    world.check('get /v1/accounting/sales-credit-note/{id}', await world.api.GET('/v1/accounting/sales-credit-note/{id}', { headers: auth(), params: path }));
    world.check('patch /v1/accounting/sales-credit-note/{id}', await world.api.PATCH('/v1/accounting/sales-credit-note/{id}', { headers: auth(), params: path, body: { custom_fields: { ledger: 'JNL-2' } } }));
    world.check('get /v1/accounting/sales-credit-note/{id}/documents', await world.api.GET('/v1/accounting/sales-credit-note/{id}/documents', { headers: auth(), params: path }));
    const refunded: Schemas['RefundStatusUpdate'] = { status: 'REFUNDED' };
    world.check('post /v1/accounting/sales-credit-note/{id}/refund/update-status', await world.api.POST('/v1/accounting/sales-credit-note/{id}/refund/update-status', { headers: auth(), params: path, body: refunded }));

    world.check('get /v1/accounting/sales_credit_note/{id}', await world.api.GET('/v1/accounting/sales_credit_note/{id}', { headers: auth(), params: path }));
    world.check('patch /v1/accounting/sales_credit_note/{id}', await world.api.PATCH('/v1/accounting/sales_credit_note/{id}', { headers: auth(), params: path, body: { custom_fields: {} } }));
    world.check('get /v1/accounting/sales_credit_note/{id}/documents', await world.api.GET('/v1/accounting/sales_credit_note/{id}/documents', { headers: auth(), params: path }));
    const open = await world.api.POST('/v1/accounting/sales_credit_note/{id}/refund/update-status', { headers: auth(), params: path, body: { status: 'OPEN' } });
    world.check('post /v1/accounting/sales_credit_note/{id}/refund/update-status', open);
    expect(open.data).toEqual({ status: 'OPEN' });
  });

  it('works through the sync tasks of a finalized invoice under both prefixes, then writes the ledger id back', async () => {
    const { orderId, chargeId } = await orderWithCharge('CLIENT-SYNC');
    await ok(world.ctx, customer.auth, 'POST', `/v1/orders/order/${orderId}/charges/approval`, { charges: [{ id: chargeId, approval_status: 'APPROVED' }] });
    const draft = await ok(world.ctx, world.admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const invoice = await ok(world.ctx, world.admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-11-30' });

    const tasks = await world.api.GET('/v1/accounting/sync-tasks', { headers: auth(), params: { query: { billing_entity_code: 'WB-BE' } } });
    world.check('get /v1/accounting/sync-tasks', tasks);
    world.check('get /v1/tasks/available-tasks', await world.api.GET('/v1/tasks/available-tasks', { headers: auth() }));
    const id = tasks.data?.tasks[0]?.id ?? '';
    const path = { path: { id } };
    world.check('get /v1/accounting/sync-tasks/{id}', await world.api.GET('/v1/accounting/sync-tasks/{id}', { headers: auth(), params: path }));
    world.check('get /v1/tasks/task/{id}', await world.api.GET('/v1/tasks/task/{id}', { headers: auth(), params: path }));
    const failed: Schemas['TaskUpdateInput'] = { status: 'FAILED', failure: { error_type: 'USER_INPUT_ERROR', error_message: 'Unknown customer in ledger' } };
    world.check('post /v1/accounting/sync-tasks/{id}/update-status', await world.api.POST('/v1/accounting/sync-tasks/{id}/update-status', { headers: auth(), params: path, body: failed }));
    await ok(world.ctx, world.admin.auth, 'POST', `/v1/accounting/sync-tasks/${id}/retry`);
    world.check('post /v1/tasks/task/{id}/update-status', await world.api.POST('/v1/tasks/task/{id}/update-status', { headers: auth(), params: path, body: { status: 'COMPLETED', failure: null } }));

    const writeBack: Schemas['BillingDocumentUpdatePayload'] = {
      updates: [{ sales_invoice: { id: 'LEDGER-991', custom_fields: { journal: 'SALES' }, match: { matches_all: [{ sales_invoice: { name: { matches_any: [invoice.name as string] } } }] } } }],
    };
    const written = await world.api.POST('/v1/webhook/billing-document-update', { headers: world.webhookAuth(), body: writeBack });
    world.check('post /v1/webhook/billing-document-update', written);
    expect((written.data as { updated: string[] }).updated).toEqual([invoice.id]);
  });

  it("reads tax rates and accounts with the contract's filters, and records and lists exchange rates", async () => {
    const filters = { archived: false, billing_entity_code: 'WB-BE' };
    const rates = await world.api.GET('/v1/accounting/tax-rates', { headers: auth(), params: { query: filters } });
    world.check('get /v1/accounting/tax-rates', rates);
    expect(rates.data?.items.map((r) => r.code)).toEqual(['BE21', 'BE6', 'BE21-P']);
    world.check('get /v1/accounting/tax-rates/{id}', await world.api.GET('/v1/accounting/tax-rates/{id}', { headers: auth(), params: { path: { id: seeded.vat21.id as string } } }));
    const accounts = await world.api.GET('/v1/accounting/accounts', { headers: auth(), params: { query: { archived: true } } });
    world.check('get /v1/accounting/accounts', accounts);
    expect(accounts.data?.items).toEqual([]);
    world.check('get /v1/accounting/accounts/{id}', await world.api.GET('/v1/accounting/accounts/{id}', { headers: auth(), params: { path: { id: seeded.account.id as string } } }));

    const rate: Schemas['ExchangeRateInput'] = { exchange_rate: '0.85', inverse_exchange_rate: '1.1765', exchange_rate_date: '2026-11-30', from_currency: 'USD', to_currency: 'EUR' };
    world.check('post /v1/accounting/exchange-rate', await world.api.POST('/v1/accounting/exchange-rate', { headers: auth(), body: rate }));
    await world.api.POST('/v1/accounting/exchange-rate', { headers: auth(), body: { ...rate, from_currency: 'GBP', exchange_rate: '1.15', inverse_exchange_rate: '0.8696' } });
    await world.api.POST('/v1/accounting/exchange-rate', { headers: auth(), body: { ...rate, exchange_rate_date: '2026-10-31' } });
    const query = { from_currency: 'USD', to_currency: 'EUR', 'exchange_rate_date:gte': '2026-11-01', 'exchange_rate_date:lte': '2026-11-30' } as const;
    const listed = await world.api.GET('/v1/accounting/exchange-rate', { headers: auth(), params: { query } });
    world.check('get /v1/accounting/exchange-rate', listed);
    expect(listed.data?.items.map((r) => [r.from_currency, r.exchange_rate_date])).toEqual([['USD', '2026-11-30']]);
  });

  it("receives a subcontractor's e-invoice, then reads, patches and pays the purchase invoice, on both paths", async () => {
    const trip = await subcontractedTrip(world.ctx, world.admin, subco, subcoId, 'CLIENT-EINV', '999.99');
    // The contract's JSON example, sent by the subcontractor who executed the trip it names.
    const body: Schemas['PurchaseEInvoiceInput'] = {
      name: 'INV-2023-001', date: '2026-12-01', due_date: '2026-12-31', invoice_type: 'PURCHASE', currency: 'EUR',
      total_excl_tax: 999.99, total_incl_tax: 1209.99, total_tax: 210.0, custom_fields: { ap_batch: 'B-12' },
      supplier: { name: 'Haulers HAUL BV', vat_number: 'BE0477472701', billing_location: { address: 'Industrieweg 5', city: 'Gent', postal_code: '9000', country: 'BE' } },
      customer_reference_numbers: ['12345'],
      line_items: [{ description: 'International freight transport', amount: 999.99, currency: 'EUR', tax_rate: { percentage: 21.0, name: '21% VAT', tax_type: 'VAT' }, account: { code: '6000' }, references: { order_name: trip.orderName } }],
      attachments: [{ document: { base64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'), content_type: 'application/pdf', document_type: 'INVOICE', filename: 'invoice_123.pdf' } }],
    };
    const received = await world.api.POST('/v1/webhook/e-invoicing', { headers: world.webhookAuth(subco), body });
    world.check('post /v1/webhook/e-invoicing', received);
    const id = (received.data as { id?: string } | undefined)?.id ?? '';
    await ok(world.ctx, world.admin.auth, 'POST', `/v1/accounting/purchase-invoice/${id}/finalize`, {});

    const path = { path: { id } };
    const read = await world.api.GET('/v1/accounting/purchase-invoice/{id}', { headers: auth(), params: path });
    world.check('get /v1/accounting/purchase-invoice/{id}', read);
    expect(read.data).toMatchObject({ external_name: 'INV-2023-001', total_incl_tax: '1209.99' });
    const { date, due_date: due, currency, customer_reference_numbers: refs, custom_fields: fields } = body;
    expect(droppedFields({ date, due_date: due, currency, customer_reference_numbers: refs, custom_fields: fields, line_items: [{ account: { code: '6000' } }] }, read.data)).toEqual([]);
    world.check('patch /v1/accounting/purchase-invoice/{id}', await world.api.PATCH('/v1/accounting/purchase-invoice/{id}', { headers: auth(), params: path, body: { custom_fields: { ledger: 'AP-1' } } }));
    const documents = await world.api.GET('/v1/accounting/purchase-invoice/{id}/documents', { headers: auth(), params: path });
    world.check('get /v1/accounting/purchase-invoice/{id}/documents', documents);
    // The supplier's own file is the invoice: Waybill renders none in its place.
    expect(documents.data?.map((d) => [d.type, d.name])).toEqual([['INVOICE', 'invoice_123.pdf']]);
    const paid: Schemas['PaymentStatusUpdate'] = { status: 'PAID' };
    world.check('post /v1/accounting/purchase-invoice/{id}/payment/update-status', await world.api.POST('/v1/accounting/purchase-invoice/{id}/payment/update-status', { headers: auth(), params: path, body: paid }));

    world.check('get /v1/accounting/purchase_invoice/{id}', await world.api.GET('/v1/accounting/purchase_invoice/{id}', { headers: auth(), params: path }));
    const patched = await world.api.PATCH('/v1/accounting/purchase_invoice/{id}', { headers: auth(), params: path, body: { custom_fields: { ledger: 'AP-2' } } });
    world.check('patch /v1/accounting/purchase_invoice/{id}', patched);
    expect(patched.data?.custom_fields).toEqual({ ap_batch: 'B-12', ledger: 'AP-2' });
    world.check('get /v1/accounting/purchase_invoice/{id}/documents', await world.api.GET('/v1/accounting/purchase_invoice/{id}/documents', { headers: auth(), params: path }));
    const unpaid = await world.api.POST('/v1/accounting/purchase_invoice/{id}/payment/update-status', { headers: auth(), params: path, body: { status: 'UNPAID' } });
    world.check('post /v1/accounting/purchase_invoice/{id}/payment/update-status', unpaid);
    expect(unpaid.data).toEqual({ status: 'UNPAID' });
  });

  it("receives a subcontractor's e-credit note, then reads, patches and refunds the purchase credit note", async () => {
    // The contract's credit-note example: no due date, negative amounts.
    const body: Schemas['PurchaseECreditNoteInput'] = {
      name: 'CN-2023-001', date: '2026-12-02', invoice_type: 'PURCHASE_CREDIT_NOTE', currency: 'EUR',
      total_excl_tax: -200.0, total_incl_tax: -242.0, total_tax: -42.0,
      supplier: { name: 'Haulers HAUL BV', vat_number: 'BE0477472701' },
      customer_reference_numbers: ['12345'],
      line_items: [{ description: null, amount: -200.0, currency: 'EUR', tax_rate: { percentage: 21.0, tax_type: 'VAT' } }],
    };
    const received = await world.api.POST('/v1/webhook/e-invoicing', { headers: world.webhookAuth(subco), body });
    world.check('post /v1/webhook/e-invoicing', received);
    const id = (received.data as { id?: string } | undefined)?.id ?? '';
    // Refunds are reported on finalized documents; finalizing is a Waybill endpoint.
    await ok(world.ctx, world.admin.auth, 'POST', `/v1/accounting/purchase-credit-note/${id}/finalize`, {});
    const path = { path: { id } };
    world.check('get /v1/accounting/purchase-credit-note/{id}', await world.api.GET('/v1/accounting/purchase-credit-note/{id}', { headers: auth(), params: path }));
    world.check('patch /v1/accounting/purchase-credit-note/{id}', await world.api.PATCH('/v1/accounting/purchase-credit-note/{id}', { headers: auth(), params: path, body: { custom_fields: { ledger: 'AP-CN' } } }));
    world.check('get /v1/accounting/purchase-credit-note/{id}/documents', await world.api.GET('/v1/accounting/purchase-credit-note/{id}/documents', { headers: auth(), params: path }));
    const refunded: Schemas['RefundStatusUpdate'] = { status: 'REFUNDED' };
    const refund = await world.api.POST('/v1/accounting/purchase-credit-note/{id}/refund/update-status', { headers: auth(), params: path, body: refunded });
    world.check('post /v1/accounting/purchase-credit-note/{id}/refund/update-status', refund);
    expect(refund.data).toEqual({ status: 'REFUNDED' });
  });

  it('found no mismatch, and reached every contract operation of its area', () => world.expectDriven('accounting'));
});
