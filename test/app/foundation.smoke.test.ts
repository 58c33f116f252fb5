import { describe, expect, it } from 'vitest';
import { newCompany, newTenant, useApp } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { as } from '../support/requests.js';

const ctx = useApp();

describe('smoke', () => {
  it('creates and reads a company', async () => {
    const admin = await newTenant(ctx);
    const id = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
    const res = await as(admin).get(`/v1/companies/company/${id}`);
    expect(res.statusCode).toBe(200);
    expectContract('CompanyDetailOutput', res.json());
  });
});
