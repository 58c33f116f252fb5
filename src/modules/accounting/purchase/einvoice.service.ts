import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CompaniesService } from '../../companies/index.js';
import type { BillableTrip } from '../../trips/index.js';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, conflict, detail, notFound, payloadTooLarge } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { Dec, moneyString, sum } from '../../../platform/money.js';
import type { BlobStore } from '../../../platform/storage/blob-store.js';
import { cleanFilename, contentTypeFromFilename, normalizeContentType, strictBase64 } from '../../../platform/http/file-names.js';
import * as billingRepo from '../documents/documents.repo.js';
import { documentEvent } from '../documents/documents.service.js';
import type { EInvoiceFile, ParsedEInvoice } from './einvoice.parse.js';
import type { InvoicingService } from '../sales/invoicing.service.js';
import * as purchaseRepo from './purchase.repo.js';
import type { EInvoiceReceipt } from './purchase.schemas.js';
import { subcontractorOf, type TripsForBilling } from './purchase.service.js';
import type { MatchDifference, MatchStatus } from './purchase.tables.js';
import type { ReferenceService } from '../reference/reference.service.js';
import { rateCategory } from '../documents/vat-category.policy.js';
import type { BillingParty } from '../documents/documents.output.js';
import type { BillingEntityRow } from '../reference/reference.repo.js';
import { describeParty, identifies, sameParty, type KnownParty } from './parties.policy.js';
import type { StatedPayment } from './einvoice.parse.js';

/** Days between two calendar dates, as a NET_n term that gives the supplier's due date back on finalization. */
function termFor(date: string, due: string | null): string | null {
  if (!due) return null;
  const days = Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
  return days >= 0 ? `NET_${days}` : null;
}

/** A file whose bytes are at hand already: a part of the multipart form. */
export type UploadedEInvoiceFile = Omit<EInvoiceFile, 'base64'> & { bytes: Buffer };

/** Every file decoded and checked, so that one bad file refuses the invoice before anything is stored. */
function decodeFiles(files: EInvoiceFile[], uploaded: UploadedEInvoiceFile[], maxBytes: number) {
  const decoded = files.map(({ base64, ...f }) => {
    const bytes = strictBase64(base64);
    if (!bytes) throw badRequest(`${f.field}: the content is not valid base64`, [detail('not valid base64', f.field)]);
    return { ...f, bytes };
  });
  return [...decoded, ...uploaded].map((f) => {
    if (f.bytes.length > maxBytes) throw payloadTooLarge(`${f.field}: the file is larger than the limit of ${maxBytes} bytes`);
    const filename = cleanFilename(f.filename);
    const contentType = normalizeContentType(f.contentType) ?? contentTypeFromFilename(filename) ?? 'application/octet-stream';
    return { bytes: f.bytes, filename, contentType, documentType: f.documentType };
  });
}

/**
 * A received XML e-invoice is the supplier's invoice itself: kept as it came (the body as the
 * server decoded it, UTF-8) beside the draft, listed under its `/documents` and downloadable, so the
 * books hold the original and not only what Waybill read from it.
 */
export function receivedXmlFile(parsed: ParsedEInvoice, xml: string): UploadedEInvoiceFile {
  return {
    field: 'body',
    bytes: Buffer.from(xml, 'utf8'),
    // A supplier's number often holds slashes, which a file name cannot.
    filename: `${parsed.name.replace(/[\\/]/g, '-')}.xml`,
    contentType: 'application/xml',
    documentType: parsed.invoiceType === 'PURCHASE_CREDIT_NOTE' ? 'CREDIT_NOTE' : 'INVOICE',
  };
}

const companyIds = (company: BillingParty): KnownParty => {
  const d = company.details;
  return { vat: d.vat_number, peppolId: d.peppol_id, registration: d.reference_numbers?.company_registration_number };
};
const entityIds = (entity: BillingEntityRow): KnownParty => ({
  vat: entity.vat_number,
  peppolId: entity.peppol_id,
  registration: entity.company_registration_number,
});
const partyRefused = (message: string, field: string) => badRequest(message, [detail(message, field)]);

/** The seller must be the subcontractor whose credentials sent the invoice, when the document names one. */
function assertSeller(parsed: ParsedEInvoice, supplier: BillingParty) {
  if (parsed.sellerCompanyId && parsed.sellerCompanyId !== supplier.id) {
    throw partyRefused(`The seller (supplier.id ${parsed.sellerCompanyId}) is not ${supplier.name}, who sent the invoice`, 'supplier.id');
  }
  if (identifies(parsed.seller) && !sameParty(parsed.seller, companyIds(supplier))) {
    throw partyRefused(
      `The seller ${describeParty(parsed.seller)} is not ${supplier.name}, who sent the invoice (compared by VAT number and Peppol id)`,
      'supplier',
    );
  }
}

/**
 * The billing entity the invoice is addressed to, by the buyer's VAT id or Peppol id. An XML
 * invoice must name its buyer so (EN 16931 and Peppol do); the contract's JSON form names none, and
 * then it is the default entity's.
 */
function buyerEntity(
  parsed: ParsedEInvoice,
  entities: BillingEntityRow[],
  fallback: () => Promise<BillingEntityRow>,
): Promise<BillingEntityRow> | BillingEntityRow {
  const buyerName = parsed.buyer?.name;
  if (identifies(parsed.buyer)) {
    const buyer = parsed.buyer;
    const entity = entities.find((e) => sameParty(buyer, entityIds(e)));
    if (!entity)
      throw partyRefused(`The buyer ${describeParty(buyer)} is none of this tenant’s billing entities (compared by VAT number and Peppol id)`, 'buyer');
    return entity;
  }
  if (parsed.format !== 'JSON') {
    const named = buyerName ? ` (${buyerName.slice(0, 100)})` : '';
    throw partyRefused(`The buyer${named} is named by no VAT id or electronic address: it must be one of the tenant’s billing entities`, 'buyer');
  }
  return fallback();
}

/** What the supplier states about payment, bounded as the JSON form's schema bounds it. */
const boundedPayment = (p: StatedPayment | null | undefined): StatedPayment | null =>
  p
    ? {
        iban: p.iban?.slice(0, 34) ?? null,
        bic: p.bic?.slice(0, 11) ?? null,
        account_name: p.account_name?.slice(0, 255) ?? null,
        reference: p.reference?.slice(0, 140) ?? null,
      }
    : null;

export type EInvoiceService = ReturnType<typeof createEInvoiceService>;

/**
 * Received e-invoices: a subcontractor's own invoice for its trips, recorded as a draft purchase
 * document and compared with what was agreed. Nothing is accepted silently: a draft that does not
 * match cannot be finalized, and every difference is kept, answered, shown on GET and in an event.
 */
export function createEInvoiceService(deps: {
  db: Db;
  bus: EventBus;
  companies: CompaniesService;
  reference: ReferenceService;
  invoicing: InvoicingService;
  trips: TripsForBilling;
  blobs: BlobStore;
  maxBytes: number;
}) {
  const { db, bus, companies, reference, invoicing, blobs, maxBytes } = deps;

  /**
   * Which trip each line bills: the one its own references name, else the single trip the
   * document's references name, else (with no reference at all) the one unbilled trip of exactly
   * that agreed price. Only the caller's own trips are candidates.
   */
  async function attribute(tenantId: string, supplierId: string, parsed: ParsedEInvoice): Promise<Array<BillableTrip | null>> {
    // Every reference of the document and its lines in one go: a statement per line would hold the
    // database (PGlite's single session above all) for as long as a long invoice has lines.
    const byReference = await deps.trips.billableTripsByReference(db, tenantId, supplierId, [
      ...parsed.references,
      ...parsed.lines.flatMap((l) => l.references),
    ]);
    const named = (references: string[]) => [...new Map(references.flatMap((r) => byReference.get(r) ?? []).map((t) => [t.id, t])).values()];
    const header = named(parsed.references);
    // Lines without references fall back to the agreed price; lines of one price share one lookup.
    const unbilledAt = new Map<string, Promise<BillableTrip[]>>();
    const unbilledAtPrice = (price: string) => {
      let found = unbilledAt.get(price);
      if (!found) {
        found = deps.trips.billableTrips(db, tenantId, supplierId, { price, currency: parsed.currency }).then(async (agreed) => {
          const billed = await purchaseRepo.claimedTrips(
            db,
            tenantId,
            agreed.map((t) => t.id),
          );
          return agreed.filter((t) => !billed.has(t.id));
        });
        unbilledAt.set(price, found);
      }
      return found;
    };
    const taken = new Set<string>();
    const result: Array<BillableTrip | null> = [];
    for (const line of parsed.lines) {
      const own = named(line.references);
      let trip: BillableTrip | undefined;
      if (own.length === 1) trip = own[0];
      else if (!own.length && header.length === 1) trip = header[0];
      else if (!own.length && !header.length) {
        const priced = (await unbilledAtPrice(line.amount)).filter((t) => !taken.has(t.id));
        if (priced.length === 1) trip = priced[0];
      }
      if (trip) taken.add(trip.id);
      result.push(trip ?? null);
    }
    return result;
  }

  return {
    /** `uploaded`: the files of a multipart form, kept exactly as the document's own attachments. */
    async receive(principal: Principal, parsed: ParsedEInvoice, uploaded: UploadedEInvoiceFile[] = []): Promise<EInvoiceReceipt> {
      const tenantId = principal.tenantId;
      if (!principal.companyId) throw notFound('Subcontractor');
      const supplier = await subcontractorOf(companies, tenantId, principal.companyId);
      assertSeller(parsed, supplier);
      const entity = await buyerEntity(parsed, [...(await reference.entityMap(tenantId)).values()], () => reference.resolveEntity(tenantId, null));
      const kind = parsed.invoiceType === 'PURCHASE' ? 'PURCHASE_INVOICE' : 'PURCHASE_CREDIT_NOTE';
      if (await purchaseRepo.findReceived(db, tenantId, supplier.id, kind, parsed.name)) {
        throw conflict(`${parsed.name} was received already`, [detail('duplicate invoice number', 'name')]);
      }
      const rates = await purchaseRepo.purchaseTaxRates(db, tenantId, entity.id);
      // Credit notes are recorded for the tenant to settle by hand: they credit an invoice, not a trip.
      const trips = kind === 'PURCHASE_INVOICE' ? await attribute(tenantId, supplier.id, parsed) : parsed.lines.map(() => null);
      const money = (value: Dec) => moneyString(value, parsed.currency);
      // The bytes go to the blob store before the transaction, as the documents module does: a
      // rollback leaves unreferenced blobs for the sweep, never a file row without content.
      const files = await Promise.all(
        decodeFiles(parsed.attachments, uploaded, maxBytes).map(async (f) => ({ ...f, blob: await blobs.put(Readable.from([f.bytes]), { maxBytes }) })),
      );

      const result = await inTransaction(db, async (tx) => {
        const tripIds = [...new Set(trips.flatMap((t) => (t ? [t.id] : [])))];
        await deps.trips.lockForBilling(tx.trx, tenantId, { tripIds });
        const claimed = await purchaseRepo.claimedTrips(tx.trx, tenantId, tripIds);
        const differences: MatchDifference[] = [];
        for (const id of tripIds) {
          const trip = trips.find((t) => t?.id === id) as BillableTrip;
          const invoiced = sum(parsed.lines.filter((_, i) => trips[i]?.id === id).map((l) => new Dec(l.amount)));
          const base = { trip_id: trip.id, trip_name: trip.name, agreed: trip.purchase_price, invoiced: money(invoiced) };
          if (claimed.has(id)) differences.push({ ...base, reason: 'ALREADY_BILLED', message: `${trip.name} is billed on ${claimed.get(id)} already` });
          else if (trip.purchase_currency !== parsed.currency)
            differences.push({ ...base, reason: 'CURRENCY_DIFFERS', message: `${trip.name} was agreed in ${trip.purchase_currency}` });
          else if (!invoiced.eq(trip.purchase_price))
            differences.push({ ...base, reason: 'AMOUNT_DIFFERS', message: `${trip.name}: agreed ${trip.purchase_price}, invoiced ${money(invoiced)}` });
        }
        if (tripIds.length) {
          parsed.lines.forEach((l, i) => {
            if (!trips[i])
              differences.push({
                reason: 'LINE_NOT_MATCHED',
                trip_id: null,
                trip_name: null,
                agreed: null,
                invoiced: l.amount,
                message: `line ${i + 1} names no trip of yours`,
              });
          });
        }
        const row = await invoicing.writeDocument(
          tx,
          {
            tenant_id: tenantId,
            kind,
            status: 'DRAFT',
            billing_entity_id: entity.id,
            company_id: supplier.id,
            currency: parsed.currency,
            year: null,
            number: null,
            name: null,
            external_name: parsed.name,
            date: parsed.date,
            due_date: kind === 'PURCHASE_INVOICE' ? (parsed.dueDate ?? parsed.date) : null,
            payment_term: termFor(parsed.date, parsed.dueDate),
            payment_status: kind === 'PURCHASE_INVOICE' ? 'UNPAID' : 'OPEN',
            customer_reference_numbers: JSON.stringify(parsed.references.filter((r) => r.length <= 100).slice(0, 50)),
            custom_fields: JSON.stringify(parsed.customFields ?? {}),
            origin: 'E_INVOICE',
            finalized_at: null,
          },
          parsed.lines.map((l, i) => {
            const percentage = l.percentage ?? '0';
            const taxType = l.taxType ?? (new Dec(percentage).gt(0) ? 'VAT' : 'NO_VAT');
            const rate = rates.find((r) => new Dec(r.percentage).eq(percentage) && r.tax_type === taxType);
            return {
              id: randomUUID(),
              trip_id: trips[i]?.id ?? null,
              charge_id: null,
              credited_line_id: null,
              order_id: null,
              order_name: null,
              code: 'E_INVOICE_LINE',
              name: l.description.slice(0, 255) || `Line ${i + 1}`,
              description: null,
              quantity: '1',
              unit_price: l.amount,
              tax_rate_id: rate?.id ?? null,
              tax_code: rate?.code ?? `${taxType}-${new Dec(percentage).toFixed()}`,
              tax_name: rate?.name ?? `${new Dec(percentage).toFixed()}% as invoiced`,
              tax_percentage: percentage,
              tax_type: taxType,
              ...rateCategory(rate ?? {}),
              account_code: l.accountCode ?? null,
            };
          }),
        );
        // The supplier's own totals must add up to its lines, as Waybill rounds them.
        for (const field of ['total_excl_tax', 'total_incl_tax'] as const) {
          if (!new Dec(row[field]).eq(parsed.totals[field])) {
            differences.push({
              reason: 'TOTAL_DIFFERS',
              trip_id: null,
              trip_name: null,
              agreed: money(new Dec(row[field])),
              invoiced: parsed.totals[field],
              message: `${field} does not add up`,
            });
          }
        }
        const matchStatus: MatchStatus = !tripIds.length ? 'UNMATCHED' : differences.length ? 'MISMATCH' : 'MATCHED';
        if (files.length) {
          await billingRepo.insertFiles(
            tx.trx,
            files.map((f) => ({
              tenant_id: tenantId,
              id: randomUUID(),
              document_id: row.id,
              type: f.documentType,
              name: f.filename,
              content_type: f.contentType,
              sha256: f.blob.sha256,
              size_bytes: f.blob.size,
            })),
          );
        }
        await purchaseRepo.insertClaims(
          tx.trx,
          tenantId,
          row.id,
          tripIds.filter((id) => !claimed.has(id)),
        );
        await purchaseRepo.insertEInvoice(tx.trx, {
          tenant_id: tenantId,
          document_id: row.id,
          format: parsed.format,
          match_status: matchStatus,
          differences: JSON.stringify(differences),
          stated_totals: JSON.stringify(parsed.totals),
          stated_payment: JSON.stringify(boundedPayment(parsed.payment)),
        });
        await documentEvent(tx, bus, row, 'drafted');
        await appendEvent(tx, bus, {
          tenantId,
          type: `${kind.toLowerCase() as Lowercase<typeof kind>}.e_invoice_received`,
          entityType: kind.toLowerCase(),
          entityId: row.id,
          payload: { id: row.id, external_name: parsed.name, supplier_id: supplier.id, match_status: matchStatus, differences },
        });
        return { id: row.id, matchStatus, differences };
      });
      return { id: result.id, invoice_type: parsed.invoiceType, external_name: parsed.name, match_status: result.matchStatus, differences: result.differences };
    },
  };
}
