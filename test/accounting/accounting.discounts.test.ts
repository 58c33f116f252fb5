import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../src/platform/money.js';
import { createTestApp, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { haveAllRules, NO_FAILURES, ublRuleFailures } from '../support/ubl-rules.js';
import { call, issuedUbl, newOrder, ok, seedBillingEntity, seedDutchCustomer } from './accounting.fixtures.js';

/**
 * A discount given as an amount (issue 17), beside the percentage the charge API took before:
 * carried through the charge, the invoice's totals, its UBL line allowance (amount only, which
 * keeps the XSD, EN 16931 and Peppol rules), "credit all that is left", and currency conversion.
 */
let ctx: TestContext;
let admin: Client;
let seq = 0;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Discount carrier');
  await seedBillingEntity(ctx, admin);
  await seedDutchCustomer(ctx, admin, 'Łódź Trading');
}, 300_000);
afterAll(() => ctx.close());

const charges = (orderId: string) => `/v1/orders/order/${orderId}/charges`;
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}[ >][^<]*`, 'g'))].map((m) => m[0].slice(m[0].indexOf('>') + 1));

const ubl = (kind: string, id: string) => issuedUbl(ctx, admin.auth, kind, id);

describe('a discount as an amount on a charge', () => {
  let orderId: string;
  beforeAll(async () => {
    orderId = await newOrder(ctx, admin, `DISC-${++seq}`, 'NL');
  });

  it('nets the charge and says so, beside a percentage discount on another charge', async () => {
    const byAmount = await ok(ctx, admin.auth, 'POST', charges(orderId), {
      code: 'FREIGHT',
      name: 'Freight',
      quantity: 3,
      unit_price: '120.00',
      discount_amount: '30',
      discount_reason: 'Loyalty',
      tax_rate: { code: 'BE21' },
    });
    expectContract('ChargeWithApprovalOutput', byAmount);
    expect(byAmount).toMatchObject({ amount_excl_tax: '330.00', discount_amount: '30.00', discount_percentage: null, discount_reason: 'Loyalty' });
    await ok(ctx, admin.auth, 'POST', charges(orderId), { code: 'WAITING', name: 'Waiting time', unit_price: '80.00', tax_rate: { code: 'BE21' } });
    const byPercentage = await ok(ctx, admin.auth, 'POST', charges(orderId), {
      code: 'PALLETS',
      name: 'Pallet exchange',
      quantity: 2,
      unit_price: '33.33',
      discount_percentage: 10,
      tax_rate: { code: 'BE6' },
    });
    expect(byPercentage).toMatchObject({ amount_excl_tax: '59.99', discount_amount: null, discount_percentage: '10' });
  });

  it('refuses two discounts at once, more than the charge, more decimals than the currency, a negative price', async () => {
    const base = { code: 'X', unit_price: '10.00', tax_rate: { code: 'BE21' } };
    for (const [body, field] of [
      [{ ...base, discount_amount: '1', discount_percentage: '5' }, 'discount_amount'],
      [{ ...base, quantity: 2, discount_amount: '20.01' }, 'discount_amount'],
      [{ ...base, discount_amount: '1.005' }, 'discount_amount'],
      [{ ...base, unit_price: '-10.00', discount_amount: '1' }, 'discount_amount'],
      [{ ...base, discount_amount: '0' }, 'discount_amount'],
      [{ ...base, discount_amount: '-5' }, 'discount_amount'],
    ] as const) {
      const res = await call(ctx, admin.auth, 'POST', charges(orderId), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectContract('ValidationErrorResponse', res.body);
      expect(JSON.stringify(res.body.errors)).toContain(field);
    }
    // The whole charge may be given away.
    const free = await ok(ctx, admin.auth, 'POST', charges(orderId), { ...base, quantity: 2, discount_amount: '20' });
    expect(free.amount_excl_tax).toBe('0.00');
    expect((await call(ctx, admin.auth, 'DELETE', `${charges(orderId)}/${free.id}`)).status).toBe(204);
  });

  it('switches between a percentage and an amount: setting one clears the other, and a price cut below the discount is refused', async () => {
    const charge = await ok(ctx, admin.auth, 'POST', charges(orderId), {
      code: 'SWITCH',
      unit_price: '50.00',
      discount_percentage: 20,
      tax_rate: { code: 'BE21' },
    });
    const url = `${charges(orderId)}/${charge.id}`;
    const toAmount = await ok(ctx, admin.auth, 'PATCH', url, { discount_amount: '7.50', discount_reason: 'Goodwill' });
    expect(toAmount).toMatchObject({ discount_percentage: null, discount_amount: '7.50', amount_excl_tax: '42.50', discount_reason: 'Goodwill' });
    const tooCheap = await call(ctx, admin.auth, 'PATCH', url, { unit_price: '5.00' });
    expect(tooCheap.status).toBe(400);
    expect(JSON.stringify(tooCheap.body.errors)).toContain('discount_amount');
    const toPercentage = await ok(ctx, admin.auth, 'PATCH', url, { discount_percentage: '5' });
    expect(toPercentage).toMatchObject({ discount_percentage: '5', discount_amount: null, amount_excl_tax: '47.50', discount_reason: 'Goodwill' });
    const none = await ok(ctx, admin.auth, 'PATCH', url, { discount_percentage: null });
    expect(none).toMatchObject({ discount_percentage: null, discount_amount: null, discount_reason: null, amount_excl_tax: '50.00' });
    expect((await call(ctx, admin.auth, 'DELETE', url)).status).toBe(204);
  });

  describe.skipIf(!haveAllRules)('on the invoice', { timeout: 600_000 }, () => {
    let issued: Record<string, unknown> & { id: string; name: string; line_items: Array<Record<string, unknown>> };

    it('is a line allowance of that amount: totals, the answer and a UBL that keeps the three rule sets', async () => {
      const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
      issued = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
      expectContract('SalesInvoiceOutput', issued);
      // 21 %: 330.00 + 80.00 = 410.00 → 86.10; 6 %: 66.66 less 6.67 = 59.99 → 3.60.
      expect(issued).toMatchObject({ total_excl_tax: '469.99', total_tax: '89.70', total_incl_tax: '559.69' });
      expect(issued.line_items.map((l) => [l.amount, l.unit_price])).toEqual([
        ['330.00', '120'],
        ['80.00', '80'],
        ['59.99', '33.33'],
      ]);
      expect(issued.line_items[0]?.allowance).toEqual({ percentage: null, base_amount: '360.00', amount: '30.00', reason: 'Loyalty' });
      expect(issued.line_items[2]?.allowance).toMatchObject({ percentage: '10', amount: '6.67' });

      const xml = await ubl('sales-invoice', issued.id);
      expect(all(xml, 'cbc:LineExtensionAmount')).toEqual(['469.99', '330.00', '80.00', '59.99']);
      // The amount alone for the amount; percentage and base only for the percentage.
      expect(all(xml, 'cbc:Amount')).toEqual(['30.00', '6.67']);
      expect(all(xml, 'cbc:MultiplierFactorNumeric')).toEqual(['10']);
      expect(all(xml, 'cbc:BaseAmount')).toEqual(['66.66']);
      expect(all(xml, 'cbc:AllowanceChargeReason')).toEqual(['Loyalty', 'Discount']);
      expect(all(xml, 'cbc:PriceAmount')).toEqual(['120', '80', '33.33']);
      expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
    });

    it('"credit all that is left" gives the amount back too: the note equals the invoice, its VAT base × rate', async () => {
      const draft = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${issued.id}/credit`, {});
      const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${draft.id}/finalize`, { date: '2026-12-02' });
      expectContract('SalesCreditNoteOutput', note);
      expect(note).toMatchObject({ total_excl_tax: '469.99', total_tax: '89.70', total_incl_tax: '559.69' });
      expect(note.line_items[0].allowance).toEqual({ percentage: null, base_amount: '360.00', amount: '30.00', reason: 'Loyalty' });
      for (const s of note.tax_subtotals) expect(new Dec(s.taxable_amount).times(s.percentage).dividedBy(100).toFixed(2)).toBe(s.tax_amount);
      const xml = await ubl('sales-credit-note', note.id);
      expect(all(xml, 'cbc:Amount')).toEqual(['30.00', '6.67']);
      expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
      // Nothing is left to credit.
      expect((await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${issued.id}/credit`, {})).status).toBe(409);
    });

    it('a part of a discounted line is credited net, without the allowance', async () => {
      const orderId2 = await newOrder(ctx, admin, `DISC-${++seq}`, 'NL');
      await ok(ctx, admin.auth, 'POST', charges(orderId2), { code: 'FREIGHT', unit_price: '200.00', discount_amount: '15.25', tax_rate: { code: 'BE21' } });
      const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId2] });
      const invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-02' });
      expect(invoice).toMatchObject({ total_excl_tax: '184.75', total_tax: '38.80' });
      const part = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {
        lines: [{ line_id: invoice.line_items[0].id, amount: '100.00' }],
      });
      expect(part.line_items[0]).toMatchObject({ amount: '100.00', allowance: null });
      const rest = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {});
      expect(rest).toMatchObject({ total_excl_tax: '84.75' });
      const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${rest.id}/finalize`, { date: '2026-12-03' });
      expect(await ublRuleFailures(await ubl('sales-credit-note', final.id))).toEqual(NO_FAILURES);
    });

    it('in another currency: converted with the price when drafted, and again at the rate of the invoice date', async () => {
      const rate = (day: string, value: string, inverse: string) =>
        ok(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', {
          from_currency: 'USD',
          to_currency: 'EUR',
          exchange_rate_date: day,
          exchange_rate: value,
          inverse_exchange_rate: inverse,
        });
      await rate('2026-11-01', '0.9', '1.111111111111');
      await rate('2026-12-03', '0.8', '1.25');
      const orderId3 = await newOrder(ctx, admin, `DISC-${++seq}`, 'NL');
      const charge = await ok(ctx, admin.auth, 'POST', charges(orderId3), {
        code: 'FREIGHT',
        name: 'Freight (USD)',
        quantity: 2,
        unit_price: '500.00',
        currency: 'USD',
        discount_amount: '25',
        tax_rate: { code: 'BE21' },
      });
      expect(charge).toMatchObject({ currency: 'USD', amount_excl_tax: '975.00', discount_amount: '25.00' });
      // Drafted today: the rate of 2026-12-03 (0.8): 2 × 400.00 = 800.00 less 20.00.
      const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId3] });
      expect(draft.line_items[0]).toMatchObject({ unit_price: '400', amount: '780.00', allowance: { percentage: null, amount: '20.00' } });
      expect(draft).toMatchObject({ total_excl_tax: '780.00', total_tax: '163.80' });
      // Dated 2026-12-02 (the series' last date so far): the rate of 2026-11-01 (0.9): 2 × 450.00 = 900.00 less 22.50.
      const invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-02' });
      expect(invoice.line_items[0]).toMatchObject({
        unit_price: '450',
        amount: '877.50',
        allowance: { percentage: null, base_amount: '900.00', amount: '22.50' },
        converted_from: { currency: 'USD', unit_price: '500', exchange_rate: '0.9' },
      });
      expect(invoice).toMatchObject({ total_excl_tax: '877.50', total_tax: '184.28', total_incl_tax: '1061.78' });
      const xml = await ubl('sales-invoice', invoice.id);
      expect(all(xml, 'cbc:Amount')).toEqual(['22.50']);
      expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
      // Credited in full, the converted discount comes back as it was invoiced.
      const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/credit`, {});
      expect(note).toMatchObject({ total_excl_tax: '877.50', total_tax: '184.28' });
      expect(note.line_items[0].allowance).toMatchObject({ amount: '22.50' });
    });
  });
});
