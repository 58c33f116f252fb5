import { Dec, moneyString, parseDecimal, roundMoney, sum } from '../../../platform/money.js';
import { vatCategoryOf, vatGroupKey, type TaxedLine } from './vat-category.policy.js';

/** One invoice line as far as totals care: its quantity, unit price and tax rate. */
export interface PricedLine {
  quantity: string;
  unitPrice: string;
  /** Lines with the same key are taxed together (one tax rate). */
  taxKey: string;
  /** Percentage as a decimal string: `21`, `5.5`. */
  taxPercentage: string;
  /** A discount on the line (EN 16931 BG-27), as a percentage of quantity × unit price. */
  allowancePercentage?: string | null;
  /** A discount on the line given as an amount in the document's currency; only read when there is no percentage. */
  allowanceAmount?: string | null;
}

export interface TaxSubtotal {
  taxKey: string;
  percentage: string;
  taxableAmount: string;
  taxAmount: string;
}

export interface DocumentTotals {
  /** Each line's net amount: quantity × unit price, less its allowance. */
  lineAmounts: string[];
  /** Each line's allowance (BT-136), or null for a line without one. */
  lineAllowances: Array<string | null>;
  subtotals: TaxSubtotal[];
  totalExclTax: string;
  totalTax: string;
  totalInclTax: string;
}

/** A line's amount: quantity × unit price, rounded once to the currency's minor unit. */
export function lineAmount(quantity: string, unitPrice: string, currency: string): Dec {
  return roundMoney(parseDecimal(quantity).times(parseDecimal(unitPrice)), currency);
}

/**
 * A line's allowance: its percentage of the line's gross amount, rounded once to the currency
 * (BT-136 = BT-137 × BT-138 / 100), so the UBL's base, percentage and amount agree; or an amount
 * given as such, rounded to the currency and never more than the gross amount (a converted line
 * can round its gross a cent below its converted discount), so a discount never turns a line negative.
 */
export function lineAllowance(gross: Dec, discount: { percentage?: string | null; amount?: string | null }, currency: string): Dec | null {
  if (discount.percentage) return roundMoney(gross.times(parseDecimal(discount.percentage)).dividedBy(100), currency);
  if (!discount.amount) return null;
  const amount = roundMoney(parseDecimal(discount.amount), currency);
  return amount.gt(gross) ? gross : amount;
}

/**
 * Totals of an invoice or credit note. Tax is computed once per tax rate on the sum of that rate's
 * rounded line amounts (EN 16931 rule BR-CO-17), not per line: per-line rounding would make the
 * document's tax drift from rate × base by up to half a cent per line.
 *
 * `taxCaps` bounds the tax of a rate: a credit note may not give back more tax than its invoice
 * charged on that rate, though rounding its part separately could (three 0.10 lines at 5 % are
 * taxed 0.02 together but 0.01 each).
 */
export function documentTotals(lines: PricedLine[], currency: string, taxCaps?: Map<string, Dec>): DocumentTotals {
  const priced = lines.map((line) => {
    const gross = lineAmount(line.quantity, line.unitPrice, currency);
    const allowance = lineAllowance(gross, { percentage: line.allowancePercentage, amount: line.allowanceAmount }, currency);
    return { line, allowance, amount: allowance ? gross.minus(allowance) : gross };
  });
  const allowances = priced.map((p) => p.allowance);
  const amounts = priced.map((p) => p.amount);
  const groups = new Map<string, { percentage: Dec; amounts: Dec[] }>();
  for (const { line, amount } of priced) {
    const group = groups.get(line.taxKey) ?? { percentage: parseDecimal(line.taxPercentage), amounts: [] };
    group.amounts.push(amount);
    groups.set(line.taxKey, group);
  }
  const subtotals = [...groups].map(([taxKey, g]) => {
    const base = sum(g.amounts);
    const tax = roundMoney(base.times(g.percentage).dividedBy(100), currency);
    const cap = taxCaps?.get(taxKey);
    return { taxKey, percentage: g.percentage, base, tax: cap && tax.gt(cap) ? cap : tax };
  });
  const totalExcl = sum(amounts);
  const totalTax = sum(subtotals.map((s) => s.tax));
  return {
    lineAmounts: amounts.map((a) => moneyString(a, currency)),
    lineAllowances: allowances.map((a) => (a ? moneyString(a, currency) : null)),
    subtotals: subtotals.map((s) => ({
      taxKey: s.taxKey,
      percentage: s.percentage.toFixed(),
      taxableAmount: moneyString(s.base, currency),
      taxAmount: moneyString(s.tax, currency),
    })),
    totalExclTax: moneyString(totalExcl, currency),
    totalTax: moneyString(totalTax, currency),
    totalInclTax: moneyString(totalExcl.plus(totalTax), currency),
  };
}

/** Whether a stored line has a discount (BG-27): a percentage's amount or an amount given as such. */
export const hasAllowance = (line: { allowance_amount?: string | number | null }) => line.allowance_amount !== null && line.allowance_amount !== undefined;

const optionalString = (value: string | number | null | undefined) => (value === null || value === undefined ? null : String(value));

/**
 * Stored lines as totals see them: grouped and taxed by VAT category and rate (see vat-category.ts).
 * A line's `allowance_amount` is an input only where it has no percentage (a discount given as an
 * amount); with a percentage it is what the percentage came to, and computed again.
 */
export function pricedLines(
  lines: Array<
    TaxedLine & {
      quantity: string | number;
      unit_price: string | number;
      allowance_percentage?: string | number | null;
      allowance_amount?: string | number | null;
    }
  >,
): PricedLine[] {
  return lines.map((l) => ({
    quantity: String(l.quantity),
    unitPrice: String(l.unit_price),
    taxKey: vatGroupKey(l),
    taxPercentage: vatCategoryOf(l).percent.toFixed(),
    allowancePercentage: optionalString(l.allowance_percentage),
    allowanceAmount: optionalString(l.allowance_amount),
  }));
}
