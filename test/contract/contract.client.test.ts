import { beforeAll, describe, expect, it } from 'vitest';
import { contractClientWorld, referenceOperations } from '../support/contract-client.js';
import { exampleCustomers, orderExamples, partialExample, partialExampleTarget, type Json } from '../support/contract-examples.js';

/**
 * The orders area through a client generated from the reference contract (see
 * support/contract-client.ts): auth, orders and their documents, sent as the contract's own
 * examples. The other areas have their own contract.client.*.test.ts files.
 */

const world = contractClientWorld();
const { auth, webhookAuth } = world;
beforeAll(() => exampleCustomers(world.ctx, world.admin));
const check = (operation: string, response: Response, data: unknown) => world.check(operation, { response, data });

describe('the whole reference contract', () => {
  it('is served: every operation a client of the reference can call is in /openapi.json', async () => {
    const spec = (await world.ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const norm = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
    const served = new Set(Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${norm(p)}`)));
    expect(referenceOperations.length).toBe(108);
    expect(referenceOperations.filter((op) => !served.has(norm(op)))).toEqual([]);
  });
});

describe('a client generated from the reference contract', () => {
  it('obtains a token as the contract describes (Basic credentials, JSON content type, empty body)', async () => {
    await world.signIn();
    const me = await world.api.GET('/me', { headers: auth() });
    check('get /me', me.response, me.data);
  });

  it('uploads every order example and reads each order back every way the contract offers', async () => {
    for (const example of orderExamples) {
      if (example.body.operation === 'UPDATE') await world.api.POST('/v1/orders/order/upload', { headers: auth(), body: { ...example.body, operation: 'CREATE' } as never });
      const uploaded = await world.api.POST('/v1/orders/order/upload', { headers: auth(), body: example.body as never });
      check('post /v1/orders/order/upload', uploaded.response, uploaded.data);
      const { upload_id: uploadId, order_id: orderId } = uploaded.data as { upload_id: string; order_id: string };
      const polled = await world.api.GET('/v1/orders/order/upload/{upload_id}', { headers: auth(), params: { path: { upload_id: uploadId } } });
      check('get /v1/orders/order/upload/{upload_id}', polled.response, polled.data);
      const path = { path: { order_id: orderId } };
      const order = await world.api.GET('/v1/orders/order/{order_id}', { headers: auth(), params: path });
      check('get /v1/orders/order/{order_id}', order.response, order.data);
      const status = await world.api.GET('/v1/orders/order/{order_id}/status', { headers: auth(), params: path });
      check('get /v1/orders/order/{order_id}/status', status.response, status.data);
      const exported = await world.api.GET('/v1/orders/order/{order_id}/export', { headers: auth(), params: path });
      check('get /v1/orders/order/{order_id}/export', exported.response, exported.data);
    }
  });

  it('sends every order example to the webhook with the webhook credentials', async () => {
    for (const example of orderExamples) {
      // A second copy of each order, so the examples' CREATE is a new order here too.
      const body: Json = { ...example.body, order_identifier: `WEBHOOK-${String(example.body.order_identifier)}` };
      if (body.operation === 'UPDATE') await world.api.POST('/v1/webhook', { headers: webhookAuth(), body: { ...body, operation: 'CREATE' } as never });
      const res = await world.api.POST('/v1/webhook', { headers: webhookAuth(), body: body as never });
      check('post /v1/webhook', res.response, res.data);
      expect((res.data as { errors: unknown[] }).errors, example.name).toEqual([]);
    }
  });

  it('applies the partial update example, then uploads, imports, lists and downloads documents', async () => {
    const target = await world.api.POST('/v1/orders/order/upload', { headers: auth(), body: partialExampleTarget('CLIENT-PARTIAL') as never });
    const orderId = (target.data as { order_id: string }).order_id;
    const partial = await world.api.POST('/v1/webhook/partial-order-update', { headers: webhookAuth(), body: partialExample.body as never });
    check('post /v1/webhook/partial-order-update', partial.response, partial.data);
    expect((partial.data as { errors: unknown[] }).errors).toEqual([]);

    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }), 'cmr.pdf');
    const staged = await world.api.POST('/v1/documents/document/upload_content', { headers: auth(), body: form as never, bodySerializer: (b: unknown) => b as FormData });
    check('post /v1/documents/document/upload_content', staged.response, staged.data);

    const imported = await world.api.POST('/v1/webhook/document-import', {
      headers: { ...webhookAuth(), 'content-type': 'application/pdf' },
      params: { query: { filename: 'pod.pdf', customer_reference_number: 'T1234393' } as never },
      body: '%PDF-1.4\n%%EOF\n' as never,
      bodySerializer: (b: unknown) => b as string,
    });
    check('post /v1/webhook/document-import', imported.response, imported.data);

    const documents = await world.api.GET('/v1/orders/order/{order_id}/documents', { headers: auth(), params: { path: { order_id: orderId } } });
    check('get /v1/orders/order/{order_id}/documents', documents.response, documents.data);
    const [first] = documents.data as Array<{ id: string }>;
    const download = await world.api.GET('/v1/documents/document/{id}/download', { headers: auth(), params: { path: { id: (first as { id: string }).id } }, parseAs: 'arrayBuffer' });
    world.checkStatus('get /v1/documents/document/{id}/download', download.response, 200);
    expect((download.data as ArrayBuffer).byteLength).toBeGreaterThan(0);
  });

  it('found no mismatch, and reached every contract operation of its area', () => world.expectDriven('orders'));
});
