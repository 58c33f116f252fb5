import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../src/platform/money.js';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { call, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

let ctx: TestContext;
let admin: Client;
let acmeId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Invoicing carrier');
  await seedBillingEntity(ctx, admin);
  await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'LOW5', name: 'VAT 5%', percentage: '5' });
  acmeId = await newCompany(ctx, admin, {
    name: 'Acme',
    code: 'ACME',
    accounting_code: 'C-ACME',
    vat_number: 'BE0403019261',
    sales: { payment_term: { code: 'NET_30' } },
  });
  // No VAT number: addressed on Peppol by its participant id (a customer with neither cannot be issued an invoice).
  await newCompany(ctx, admin, {
    name: 'Beta',
    code: 'BETA',
    payment_term: { code: 'END_OF_MONTH_0' },
    peppol_id: { scheme: '0208', value: '0477472701' },
    billing_location: { country: 'BE' },
  });
});
afterAll(() => ctx.close());

interface Line {
  id: string;
  code: string;
  amount: string;
  order_id: string;
}

let orderSeq = 0;
/** A new order of the customer with the given charges (approved ones unless said otherwise). */
async function orderWithCharges(customerCode: string, charges: Array<Record<string, unknown>>) {
  const orderId = await newOrder(ctx, admin, `INV-${++orderSeq}`, customerCode);
  for (const charge of charges) await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { tax_rate: { code: 'BE21' }, ...charge });
  return orderId;
}

const draftOf = (orderIds: string[], extra: object = {}) =>
  ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: orderIds, ...extra });
const finalize = (id: string, date = '2026-11-30', kind = 'sales-invoice') => ok(ctx, admin.auth, 'POST', `/v1/accounting/${kind}/${id}/finalize`, { date });

describe('sales invoices from orders', () => {
  let invoice: Awaited<ReturnType<typeof ok>>;
  let orderIds: string[];

  it('drafts the approved charges of one customer’s orders, with totals per line and per tax rate', async () => {
    orderIds = [
      await orderWithCharges('ACME', [
        { code: 'FREIGHT', unit_price: '845.50', account_code: '700000' },
        { code: 'TOLL', quantity: 3, unit_price: '0.335', tax_rate: { code: 'BE6' } },
      ]),
      await orderWithCharges('ACME', [
        { code: 'FREIGHT', unit_price: '120' },
        { code: 'WAIT', unit_price: 40, requires_approval: true },
      ]),
    ];
    invoice = await draftOf(orderIds, { customer_reference_numbers: ['PO-4711'] });
    expectContract('SalesInvoiceOutput', invoice);
    expect(invoice).toMatchObject({
      status: 'DRAFT',
      payment_status: 'UNPAID',
      currency: 'EUR',
      customer: { id: acmeId, code: 'ACME' },
      customer_reference_numbers: ['PO-4711'],
    });
    expect(invoice.name).toMatch(/^DRAFT-/);
    // The charge awaiting approval stays out.
    expect(invoice.line_items.map((l: Line) => [l.code, l.amount, l.order_id])).toEqual([
      ['FREIGHT', '845.50', orderIds[0]],
      ['TOLL', '1.01', orderIds[0]],
      ['FREIGHT', '120.00', orderIds[1]],
    ]);
    expect(invoice.line_items[0]).toMatchObject({ account: { code: '700000' }, tax_rate: { code: 'BE21', percentage: 21 } });
    expect(invoice.tax_subtotals).toEqual([
      { tax_rate_code: 'BE21', percentage: '21', taxable_amount: '965.50', tax_amount: '202.76' },
      { tax_rate_code: 'BE6', percentage: '6', taxable_amount: '1.01', tax_amount: '0.06' },
    ]);
    expect(invoice).toMatchObject({ total_excl_tax: '966.51', total_tax: '202.82', total_incl_tax: '1169.33' });
    const charges = await ok(ctx, admin.auth, 'GET', `/v1/orders/order/${orderIds[0]}/charges`);
    expect(charges.charges.map((c: { status: string; invoice_id: string }) => [c.status, c.invoice_id])).toEqual([
      ['INVOICED', invoice.id],
      ['INVOICED', invoice.id],
    ]);
    // Nothing approved is left on the first order; an invoiced charge no longer changes.
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderIds[0]] }), 409);
    expectError(await call(ctx, admin.auth, 'PATCH', `/v1/orders/order/${orderIds[0]}/charges/${charges.charges[0].id}`, { unit_price: 1 }), 409);
  });

  it('finalizes: number, date, due date from the payment term, a sync task, then immutable', async () => {
    const final = await finalize(invoice.id);
    expectContract('SalesInvoiceOutput', final);
    expect(final).toMatchObject({ name: 'INV-WB-BE-2026-00001', date: '2026-11-30', due_date: '2026-12-30', status: 'INVOICED', total_incl_tax: '1169.33' });
    const rows = await ctx.services.db.selectFrom('sync_tasks').selectAll().where('document_id', '=', invoice.id).execute();
    expect(rows.map((r) => [r.task_type, r.status])).toEqual([['POST_INVOICE', 'TODO']]);

    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/finalize`, {}), 409);
    expectError(await call(ctx, admin.auth, 'DELETE', `/v1/accounting/sales-invoice/${invoice.id}`), 409);
    const patched = await ok(ctx, admin.auth, 'PATCH', `/v1/accounting/sales-invoice/${invoice.id}`, { custom_fields: { ledger: 'JNL-1' } });
    expect(patched.custom_fields).toEqual({ ledger: 'JNL-1' });
    const again = await ok(ctx, admin.auth, 'PATCH', `/v1/accounting/sales_invoice/${invoice.id}`, { custom_fields: { batch: 7 } });
    expect(again.custom_fields).toEqual({ ledger: 'JNL-1', batch: 7 });
    const got = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}`);
    expect({ ...got, custom_fields: null, updated_at: null }).toEqual({ ...final, custom_fields: null, updated_at: null });
    expect(await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales_invoice/${invoice.id}`)).toEqual(got);
    expect(await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}/documents`)).toEqual(expect.any(Array));
    invoice = got;
  });

  it('records payment on finalized invoices only, through both paths', async () => {
    expect(await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/payment/update-status`, { status: 'PAID' })).toEqual({
      status: 'PAID',
    });
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}`)).payment_status).toBe('PAID');
    expect(await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales_invoice/${invoice.id}/payment/update-status`, { status: 'UNPAID' })).toEqual({
      status: 'UNPAID',
    });
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/payment/update-status`, { status: 'REFUNDED' }), 400);
    const draft = await draftOf([await orderWithCharges('ACME', [{ code: 'X', unit_price: 1 }])]);
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/payment/update-status`, { status: 'PAID' }), 409);
    // Deleting the draft frees its charges for the next invoice.
    expect((await call(ctx, admin.auth, 'DELETE', `/v1/accounting/sales-invoice/${draft.id}`)).status).toBe(204);
    expectError(await call(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${draft.id}`), 404);
    const redraft = await draftOf([draft.line_items[0].order_id]);
    expect(redraft.total_excl_tax).toBe('1.00');
  });

  it('numbers per billing entity and year without gaps, also when finalizing in parallel', async () => {
    const drafts = await Promise.all(
      Array.from({ length: 6 }, async () => (await draftOf([await orderWithCharges('BETA', [{ code: 'F', unit_price: 10 }])])).id),
    );
    const results = await Promise.all(drafts.map((id) => call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${id}/finalize`, { date: '2026-11-30' })));
    expect(results.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const names = results.map((r) => r.body.name as string).sort();
    expect(names).toEqual(['00002', '00003', '00004', '00005', '00006', '00007'].map((n) => `INV-WB-BE-2026-${n}`));
    // END_OF_MONTH_0: the end of the invoice's month.
    expect(results[0]?.body.due_date).toBe('2026-11-30');
    // A new year starts the series again.
    const next = await draftOf([await orderWithCharges('BETA', [{ code: 'F', unit_price: 10 }])]);
    expect((await finalize(next.id, '2027-01-04')).name).toBe('INV-WB-BE-2027-00001');
  });

  it('refuses orders of several customers, unknown orders and bad input', async () => {
    const a = await orderWithCharges('ACME', [{ code: 'F', unit_price: 1 }]);
    const b = await orderWithCharges('BETA', [{ code: 'F', unit_price: 1 }]);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [a, b] }), 400);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: ['00000000-0000-4000-8000-000000000000'] }), 404);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [] }), 400);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [a, a] }), 400);
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/finalize`, { date: '30/11/2026' }), 400);
    expectError(await call(ctx, admin.auth, 'GET', '/v1/accounting/sales-invoice/not-a-uuid'), 400);
  });
});

describe('credit notes', () => {
  async function finalizedInvoice(charges: Array<Record<string, unknown>>) {
    const draft = await draftOf([await orderWithCharges('ACME', charges)]);
    return finalize(draft.id);
  }

  it('credits in part, then the rest, never more than the invoice', async () => {
    const invoice = await finalizedInvoice([
      { code: 'F', unit_price: '200' },
      { code: 'T', unit_price: '50', tax_rate: { code: 'BE6' } },
    ]);
    const [freight, toll] = invoice.line_items;
    const part = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, { lines: [{ line_id: freight.id, amount: '100.00' }] });
    expectContract('SalesCreditNoteOutput', part);
    expect(part).toMatchObject({
      status: 'DRAFT',
      refund_status: 'OPEN',
      total_excl_tax: '100.00',
      total_tax: '21.00',
      credited_invoice: { id: invoice.id, name: invoice.name },
    });
    expect(part.line_items[0]).toMatchObject({ is_credit_charge: true, invoice_name: invoice.name, amount: '100.00' });

    const over = await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {
      lines: [{ line_id: freight.id, amount: '100.01' }],
    });
    expectError(over, 400);
    expect(over.body.errors[0]).toMatchObject({ field: 'amount', path: 'lines[0].amount' });
    expectError(
      await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, { lines: [{ line_id: toll.id, amount: '0.001' }] }),
      400,
    );
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, { lines: [{ line_id: toll.id, amount: '-5' }] }), 400);
    expectError(
      await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, { lines: [{ line_id: part.line_items[0].id, amount: '1' }] }),
      400,
    );

    const rest = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {});
    expect(rest.line_items.map((l: Line) => [l.code, l.amount])).toEqual([
      ['F', '100.00'],
      ['T', '50.00'],
    ]);
    const sumOf = (field: string) => new Dec(part[field]).plus(rest[field]).toFixed(2);
    expect([sumOf('total_excl_tax'), sumOf('total_tax'), sumOf('total_incl_tax')]).toEqual([invoice.total_excl_tax, invoice.total_tax, invoice.total_incl_tax]);
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {}), 409);

    const final = await finalize(rest.id, '2026-11-30', 'sales-credit-note');
    expectContract('SalesCreditNoteOutput', final);
    expect(final).toMatchObject({ name: 'CN-WB-BE-2026-00001', status: 'INVOICED' });
    expect(await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales_credit_note/${rest.id}`)).toEqual(final);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}`)).credit_note_ids).toEqual([part.id, rest.id]);
    expect(await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${rest.id}/refund/update-status`, { status: 'REFUNDED' })).toEqual({
      status: 'REFUNDED',
    });
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-credit-note/${rest.id}`)).refund_status).toBe('REFUNDED');
  });

  it("gives each credit note the tax of its own base × rate (EN 16931 BR-CO-17), even when the parts round up past the invoice's tax", async () => {
    // 3 × 0.10 at 5 %: the invoice's tax is round(0.015) = 0.02; each line alone is round(0.005) = 0.01.
    // A note's VAT must equal its base × rate for a buyer's system to accept it, so the three notes
    // give back 0.03: capping the last at 0.00 would make an invalid credit note.
    const invoice = await finalizedInvoice([1, 2, 3].map((i) => ({ code: `L${i}`, unit_price: '0.10', tax_rate: { code: 'LOW5' } })));
    expect(invoice.total_tax).toBe('0.02');
    const notes = [];
    for (const line of invoice.line_items)
      notes.push(await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, { lines: [{ line_id: line.id, amount: '0.10' }] }));
    expect(notes.map((n) => n.total_tax)).toEqual(['0.01', '0.01', '0.01']);
    expect(notes.map((n) => n.total_incl_tax)).toEqual(['0.11', '0.11', '0.11']);
  });

  it('refuses to credit a draft and concurrent credits cannot exceed the invoice', async () => {
    const draft = await draftOf([await orderWithCharges('ACME', [{ code: 'F', unit_price: 10 }])]);
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/credit`, {}), 409);
    const invoice = await finalize(draft.id);
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, { lines: [{ line_id: invoice.line_items[0].id, amount: '6' }] }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });
});

describe('documents from an accounting package', () => {
  it('records an invoice and a credit note as posted, numbered in the series', async () => {
    const body = {
      date: '2026-12-02',
      currency: 'EUR',
      customer: { accounting_code: 'C-ACME' },
      charges: [{ amount_excl_tax: '120.00', price_list_item: { code: 'STORAGE' }, tax_rate: { code: 'BE21' }, name: 'Storage November' }],
    };
    const invoice = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', body);
    expectContract('SalesInvoiceOutput', invoice);
    expect(invoice).toMatchObject({
      status: 'INVOICE_POSTED',
      date: '2026-12-02',
      due_date: '2027-01-01',
      total_tax: '25.20',
      total_incl_tax: '145.20',
      customer: { id: acmeId },
    });
    expect(invoice.name).toMatch(/^INV-WB-BE-2026-\d{5}$/);
    expect(await ctx.services.db.selectFrom('sync_tasks').select('id').where('document_id', '=', invoice.id).execute()).toEqual([]);
    const note = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-credit-note/', { ...body, customer: { id: acmeId } });
    expectContract('SalesCreditNoteOutput', note);
    expect(note).toMatchObject({ status: 'POSTED', credited_invoice: null });
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', { ...body, customer: { accounting_code: 'NOPE' } }), 400);
    expectError(
      await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', {
        ...body,
        charges: [{ amount_excl_tax: '1e2', price_list_item: { code: 'X' }, tax_rate: { code: 'BE21' } }],
      }),
      400,
    );
    expectError(
      await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', { ...body, charges: [{ amount_excl_tax: 1, price_list_item: { code: 'X' } }] }),
      400,
    );
  });
});

describe('number series date order', () => {
  const newDraft = async () => (await draftOf([await orderWithCharges('BETA', [{ code: 'F', unit_price: 10 }])])).id as string;

  it('refuses a date before the previous number’s, naming it, and gives the number back', async () => {
    expect((await finalize(await newDraft(), '2028-03-10')).name).toBe('INV-WB-BE-2028-00001');
    const late = await newDraft();
    const refused = await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${late}/finalize`, { date: '2028-03-09' });
    expectError(refused, 409);
    expect(refused.body.message).toContain('INV-WB-BE-2028-00001 is dated 2028-03-10');
    expect(refused.body.errors[0]).toMatchObject({ field: 'date' });
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${late}`)).status).toBe('DRAFT');
    // The same day is fine, and the refused attempt left no gap.
    expect((await finalize(late, '2028-03-10')).name).toBe('INV-WB-BE-2028-00002');
    // Documents an accounting package sends join the same series under the same rule.
    const external = {
      date: '2028-03-01',
      currency: 'EUR',
      customer: { accounting_code: 'C-ACME' },
      charges: [{ amount_excl_tax: '5.00', price_list_item: { code: 'X' }, tax_rate: { code: 'BE21' } }],
    };
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', external), 409);
    expect((await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/', { ...external, date: '2028-03-11' })).name).toBe('INV-WB-BE-2028-00003');
    // Other series (credit notes, other years) keep their own order.
    expect((await finalize(await newDraft(), '2029-01-02')).name).toBe('INV-WB-BE-2029-00001');
  });

  it('stays gap-free with dates in order when finalizations with different dates race', async () => {
    const dates = ['2030-05-04', '2030-05-01', '2030-05-06', '2030-05-02', '2030-05-05', '2030-05-03'];
    const drafts = await Promise.all(dates.map(() => newDraft()));
    const results = await Promise.all(drafts.map((id, i) => call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${id}/finalize`, { date: dates[i] })));
    for (const r of results) expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
    const done = results
      .filter((r) => r.status === 200)
      .map((r) => r.body as { name: string; date: string })
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(done.map((d) => d.name)).toEqual(done.map((_, i) => `INV-WB-BE-2030-${String(i + 1).padStart(5, '0')}`));
    expect(done.map((d) => d.date)).toEqual(done.map((d) => d.date).sort());
  });
});

describe('isolation', () => {
  it('hides invoices from other tenants, lets the invoiced customer only read, and refuses subcontractor clients', async () => {
    const invoice = await finalize((await draftOf([await orderWithCharges('ACME', [{ code: 'F', unit_price: 1 }])])).id, '2026-12-31');
    const other = await newTenant(ctx, 'Other carrier');
    for (const url of [
      `/v1/accounting/sales-invoice/${invoice.id}`,
      `/v1/accounting/sales_invoice/${invoice.id}`,
      `/v1/accounting/sales-invoice/${invoice.id}/documents`,
    ]) {
      expectError(await call(ctx, other.auth, 'GET', url), 404);
    }
    expectError(await call(ctx, other.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/payment/update-status`, { status: 'PAID' }), 404);
    expectError(await call(ctx, other.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {}), 404);
    expectError(await call(ctx, other.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [invoice.line_items[0].order_id] }), 404);
    // The invoiced customer reads its own issued invoice (the portal's invoices) but changes nothing;
    // a subcontractor gets no sales invoice at all.
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: acmeId });
    expect((await call(ctx, customer.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}`)).status).toBe(200);
    expectError(await call(ctx, subco.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}`), 403);
    for (const client of [customer, subco]) {
      expectError(await call(ctx, client.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/finalize`, {}), 403);
    }
  });
});
