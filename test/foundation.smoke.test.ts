import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newCompany, newTenant, type TestContext } from './support/app.js';
import { expectContract } from './support/contract.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

describe('smoke', () => {
  it('creates and reads a company', async () => {
    const admin = await newTenant(ctx);
    const id = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
    const res = await ctx.app.inject({ url: `/v1/companies/company/${id}`, headers: { authorization: admin.auth } });
    expect(res.statusCode).toBe(200);
    expectContract('CompanyDetailOutput', res.json());
  });
});
