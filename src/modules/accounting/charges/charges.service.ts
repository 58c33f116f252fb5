import { randomUUID } from 'node:crypto';
import type { CompaniesService } from '../../companies/index.js';
import type { OrderRef, OrdersService } from '../../orders/index.js';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { Dec, minorUnits, moneyString, parseDecimal, plainString } from '../../../platform/money.js';
import * as repo from './charges.repo.js';
import type { ChargeRow, ChargeView } from './charges.repo.js';
import type { ChargesApprovalInput, ChargeWithApprovalOutput, OrderChargeChange, OrderChargeInput, OrderChargesOutput } from './charges.schemas.js';
import type { ReferenceService } from '../reference/reference.service.js';
import { lineAllowance, lineAmount } from '../documents/totals.policy.js';
import { mustGet } from '../../../platform/narrow.js';

/** What the charge comes to: quantity × unit price, less its discount, each rounded once as on the invoice line. */
function netAmount(c: Pick<ChargeRow, 'quantity' | 'unit_price' | 'currency' | 'discount_percentage' | 'discount_amount'>) {
  const gross = lineAmount(c.quantity, c.unit_price, c.currency);
  return gross.minus(lineAllowance(gross, { percentage: c.discount_percentage, amount: c.discount_amount }, c.currency) ?? 0);
}

type Discount = { discount_percentage: string | null; discount_amount: string | null; discount_reason: string | null };
type DiscountInput = Pick<OrderChargeChange, 'discount_percentage' | 'discount_amount' | 'discount_reason'>;

/**
 * The charge's discount once this input applies: a percentage of quantity × unit price or an
 * amount in the charge's currency, never both. Setting one clears the other, null clears it, and
 * its reason goes with it. Checked against the charge as it will be: a discount is on a positive
 * price only (a negative charge is itself a discount, a document allowance), and an amount takes
 * at most what the charge comes to, in its currency's decimals.
 */
function discountOf(
  input: DiscountInput,
  existing: Partial<Discount> | undefined,
  charge: { quantity: string; unit_price: string; currency: string },
): Discount {
  const given = (v: number | string | null | undefined) => v !== undefined && v !== null;
  if (given(input.discount_percentage) && given(input.discount_amount)) {
    throw badRequest('Send discount_percentage or discount_amount, not both', [detail('one discount per charge', 'discount_amount')]);
  }
  const pick = (mine: number | string | null | undefined, other: number | string | null | undefined, kept: string | null | undefined) =>
    mine !== undefined ? mine : given(other) ? null : (kept ?? null);
  const percentage = pick(input.discount_percentage, input.discount_amount, existing?.discount_percentage);
  const amount = pick(input.discount_amount, input.discount_percentage, existing?.discount_amount);
  if (percentage === null && amount === null) return { discount_percentage: null, discount_amount: null, discount_reason: null };
  const field = percentage !== null ? 'discount_percentage' : 'discount_amount';
  if (new Dec(charge.unit_price).lte(0)) {
    if (!given(input[field])) {
      throw badRequest(`A discount applies to a positive unit price: remove the discount (${field}: null) first`, [detail('discounted', 'unit_price')]);
    }
    throw badRequest('A discount applies to a positive unit price; a negative charge is a discount itself', [detail('needs a positive unit_price', field)]);
  }
  const reason = input.discount_reason !== undefined ? input.discount_reason : (existing?.discount_reason ?? null);
  if (percentage !== null) {
    const value = parseDecimal(percentage);
    if (value.lte(0) || value.gt(100))
      throw badRequest('discount_percentage must be more than 0 and at most 100', [detail('out of range', 'discount_percentage')]);
    return { discount_percentage: value.toFixed(), discount_amount: null, discount_reason: reason };
  }
  const value = parseDecimal(amount as number | string);
  const gross = lineAmount(charge.quantity, charge.unit_price, charge.currency);
  if (value.lte(0)) throw badRequest('discount_amount must be more than 0', [detail('must be positive', 'discount_amount')]);
  if (value.decimalPlaces() > minorUnits(charge.currency)) {
    throw badRequest(`discount_amount has more decimals than ${charge.currency} has`, [
      detail(`at most ${minorUnits(charge.currency)} decimals in ${charge.currency}`, 'discount_amount'),
    ]);
  }
  if (value.gt(gross)) {
    throw badRequest(`discount_amount exceeds what the charge comes to (${moneyString(gross, charge.currency)} ${charge.currency})`, [
      detail(`at most quantity × unit price (${moneyString(gross, charge.currency)})`, 'discount_amount'),
    ]);
  }
  return { discount_percentage: null, discount_amount: value.toFixed(), discount_reason: reason };
}

export function chargeOutput(c: ChargeView): ChargeWithApprovalOutput {
  return {
    id: c.id,
    order_id: c.order_id,
    code: c.code,
    name: c.name,
    description: c.description,
    quantity: plainString(new Dec(c.quantity)),
    unit_price: plainString(new Dec(c.unit_price)),
    amount_excl_tax: moneyString(netAmount(c), c.currency),
    discount_percentage: c.discount_percentage ? plainString(new Dec(c.discount_percentage)) : null,
    discount_amount: c.discount_amount ? moneyString(new Dec(c.discount_amount), c.currency) : null,
    discount_reason: c.discount_reason ?? null,
    currency: c.currency,
    tax_rate: { id: c.tax_rate_id, code: c.tax_code, name: c.tax_name, percentage: new Dec(c.tax_percentage).toNumber() },
    account: c.account_code ? { code: c.account_code } : null,
    requires_approval: c.requires_approval,
    approval_status: c.approval_status,
    approval_reason: c.approval_reason ?? null,
    status: c.invoice_id ? 'INVOICED' : 'CREATED',
    invoice_id: c.invoice_id,
  };
}

export type ChargesService = ReturnType<typeof createChargesService>;

/**
 * Charges on orders: what the tenant bills beyond (or instead of) an agreed price. A charge the
 * customer must approve is announced with a COST_APPROVAL_REQUEST order event and is invoiced only
 * once approved. A charge held by an invoice can no longer change.
 */
export function createChargesService(deps: { db: Db; bus: EventBus; orders: OrdersService; companies: CompaniesService; reference: ReferenceService }) {
  const { db, bus, orders, companies, reference } = deps;

  async function view(tenantId: string, chargeId: string): Promise<ChargeWithApprovalOutput> {
    const [row] = await repo.listChargeViews(db, tenantId, { ids: [chargeId] });
    if (!row) throw notFound('Charge');
    return chargeOutput(row);
  }

  /** The quantity and unit price, checked: a charge bills a positive quantity. */
  function amounts(quantity: number | string | undefined, unitPrice: number | string | undefined) {
    const q = quantity === undefined ? undefined : parseDecimal(quantity);
    if (q && q.lte(0)) throw badRequest('quantity must be positive', [detail('must be positive', 'quantity')]);
    return { quantity: q?.toFixed(), unit_price: unitPrice === undefined ? undefined : parseDecimal(unitPrice).toFixed() };
  }

  async function references(tenantId: string, input: Pick<OrderChargeChange, 'tax_rate' | 'account_code'>) {
    const taxRate = input.tax_rate ? await reference.resolveTaxRate(tenantId, input.tax_rate, 'SALES') : undefined;
    let accountId: string | null | undefined;
    if (input.account_code === null) accountId = null;
    else if (input.account_code) {
      // An account of the same entity as the tax rate: one charge, one legal entity.
      if (!taxRate) throw badRequest('Send tax_rate with account_code', [detail('tax_rate is needed to find the account', 'tax_rate')]);
      accountId = (await reference.resolveAccount(db, tenantId, taxRate.billing_entity_id, input.account_code)).id;
    }
    return { taxRateId: taxRate?.id, accountId };
  }

  /** The COST_APPROVAL_REQUEST order event, visible to the order's customer. */
  async function requestApproval(tx: Tx, order: OrderRef, charge: ChargeRow) {
    await appendEvent(tx, bus, {
      tenantId: order.tenantId,
      type: 'order.cost_approval_requested',
      entityType: 'order',
      entityId: order.id,
      companyIds: [order.customerCompanyId],
      payload: {
        order_id: order.id,
        order_name: order.name,
        status: order.status,
        charge_id: charge.id,
        code: charge.code,
        unit_price: charge.unit_price,
        quantity: charge.quantity,
      },
    });
  }

  async function chargeEvent(
    tx: Tx,
    order: OrderRef,
    type: `charge.${'added' | 'changed' | 'removed' | 'approved' | 'rejected'}`,
    charge: Pick<ChargeRow, 'id' | 'approval_status' | 'approval_reason'>,
    answeredBy?: { role: string; apiClientId: string },
  ) {
    await appendEvent(tx, bus, {
      tenantId: order.tenantId,
      type,
      entityType: 'charge',
      entityId: charge.id,
      companyIds: [order.customerCompanyId],
      payload: {
        charge_id: charge.id,
        order_id: order.id,
        order_name: order.name,
        approval_status: charge.approval_status,
        ...(answeredBy
          ? {
              answered_by: answeredBy.role === 'TENANT' ? 'TENANT_ON_BEHALF_OF_CUSTOMER' : 'CUSTOMER',
              answered_by_client_id: answeredBy.apiClientId,
              reason: charge.approval_reason ?? null,
            }
          : {}),
      },
    });
  }

  /** The charge, locked, if it belongs to the order and no invoice holds it. */
  async function lockEditable(tx: Tx, order: OrderRef, chargeId: string): Promise<ChargeRow> {
    const [row] = await repo.lockOrderCharges(tx.trx, order.tenantId, order.id, [chargeId]);
    if (!row) throw notFound('Charge');
    if (row.invoice_id) throw conflict('The charge is on an invoice and can no longer change', [detail('invoiced', 'charge_id')]);
    return row;
  }

  return {
    async list(principal: Principal, orderId: string): Promise<OrderChargesOutput> {
      const order = await orders.findVisibleOrder(principal, orderId);
      return { charges: (await repo.listChargeViews(db, principal.tenantId, { orderId: order.id })).map(chargeOutput) };
    },

    async add(principal: Principal, orderId: string, input: OrderChargeInput): Promise<ChargeWithApprovalOutput> {
      const order = await orders.findVisibleOrder(principal, orderId);
      const customer = await companies.findById(principal.tenantId, order.customerCompanyId);
      if (!customer) throw notFound('Order');
      const { quantity, unit_price } = amounts(input.quantity ?? '1', input.unit_price);
      const { taxRateId, accountId } = await references(principal.tenantId, input);
      const requiresApproval = input.requires_approval ?? false;
      const currency = input.currency ?? customer.currency;
      const discount = discountOf(input, undefined, { quantity: quantity as string, unit_price: unit_price as string, currency });
      const charge = await inTransaction(db, async (tx) => {
        const row = await repo.insertCharge(tx.trx, {
          tenant_id: principal.tenantId,
          id: randomUUID(),
          order_id: order.id,
          customer_company_id: order.customerCompanyId,
          code: input.code,
          name: input.name ?? input.code,
          description: input.description ?? null,
          quantity: quantity as string,
          unit_price: unit_price as string,
          currency,
          tax_rate_id: taxRateId as string,
          account_id: accountId ?? null,
          ...discount,
          requires_approval: requiresApproval,
          approval_status: requiresApproval ? 'REQUESTED' : 'APPROVED',
        });
        await chargeEvent(tx, order, 'charge.added', row);
        if (requiresApproval) await requestApproval(tx, order, row);
        return row;
      });
      return view(principal.tenantId, charge.id);
    },

    /** Changing what a customer must approve asks for approval again. */
    async change(principal: Principal, orderId: string, chargeId: string, input: OrderChargeChange): Promise<ChargeWithApprovalOutput> {
      const order = await orders.findVisibleOrder(principal, orderId);
      const { quantity, unit_price } = amounts(input.quantity, input.unit_price);
      const { taxRateId, accountId } = await references(principal.tenantId, input);
      await inTransaction(db, async (tx) => {
        const existing = await lockEditable(tx, order, chargeId);
        const discount = discountOf(input, existing, {
          quantity: quantity ?? existing.quantity,
          unit_price: unit_price ?? existing.unit_price,
          currency: input.currency ?? existing.currency,
        });
        const requiresApproval = input.requires_approval ?? existing.requires_approval;
        const priced =
          quantity !== undefined ||
          unit_price !== undefined ||
          taxRateId !== undefined ||
          input.currency !== undefined ||
          input.discount_percentage !== undefined ||
          input.discount_amount !== undefined;
        const askAgain = requiresApproval && (priced || !existing.requires_approval);
        const row = await repo.updateCharge(tx.trx, principal.tenantId, chargeId, {
          code: input.code,
          name: input.name,
          description: input.description,
          quantity,
          unit_price,
          currency: input.currency,
          tax_rate_id: taxRateId,
          account_id: accountId,
          ...discount,
          requires_approval: requiresApproval,
          approval_status: askAgain ? 'REQUESTED' : requiresApproval ? existing.approval_status : 'APPROVED',
          ...(askAgain ? { approval_reason: null } : {}),
        });
        await chargeEvent(tx, order, 'charge.changed', row);
        if (askAgain) await requestApproval(tx, order, row);
      });
      return view(principal.tenantId, chargeId);
    },

    async remove(principal: Principal, orderId: string, chargeId: string): Promise<void> {
      const order = await orders.findVisibleOrder(principal, orderId);
      await inTransaction(db, async (tx) => {
        const existing = await lockEditable(tx, order, chargeId);
        await repo.deleteCharge(tx.trx, principal.tenantId, chargeId);
        await chargeEvent(tx, order, 'charge.removed', existing);
      });
    },

    /**
     * The customer's answer on charges awaiting approval. All or nothing: one charge that is not
     * awaiting an answer (or not on this order) refuses the whole request.
     */
    async approve(principal: Principal, orderId: string, input: ChargesApprovalInput): Promise<OrderChargesOutput> {
      const order = await orders.findVisibleOrder(principal, orderId);
      const answers = new Map(input.charges.map((c) => [c.id, { status: c.approval_status ?? 'APPROVED', reason: c.reason?.trim() || null }]));
      if (answers.size !== input.charges.length) throw badRequest('A charge is listed twice', [detail('duplicate id', 'id', 'charges')]);
      await inTransaction(db, async (tx) => {
        const rows = await repo.lockOrderCharges(tx.trx, principal.tenantId, order.id, [...answers.keys()]);
        const found = new Map(rows.map((r) => [r.id, r]));
        const errors = input.charges.flatMap((c, i) => {
          const row = found.get(c.id);
          if (!row) return [detail('no such charge on this order', 'id', `charges[${i}].id`)];
          if (row.invoice_id || !row.requires_approval || !['REQUESTED', 'REJECTED', 'APPROVED'].includes(row.approval_status)) {
            return [detail(`charge is ${row.invoice_id ? 'invoiced' : 'not awaiting approval'}`, 'id', `charges[${i}].id`)];
          }
          return [];
        });
        if (errors.length) throw conflict('Some charges cannot be approved or rejected', errors);
        for (const row of rows) {
          const { status, reason } = mustGet(answers, row.id);
          if (status === row.approval_status && reason === (row.approval_reason ?? null)) continue;
          const updated = await repo.updateCharge(tx.trx, principal.tenantId, row.id, { approval_status: status, approval_reason: reason });
          await chargeEvent(tx, order, status === 'APPROVED' ? 'charge.approved' : 'charge.rejected', updated, principal);
        }
      });
      return { charges: (await repo.listChargeViews(db, principal.tenantId, { orderId: order.id })).map(chargeOutput) };
    },
  };
}
