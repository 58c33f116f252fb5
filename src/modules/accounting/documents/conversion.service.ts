import type { Executor } from '../../../platform/db/database.js';
import { conflict, detail } from '../../../platform/http/errors.js';
import { convertMoney, convertUnitPrice, Dec, moneyString } from '../../../platform/money.js';
import * as repo from './documents.repo.js';
import type { DocumentRow } from './documents.repo.js';
import * as referenceRepo from '../reference/reference.repo.js';
import { documentTotals, pricedLines } from './totals.policy.js';

/**
 * Currency conversion with the tenant's recorded exchange rates (`/v1/accounting/exchange-rate`).
 * A rate applies from its day until a later one is recorded; a pair recorded the other way round
 * is used through its inverse rate. No rate on or before the day is a 409 naming the pair and the
 * day: Waybill never guesses a rate.
 */
export interface RateInForce {
  from: string;
  to: string;
  rate: Dec;
  inverse: Dec;
  rateDate: string;
}

export async function rateOn(db: Executor, tenantId: string, from: string, to: string, day: string, field: string): Promise<RateInForce> {
  const row = await referenceRepo.rateInForce(db, tenantId, from, to, day);
  if (!row) {
    throw conflict(`No ${from}→${to} exchange rate on or before ${day}: record one with POST /v1/accounting/exchange-rate`, [
      detail(`no ${from}→${to} rate on or before ${day}`, field),
    ]);
  }
  const direct = row.from_currency === from;
  return { from, to, rate: new Dec(direct ? row.rate : row.inverse_rate), inverse: new Dec(direct ? row.inverse_rate : row.rate), rateDate: row.rate_date };
}

/** A charge's price in the invoice's currency, with what the line records about the conversion. */
export function convertedPrice(unitPrice: string, rate: RateInForce) {
  return {
    unit_price: convertUnitPrice(new Dec(unitPrice), rate.rate).toFixed(),
    source_currency: rate.from,
    source_unit_price: unitPrice,
    exchange_rate: rate.rate.toFixed(),
    exchange_rate_date: rate.rateDate,
  };
}

/** A discount given as an amount, in the invoice's currency: amount × rate, rounded once to that currency. */
export function convertedAllowance(sourceAmount: string, rate: RateInForce, currency: string): string {
  return moneyString(convertMoney(new Dec(sourceAmount), rate.rate, currency), currency);
}

/** A charge's price and discount amount in the invoice's currency, with what the line records about the conversion. */
export function convertedCharge(charge: { unit_price: string; discount_amount?: string | null }, rate: RateInForce, currency: string) {
  const discount = charge.discount_amount ?? null;
  return {
    ...convertedPrice(charge.unit_price, rate),
    allowance_amount: discount && convertedAllowance(discount, rate, currency),
    source_allowance_amount: discount,
  };
}

/**
 * A draft's converted lines repriced (and their discount amounts converted) at the rates in force on `day`, the date it is finalized with
 * (drafting converted them at the draft's day), and its totals recomputed from all its lines. A
 * draft without converted lines is answered as it is.
 */
export async function repriceConverted(db: Executor, row: DocumentRow, day: string): Promise<DocumentRow> {
  const lines = await repo.listLines(db, row.tenant_id, [row.id]);
  if (!lines.some((l) => l.source_currency)) return row;
  // A discount given as an amount is converted again with the price; a percentage follows the price by itself.
  const priced = await Promise.all(
    lines.map(async (l) =>
      l.source_currency && l.source_unit_price
        ? {
            ...l,
            ...convertedCharge(
              { unit_price: l.source_unit_price, discount_amount: l.source_allowance_amount },
              await rateOn(db, row.tenant_id, l.source_currency, row.currency, day, 'date'),
              row.currency,
            ),
          }
        : l,
    ),
  );
  const totals = documentTotals(pricedLines(priced), row.currency);
  for (const [i, l] of priced.entries()) {
    if (!l.source_currency) continue;
    await repo.updateLine(db, row.tenant_id, l.id, {
      unit_price: l.unit_price,
      exchange_rate: l.exchange_rate,
      exchange_rate_date: l.exchange_rate_date,
      amount: totals.lineAmounts[i],
      allowance_amount: totals.lineAllowances[i] ?? null,
    });
  }
  return repo.updateDocument(db, row.tenant_id, row.id, {
    total_excl_tax: totals.totalExclTax,
    total_tax: totals.totalTax,
    total_incl_tax: totals.totalInclTax,
    tax_subtotals: JSON.stringify(totals.subtotals),
  });
}

/**
 * What a document in another currency than its entity's books records at finalization (EN 16931
 * BT-6 / BT-111): the rate of the document's date and its VAT total in the books' currency,
 * converted once from the document's total VAT.
 */
export interface AccountingConversion {
  currency: string;
  rate: string;
  inverse_rate: string;
  rate_date: string;
  total_tax: string;
}

export async function accountingConversion(db: Executor, row: Pick<DocumentRow, 'tenant_id' | 'currency' | 'total_tax'>, booksCurrency: string, day: string) {
  if (row.currency === booksCurrency) return null;
  const rate = await rateOn(db, row.tenant_id, row.currency, booksCurrency, day, 'currency');
  const conversion: AccountingConversion = {
    currency: booksCurrency,
    rate: rate.rate.toFixed(),
    inverse_rate: rate.inverse.toFixed(),
    rate_date: rate.rateDate,
    total_tax: moneyString(convertMoney(new Dec(row.total_tax), rate.rate, booksCurrency), booksCurrency),
  };
  return conversion;
}
