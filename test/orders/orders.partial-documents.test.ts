import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageUpload, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { byReference, get, ordersWorld, partialUpdate, realisticOrder, upload } from './orders.fixtures.js';

let ctx: TestContext;
let admin: Client;
let hook: Client;

beforeAll(async () => {
  ({ ctx, admin, hook } = await ordersWorld([{ name: 'Acme', code: 'ACME' }]));
});
afterAll(() => ctx.close());

const stagedUpload = (content: string) => stageUpload(ctx, admin, content, 'pod.pdf');

const partial = (updates: unknown[]) => partialUpdate(ctx, hook, updates);

describe('question_answers documents', () => {
  it('attaches staged and embedded documents to the order and to a stop', async () => {
    const created = (await upload(ctx, admin, realisticOrder('QA-1'))).json();
    const uploadId = await stagedUpload('%PDF-1.4 signed delivery note');
    const result = await partial([
      {
        match: byReference('PO-QA-1'),
        question_answers: {
          'documents/CUSTOMER_PAPERWORK': [
            { embedded_document: { content: Buffer.from('paperwork').toString('base64'), content_type: 'text/plain', filename: 'paperwork.txt' } },
          ],
        },
        consignment: {
          updates: [
            {
              match: { matches_all: [{ consignment: { order_sequence_number: 1 } }] },
              stop: {
                updates: [
                  {
                    match: { matches_all: [{ stop: { stop_type: 'DELIVERY' } }] },
                    question_answers: { proof: [{ remote_document: { upload_id: uploadId }, document_type: 'PROOF_OF_DELIVERY' }] },
                  },
                ],
              },
            },
          ],
        },
      },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.results[0]?.outcome).toBe('UPDATED');
    const docs = await get(ctx, admin, `/v1/orders/order/${created.order_id}/documents`);
    expect(docs.statusCode).toBe(200);
    const list = docs.json() as Array<{ type: string; subject_type: string; download_url: string }>;
    for (const doc of list) expectContract('Document', doc);
    expect(list.map((d) => `${d.type}:${d.subject_type}`).sort()).toEqual(['CUSTOMER_PAPERWORK:ORDER', 'PROOF_OF_DELIVERY:STOP']);
    const pod = list.find((d) => d.type === 'PROOF_OF_DELIVERY');
    const bytes = await get(ctx, admin, pod?.download_url as string);
    expect(bytes.body).toBe('%PDF-1.4 signed delivery note');
  });

  it('an unknown upload or a non-document answer fails the whole update', async () => {
    const created = (await upload(ctx, admin, realisticOrder('QA-2'))).json();
    const result = await partial([
      {
        match: byReference('PO-QA-2'),
        update: { operation: 'UPDATE', data: { planning_instructions: 'must not stick' } },
        question_answers: { 'documents/PROOF_OF_DELIVERY': [{ remote_document: { upload_id: '00000000-0000-4000-8000-000000000000' } }] },
      },
      { match: byReference('PO-QA-2'), question_answers: { assign_resource: 'TRUCK-12' } },
    ]);
    expect(result.results.map((r) => r.outcome)).toEqual(['ERROR', 'ERROR']);
    expect(result.errors[0]?.error_message).toMatch(/^updates\[0\]: Unknown upload_id/);
    expect(result.errors[1]).toMatchObject({ error_type: 'NOT_SUPPORTED' });
    expect((await get(ctx, admin, `/v1/orders/order/${created.order_id}`)).json().planning_instructions).toBe('Tail lift required');
    expect((await get(ctx, admin, `/v1/orders/order/${created.order_id}/documents`)).json()).toEqual([]);
  });
});
