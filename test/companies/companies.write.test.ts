import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as, type Answer as Res } from '../support/requests.js';

const ctx = useApp();
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Company writes carrier');
});

function expectCompany(res: Res) {
  expect(res.statusCode, res.body).toBe(200);
  expectContract('CompanyDetailOutput', res.json());
  return res.json();
}

const url = (id: string) => `/v1/companies/company/${id}`;

async function eventsOf(entityId: string) {
  return ctx.services.db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', admin.tenantId)
    .where('entity_id', '=', entityId)
    .orderBy('position')
    .execute();
}

describe('PUT /v1/companies/company/{id}', () => {
  it('replaces the company, keeps its id, moves the ETag and announces the change', async () => {
    const id = await newCompany(ctx, admin, { name: 'Before', code: 'PUT1', note: 'old note', vat_number: 'BE1' });
    const before = await as(admin).get(url(id));
    expect(before.headers.etag).toBe('"1"');
    const res = await as(admin).put(url(id), { name: 'After', code: 'PUT1', currency: 'USD', is_subcontractor: true });
    const company = expectCompany(res);
    expect(res.headers.etag).toBe('"2"');
    expect(company).toMatchObject({ id, name: 'After', currency: 'USD', is_subcontractor: true, is_customer: false, note: null, vat_number: null });
    expect(Date.parse(company.timestamp_updated)).toBeGreaterThan(Date.parse(before.json().timestamp_updated));
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['company.created', 'company.updated']);
    expect(events[1]?.payload).toMatchObject({ entity: 'company', operation: 'updated', id, code: 'PUT1', version: 2, origin_client_id: admin.clientId });
    expect((events[1]?.payload as { record: unknown }).record).toEqual(company);
  });

  it('answers 404 for an unknown or foreign company and 403 for customer clients', async () => {
    const other = await newTenant(ctx, 'Foreign carrier');
    const foreign = await newCompany(ctx, other, { name: 'Foreign' });
    expectError(await as(admin).put(url(foreign), { name: 'Mine now', currency: 'EUR' }), 404);
    expectError(await as(admin).put(url('00000000-0000-4000-8000-000000000000'), { currency: 'EUR' }), 404);
    const own = await newCompany(ctx, admin, { name: 'Own' });
    for (const role of ['CUSTOMER', 'SUBCONTRACTOR'] as const) {
      const client = await newClient(ctx, admin.tenantId, role, { companyId: own });
      expectError(await as(client).put(url(own), { name: 'Self edit', currency: 'EUR' }), 403);
      expectError(await as(client).patch(url(own), { name: 'Self edit' }), 403);
      expectError(await as(client).delete(url(own)), 403);
    }
    expect((await as(other).get(url(foreign))).json().name).toBe('Foreign');
  });
});

describe('PATCH /v1/companies/company/{id}', () => {
  it('changes only the fields sent, clears with null, and refuses clearing the name', async () => {
    const id = await newCompany(ctx, admin, { name: 'Patchable', note: 'keep', vat_number: 'BE2', sales: { status: 'APPROVED' } });
    const company = expectCompany(await as(admin).patch(url(id), { vat_number: null, purchase: { status: 'BLOCKED' } }));
    expect(company).toMatchObject({ name: 'Patchable', note: 'keep', vat_number: null, purchase: { status: 'BLOCKED' }, is_customer: true });
    expectError(await as(admin).patch(url(id), { name: null }), 400);
  });

  it('archives and reactivates one role at a time; DELETE archives every role', async () => {
    const id = await newCompany(ctx, admin, { name: 'Two roles', is_customer: true, is_subcontractor: true });
    let company = expectCompany(await as(admin).patch(url(id), { archived_customer: true }));
    expect(company).toMatchObject({ archived_customer: true, archived_subcontractor: false, archived_buyer_or_seller: false });
    company = expectCompany(await as(admin).patch(url(id), { archived_customer: false }));
    expect(company.archived_customer).toBe(false);

    const deleted = await as(admin).delete(url(id));
    expect(deleted.statusCode).toBe(204);
    company = expectCompany(await as(admin).get(url(id)));
    expect(company).toMatchObject({ archived_customer: true, archived_subcontractor: true, archived_buyer_or_seller: true });
    expect((await eventsOf(id)).map((e) => e.type).at(-1)).toBe('company.archived');

    company = expectCompany(await as(admin).patch(url(id), { archived_subcontractor: false }));
    expect(company).toMatchObject({ archived_customer: true, archived_subcontractor: false });
  });

  it('tells other modules whether a company is an active, unblocked subcontractor', async () => {
    const id = await newCompany(ctx, admin, { name: 'Haulier', is_customer: false, is_subcontractor: true });
    const check = () => ctx.services.companies.isActiveSubcontractor(admin.tenantId, id);
    expect(await check()).toBe(true);
    expectCompany(await as(admin).patch(url(id), { purchase: { status: 'BLOCKED' } }));
    expect(await check()).toBe(false);
    expectCompany(await as(admin).patch(url(id), { purchase: { status: 'APPROVED' }, archived_subcontractor: true }));
    expect(await check()).toBe(false);
    expectCompany(await as(admin).patch(url(id), { archived_subcontractor: false }));
    expect(await check()).toBe(true);
    const customerOnly = await newCompany(ctx, admin, { name: 'Shipper only' });
    expect(await ctx.services.companies.isActiveSubcontractor(admin.tenantId, customerOnly)).toBe(false);
    const other = await newTenant(ctx, 'Other subco tenant');
    expect(await ctx.services.companies.isActiveSubcontractor(other.tenantId, id)).toBe(false);
  });
});

describe('contacts', () => {
  it('are created, updated and archived by id inside the company, each change announced', async () => {
    const id = await newCompany(ctx, admin, { name: 'Contacts Co', contacts: [{ name: 'Ann', email: 'ann@example.com', roles: ['BILLING'] }] });
    const ann = expectCompany(await as(admin).get(url(id))).contacts[0];
    let company = expectCompany(
      await as(admin).patch(url(id), {
        contacts: [
          { id: ann.id, phone_number: '+3225550101' },
          { name: 'Bob', roles: ['OPERATIONS'] },
        ],
      }),
    );
    expect(company.contacts).toHaveLength(2);
    expect(company.contacts.find((c: { id: string }) => c.id === ann.id)).toMatchObject({ name: 'Ann', phone_number: '+3225550101' });
    company = expectCompany(await as(admin).patch(url(id), { contacts: [{ id: ann.id, is_archived: true }] }));
    expect(company.contacts.map((c: { name: string }) => c.name)).toEqual(['Bob']);
    company = expectCompany(await as(admin).patch(url(id), { contacts: [{ id: ann.id, is_archived: false }] }));
    expect(company.contacts).toHaveLength(2);

    const contactEvents = await ctx.services.db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('tenant_id', '=', admin.tenantId)
      .where('entity_id', '=', ann.id)
      .orderBy('position')
      .execute();
    expect(contactEvents.map((e) => e.type)).toEqual(['contact.created', 'contact.updated', 'contact.archived', 'contact.updated']);
    expect(contactEvents[0]?.payload).toMatchObject({ entity: 'contact', company_id: id, record: { id: ann.id, name: 'Ann', company_id: id } });
  });

  it('refuses an id that is no contact of this company', async () => {
    const id = await newCompany(ctx, admin, { name: 'No such contact' });
    const body = expectError(await as(admin).patch(url(id), { contacts: [{ id: '00000000-0000-4000-8000-000000000000', name: 'Ghost' }] }), 400);
    expect(body.errors[0]?.field).toBe('id');
  });
});

describe('validation and uniqueness', () => {
  it('checks IBANs and BICs and stores IBANs compact', async () => {
    const ok = await as(admin).post('/v1/companies/company', {
      name: 'Banked',
      currency: 'EUR',
      bank_accounts: [{ iban_code: 'BE68 5390 0754 7034', bic_code: 'GEBABEBB' }],
    });
    expect(expectCompany(ok).bank_accounts).toEqual([{ iban_code: 'BE68539007547034', bic_code: 'GEBABEBB' }]);
    const badIban = expectError(
      await as(admin).post('/v1/companies/company', { name: 'Bad', currency: 'EUR', bank_accounts: [{ iban_code: 'BE68539007547035' }] }),
      400,
    );
    expect(badIban.errors[0]?.field).toBe('iban_code');
    const id = ok.json().id;
    expectError(await as(admin).patch(url(id), { bank_accounts: [{ iban_code: 'BE00', bic_code: 'nope' }] }), 400);
  });

  it('keeps code and accounting_code unique per tenant on create and on change', async () => {
    await newCompany(ctx, admin, { name: 'Holder', code: 'HOLD', accounting_code: 'ACC-1' });
    const other = await newCompany(ctx, admin, { name: 'Other' });
    expect(expectError(await as(admin).post('/v1/companies/company', { name: 'X', currency: 'EUR', accounting_code: 'ACC-1' }), 409).errors[0]?.field).toBe(
      'accounting_code',
    );
    expect(expectError(await as(admin).patch(url(other), { code: 'HOLD' }), 409).errors[0]?.field).toBe('code');
    expect(expectError(await as(admin).patch(url(other), { accounting_code: 'ACC-1' }), 409).errors[0]?.field).toBe('accounting_code');
  });

  it.each([
    ['an unknown status', { purchase: { status: 'PROSPECT' } }],
    ['an unknown tax type', { tax_type: 'SALES_TAX' }],
    ['a wrong type', { is_customer: 'yes' }],
  ])('refuses %s on PATCH', async (_name, body) => {
    const id = await newCompany(ctx, admin, { name: 'Validated' });
    expectError(await as(admin).patch(url(id), body), 400);
  });
});

describe('If-Match', () => {
  it('answers 412 when the record changed meanwhile and applies the write when the tag is current', async () => {
    const id = await newCompany(ctx, admin, { name: 'Versioned' });
    const etag = (await as(admin).get(url(id))).headers.etag as string;
    const first = await as(admin).patch(url(id), { note: 'first' }, { 'if-match': etag });
    expectCompany(first);
    const stale = expectError(await as(admin).patch(url(id), { note: 'second' }, { 'if-match': etag }), 412);
    expect(stale.errors[0]?.field).toBe('If-Match');
    expectError(await as(admin).put(url(id), { name: 'Versioned', currency: 'EUR' }, { 'if-match': etag }), 412);
    expectError(await as(admin).delete(url(id), undefined, { 'if-match': etag }), 412);
    expect(expectCompany(await as(admin).get(url(id))).note).toBe('first');
    expectCompany(await as(admin).patch(url(id), { note: 'third' }, { 'if-match': first.headers.etag as string }));
    expectCompany(await as(admin).patch(url(id), { note: 'any' }, { 'if-match': '*' }));
    // Without the header, last write wins.
    expect(expectCompany(await as(admin).patch(url(id), { note: 'last' })).note).toBe('last');
  });

  it('lets exactly one of two racing writes with the same tag through', async () => {
    const id = await newCompany(ctx, admin, { name: 'Raced' });
    const etag = (await as(admin).get(url(id))).headers.etag as string;
    const results = await Promise.all(['a', 'b', 'c'].map((note) => as(admin).patch(url(id), { note }, { 'if-match': etag })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412, 412]);
  });

  it('never loses a concurrent PATCH without If-Match: each sees the other', async () => {
    const id = await newCompany(ctx, admin, { name: 'Merged' });
    await Promise.all([as(admin).patch(url(id), { note: 'n' }), as(admin).patch(url(id), { vat_number: 'V' })]);
    expect(expectCompany(await as(admin).get(url(id)))).toMatchObject({ note: 'n', vat_number: 'V' });
  });
});

describe('deprecated /v1/accounting/company aliases', () => {
  it('offer the same operations; DELETE answers 200 {}', async () => {
    const created = expectCompany(await as(admin).post('/v1/accounting/company', { name: 'Legacy', currency: 'EUR', accounting_code: 'LEG-1' }));
    const legacy = `/v1/accounting/company/${created.id}`;
    expect(expectCompany(await as(admin).get(legacy)).name).toBe('Legacy');
    expect(expectCompany(await as(admin).patch(legacy, { note: 'via alias' })).note).toBe('via alias');
    expect(expectCompany(await as(admin).put(legacy, { name: 'Legacy 2', currency: 'EUR', accounting_code: 'LEG-1' })).name).toBe('Legacy 2');
    const list = await as(admin).get('/v1/accounting/company?limit=500');
    expectContract('ListCompanyOutput', list.json());
    const deleted = await as(admin).delete(legacy);
    expect([deleted.statusCode, deleted.json()]).toEqual([200, {}]);
    expect(expectCompany(await as(admin).get(url(created.id))).archived_customer).toBe(true);
  });
});

describe('updated_after paging while records change', () => {
  it('never skips a record and shows each change again after it, under concurrent updates', async () => {
    const tenant = await newTenant(ctx, 'Churn carrier');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await newCompany(ctx, tenant, { name: `Churn ${i}` }));
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: Res = await as(tenant).get(`/v1/companies/company?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expectContract('ListCompanyOutput', page.json());
      for (const item of page.json().items as Array<{ id: string; note: string | null }>) seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
      cursor = page.json().next_cursor;
      // While the walk goes on, another client changes records ahead of and behind the cursor.
      if (round < 3) await Promise.all([ids[round], ids[11 - round]].map((id) => as(tenant).patch(url(id as string), { note: `round ${round}` })));
      round++;
    } while (cursor);
    expect([...seen.keys()].sort()).toEqual([...ids].sort());
    // Records changed behind the cursor come again (their new state); none comes more often than it changed plus once.
    for (const id of ids) expect(seen.get(id)).toBeLessThanOrEqual(2);
  });
});
