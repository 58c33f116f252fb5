import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApiClientExample, tokenFormExample } from '../../src/modules/auth/auth.examples.js';
import { companyInputExample } from '../../src/modules/companies/companies.examples.js';
import { orderInputExample, orderUpdateExample } from '../../src/modules/orders/orders.examples.js';
import { endpointInputExample, endpointPatchExample, replayInputExample, rotateSecretExample } from '../../src/modules/webhooks/webhooks.examples.js';
import { newClient, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { as } from '../support/requests.js';

/**
 * The request examples of the OpenAPI document, sent as they are (ids that only exist in the run
 * they were recorded in are swapped for this run's), so a documented example that stops working
 * fails here. The schema rules and error messages the guides rely on are checked too.
 */

const ctx = useApp();
let admin: Client;
let hook: Client;
let companyId: string;

beforeAll(async () => {
  admin = await newTenant(ctx);
  hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  const company = await as(admin).post('/v1/companies/company', companyInputExample);
  expect(company.statusCode, company.body).toBe(200);
  expectContract('CompanyDetailOutput', company.json());
  companyId = company.json().id;
});

describe('the documented request examples', () => {
  it("the order example is the guides' docs/order.json, and uploads as COMPLETED", async () => {
    const file = JSON.parse(readFileSync(new URL('../../docs/order.json', import.meta.url), 'utf8'));
    expect(file).toEqual(orderInputExample);
    const res = await as(admin).post('/v1/orders/order/upload', orderInputExample);
    expect(res.statusCode, res.body).toBe(200);
    expectContract('OrderImport', res.json());
    expect(res.json()).toMatchObject({ upload_status: 'COMPLETED', errors: [] });
  });

  it('the partial update example attaches a staged upload as the document type its key names', async () => {
    const staged = await as(admin).post(
      '/v1/documents/document/upload_content',
      '--b\r\nContent-Disposition: form-data; name="file"; filename="pod.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n--b--\r\n',
      { 'content-type': 'multipart/form-data; boundary=b' },
    );
    expect(staged.statusCode, staged.body).toBe(201);
    const [update] = orderUpdateExample.updates;
    const body = {
      updates: [{ ...update, question_answers: { 'documents/PROOF_OF_DELIVERY': [{ remote_document: { upload_id: staged.json().upload_id } }] } }],
    };
    const res = await as(hook).post('/v1/webhook/partial-order-update', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ errors: [], results: [{ outcome: 'UPDATED' }] });
    const documents = await as(admin).get(`/v1/orders/order/${res.json().results[0].order_id}/documents`);
    expect(documents.json().map((d: { type: string }) => d.type)).toEqual(['PROOF_OF_DELIVERY']);
  });

  it('the API client and token examples work', async () => {
    const created = await as(admin).post('/v1/admin/api-clients', newApiClientExample);
    expect(created.statusCode, created.body).toBe(201);
    const { client_id, client_secret } = created.json();
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', new URLSearchParams({ ...tokenFormExample, client_id, client_secret }).toString()],
      ['application/json', JSON.stringify({ ...tokenFormExample, client_id, client_secret })],
    ]) {
      const token = await ctx.app.inject({ method: 'POST', url: '/v1/auth/token', headers: { 'content-type': type }, payload });
      expect(token.statusCode, `${type}: ${token.body}`).toBe(200);
    }
  });

  it('the webhook endpoint examples work', async () => {
    // The recorded example names a public host; this run's company replaces the recorded one.
    const created = await as(admin).post('/v1/admin/webhook-endpoints', { ...endpointInputExample, company_id: companyId });
    expect(created.statusCode, created.body).toBe(201);
    const base = `/v1/admin/webhook-endpoints/${created.json().id}`;
    const patched = await as(admin).patch(base, endpointPatchExample);
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await as(admin).post(`${base}/rotate-secret`, rotateSecretExample)).statusCode).toBe(200);
    expect((await as(admin).post(`${base}/replay`, replayInputExample)).statusCode).toBe(202);
  });
});

describe('rules the schemas state, and messages the guides promise', () => {
  it('an order to CREATE needs a consignment; a DELETE needs only its key', async () => {
    const empty = await as(admin).post('/v1/orders/order/upload', { ...orderInputExample, order_identifier: 'EMPTY-1', consignments: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toMatch(/consignments/);
    const removed = await as(admin).post('/v1/orders/order/upload', {
      operation: 'DELETE',
      order_identifier: orderInputExample.order_identifier,
      customer: { code: 'ACME' },
      consignments: [],
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().upload_status).toBe('COMPLETED');
  });

  it('an order customer and a company need a code or a name', async () => {
    const order = await as(admin).post('/v1/orders/order/upload', { ...orderInputExample, customer: {} });
    expect(order.statusCode).toBe(400);
    const company = await as(admin).post('/v1/companies/company', { currency: 'EUR', is_customer: true });
    expect(company.statusCode).toBe(400);
    expect(company.json().message).toMatch(/name|code/);
  });

  it('a webhook URL must be a URI, and a refused address names WAYBILL_OUTBOUND_ALLOWLIST', async () => {
    const malformed = await as(admin).post('/v1/admin/webhook-endpoints', { url: 'not a url at all', families: ['events'] });
    expect(malformed.statusCode).toBe(400);
    const privateAddress = await as(admin).post('/v1/admin/webhook-endpoints', { url: 'http://10.1.2.3/hooks', families: ['events'] });
    expect(privateAddress.statusCode).toBe(400);
    expect(privateAddress.json().message).toContain('WAYBILL_OUTBOUND_ALLOWLIST');
  });

  it('an unknown document type lists the valid ones', async () => {
    const uploaded = await as(admin).post('/v1/orders/order/upload', {
      ...orderInputExample,
      order_identifier: 'DOC-1',
      customer_reference_number: 'PO-DOC-1',
    });
    expect(uploaded.json().upload_status).toBe('COMPLETED');
    const embedded = { embedded_document: { content: Buffer.from('%PDF-1.7').toString('base64'), content_type: 'application/pdf', filename: 'a.pdf' } };
    const res = await as(hook).post('/v1/webhook/partial-order-update', {
      updates: [
        {
          match: { matches_all: [{ order: { customer_reference_number: { matches_any: ['PO-DOC-1'] } } }] },
          question_answers: { 'documents/POD': [embedded] },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors[0].error_message).toMatch(/Unknown document type "POD"; valid types: .*ORIGINAL_CMR.*PROOF_OF_DELIVERY/);
  });
});
