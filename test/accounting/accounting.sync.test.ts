import { describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { eventually } from '../support/webhook-receiver.js';
import { webhookWorld } from '../support/webhook-world.js';
import { call, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

const world = webhookWorld();

interface AccountingUpdate {
  timestamp: string;
  updates: Array<{ type: string; id: string; status: string; payment_status: string | null }>;
}
const updates = () => world.receiver.received.map((m) => JSON.parse(m.body) as AccountingUpdate);

describe('from charges to a posted, paid invoice', () => {
  it('goes through approval, invoice, finalization, sync task, COMPLETED and PAID, pushing each transition', async () => {
    const { ctx, receiver } = world;
    const admin = await newTenant(ctx, 'Sync carrier');
    await seedBillingEntity(ctx, admin);
    const acme = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261', sales: { payment_term: { code: 'NET_14' } } });
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acme });
    const endpoint = await call(ctx, admin.auth, 'POST', '/v1/admin/webhook-endpoints', { url: receiver.url, families: ['accounting_visibility'] });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);

    const orderId = await newOrder(ctx, admin, 'SYNC-1', 'ACME');
    const charge = await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
      code: 'FREIGHT',
      unit_price: '500',
      tax_rate: { code: 'BE21' },
      requires_approval: true,
    });
    // Not approved yet: nothing to invoice.
    expectError(await call(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] }), 409);
    await ok(ctx, customer.auth, 'POST', `/v1/orders/order/${orderId}/charges/approval`, { charges: [{ id: charge.id, approval_status: 'APPROVED' }] });

    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-11-30' });
    expect(invoice).toMatchObject({ name: 'INV-WB-BE-2026-00001', due_date: '2026-12-14', total_incl_tax: '605.00' });

    const list = await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks');
    expectContract('AvailableTasks', list);
    expect(list.tasks).toEqual([
      {
        id: expect.any(String),
        task_type: 'POST_INVOICE',
        status: 'TODO',
        invoice_id: invoice.id,
        billing_entity_code: 'WB-BE',
        subject_type: 'SALES_INVOICE',
        document_name: invoice.name,
        failure: null,
        queued_at: expect.any(String),
      },
    ]);
    expect(await ok(ctx, admin.auth, 'GET', '/v1/tasks/available-tasks')).toEqual(list);
    expect((await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks?billing_entity_code=WB-BE')).tasks).toHaveLength(1);
    expect((await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks?billing_entity_code=OTHER')).tasks).toEqual([]);

    const taskId = list.tasks[0].id as string;
    const detail = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sync-tasks/${taskId}`);
    expectContract('TaskDetail', detail);
    expect(detail).toMatchObject({
      status: 'TODO',
      task_type: 'POST_INVOICE',
      invoice_id: invoice.id,
      payload: { subject_id: invoice.id, subject_type: 'SALES_INVOICE', instance: { name: invoice.name } },
    });
    expect(await ok(ctx, admin.auth, 'GET', `/v1/tasks/task/${taskId}`)).toEqual(detail);

    // The package fails once, the tenant fixes the cause and retries, then it posts.
    const failed = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/update-status`, {
      status: 'FAILED',
      failure: { error_type: 'USER_INPUT_ERROR', error_message: 'Unknown customer in ledger' },
    });
    expectContract('TaskUpdate', failed);
    expect((await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks')).tasks).toEqual([]);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sync-tasks/${taskId}`)).failure).toEqual({
      error_type: 'USER_INPUT_ERROR',
      error_message: 'Unknown customer in ledger',
    });
    expect(await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/retry`)).toEqual({ status: 'TODO' });
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/retry`), 409);
    // Some clients send a failure block with COMPLETED; it is ignored.
    await ok(ctx, admin.auth, 'POST', `/v1/tasks/task/${taskId}/update-status`, {
      status: 'COMPLETED',
      failure: { error_type: 'INTERNAL_ERROR', error_message: null },
    });
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/update-status`, { status: 'FAILED' }), 409);
    // A connector that lost the first answer reports COMPLETED again: the same answer, nothing changes.
    const eventsBefore = (await ok(ctx, admin.auth, 'GET', '/v1/events?limit=1000')).items.length;
    expect(await ok(ctx, admin.auth, 'POST', `/v1/tasks/task/${taskId}/update-status`, { status: 'COMPLETED' })).toEqual({ status: 'COMPLETED' });
    expect((await ok(ctx, admin.auth, 'GET', '/v1/events?limit=1000')).items.length).toBe(eventsBefore);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}`)).status).toBe('INVOICE_POSTED');

    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoice.id}/payment/update-status`, { status: 'PAID' });

    const seen = await eventually(() => (updates().length >= 4 ? updates() : undefined));
    for (const u of seen) expectContract('AccountingVisibilityUpdate', u);
    expect(seen.map((u) => u.updates.map((x) => [x.type, x.id, x.status, x.payment_status]))).toEqual([
      [['SalesInvoice', invoice.id, 'DRAFT', 'UNPAID']],
      [['SalesInvoice', invoice.id, 'INVOICED', 'UNPAID']],
      [['SalesInvoice', invoice.id, 'INVOICE_POSTED', 'UNPAID']],
      [['SalesInvoice', invoice.id, 'INVOICE_POSTED', 'PAID']],
    ]);
  });

  it('writes external references back through the Basic webhook, matched by invoice name', async () => {
    const { ctx } = world;
    const admin = await newTenant(ctx, 'Write-back carrier');
    await seedBillingEntity(ctx, admin);
    await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
    const orderId = await newOrder(ctx, admin, 'WB-1', 'ACME');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'F', unit_price: 10, tax_rate: { code: 'BE21' } });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, {});
    const hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const match = (name: string) => ({ matches_all: [{ sales_invoice: { name: { matches_any: [name] } } }] });
    const res = await ok(ctx, hook.auth, 'POST', '/v1/webhook/billing-document-update', {
      updates: [
        { sales_invoice: { match: match(invoice.name), id: 'LEDGER-991', custom_fields: { journal: 'SALES' } } },
        { sales_invoice: { match: match('INV-NOPE'), custom_fields: { journal: 'X' } } },
      ],
    });
    expect(res.updated).toEqual([invoice.id]);
    expect(res.errors).toHaveLength(1);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}`)).custom_fields).toEqual({
      journal: 'SALES',
      external_id: 'LEDGER-991',
    });
    // A Bearer token is refused on the webhook (401); a webhook client's credentials on the REST API are known but not for this job (403).
    expectError(await call(ctx, admin.auth, 'POST', '/v1/webhook/billing-document-update', { updates: [] }), 401);
    expectError(await call(ctx, hook.auth, 'GET', '/v1/accounting/sync-tasks'), 403);
  });

  it('keeps tasks within the tenant and away from customers', async () => {
    const { ctx } = world;
    const admin = await newTenant(ctx, 'Isolated carrier');
    await seedBillingEntity(ctx, admin);
    const acme = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
    const orderId = await newOrder(ctx, admin, 'ISO-1', 'ACME');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'F', unit_price: 10, tax_rate: { code: 'BE21' } });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, {});
    const taskId = (await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks')).tasks[0].id;
    const other = await newTenant(ctx, 'Nosy carrier');
    expect((await ok(ctx, other.auth, 'GET', '/v1/accounting/sync-tasks')).tasks).toEqual([]);
    expectError(await call(ctx, other.auth, 'GET', `/v1/accounting/sync-tasks/${taskId}`), 404);
    expectError(await call(ctx, other.auth, 'POST', `/v1/tasks/task/${taskId}/update-status`, { status: 'COMPLETED' }), 404);
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acme });
    expectError(await call(ctx, customer.auth, 'GET', '/v1/accounting/sync-tasks'), 403);
    expectError(await call(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/update-status`, { status: 'DONE' }), 400);
    expectError(
      await call(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/update-status`, { status: 'FAILED', failure: { error_type: 'OOPS' } }),
      400,
    );
  });
});
