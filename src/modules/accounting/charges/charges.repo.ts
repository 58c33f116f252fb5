import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { OrderChargeTable } from './charges.tables.js';
import './charges.tables.js';

export type ChargeRow = Selectable<OrderChargeTable>;

export async function insertCharge(db: Executor, row: Insertable<OrderChargeTable>): Promise<ChargeRow> {
  return db.insertInto('order_charges').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A charge with the tax rate and account fields its output shows. */
export type ChargeView = ChargeRow & {
  tax_code: string;
  tax_name: string;
  tax_percentage: string;
  tax_type: string;
  vat_category?: string | null;
  exemption_reason_code?: string | null;
  exemption_reason?: string | null;
  billing_entity_id: string;
  account_code: string | null;
};

export async function listChargeViews(db: Executor, tenantId: string, by: { orderId?: string; ids?: string[] }): Promise<ChargeView[]> {
  let q = db
    .selectFrom('order_charges as c')
    .innerJoin('tax_rates as t', (j) => j.onRef('t.tenant_id', '=', 'c.tenant_id').onRef('t.id', '=', 'c.tax_rate_id'))
    .leftJoin('gl_accounts as a', (j) => j.onRef('a.tenant_id', '=', 'c.tenant_id').onRef('a.id', '=', 'c.account_id'))
    .selectAll('c')
    .select([
      't.code as tax_code',
      't.name as tax_name',
      't.percentage as tax_percentage',
      't.tax_type as tax_type',
      't.vat_category as vat_category',
      't.exemption_reason_code as exemption_reason_code',
      't.exemption_reason as exemption_reason',
      't.billing_entity_id as billing_entity_id',
      'a.code as account_code',
    ])
    .where('c.tenant_id', '=', tenantId);
  if (by.orderId) q = q.where('c.order_id', '=', by.orderId);
  if (by.ids) q = by.ids.length ? q.where('c.id', 'in', by.ids) : q.where('c.id', 'is', null);
  return q.orderBy('c.created_at').orderBy('c.id').execute();
}

/** The charges of one order, locked until the transaction ends (approval and edits race otherwise). */
export async function lockOrderCharges(db: Executor, tenantId: string, orderId: string, ids: string[]): Promise<ChargeRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('order_charges')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function updateCharge(db: Executor, tenantId: string, id: string, set: Updateable<OrderChargeTable>): Promise<ChargeRow> {
  return db
    .updateTable('order_charges')
    .set({ ...set, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteCharge(db: Executor, tenantId: string, id: string) {
  await db.deleteFrom('order_charges').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Approved charges of these orders that no invoice holds yet, locked for invoicing. */
export async function lockInvoiceableCharges(db: Executor, tenantId: string, orderIds: string[]): Promise<ChargeRow[]> {
  if (!orderIds.length) return [];
  return db
    .selectFrom('order_charges')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', 'in', orderIds)
    .where('approval_status', '=', 'APPROVED')
    .where('invoice_id', 'is', null)
    .orderBy('order_id')
    .orderBy('created_at')
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function assignCharges(db: Executor, tenantId: string, ids: string[], invoiceId: string | null) {
  if (!ids.length) return;
  await db
    .updateTable('order_charges')
    .set({ invoice_id: invoiceId, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}
