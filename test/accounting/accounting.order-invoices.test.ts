import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { haveAllRules, NO_FAILURES, ublRuleFailures } from '../support/ubl-rules.js';
import { realisticOrder } from '../orders/orders.fixtures.js';
import { ok, seedBillingEntity, seedDutchCustomer } from './accounting.fixtures.js';

/**
 * Invoices made from orders, as an accountant files them: the date of supply (or invoicing period)
 * comes from the orders' delivery days, and line discounts are line allowances (EN 16931 BG-27);
 * every UBL is checked with the UBL 2.1 XSD, the EN 16931 rules and Peppol BIS Billing 3.0.
 */
let ctx: TestContext;
let admin: Client;
let seq = 0;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Supplying carrier');
  await seedBillingEntity(ctx, admin);
  await seedDutchCustomer(ctx, admin);
}, 600_000);
afterAll(() => ctx.close());

/** An order of the realistic shape whose deliveries fall on these days; its one FREIGHT charge. */
async function order(deliveryDays: [string, string], charge: Record<string, unknown> = { unit_price: '500.00' }) {
  const base = realisticOrder(`SUP-${++seq}`, { customer: { code: 'NL' } });
  const consignments = (base.consignments as Array<Record<string, Record<string, unknown>>>).map((c, i) => ({
    ...c,
    delivery_stop: { ...c.delivery_stop, date: deliveryDays[i] },
  }));
  const created = await ok(ctx, admin.auth, 'POST', '/v1/orders/order/upload', { ...base, consignments });
  expect(created.upload_status).toBe('COMPLETED');
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${created.order_id}/charges`, {
    code: 'FREIGHT',
    name: 'Freight',
    tax_rate: { code: 'BE21' },
    ...charge,
  });
  return created.order_id as string;
}

async function invoice(orderIds: string[], date = '2026-12-20') {
  const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: orderIds });
  return ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date });
}

async function ubl(kind: string, id: string) {
  const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/${kind}/${id}/documents`)) as Array<{ type: string; download_url: string }>;
  const file = files.find((f) => f.type.endsWith('_UBL'));
  const res = await ctx.app.inject({ url: file?.download_url as string, headers: { authorization: admin.auth } });
  expect(res.statusCode).toBe(200);
  return res.body;
}
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] as string);

describe.skipIf(!haveAllRules)('the date of supply comes from the orders invoiced', { timeout: 600_000 }, () => {
  it('one order: its last delivery day is the date of supply (BT-72), not the issue date', async () => {
    const issued = await invoice([await order(['2026-12-02', '2026-12-04'])]);
    expectContract('SalesInvoiceOutput', issued);
    expect(issued).toMatchObject({ date: '2026-12-20', supply_period: { start_date: '2026-12-04', end_date: '2026-12-04' } });
    const xml = await ubl('sales-invoice', issued.id);
    expect(all(xml, 'cbc:ActualDeliveryDate')).toEqual(['2026-12-04']);
    expect(xml).not.toContain('InvoicePeriod');
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });

  it('orders delivered on several days: the invoicing period from the first to the last (BG-14), on the credit note too', async () => {
    const orders = [await order(['2026-11-24', '2026-11-25']), await order(['2026-12-01', '2026-12-03'])];
    const issued = await invoice(orders);
    expect(issued.supply_period).toEqual({ start_date: '2026-11-25', end_date: '2026-12-03' });
    const xml = await ubl('sales-invoice', issued.id);
    expect(all(xml, 'cbc:StartDate')).toEqual(['2026-11-25']);
    expect(all(xml, 'cbc:EndDate')).toEqual(['2026-12-03']);
    expect(all(xml, 'cbc:ActualDeliveryDate')).toEqual([]);
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);

    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${issued.id}/credit`, {});
    const credited = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${note.id}/finalize`, { date: '2026-12-21' });
    expect(credited.supply_period).toEqual({ start_date: '2026-11-25', end_date: '2026-12-03' });
    const noteXml = await ubl('sales-credit-note', credited.id);
    expect(all(noteXml, 'cbc:StartDate')).toEqual(['2026-11-25']);
    expect(await ublRuleFailures(noteXml)).toEqual(NO_FAILURES);
  });
});

describe.skipIf(!haveAllRules)('a discount on a charge is a line allowance (EN 16931 BG-27)', { timeout: 600_000 }, () => {
  it('nets the line, keeps the gross price, and totals, UBL and credit note agree', async () => {
    const orderId = await order(['2026-12-02', '2026-12-02'], {
      quantity: 3,
      unit_price: '120.00',
      discount_percentage: '12.5',
      discount_reason: 'Volume discount',
    });
    const charges = `/v1/orders/order/${orderId}/charges`;
    await ok(ctx, admin.auth, 'POST', charges, { code: 'WAITING', name: 'Waiting time', unit_price: '80.00', tax_rate: { code: 'BE21' } });
    await ok(ctx, admin.auth, 'POST', charges, {
      code: 'PALLETS',
      name: 'Pallet exchange',
      quantity: 2,
      unit_price: '33.33',
      discount_percentage: 10,
      tax_rate: { code: 'BE6' },
    });
    const listed = (await ok(ctx, admin.auth, 'GET', charges)).charges as Array<Record<string, unknown>>;
    for (const c of listed) expectContract('ChargeWithApprovalOutput', c);
    expect(listed.map((c) => [c.amount_excl_tax, c.discount_percentage])).toEqual([
      ['315.00', '12.5'],
      ['80.00', null],
      ['59.99', '10'],
    ]);

    const issued = await invoice([orderId]);
    expectContract('SalesInvoiceOutput', issued);
    // 21 %: 315.00 + 80.00 = 395.00 → 82.95; 6 %: 66.66 less 6.67 = 59.99 → 3.60.
    expect(issued).toMatchObject({ total_excl_tax: '454.99', total_tax: '86.55', total_incl_tax: '541.54' });
    expect(issued.line_items.map((l: { amount: string; unit_price: string }) => [l.amount, l.unit_price])).toEqual([
      ['315.00', '120'],
      ['80.00', '80'],
      ['59.99', '33.33'],
    ]);
    expect(issued.line_items[0].allowance).toEqual({ percentage: '12.5', base_amount: '360.00', amount: '45.00', reason: 'Volume discount' });
    expect(issued.line_items[1].allowance).toBeNull();

    const xml = await ubl('sales-invoice', issued.id);
    expect(all(xml, 'cbc:LineExtensionAmount')).toEqual(['454.99', '315.00', '80.00', '59.99']);
    expect(all(xml, 'cbc:MultiplierFactorNumeric')).toEqual(['12.5', '10']);
    expect(all(xml, 'cbc:BaseAmount')).toEqual(['360.00', '66.66']);
    expect(all(xml, 'cbc:AllowanceChargeReason')).toEqual(['Volume discount', 'Discount']);
    expect(all(xml, 'cbc:PriceAmount')).toEqual(['120', '80', '33.33']);
    expect(xml).not.toContain('AllowanceTotalAmount');
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);

    // Crediting all that is left gives the allowances back too: the note equals the invoice.
    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${issued.id}/credit`, {});
    const credited = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${note.id}/finalize`, { date: '2026-12-21' });
    expect(credited).toMatchObject({ total_excl_tax: '454.99', total_tax: '86.55', total_incl_tax: '541.54' });
    const noteXml = await ubl('sales-credit-note', credited.id);
    expect(all(noteXml, 'cbc:MultiplierFactorNumeric')).toEqual(['12.5', '10']);
    expect(await ublRuleFailures(noteXml)).toEqual(NO_FAILURES);
  });

  it('refuses a discount outside 0–100 % or on a negative price', async () => {
    const orderId = await order(['2026-12-02', '2026-12-02']);
    const charges = `/v1/orders/order/${orderId}/charges`;
    for (const body of [
      { code: 'X', unit_price: '10.00', discount_percentage: '150', tax_rate: { code: 'BE21' } },
      { code: 'X', unit_price: '10.00', discount_percentage: 0, tax_rate: { code: 'BE21' } },
      { code: 'X', unit_price: '-10.00', discount_percentage: '5', tax_rate: { code: 'BE21' } },
    ]) {
      const res = await ctx.app.inject({ method: 'POST', url: charges, headers: { authorization: admin.auth }, payload: body });
      expect(res.statusCode, res.body).toBe(400);
      expectContract('ValidationErrorResponse', res.json());
    }
  });
});
