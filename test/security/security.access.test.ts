import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, stageUpload, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { byReference, get, partialUpdate, realisticOrder, upload } from '../orders/orders.fixtures.js';

/** Threat class: a caller reaching, or locking away, what is not its own. */
let ctx: TestContext;
let admin: Client;
let acmeId: string;
let acmeHook: Client;
let acme: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx);
  acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  await newCompany(ctx, admin, { name: 'Beta Foods', code: 'BETA' });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  acmeHook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId, kind: 'WEBHOOK' });
});
afterAll(() => ctx.close());

const revoke = (by: Client, id: string) => ctx.app.inject({ method: 'DELETE', url: `/v1/admin/api-clients/${id}`, headers: { authorization: by.auth } });

const stagedUpload = (client: Client, content: string) => stageUpload(ctx, client, content, 'secret.pdf');

async function createOrder(identifier: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const res = await upload(ctx, admin, realisticOrder(identifier, overrides));
  expect(res.statusCode, res.body).toBe(200);
  return { id: res.json().order_id, name: res.json().order_name };
}

describe('admin lock-out', () => {
  it('an admin revoking itself is refused with 409 and keeps working', async () => {
    const solo = await newTenant(ctx, 'Solo carrier');
    const res = await revoke(solo, solo.apiClientId);
    expect(res.statusCode, res.body).toBe(409);
    expectContract('ValidationErrorResponse', res.json());
    expect(res.json().message).toMatch(/cannot revoke itself/);
    expect((await get(ctx, solo, '/v1/admin/api-clients')).statusCode).toBe(200);
  });

  it('two admins revoking each other at once leave the tenant one admin', async () => {
    const first = await newTenant(ctx, 'Two admins');
    const second = await newClient(ctx, first.tenantId, 'TENANT');
    const answers = await Promise.all([revoke(first, second.apiClientId), revoke(second, first.apiClientId)]);
    const statuses = answers.map((r) => r.statusCode).sort();
    // Whichever ran second saw its target as the last admin (or found itself already revoked).
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const active = await ctx.services.db
      .selectFrom('api_clients')
      .select('id')
      .where('tenant_id', '=', first.tenantId)
      .where('revoked_at', 'is', null)
      .execute();
    expect(active).toHaveLength(1);
  });

  it('revoking another admin while one remains still works', async () => {
    const first = await newTenant(ctx, 'Spare admin');
    const second = await newClient(ctx, first.tenantId, 'TENANT');
    const res = await revoke(first, second.apiClientId);
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(ctx, second, '/v1/admin/api-clients')).statusCode).toBe(401);
  });
});

describe('staged uploads belong to whoever staged them', () => {
  it("a customer cannot attach the tenant's staged upload to its own order and download it", async () => {
    const order = await createOrder('SEC-UP-1');
    const tenantUpload = await stagedUpload(admin, '%PDF tenant-only rate card');
    const result = await partialUpdate(ctx, acmeHook, [
      { match: byReference('PO-SEC-UP-1'), question_answers: { 'documents/CUSTOMER_PAPERWORK': [{ remote_document: { upload_id: tenantUpload } }] } },
    ]);
    expect(result.errors[0]?.error_message).toMatch(/Unknown upload_id/);
    const docs = await get(ctx, acme, `/v1/orders/order/${order.id}/documents`);
    expect(docs.statusCode).toBe(200);
    expect(docs.json()).toEqual([]);
  });

  it("a tenant cannot attach a customer's staged upload either, but the customer can attach its own", async () => {
    await createOrder('SEC-UP-2');
    const acmeUpload = await stagedUpload(acme, '%PDF acme delivery note');
    const tenantHook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const update = [
      { match: byReference('PO-SEC-UP-2'), question_answers: { 'documents/CUSTOMER_PAPERWORK': [{ remote_document: { upload_id: acmeUpload } }] } },
    ];
    expect((await partialUpdate(ctx, tenantHook, update)).errors[0]?.error_message).toMatch(/Unknown upload_id/);
    const own = await partialUpdate(ctx, acmeHook, update);
    expect(own.errors).toEqual([]);
    expect(own.results[0]?.outcome).toBe('UPDATED');
  });
});

describe('document-import by reference', () => {
  it("finds the caller's own order behind more than ten other companies' orders with the same reference", async () => {
    for (let i = 0; i < 11; i++) await createOrder(`SEC-BETA-${i}`, { customer: { code: 'BETA' }, customer_reference_number: 'SEC-SHARED' });
    const own = await createOrder('SEC-ACME', { customer_reference_number: 'SEC-SHARED' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/document-import',
      query: { customer_reference_number: 'SEC-SHARED', filename: 'pod.txt' },
      headers: { authorization: acmeHook.auth, 'content-type': 'application/octet-stream' },
      payload: 'signed',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ errors: [], order_id: own.id });
  });
});

describe('a credential does one job', () => {
  /** Every operation of the published contract, with its path parameters filled in. */
  async function everyOperation(): Promise<Array<{ method: string; url: string; path: string }>> {
    const spec = (await ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const operations = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
        if (isPublic || path === '/v1/webhook' || path.startsWith('/v1/webhook/') || path === '/v1/auth/token') continue;
        operations.push({ method: method.toUpperCase(), path, url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000') });
      }
    }
    return operations;
  }

  async function expectRefusedEverywhere(authorization: string) {
    const operations = await everyOperation();
    expect(operations.length).toBeGreaterThan(100);
    const answers = [];
    for (const op of operations) {
      const withBody = !['GET', 'DELETE', 'HEAD'].includes(op.method);
      const res = await ctx.app.inject({ method: op.method as 'GET', url: op.url, headers: { authorization }, ...(withBody ? { payload: {} } : {}) });
      answers.push({ route: `${op.method} ${op.path}`, status: res.statusCode });
      if (res.statusCode === 403) expectContract('ValidationErrorResponse', res.json());
    }
    expect(answers.filter((a) => a.status !== 403)).toEqual([]);
  }

  it("a TENANT WEBHOOK client's token opens no API route, admin included (it cannot make itself an admin client)", async () => {
    const tenantHook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const issued = await ctx.app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: tenantHook.auth } });
    expect(issued.statusCode, issued.body).toBe(200);
    const auth = `Bearer ${issued.json().access_token as string}`;
    const escalate = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/api-clients',
      headers: { authorization: auth },
      payload: { name: 'root', role: 'TENANT' },
    });
    expect(escalate.statusCode, escalate.body).toBe(403);
    expect(escalate.json().message).toMatch(/WEBHOOK clients may call only \/v1\/webhook/);
    await expectRefusedEverywhere(auth);
  });

  it("a WEBHOOK client's Basic credentials open no API route either", async () => {
    await expectRefusedEverywhere(acmeHook.auth);
    const tenantHook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    await expectRefusedEverywhere(tenantHook.auth);
  });

  it("a customer WEBHOOK client's token cannot read the customer's orders", async () => {
    const issued = await ctx.app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: acmeHook.auth } });
    const res = await get(ctx, { ...acmeHook, auth: `Bearer ${issued.json().access_token as string}` }, '/v1/orders/order');
    expect(res.statusCode, res.body).toBe(403);
  });
});
