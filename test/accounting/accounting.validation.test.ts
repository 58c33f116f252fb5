import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { call, ENTITY, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

/**
 * The rules the accounting tables CHECK are stated in the request schemas: breaking one is a 400
 * from validation naming the field (its `detail.keyword` says which schema rule), never a database
 * refusal mapped afterwards.
 */
let ctx: TestContext;
let admin: Client;
let orderId: string;
let chargeId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Validation carrier');
  await seedBillingEntity(ctx, admin);
  await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
  orderId = await newOrder(ctx, admin, 'VAL-1', 'ACME');
  chargeId = (await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'F', unit_price: 10, tax_rate: { code: 'BE21' } })).id;
});
afterAll(() => ctx.close());

const charge = { code: 'F', unit_price: '10', tax_rate: { code: 'BE21' } };
const rate = { exchange_rate: '0.8573', inverse_exchange_rate: '1.1665', exchange_rate_date: '2026-11-30', from_currency: 'EUR', to_currency: 'GBP' };
const taxRate = { code: 'T', name: 'T', percentage: '21' };

type BadInput = [why: string, method: 'POST' | 'PATCH', url: () => string, body: object, path: string];

describe('schemas state the table rules', () => {
  it.each<BadInput>([
    ['a zero quantity', 'POST', () => `/v1/orders/order/${orderId}/charges`, { ...charge, quantity: '0' }, 'body.quantity'],
    ['a zero quantity as a number', 'POST', () => `/v1/orders/order/${orderId}/charges`, { ...charge, quantity: 0 }, 'body.quantity'],
    ['a negative quantity', 'POST', () => `/v1/orders/order/${orderId}/charges`, { ...charge, quantity: '-2' }, 'body.quantity'],
    ['a quantity with 7 decimals', 'POST', () => `/v1/orders/order/${orderId}/charges`, { ...charge, quantity: '1.0000001' }, 'body.quantity'],
    ['a unit price with 7 decimals', 'POST', () => `/v1/orders/order/${orderId}/charges`, { ...charge, unit_price: '0.0000001' }, 'body.unit_price'],
    ['a zero quantity in a change', 'PATCH', () => `/v1/orders/order/${orderId}/charges/${chargeId}`, { quantity: '0.000' }, 'body.quantity'],
    ['a zero exchange rate', 'POST', () => '/v1/accounting/exchange-rate', { ...rate, exchange_rate: '0' }, 'body.exchange_rate'],
    ['a zero exchange rate as a number', 'POST', () => '/v1/accounting/exchange-rate', { ...rate, exchange_rate: 0 }, 'body.exchange_rate'],
    [
      'a zero inverse rate with decimals',
      'POST',
      () => '/v1/accounting/exchange-rate',
      { ...rate, inverse_exchange_rate: '0.000000' },
      'body.inverse_exchange_rate',
    ],
    ['a negative exchange rate', 'POST', () => '/v1/accounting/exchange-rate', { ...rate, exchange_rate: '-1.2' }, 'body.exchange_rate'],
    ['an exchange rate with 13 decimals', 'POST', () => '/v1/accounting/exchange-rate', { ...rate, exchange_rate: '1.0000000000001' }, 'body.exchange_rate'],
    ['a percentage over 100 as a string', 'POST', () => '/v1/admin/tax-rates', { ...taxRate, percentage: '100.5' }, 'body.percentage'],
    ['a percentage over 100 as a number', 'POST', () => '/v1/admin/tax-rates', { ...taxRate, percentage: 101 }, 'body.percentage'],
    ['a negative percentage', 'POST', () => '/v1/admin/tax-rates', { ...taxRate, percentage: '-1' }, 'body.percentage'],
    ['a percentage with 5 decimals', 'POST', () => '/v1/admin/tax-rates', { ...taxRate, percentage: '5.12345' }, 'body.percentage'],
    ['a lower-case books currency', 'POST', () => '/v1/admin/billing-entities', { ...ENTITY, code: 'LC', is_default: false, currency: 'eur' }, 'body.currency'],
  ])('refuses %s with a 400 naming the field', async (_why, method, url, body, path) => {
    const res = await call(ctx, admin.auth, method, url(), body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expectContract('ValidationErrorResponse', res.body);
    expect(res.body.errors[0]).toMatchObject({ path, detail: { keyword: expect.any(String) } });
  });

  it('takes the limits themselves', async () => {
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { ...charge, quantity: '0.000001', unit_price: '-12.123456' });
    await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { ...taxRate, code: 'FULL', percentage: '100.0000' });
    await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { ...taxRate, code: 'NONE', percentage: 0 });
    await ok(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', { ...rate, exchange_rate: '0.000000000001' });
  });
});
