import { randomUUID } from 'node:crypto';
import type { CompaniesService } from '../../companies/index.js';
import type { TripsService } from '../../trips/index.js';
import type { Db, Executor } from '../../../platform/db/database.js';
import { inTransaction } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { BillingParty } from '../documents/documents.output.js';
import type { DocumentRow } from '../documents/documents.repo.js';
import { documentEvent, todayUtc, type BillingService } from '../documents/documents.service.js';
import { draftHead, type InvoicingService } from '../sales/invoicing.service.js';
import type { PurchaseDocumentOutput } from './purchase.output.js';
import * as purchaseRepo from './purchase.repo.js';
import type { SelfBillInput } from './purchase.schemas.js';
import type { ReferenceService } from '../reference/reference.service.js';
import { rateFields } from '../documents/vat-category.policy.js';

/** A received e-invoice is booked only when it agrees with the agreed costs: differences are never accepted silently. */
export async function assertMatched(executor: Executor, draft: DocumentRow) {
  const einvoice = await purchaseRepo.findEInvoice(executor, draft.tenant_id, draft.id);
  if (einvoice && einvoice.match_status !== 'MATCHED') {
    throw conflict(`The e-invoice is ${einvoice.match_status}: delete it and ask the supplier for a corrected one`, [
      detail(einvoice.match_status, 'match_status'),
    ]);
  }
}

/** The supplier's payment term: the purchase role's own term first, then the company's. */
export function purchaseTermOf(company: BillingParty): string | null {
  const details = company.details;
  return details.purchase?.payment_term?.code ?? details.payment_term?.code ?? null;
}

/** The subcontractor a purchase document is for: a company of the tenant marked as subcontractor. */
export async function subcontractorOf(companies: CompaniesService, tenantId: string, id: string): Promise<BillingParty> {
  const company = await companies.findById(tenantId, id);
  if (!company || !company.is_subcontractor) throw notFound('Subcontractor');
  return company;
}

/** What billing needs of trips: their agreed costs, read and locked in billing's own transaction. */
export type TripsForBilling = Pick<TripsService, 'billableTrips' | 'billableTripsByReference' | 'lockForBilling'>;

export type PurchaseService = ReturnType<typeof createPurchaseService>;

/**
 * Self-billing: the tenant bills itself, on the subcontractor's behalf, for the agreed price of
 * the trips the subcontractor completed. Completed, not merely dispatched: a dispatched trip can
 * still be cancelled or have its price renegotiated, and a bill must not outrun the work.
 */
export function createPurchaseService(deps: {
  db: Db;
  bus: EventBus;
  companies: CompaniesService;
  reference: ReferenceService;
  billing: BillingService<PurchaseDocumentOutput>;
  invoicing: InvoicingService;
  trips: TripsForBilling;
}) {
  const { db, bus, companies, reference, billing, invoicing } = deps;

  return {
    /**
     * A draft purchase invoice of the subcontractor's completed, not yet billed trips (or the
     * given ones). The trips are locked, then their claims read and written in one transaction,
     * so a trip's cost lands on at most one purchase document however many requests race.
     */
    async selfBill(principal: Principal, input: SelfBillInput) {
      const tenantId = principal.tenantId;
      const supplier = await subcontractorOf(companies, tenantId, input.subcontractor_id);
      const entity = await reference.resolveEntity(tenantId, input.billing_entity_code);
      const rate = await reference.resolveTaxRate(tenantId, input.tax_rate, 'PURCHASE', entity.id, 'tax_rate');
      const term = purchaseTermOf(supplier);
      const today = todayUtc();
      const row = await inTransaction(db, async (tx) => {
        const trips = await deps.trips.lockForBilling(tx.trx, tenantId, { subcontractorId: supplier.id, completed: true, tripIds: input.trip_ids });
        const missing = (input.trip_ids ?? []).filter((id) => !trips.some((t) => t.id === id));
        if (missing.length) {
          throw badRequest(
            'Only completed trips of this subcontractor with an agreed price can be self-billed',
            missing.map((id) => detail(`trip ${id} is not billable`, 'trip_ids')),
          );
        }
        const claimed = await purchaseRepo.claimedTrips(
          tx.trx,
          tenantId,
          trips.map((t) => t.id),
        );
        if (input.trip_ids && claimed.size) {
          throw conflict(
            'Some trips are billed already',
            [...claimed].map(([tripId, document]) => detail(`trip ${tripId} is on ${document}`, 'trip_ids')),
          );
        }
        const billable = trips.filter((t) => !claimed.has(t.id));
        if (!billable.length) throw conflict('This subcontractor has no completed trips left to bill', [detail('nothing to bill', 'subcontractor_id')]);
        const currencies = new Set(billable.map((t) => t.purchase_currency));
        if (currencies.size > 1)
          throw badRequest('The trips were agreed in different currencies: bill them separately', [detail('several currencies', 'trip_ids')]);
        const draft = await invoicing.writeDocument(
          tx,
          draftHead(
            {
              tenant_id: tenantId,
              kind: 'PURCHASE_INVOICE',
              billing_entity_id: entity.id,
              company_id: supplier.id,
              currency: [...currencies][0] as string,
              payment_term: term,
            },
            today,
            input,
          ),
          billable.map((t) => ({
            id: randomUUID(),
            trip_id: t.id,
            charge_id: null,
            credited_line_id: null,
            order_id: null,
            order_name: null,
            code: 'SUBCONTRACTING',
            name: `Subcontracting ${t.name}`,
            description: null,
            quantity: '1',
            unit_price: t.purchase_price,
            ...rateFields(rate),
            account_code: null,
          })),
        );
        await purchaseRepo.insertClaims(
          tx.trx,
          tenantId,
          draft.id,
          billable.map((t) => t.id),
        );
        await documentEvent(tx, bus, draft, 'drafted');
        return draft;
      });
      return billing.output(tenantId, row);
    },
  };
}
