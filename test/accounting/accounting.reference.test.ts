import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { call, ENTITY, ok, seedBillingEntity } from './accounting.fixtures.js';

let ctx: TestContext;
let admin: Client;
let seeded: Awaited<ReturnType<typeof seedBillingEntity>>;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Reference carrier');
  seeded = await seedBillingEntity(ctx, admin);
});
afterAll(() => ctx.close());

describe('billing entities', () => {
  it('creates one in the contract shape, with its address and bank account', async () => {
    expectContract('BillingEntity', seeded.entity);
    expect(seeded.entity).toMatchObject(ENTITY);
    const list = await ok(ctx, admin.auth, 'GET', '/v1/admin/billing-entities');
    expect(list.items.map((e: { code: string }) => e.code)).toEqual(['WB-BE']);
  });

  it('keeps one default: a new default takes the flag over', async () => {
    const tenant = await newTenant(ctx, 'Two entities');
    await ok(ctx, tenant.auth, 'POST', '/v1/admin/billing-entities', ENTITY);
    await ok(ctx, tenant.auth, 'POST', '/v1/admin/billing-entities', { ...ENTITY, code: 'WB-NL', vat_number: 'NL001234567B01', is_default: true });
    const list = await ok(ctx, tenant.auth, 'GET', '/v1/admin/billing-entities');
    expect(list.items.map((e: { code: string; is_default: boolean }) => [e.code, e.is_default])).toEqual([
      ['WB-BE', false],
      ['WB-NL', true],
    ]);
    const again = await call(ctx, tenant.auth, 'POST', '/v1/admin/billing-entities', ENTITY);
    expectError(again, 409);
    expect(again.body.errors[0].field).toBe('code');
  });

  it.each([
    ['no legal name', { ...ENTITY, code: 'X1', legal_name: undefined }],
    ['a bad IBAN', { ...ENTITY, code: 'X2', bank_account: { iban: 'not an iban' } }],
    ['a country name', { ...ENTITY, code: 'X3', address: { country: 'Belgium' } }],
    ['a code with spaces', { ...ENTITY, code: 'A B' }],
  ])('refuses %s with the 400 envelope', async (_why, body) => {
    expectError(await call(ctx, admin.auth, 'POST', '/v1/admin/billing-entities', body), 400);
  });
});

describe('tax rates and accounts', () => {
  it('lists and gets tax rates in the contract shape, filtered by entity and archived', async () => {
    expectContract('TaxRateOutput', seeded.vat21);
    expect(seeded.vat21).toMatchObject({
      code: 'BE21',
      percentage: 21,
      tax_type: 'VAT',
      invoice_type: 'SALES',
      archived: false,
      billing_entity: { code: 'WB-BE' },
    });
    const list = await ok(ctx, admin.auth, 'GET', '/v1/accounting/tax-rates');
    expectContract('ListTaxRateOutput', list);
    expect(list.items.map((t: { code: string }) => t.code)).toEqual(['BE21', 'BE6']);
    const got = await ok(ctx, admin.auth, 'GET', `/v1/accounting/tax-rates/${seeded.vat6.id}`);
    expectContract('TaxRateOutput', got);
    expect(got).toMatchObject({ percentage: 6, name: 'VAT 6%' });
    expect((await ok(ctx, admin.auth, 'GET', '/v1/accounting/tax-rates?archived=true')).items).toEqual([]);
    expect((await ok(ctx, admin.auth, 'GET', '/v1/accounting/tax-rates?billing_entity_code=NOPE')).items).toEqual([]);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/tax-rates?billing_entity_code=${seeded.vat21.billing_entity.code}`)).items).toHaveLength(2);
  });

  it('pages with next_cursor and refuses a cursor with other filters', async () => {
    const first = await ok(ctx, admin.auth, 'GET', '/v1/accounting/tax-rates?limit=1');
    expect(first.items).toHaveLength(1);
    const second = await ok(ctx, admin.auth, 'GET', `/v1/accounting/tax-rates?cursor=${first.next_cursor}`);
    expect(second.items.map((t: { id: string }) => t.id)).toEqual([seeded.vat6.id]);
    expect(second.next_cursor).toBeNull();
    expectError(await call(ctx, admin.auth, 'GET', `/v1/accounting/tax-rates?cursor=${first.next_cursor}&archived=true`), 400);
  });

  it('refuses a duplicate code, a percentage over 100 and an exponent', async () => {
    expectError(await call(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BE21', name: 'again', percentage: 21 }), 409);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BIG', name: 'big', percentage: 101 }), 400);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'EXP', name: 'exp', percentage: '2e1' }), 400);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'TT', name: 'tt', percentage: 1, tax_type: 'SALES_TAX' }), 400);
    expectError(await call(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BE', name: 'x', percentage: 1, billing_entity_code: 'NOPE' }), 400);
  });

  it('lists and gets accounts in the contract shape', async () => {
    const list = await ok(ctx, admin.auth, 'GET', '/v1/accounting/accounts');
    expectContract('ListAccountOutput', list);
    expect(list.items).toHaveLength(1);
    const got = await ok(ctx, admin.auth, 'GET', `/v1/accounting/accounts/${seeded.account.id}`);
    expectContract('api__accounting__models__master_data__AccountOutput', got);
    expect(got).toMatchObject({ code: '700000', name: 'Transport revenue', archived: false });
  });
});

describe('exchange rates', () => {
  it('records a rate, replaces it the same day, and answers in the direction asked', async () => {
    const body = { exchange_rate: '0.8573', inverse_exchange_rate: 1.1665, exchange_rate_date: '2026-11-30', from_currency: 'EUR', to_currency: 'GBP' };
    const first = await ok(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', body);
    expectContract('ExchangeRateOutput', first);
    expect(first).toMatchObject({ exchange_rate: 0.8573, inverse_exchange_rate: 1.1665, exchange_rate_date: '2026-11-30' });
    const replaced = await ok(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', { ...body, exchange_rate: '0.86', inverse_exchange_rate: '1.1628' });
    expect(replaced.id).toBe(first.id);
    await ok(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', { ...body, exchange_rate_date: '2026-11-29' });
    const list = await ok(ctx, admin.auth, 'GET', '/v1/accounting/exchange-rate?from_currency=EUR&to_currency=GBP');
    expectContract('ListExchangeRateOutput', list);
    expect(list.items.map((r: { exchange_rate: number }) => r.exchange_rate)).toEqual([0.86, 0.8573]);
    const reverse = await ok(ctx, admin.auth, 'GET', '/v1/accounting/exchange-rate?from_currency=GBP&to_currency=EUR&exchange_rate_date:gte=2026-11-30');
    expect(reverse.items).toEqual([
      { id: first.id, from_currency: 'GBP', to_currency: 'EUR', exchange_rate: 1.1628, inverse_exchange_rate: 0.86, exchange_rate_date: '2026-11-30' },
    ]);
    expect((await ok(ctx, admin.auth, 'GET', '/v1/accounting/exchange-rate?exchange_rate_date:lte=2026-11-29')).items).toHaveLength(1);
  });

  it.each([
    ['a zero rate', { exchange_rate: 0 }],
    ['a negative rate', { exchange_rate: '-1.2' }],
    ['a word', { exchange_rate: 'high' }],
    ['a lower-case currency', { from_currency: 'eur' }],
    ['the same currency twice', { to_currency: 'EUR' }],
    ['a date-time', { exchange_rate_date: '2026-11-30T10:00:00Z' }],
  ])('refuses %s', async (_why, change) => {
    const body = { exchange_rate: '1.1', inverse_exchange_rate: '0.9', exchange_rate_date: '2026-11-30', from_currency: 'EUR', to_currency: 'USD', ...change };
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', body), 400);
  });
});

describe('isolation', () => {
  it('shows nothing to another tenant and refuses customer and subcontractor clients', async () => {
    const other = await newTenant(ctx, 'Other carrier');
    expect((await ok(ctx, other.auth, 'GET', '/v1/accounting/tax-rates')).items).toEqual([]);
    expect((await ok(ctx, other.auth, 'GET', '/v1/accounting/accounts')).items).toEqual([]);
    expect((await ok(ctx, other.auth, 'GET', '/v1/accounting/exchange-rate')).items).toEqual([]);
    expect((await ok(ctx, other.auth, 'GET', '/v1/admin/billing-entities')).items).toEqual([]);
    expectError(await call(ctx, other.auth, 'GET', `/v1/accounting/tax-rates/${seeded.vat21.id}`), 404);
    expectError(await call(ctx, other.auth, 'GET', `/v1/accounting/accounts/${seeded.account.id}`), 404);
    // Without an entity of its own, the other tenant cannot create rates.
    expectError(await call(ctx, other.auth, 'POST', '/v1/admin/tax-rates', { code: 'X', name: 'x', percentage: 1 }), 400);

    const companyId = await newCompany(ctx, admin, { name: 'Customer Co', code: 'CUST-REF' });
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId });
    for (const client of [customer, subco]) {
      for (const url of [
        '/v1/accounting/tax-rates',
        `/v1/accounting/accounts/${seeded.account.id}`,
        '/v1/accounting/exchange-rate',
        '/v1/admin/billing-entities',
      ]) {
        expectError(await call(ctx, client.auth, 'GET', url), 403);
      }
      expectError(await call(ctx, client.auth, 'POST', '/v1/admin/tax-rates', { code: 'C', name: 'c', percentage: 1 }), 403);
    }
  });
});
