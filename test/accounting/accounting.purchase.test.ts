import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { en16931Failures, haveEn16931, havePeppol, peppolFailures } from '../support/en16931.js';
import { haveXsd, xsdErrors } from '../support/ubl-xsd.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { call, ok } from './accounting.fixtures.js';
import { seedPurchase, subcontractedTrip, subcontractor } from './accounting.purchase.fixtures.js';
import { tripsWorld } from '../trips/trips.fixtures.js';

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let subco: Client;
let subcoId: string;
let accounting: Receiver;

interface AccountingUpdate {
  updates: Array<{ type: string; id: string; status: string; payment_status: string | null }>;
}

beforeAll(async () => {
  ({ ctx, admin } = world);
  ({ subco, subcoId } = await seedPurchase(ctx, admin));
  accounting = (await world.receiver(null, ['accounting_visibility'])).receiver;
});

describe('self-billing a subcontractor’s completed trips', () => {
  let invoice: Record<string, unknown> & { id: string; name: string; line_items: Array<{ id: string; trip_id: string }> };

  it('goes from a completed trip to a posted, paid self-billing invoice, pushing each transition', async () => {
    const trip = await subcontractedTrip(ctx, admin, subco, subcoId, 'PUR-1', '450.00');
    // Dispatched but not completed: not billed yet.
    const open = await subcontractedTrip(ctx, admin, subco, subcoId, 'PUR-OPEN', '99.00', false);

    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: subcoId, tax_rate: { code: 'BE21-P' } });
    expectContract('PurchaseInvoice', draft);
    expect(draft).toMatchObject({
      status: 'DRAFT',
      total_excl_tax: '450.00',
      total_tax: '94.50',
      total_incl_tax: '544.50',
      supplier: { id: subcoId },
      e_invoice: null,
    });
    expect(draft.line_items.map((l: { trip_id: string; name: string }) => [l.trip_id, l.name])).toEqual([[trip.id, `Subcontracting ${trip.name}`]]);
    expect(draft.line_items.some((l: { trip_id: string }) => l.trip_id === open.id)).toBe(false);

    invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${draft.id}/finalize`, { date: '2026-11-30' });
    expectContract('PurchaseInvoice', invoice);
    expect(invoice).toMatchObject({
      name: 'PINV-WB-BE-2026-00001',
      external_name: 'PINV-WB-BE-2026-00001',
      status: 'INVOICED',
      due_date: '2026-12-30',
      payment_status: 'UNPAID',
    });

    const tasks = await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks');
    expect(tasks.tasks).toEqual([
      {
        id: expect.any(String),
        task_type: 'POST_INVOICE_PURCHASE',
        status: 'TODO',
        invoice_id: invoice.id,
        billing_entity_code: 'WB-BE',
        subject_type: 'PURCHASE_INVOICE',
        document_name: invoice.name,
        failure: null,
        queued_at: expect.any(String),
      },
    ]);
    const taskId = tasks.tasks[0].id as string;
    const detail = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sync-tasks/${taskId}`);
    expectContract('TaskDetail', detail);
    expect(detail.payload).toMatchObject({ subject_type: 'PURCHASE_INVOICE', instance: { id: invoice.id, supplier: { id: subcoId } } });
    expect(detail.payload.documents.map((d: { type: string }) => d.type)).toEqual(['PURCHASE_INVOICE_PDF', 'PURCHASE_INVOICE_UBL']);

    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/update-status`, { status: 'COMPLETED' });
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${invoice.id}`)).status).toBe('INVOICE_POSTED');
    const paid = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${invoice.id}/payment/update-status`, { status: 'PAID' });
    expectContract('PaymentStatusUpdate', paid);

    const seen = await eventually(() => {
      const mine = accounting.received.flatMap((m) => (JSON.parse(m.body) as AccountingUpdate).updates).filter((u) => u.id === invoice.id);
      return mine.length >= 4 && mine;
    });
    for (const m of accounting.received) expectContract('AccountingVisibilityUpdate', JSON.parse(m.body));
    expect(seen.map((u) => [u.type, u.status, u.payment_status])).toEqual([
      ['PurchaseInvoice', 'DRAFT', 'UNPAID'],
      ['PurchaseInvoice', 'INVOICED', 'UNPAID'],
      ['PurchaseInvoice', 'INVOICE_POSTED', 'UNPAID'],
      ['PurchaseInvoice', 'INVOICE_POSTED', 'PAID'],
    ]);
  });

  it('bills a trip’s cost once: asking again is a 409, naming the trip is a 409', async () => {
    expectError(
      await call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: subcoId, tax_rate: { code: 'BE21-P' } }),
      409,
    );
    const res = await call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', {
      subcontractor_id: subcoId,
      tax_rate: { code: 'BE21-P' },
      trip_ids: [invoice.line_items[0]?.trip_id],
    });
    expectError(res, 409);
    expect(JSON.stringify(res.body)).toContain('PINV-WB-BE-2026-00001');
  });

  it('serves the contract’s reads, custom fields and the deprecated alias', async () => {
    const viaAlias = await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase_invoice/${invoice.id}`);
    expect(viaAlias.name).toBe(invoice.name);
    const patched = await ok(ctx, admin.auth, 'PATCH', `/v1/accounting/purchase-invoice/${invoice.id}`, { custom_fields: { ledger: 'AP-77' } });
    expectContract('PurchaseInvoice', patched);
    expect(patched.custom_fields).toEqual({ ledger: 'AP-77' });
    const files = await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${invoice.id}/documents`);
    for (const f of files) expectContract('Document', f);
    expect((await call(ctx, admin.auth, 'GET', `/v1/accounting/purchase_credit_note/${invoice.id}`)).status).toBe(404);
  });

  it.skipIf(!haveXsd || !haveEn16931)(
    'renders a self-billing UBL (type 389, the subcontractor as seller) that passes the UBL XSD and EN 16931',
    async () => {
      const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-invoice/${invoice.id}/documents`)) as unknown as Array<{
        download_url: string;
        content_type: string;
      }>;
      const pdf = await ctx.app.inject({ url: files[0]?.download_url as string, headers: { authorization: admin.auth } });
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const xml = (await ctx.app.inject({ url: files[1]?.download_url as string, headers: { authorization: admin.auth } })).body;
      expect(xml).toContain('<cbc:InvoiceTypeCode>389</cbc:InvoiceTypeCode>');
      expect(xml).toContain('poacc:selfbilling:3.0');
      const seller = /<cac:AccountingSupplierParty>[\s\S]*?<\/cac:AccountingSupplierParty>/.exec(xml)?.[0] ?? '';
      expect(seller).toContain('Haulers HAUL BV');
      expect(await xsdErrors(xml, 'Invoice')).toEqual([]);
      expect(await en16931Failures(xml)).toEqual([]);
      // The Peppol Self-Billing 3.0 rules, as the CustomizationID says.
      if (havePeppol) expect(await peppolFailures(xml)).toEqual([]);
    },
    600_000,
  );

  it('credits a purchase invoice in part, never beyond it, and its UBL is a self-billed credit note (261) that keeps the three rule sets', async () => {
    const line = invoice.line_items[0]?.id as string;
    expectError(
      await call(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${invoice.id}/credit`, { lines: [{ line_id: line, amount: '450.01' }] }),
      400,
    );
    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${invoice.id}/credit`, { lines: [{ line_id: line, amount: '50.00' }] });
    expectContract('PurchaseCreditNote', note);
    expect(note).toMatchObject({ status: 'DRAFT', refund_status: 'OPEN', total_excl_tax: '50.00', credited_invoice: { id: invoice.id } });
    expectError(
      await call(ctx, admin.auth, 'POST', `/v1/accounting/purchase-invoice/${invoice.id}/credit`, { lines: [{ line_id: line, amount: '400.01' }] }),
      400,
    );
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-credit-note/${note.id}/finalize`, { date: '2026-11-30' });
    expect(final.name).toBe('PCN-WB-BE-2026-00001');
    expectContract('PurchaseCreditNote', await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-credit-note/${note.id}`));
    expectContract(
      'RefundStatusUpdate',
      await ok(ctx, admin.auth, 'POST', `/v1/accounting/purchase-credit-note/${note.id}/refund/update-status`, { status: 'REFUNDED' }),
    );
    const tasks = (await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks')).tasks as Array<{ task_type: string; invoice_id: string }>;
    expect(tasks).toContainEqual(expect.objectContaining({ task_type: 'POST_CREDIT_NOTE_PURCHASE', invoice_id: note.id }));
    const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/purchase-credit-note/${note.id}/documents`)) as unknown as Array<{ download_url: string }>;
    const xml = (await ctx.app.inject({ url: files[1]?.download_url as string, headers: { authorization: admin.auth } })).body;
    expect(xml).toContain('<cbc:CreditNoteTypeCode>261</cbc:CreditNoteTypeCode>');
    if (haveXsd) expect(await xsdErrors(xml, 'CreditNote')).toEqual([]);
    // A self-billed credit note keeps EN 16931 and the Peppol Self-Billing 3.0 rules too.
    expect(xml).toContain('poacc:selfbilling:3.0');
    if (haveEn16931) expect(await en16931Failures(xml)).toEqual([]);
    if (havePeppol) expect(await peppolFailures(xml)).toEqual([]);
  }, 600_000);

  it('two self-billing requests at the same moment bill a trip once', async () => {
    const other = await subcontractor(ctx, admin, 'RACE');
    const raceSubco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: other, kind: 'WEBHOOK' });
    await subcontractedTrip(ctx, admin, raceSubco, other, 'PUR-RACE', '120.00');
    const body = { subcontractor_id: other, tax_rate: { code: 'BE21-P' } };
    const results = await Promise.all([1, 2, 3].map(() => call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    // Deleting the draft frees the trip for another bill.
    const draft = results.find((r) => r.status === 200)?.body as { id: string };
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/v1/accounting/purchase-invoice/${draft.id}`, headers: { authorization: admin.auth } })).statusCode,
    ).toBe(204);
    expect((await ok(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', body)).total_excl_tax).toBe('120.00');
  });

  it('isolates tenants and refuses other callers; bad input is a 400', async () => {
    const stranger = await newTenant(ctx, 'Other carrier');
    expectError(await call(ctx, stranger.auth, 'GET', `/v1/accounting/purchase-invoice/${invoice.id}`), 404);
    expectError(await call(ctx, stranger.auth, 'POST', `/v1/accounting/purchase-invoice/${invoice.id}/payment/update-status`, { status: 'UNPAID' }), 404);
    expectError(
      await call(ctx, stranger.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: subcoId, tax_rate: { code: 'BE21-P' } }),
      404,
    );
    const subcoApi = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    expect((await call(ctx, subcoApi.auth, 'GET', `/v1/accounting/purchase-invoice/${invoice.id}`)).status).toBe(403);
    expectError(
      await call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: 'nope', tax_rate: { code: 'BE21-P' } }),
      400,
    );
    expectError(
      await call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: subcoId, tax_rate: { code: 'BE21' } }),
      400,
    );
    expectError(
      await call(ctx, admin.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: world.acmeId, tax_rate: { code: 'BE21-P' } }),
      404,
    );
  });
});
