import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCompany, newTenant, type Client, type TestContext, createTestApp } from '../support/app.js';
import { newOrder, ok } from './accounting.fixtures.js';
import { seedPurchase, subcontractedTrip } from './accounting.purchase.fixtures.js';

/**
 * Issued means frozen (issue 17), beyond renaming the customer (accounting.filing.test.ts): a sales
 * and a self-billed purchase invoice keep their GET, UBL and PDF byte for byte while every party
 * and rate they were made from changes or is archived afterwards. Billing entities and tax rates
 * have no edit route yet, so they are changed in their rows, as an edit route or a sync from the
 * accounting package would change them; companies are changed and archived through the API.
 */
let ctx: TestContext;
let admin: Client;
let subco: Client;
let subcoId: string;
let customerId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Frozen carrier');
  ({ subco, subcoId } = await seedPurchase(ctx, admin));
  // The purchase fixtures' orders are Acme's.
  await newCompany(ctx, admin, { code: 'ACME', name: 'Acme', vat_number: 'BE0477472701', billing_location: { country: 'BE' } });
  customerId = await newCompany(ctx, admin, {
    code: 'NL',
    name: 'Rotterdam Retail',
    legal_name: 'Rotterdam Retail BV',
    vat_number: 'NL001234567B01',
    billing_location: { address: 'Coolsingel 1', city: 'Rotterdam', postal_code: '3011 AD', country: 'NL' },
  });
}, 300_000);
afterAll(() => ctx.close());

/** The GET answer and the two stored files of a document, as a client reads them. */
async function issued(kind: string, id: string) {
  const get = async (url: string) => {
    const res = await ctx.app.inject({ url, headers: { authorization: admin.auth } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.rawPayload;
  };
  const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/${kind}/${id}/documents`)) as unknown as Array<{ type: string; download_url: string }>;
  const file = (type: string) => files.find((f) => f.type.endsWith(`_${type}`))?.download_url as string;
  return { get: await get(`/v1/accounting/${kind}/${id}`), ubl: await get(file('UBL')), pdf: await get(file('PDF')) };
}

function expectSameBytes(after: Awaited<ReturnType<typeof issued>>, before: Awaited<ReturnType<typeof issued>>) {
  expect(after.get.toString('utf8')).toBe(before.get.toString('utf8'));
  expect(Buffer.compare(after.ubl, before.ubl), 'UBL').toBe(0);
  expect(Buffer.compare(after.pdf, before.pdf), 'PDF').toBe(0);
}

/** Changes the billing entity and its rates in their rows: name, address, VAT, bank, Peppol id, rate names and percentages, archived. */
async function changeReferenceData() {
  const db = ctx.services.db;
  await db
    .updateTable('billing_entities')
    .set({
      legal_name: 'Renamed Logistics NV',
      vat_number: 'BE0403019261',
      address: JSON.stringify({ street: 'Nieuwe Kaai 1', city: 'Gent', postal_code: '9000', country: 'BE' }),
      bank_account: JSON.stringify({ iban: 'BE71096123456769', bic: 'GKCCBEBB' }),
      peppol_id: JSON.stringify({ scheme: '0208', value: '0403019261' }),
    })
    .where('tenant_id', '=', admin.tenantId)
    .execute();
  await db.updateTable('tax_rates').set({ name: 'Renamed rate', percentage: '17', archived: true }).where('tenant_id', '=', admin.tenantId).execute();
}

describe('an issued document is frozen against every change to what it was made from', () => {
  type Issued = Awaited<ReturnType<typeof issued>>;
  let sales: { id: string; before: Issued };
  let purchase: { id: string; before: Issued };

  beforeAll(async () => {
    const orderId = await newOrder(ctx, admin, 'FROZEN-1', 'NL');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '812.40', tax_rate: { code: 'BE21' } });
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'PALLET', quantity: 4, unit_price: '12.50', tax_rate: { code: 'BE6' } });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
    sales = { id: invoice.id, before: await issued('sales-invoice', invoice.id) };

    await subcontractedTrip(ctx, admin, subco, subcoId, 'FROZEN-P1', '450.00');
    const selfBill = await ok(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', {
      subcontractor_id: subcoId,
      tax_rate: { code: 'BE21-P' },
    });
    const billed = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${selfBill.id}/finalize`, { date: '2026-11-30' });
    purchase = { id: billed.id, before: await issued('purchase-invoice', billed.id) };

    // Every party and rate they were made from changes, and the companies are archived.
    for (const [id, legal_name, vat_number, billing_location] of [
      [customerId, 'Rotterdam Renamed BV', 'NL123456789B01', { address: 'Blaak 8', city: 'Rotterdam', postal_code: '3011 TA', country: 'NL' }],
      [subcoId, 'Haulers Renamed BV', 'BE0403019261', { address: 'Dok Noord 3', city: 'Gent', postal_code: '9000', country: 'BE' }],
    ] as const) {
      await ok(ctx, admin.auth, 'PATCH', `/v1/companies/company/${id}`, { legal_name, vat_number, billing_location });
      const archived = await ctx.app.inject({ method: 'DELETE', url: `/v1/companies/company/${id}`, headers: { authorization: admin.auth } });
      expect(archived.statusCode, archived.body).toBe(204);
    }
    await changeReferenceData();
  }, 300_000);

  it('a sales invoice: GET, UBL and PDF stay byte-identical when its customer, billing entity and tax rates change and are archived', async () => {
    expect(sales.before.get.toString('utf8')).toContain('Waybill Logistics NV');
    expect(sales.before.ubl.toString('utf8')).toContain('BE68539007547034');
    expectSameBytes(await issued('sales-invoice', sales.id), sales.before);
    // What changed is live (a new read answers it), so the comparison above compared something.
    expect(JSON.stringify(await ok(ctx, admin.auth, 'GET', '/v1/admin/billing-entities'))).toContain('Renamed Logistics NV');
    expect((await ok(ctx, admin.auth, 'GET', `/v1/companies/company/${customerId}`)).legal_name).toBe('Rotterdam Renamed BV');
  });

  it('a self-billed purchase invoice: the same when its subcontractor, billing entity and tax rate change and are archived', async () => {
    expect(purchase.before.get.toString('utf8')).toContain('Haulers HAUL BV');
    expectSameBytes(await issued('purchase-invoice', purchase.id), purchase.before);
  });
});
