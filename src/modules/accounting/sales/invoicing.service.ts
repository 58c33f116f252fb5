import { randomUUID } from 'node:crypto';
import { onlyOne } from '../../../platform/narrow.js';
import type { Insertable } from 'kysely';
import type { CompaniesService } from '../../companies/index.js';
import type { OrdersService } from '../../orders/index.js';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, conflict, detail, notFound, type ErrorDetail } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { Dec, minorUnits, moneyString, parseDecimal } from '../../../platform/money.js';
import type { BillingDocumentLineTable, DocumentKind } from '../documents/documents.tables.js';
import * as repo from '../documents/documents.repo.js';
import type { DocumentRow, LineRow } from '../documents/documents.repo.js';
import { paymentTermOf, type BillingParty } from '../documents/documents.output.js';
import type { CreditInput, InvoiceOrdersInput, SalesCreditNoteInput, SalesInvoiceInput } from '../documents/documents.schemas.js';
import { documentEvent, drawNumberInDateOrder, todayUtc, type BillingService } from '../documents/documents.service.js';
import * as chargesRepo from '../charges/charges.repo.js';
import { accountingConversion, convertedCharge, rateOn } from '../documents/conversion.service.js';
import { dueDate } from '../documents/payment-terms.policy.js';
import type { ReferenceService } from '../reference/reference.service.js';
import { documentTotals, pricedLines } from '../documents/totals.policy.js';
import { rateCategory, rateFields } from '../documents/vat-category.policy.js';
import { supplyPeriod, type SupplyPeriod } from './supply.policy.js';

/** The head of a draft Waybill makes itself: not numbered yet, dated today, due by the other party's payment term. */
export function draftHead(
  fields: { tenant_id: string; kind: DocumentKind; billing_entity_id: string; company_id: string; currency: string; payment_term: string | null },
  today: string,
  extra: { customer_reference_numbers?: string[]; custom_fields?: Record<string, unknown> },
  supply: SupplyPeriod | null = null,
) {
  return {
    ...fields,
    status: 'DRAFT' as const,
    year: null,
    number: null,
    name: null,
    date: today,
    due_date: dueDate(today, fields.payment_term),
    customer_reference_numbers: JSON.stringify(extra.customer_reference_numbers ?? []),
    custom_fields: JSON.stringify(extra.custom_fields ?? {}),
    origin: 'WAYBILL' as const,
    finalized_at: null,
    supply_start: supply?.start ?? null,
    supply_end: supply?.end ?? null,
  };
}

/** A line to write; its `allowance_amount` is read only for a discount given as an amount (no percentage), and stored as the totals round it. */
type NewLine = Omit<Insertable<BillingDocumentLineTable>, 'tenant_id' | 'document_id' | 'position' | 'amount'>;

export type InvoicingService = ReturnType<typeof createInvoicingService>;

/** Making invoices and credit notes: from orders' approved charges, against an invoice, or as sent by an accounting package. */
export function createInvoicingService(deps: {
  db: Db;
  bus: EventBus;
  orders: OrdersService;
  companies: CompaniesService;
  reference: ReferenceService;
  billing: BillingService;
}) {
  const { db, bus, orders, companies, reference, billing } = deps;

  /**
   * Writes a document and its lines with totals computed from the lines (amounts rounded once per
   * line, tax once per rate), so stored totals always equal what the lines add up to.
   */
  async function writeDocument(
    tx: Tx,
    head: Omit<Parameters<typeof repo.insertDocument>[1], 'total_excl_tax' | 'total_tax' | 'total_incl_tax' | 'tax_subtotals' | 'id'>,
    lines: NewLine[],
    taxCaps?: Map<string, Dec>,
  ): Promise<DocumentRow> {
    const totals = documentTotals(pricedLines(lines as Parameters<typeof pricedLines>[0]), head.currency, taxCaps);
    const row = await repo.insertDocument(tx.trx, {
      ...head,
      id: randomUUID(),
      total_excl_tax: totals.totalExclTax,
      total_tax: totals.totalTax,
      total_incl_tax: totals.totalInclTax,
      tax_subtotals: JSON.stringify(totals.subtotals),
    });
    await repo.insertLines(
      tx.trx,
      lines.map((l, i) => ({
        ...l,
        tenant_id: head.tenant_id,
        document_id: row.id,
        position: i,
        amount: totals.lineAmounts[i] as string,
        allowance_amount: totals.lineAllowances[i] ?? null,
      })),
    );
    return row;
  }

  async function customerOf(tenantId: string, ref: { id?: string | null; accounting_code?: string | null }): Promise<BillingParty> {
    if (ref.id) {
      const company = await companies.findById(tenantId, ref.id);
      if (company) return company;
    } else if (ref.accounting_code) {
      const only = onlyOne(await companies.findByAccountingCode(tenantId, ref.accounting_code));
      if (only) return only;
    }
    throw badRequest('customer names no single company of this tenant', [detail('unknown customer (send id or a unique accounting_code)', 'customer')]);
  }

  /** An invoice or credit note sent by an accounting package: it is already posted there, so it is final and posted here. */
  async function createExternal(principal: Principal, kind: DocumentKind, input: SalesInvoiceInput | SalesCreditNoteInput) {
    const tenantId = principal.tenantId;
    const customer = await customerOf(tenantId, input.customer);
    const entity = await reference.resolveEntity(tenantId, input.billing_entity?.code, 'billing_entity');
    const taxType = kind === 'SALES_INVOICE' ? 'SALES' : 'SALES_CREDIT_NOTE';
    const lines: NewLine[] = [];
    for (const [i, charge] of input.charges.entries()) {
      if (!charge.tax_rate) throw badRequest('Every charge needs a tax_rate', [detail('tax_rate is required', 'tax_rate', `charges[${i}].tax_rate`)]);
      const code = charge.tax_rate.code;
      // A credit note may use the sales rate when no credit-note rate has that code.
      const rate = await reference
        .resolveTaxRate(tenantId, { code }, taxType, entity.id, `charges[${i}].tax_rate`)
        .catch((err: unknown) =>
          taxType === 'SALES' ? Promise.reject(err) : reference.resolveTaxRate(tenantId, { code }, 'SALES', entity.id, `charges[${i}].tax_rate`),
        );
      lines.push({
        id: randomUUID(),
        code: charge.code ?? charge.price_list_item.code,
        name: charge.name ?? charge.price_list_item.code,
        description: charge.description ?? null,
        quantity: '1',
        unit_price: parseDecimal(charge.amount_excl_tax).toFixed(),
        ...rateFields(rate),
        charge_id: null,
        credited_line_id: null,
        order_id: null,
        order_name: null,
        account_code: null,
      });
    }
    const row = await inTransaction(db, async (tx) => {
      const numbered = await drawNumberInDateOrder(tx, tenantId, entity, kind, input.date);
      const created = await writeDocument(
        tx,
        {
          tenant_id: tenantId,
          kind,
          status: 'POSTED',
          billing_entity_id: entity.id,
          company_id: customer.id,
          currency: input.currency,
          ...numbered,
          date: input.date,
          due_date: kind === 'SALES_INVOICE' ? ((input as SalesInvoiceInput).due_date ?? dueDate(input.date, paymentTermOf(customer))) : null,
          booking_date: input.booking_date ?? null,
          payment_term: paymentTermOf(customer),
          // A credit note's state is its refund (OPEN / REFUNDED), an invoice's its payment.
          payment_status: kind === 'SALES_INVOICE' ? 'UNPAID' : 'OPEN',
          customer_reference_numbers: JSON.stringify(input.customer_reference_numbers ?? []),
          custom_fields: JSON.stringify(input.custom_fields ?? {}),
          origin: 'API',
          finalized_at: new Date(),
        },
        lines,
      );
      const conversion = await accountingConversion(tx.trx, created, entity.currency, input.date);
      const final = conversion ? await repo.updateDocument(tx.trx, tenantId, created.id, { exchange_rate: JSON.stringify(conversion) }) : created;
      const issued = await billing.issue(tx, final, customer);
      await documentEvent(tx, bus, issued, 'finalized');
      return issued;
    });
    return billing.output(tenantId, row);
  }

  return {
    /**
     * A draft invoice of the approved, not yet invoiced charges of one customer's orders. The
     * charges are locked and taken by the draft in one transaction, so two drafts never bill the
     * same charge.
     */
    async invoiceOrders(principal: Principal, input: InvoiceOrdersInput) {
      const tenantId = principal.tenantId;
      const refs = await Promise.all(input.order_ids.map((id) => orders.findVisibleOrder(principal, id)));
      const customerIds = new Set(refs.map((o) => o.customerCompanyId));
      if (customerIds.size > 1)
        throw badRequest('The orders belong to different customers: one invoice bills one customer', [detail('several customers', 'order_ids')]);
      const customer = await companies.findById(tenantId, refs[0]?.customerCompanyId as string);
      if (!customer) throw notFound('Customer');
      const orderNames = new Map(refs.map((o) => [o.id, o.name]));
      // Read before the transaction: the orders module reads on its own connection.
      const supply = supplyPeriod(await Promise.all(input.order_ids.map((id) => orders.get(principal, id))));
      const today = todayUtc();
      const row = await inTransaction(db, async (tx) => {
        const locked = await chargesRepo.lockInvoiceableCharges(tx.trx, tenantId, input.order_ids);
        if (!locked.length) throw conflict('These orders have no approved charges left to invoice', [detail('nothing to invoice', 'order_ids')]);
        const charges = await chargesRepo.listChargeViews(tx.trx, tenantId, { ids: locked.map((c) => c.id) });
        const entities = new Set(charges.map((c) => c.billing_entity_id));
        if (entities.size > 1) throw badRequest('The charges use tax rates of different billing entities', [detail('several billing entities', 'order_ids')]);
        // The invoice is in the customer's currency; a charge in another one is converted at the
        // rate in force on the invoice's date, recorded on its line.
        const currency = customer.currency;
        const prices = await Promise.all(
          charges.map(async (c) =>
            c.currency === currency
              ? { unit_price: c.unit_price, allowance_amount: c.discount_amount ?? null }
              : convertedCharge(c, await rateOn(tx.trx, tenantId, c.currency, currency, today, 'order_ids'), currency),
          ),
        );
        const term = paymentTermOf(customer);
        const draft = await writeDocument(
          tx,
          draftHead(
            {
              tenant_id: tenantId,
              kind: 'SALES_INVOICE',
              billing_entity_id: [...entities][0] as string,
              company_id: customer.id,
              currency,
              payment_term: term,
            },
            today,
            input,
            supply,
          ),
          charges.map((c, i) => ({
            id: randomUUID(),
            charge_id: c.id,
            credited_line_id: null,
            order_id: c.order_id,
            order_name: orderNames.get(c.order_id) ?? null,
            code: c.code,
            name: c.name,
            description: c.description,
            quantity: c.quantity,
            ...(prices[i] as { unit_price: string; allowance_amount: string | null }),
            tax_rate_id: c.tax_rate_id,
            tax_code: c.tax_code,
            tax_name: c.tax_name,
            tax_percentage: c.tax_percentage,
            tax_type: c.tax_type,
            ...rateCategory(c),
            account_code: c.account_code,
            allowance_percentage: c.discount_percentage ?? null,
            allowance_reason: c.discount_reason ?? null,
          })),
        );
        await chargesRepo.assignCharges(
          tx.trx,
          tenantId,
          locked.map((c) => c.id),
          draft.id,
        );
        await documentEvent(tx, bus, draft, 'drafted');
        return draft;
      });
      return billing.invoice(tenantId, row);
    },

    /** Deletes a draft and frees its charges for another invoice. */
    async deleteDraft(principal: Principal, kind: DocumentKind, id: string) {
      await inTransaction(db, async (tx) => {
        const row = await repo.findDocument(tx.trx, principal.tenantId, id, kind, true);
        if (!row) throw notFound('Document');
        if (row.status !== 'DRAFT') throw conflict('Only a draft can be deleted; credit a finalized invoice instead', [detail('not a draft', 'status')]);
        const lines = await repo.listLines(tx.trx, principal.tenantId, [id]);
        await chargesRepo.assignCharges(
          tx.trx,
          principal.tenantId,
          lines.flatMap((l) => (l.charge_id ? [l.charge_id] : [])),
          null,
        );
        await repo.deleteDocument(tx.trx, principal.tenantId, id);
        await documentEvent(tx, bus, row, 'deleted');
      });
    },

    /**
     * A draft credit note against a finalized invoice: the whole remaining amount, or the given
     * amounts per line. The invoice stays locked while its lines' credited amounts are checked and
     * the note written, so concurrent credit notes can never together exceed the invoice.
     */
    async credit(principal: Principal, invoiceId: string, input: CreditInput) {
      return billing.creditNote(principal.tenantId, await creditDocument(principal, 'SALES_INVOICE', invoiceId, input));
    },

    /** The same for a purchase invoice: a draft purchase credit note, never more than the invoice. */
    async creditPurchase(principal: Principal, invoiceId: string, input: CreditInput) {
      return billing.output(principal.tenantId, await creditDocument(principal, 'PURCHASE_INVOICE', invoiceId, input));
    },

    writeDocument,
    createExternalInvoice: (principal: Principal, input: SalesInvoiceInput) => createExternal(principal, 'SALES_INVOICE', input),
    createExternalCreditNote: (principal: Principal, input: SalesCreditNoteInput) => createExternal(principal, 'SALES_CREDIT_NOTE', input),
  };

  async function creditDocument(
    principal: Principal,
    invoiceKind: 'SALES_INVOICE' | 'PURCHASE_INVOICE',
    invoiceId: string,
    input: CreditInput,
  ): Promise<DocumentRow> {
    const tenantId = principal.tenantId;
    return inTransaction(db, async (tx) => {
      const invoice = await repo.findDocument(tx.trx, tenantId, invoiceId, invoiceKind, true);
      if (!invoice) throw notFound(invoiceKind === 'SALES_INVOICE' ? 'Sales invoice' : 'Purchase invoice');
      if (invoice.status === 'DRAFT') throw conflict('A draft cannot be credited: delete it instead', [detail('draft', 'status')]);
      const lines = await repo.listLines(tx.trx, tenantId, [invoiceId]);
      const credited = await repo.creditedPerLine(
        tx.trx,
        tenantId,
        lines.map((l) => l.id),
      );
      const remaining = (l: LineRow) => new Dec(l.amount).minus(credited.get(l.id) ?? 0);
      const byId = new Map(lines.map((l) => [l.id, l]));
      const requested = input.lines?.map((w) => ({ line: byId.get(w.line_id), amount: parseDecimal(w.amount) }));
      const errors: ErrorDetail[] = [];
      const seen = new Set<string>();
      if (requested)
        requested.forEach((w, i) => {
          const path = `lines[${i}]`;
          if (!w.line) errors.push(detail('no such line on this invoice', 'line_id', `${path}.line_id`));
          else if (seen.has(w.line.id)) errors.push(detail('line listed twice', 'line_id', `${path}.line_id`));
          else if (w.amount.lte(0)) errors.push(detail('must be positive', 'amount', `${path}.amount`));
          else if (w.amount.decimalPlaces() > minorUnits(invoice.currency)) {
            errors.push(detail(`at most ${minorUnits(invoice.currency)} decimals in ${invoice.currency}`, 'amount', `${path}.amount`));
          } else if (w.amount.gt(remaining(w.line))) {
            errors.push(detail(`exceeds what is left to credit on the line (${moneyString(remaining(w.line), invoice.currency)})`, 'amount', `${path}.amount`));
          }
          if (w.line) seen.add(w.line.id);
        });
      if (errors.length) throw badRequest('The credit note would credit more than the invoice holds', errors);
      // Every requested line is on the invoice by now: a missing one was an error above.
      const wanted: Array<{ line: LineRow; amount: Dec }> = requested
        ? requested.flatMap(({ line, amount }) => (line ? [{ line, amount }] : []))
        : // All that is left: discounts (negative lines) are given back too, or the note would credit more than was paid.
          lines.map((line) => ({ line, amount: remaining(line) })).filter((w) => !w.amount.isZero());
      if (!wanted.length) throw conflict('The invoice is fully credited already', [detail('nothing left to credit', 'lines')]);
      const note = await writeDocument(
        tx,
        {
          tenant_id: tenantId,
          kind: invoiceKind === 'SALES_INVOICE' ? 'SALES_CREDIT_NOTE' : 'PURCHASE_CREDIT_NOTE',
          status: 'DRAFT',
          billing_entity_id: invoice.billing_entity_id,
          company_id: invoice.company_id,
          currency: invoice.currency,
          year: null,
          number: null,
          name: null,
          date: todayUtc(),
          due_date: null,
          payment_term: null,
          payment_status: 'OPEN',
          credited_document_id: invoice.id,
          // What it credits was supplied when the invoice says.
          supply_start: invoice.supply_start ?? null,
          supply_end: invoice.supply_end ?? null,
          customer_reference_numbers: JSON.stringify(invoice.customer_reference_numbers),
          custom_fields: JSON.stringify({}),
          origin: 'WAYBILL',
          finalized_at: null,
        },
        wanted.map(({ line, amount }) => ({
          id: randomUUID(),
          charge_id: null,
          credited_line_id: line.id,
          order_id: line.order_id,
          order_name: line.order_name,
          code: line.code,
          name: line.name,
          description: line.description,
          // A whole line is credited as it was billed, its allowance too (a percentage or an amount); a part as one unit of that (net) amount.
          quantity: amount.eq(line.amount) ? line.quantity : '1',
          unit_price: amount.eq(line.amount) ? line.unit_price : amount.toFixed(),
          allowance_percentage: amount.eq(line.amount) ? (line.allowance_percentage ?? null) : null,
          allowance_amount: amount.eq(line.amount) ? (line.allowance_amount ?? null) : null,
          allowance_reason: amount.eq(line.amount) ? (line.allowance_reason ?? null) : null,
          tax_rate_id: line.tax_rate_id,
          tax_code: line.tax_code,
          tax_name: line.tax_name,
          tax_percentage: line.tax_percentage,
          tax_type: line.tax_type,
          ...rateCategory(line),
          account_code: line.account_code,
          trip_id: line.trip_id,
        })),
      );
      await documentEvent(tx, bus, note, 'drafted');
      return note;
    });
  }
}
