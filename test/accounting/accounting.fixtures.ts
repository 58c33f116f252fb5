import { newCompany, type Client, type TestContext } from '../support/app.js';
import { realisticOrder } from '../orders/orders.fixtures.js';

/** Shared set-up for the accounting test files: a billing entity with a sales and a credit-note tax rate. */
export async function call(ctx: TestContext, auth: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const res = await ctx.app.inject({ method, url, headers: { authorization: auth }, ...(payload === undefined ? {} : { payload: payload as object }) });
  // Bodies stay untyped (what `inject` gives): tests read the fields they check.
  const body = res.body ? res.json() : {};
  return { status: res.statusCode, body };
}

/** Calls and insists on a 200, returning the body. */
export async function ok(ctx: TestContext, auth: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const res = await call(ctx, auth, method, url, payload);
  if (res.status !== 200) throw new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export const ENTITY = {
  code: 'WB-BE',
  legal_name: 'Waybill Logistics NV',
  vat_number: 'BE0123456749',
  company_registration_number: '0123456749',
  is_default: true,
  address: { street: 'Havenlaan 12', city: 'Antwerpen', postal_code: '2000', country: 'BE' },
  bank_account: { iban: 'BE68539007547034', bic: 'GKCCBEBB' },
};

export async function seedBillingEntity(ctx: TestContext, admin: Client) {
  const entity = await ok(ctx, admin.auth, 'POST', '/v1/admin/billing-entities', ENTITY);
  const vat21 = await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BE21', name: 'VAT 21%', percentage: '21' });
  const vat6 = await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BE6', name: 'VAT 6%', percentage: 6 });
  const account = await ok(ctx, admin.auth, 'POST', '/v1/admin/accounts', { code: '700000', name: 'Transport revenue' });
  return { entity, vat21, vat6, account };
}

/** An order for the customer with this code, through the upload API; returns its id. */
export async function newOrder(ctx: TestContext, client: Client, identifier: string, customerCode: string): Promise<string> {
  const body = await ok(ctx, client.auth, 'POST', '/v1/orders/order/upload', realisticOrder(identifier, { customer: { code: customerCode } }));
  if (body.upload_status !== 'COMPLETED') throw new Error(`order upload failed: ${JSON.stringify(body)}`);
  return body.order_id as string;
}

/** A customer in the Netherlands with a VAT number (so Peppol can address it), code `NL`; returns its id. */
export async function seedDutchCustomer(ctx: TestContext, admin: Client, name = 'Rotterdam Retail'): Promise<string> {
  return newCompany(ctx, admin, {
    code: 'NL',
    name,
    legal_name: `${name} BV`,
    vat_number: 'NL001234567B01',
    billing_location: { address: 'Coolsingel 1', city: 'Rotterdam', postal_code: '3011 AD', country: 'NL' },
  });
}

/** The UBL of a finalized document, as its `/documents` list links it. */
export async function issuedUbl(ctx: TestContext, auth: string, kind: string, id: string): Promise<string> {
  const files = (await ok(ctx, auth, 'GET', `/v1/accounting/${kind}/${id}/documents`)) as unknown as Array<{ type: string; download_url: string }>;
  const file = files.find((f) => f.type.endsWith('_UBL'));
  const res = await ctx.app.inject({ url: file?.download_url as string, headers: { authorization: auth } });
  if (res.statusCode !== 200) throw new Error(`UBL download answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return res.body;
}
