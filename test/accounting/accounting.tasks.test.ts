import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { call, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Paging carrier');
  await seedBillingEntity(ctx, admin);
  await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
});
afterAll(() => ctx.close());

let seq = 0;
/** A finalized invoice, hence one more POST_INVOICE task in the queue; returns the invoice id. */
async function queueTask(): Promise<string> {
  const orderId = await newOrder(ctx, admin, `PAGE-${++seq}`, 'ACME');
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'F', unit_price: 10, tax_rate: { code: 'BE21' } });
  const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
  return (await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, {})).id as string;
}

async function page(url: string) {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { authorization: admin.auth } });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expectContract('AvailableTasks', body);
  return { body, link: res.headers.link as string | undefined };
}

describe('sync-task list pages', () => {
  it('walks more tasks than a page holds, with no skip and no repeat, while new tasks are queued', async () => {
    const before: string[] = [];
    for (let i = 0; i < 5; i++) before.push(await queueTask());

    const seen: string[] = [];
    const queuedDuring: string[] = [];
    let url: string | undefined = '/v1/accounting/sync-tasks?limit=2';
    let pages = 0;
    while (url) {
      const { body, link } = await page(url);
      seen.push(...body.tasks.map((t: { invoice_id: string }) => t.invoice_id));
      pages += 1;
      // The Link header and next_cursor lead to the same next page.
      if (body.next_cursor) expect(link).toBe(`</v1/accounting/sync-tasks?cursor=${body.next_cursor}>; rel="next"`);
      else expect(link).toBeUndefined();
      // Tasks queued while paging show up on a later page.
      if (pages <= 2) queuedDuring.push(await queueTask());
      url = body.next_cursor ? `/v1/accounting/sync-tasks?cursor=${body.next_cursor}&limit=2` : undefined;
    }
    expect(seen).toEqual([...before, ...queuedDuring]);
    expect(new Set(seen).size).toBe(seen.length);

    // Without paging parameters the contract's answer holds every task, oldest first.
    const all = (await page('/v1/tasks/available-tasks')).body;
    expect(all.tasks.map((t: { invoice_id: string }) => t.invoice_id)).toEqual(seen);
    expect(all.next_cursor).toBeNull();
    // The generic task list pages the same queue.
    const first = (await page('/v1/tasks/available-tasks?limit=3')).body;
    expect(first.tasks).toEqual(all.tasks.slice(0, 3));
    const second = (await page(`/v1/tasks/available-tasks?limit=3&cursor=${first.next_cursor}`)).body;
    expect(second.tasks).toEqual(all.tasks.slice(3, 6));
  });

  it('puts a retried task at the end of the queue', async () => {
    const all = (await page('/v1/accounting/sync-tasks')).body.tasks as Array<{ id: string }>;
    const head = all[0]?.id as string;
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${head}/update-status`, { status: 'FAILED' });
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${head}/retry`);
    const after = (await page('/v1/accounting/sync-tasks')).body.tasks as Array<{ id: string }>;
    expect(after.map((t) => t.id)).toEqual([...all.slice(1).map((t) => t.id), head]);
  });

  it('keeps the billing entity filter in the cursor and refuses bad paging input', async () => {
    const first = (await page('/v1/accounting/sync-tasks?billing_entity_code=WB-BE&limit=1')).body;
    expect(first.tasks).toHaveLength(1);
    const bad = async (query: string) => {
      const res = await call(ctx, admin.auth, 'GET', `/v1/accounting/sync-tasks?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expectContract('ValidationErrorResponse', res.body);
    };
    await bad(`cursor=${first.next_cursor}&billing_entity_code=OTHER`);
    await bad('cursor=not-a-cursor');
    await bad(
      `cursor=${Buffer.from(JSON.stringify({ filters: { billing_entity_code: 7 }, after: { ts: '2026-01-01T00:00:00Z', id: first.tasks[0].id } })).toString('base64url')}`,
    );
    await bad('limit=0');
    await bad('limit=1001');
    const second = (await page(`/v1/accounting/sync-tasks?cursor=${first.next_cursor}&billing_entity_code=WB-BE&limit=1`)).body;
    expect(second.tasks[0].id).not.toBe(first.tasks[0].id);
    // Another tenant's queue is its own, cursor or not.
    const other = await newTenant(ctx, 'Other paging carrier');
    const res = await call(ctx, other.auth, 'GET', `/v1/accounting/sync-tasks?cursor=${first.next_cursor}`);
    expect(res.status).toBe(200);
    expect(res.body.tasks).toEqual([]);
  });

  it('names each task’s document and, once it failed, why (Waybill additions to the contract’s item)', async () => {
    const invoiceId = await queueTask();
    const invoice = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoiceId}`);
    const find = async (status: string) => {
      const { body } = await page(`/v1/accounting/sync-tasks?status=${status}`);
      return (body.tasks as Array<Record<string, unknown>>).find((t) => t.invoice_id === invoiceId);
    };
    const todo = await find('TODO');
    expect(todo).toMatchObject({ subject_type: 'SALES_INVOICE', document_name: invoice.name, failure: null, status: 'TODO' });
    expect(Date.parse(todo?.queued_at as string)).not.toBeNaN();

    const failure = { error_type: 'USER_INPUT_ERROR', error_message: 'Customer ACME is unknown in the ledger' };
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${todo?.id as string}/update-status`, { status: 'FAILED', failure });
    expect(await find('FAILED')).toMatchObject({ id: todo?.id, document_name: invoice.name, failure });
    // The generic list carries the same item.
    const generic = (await page('/v1/tasks/available-tasks')).body.tasks as Array<{ id: string }>;
    expect(generic.map((t) => t.id)).not.toContain(todo?.id);

    // A retry keeps the last reason beside the task until the package reports again, and queues it anew.
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${todo?.id as string}/retry`);
    const retried = await find('TODO');
    expect(retried).toMatchObject({ id: todo?.id, failure });
    expect(Date.parse(retried?.queued_at as string)).toBeGreaterThan(Date.parse(todo?.queued_at as string));
  });
});
