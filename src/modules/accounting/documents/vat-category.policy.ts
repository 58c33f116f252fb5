import { Dec } from '../../../platform/money.js';
import type { TaxRateRow } from '../reference/reference.repo.js';

/**
 * The VAT category of a line (UNCL5305, as EN 16931 groups tax): what decides the VAT breakdown,
 * the rate that applies and the exemption wording an invoice must carry. Two tax codes at 21 %
 * are one "S 21 %" group; a reverse-charged or exempt line is taxed at 0 % whatever percentage
 * its tax rate names (EN 16931 BR-AE-05, BR-E-05, BR-G-05, BR-IC-05: the rate there is 0).
 */
export interface VatCategory {
  id: string;
  percent: Dec;
  exemptionCode: string | null;
  exemptionReason: string | null;
}

export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'] as const;

/** Categories whose invoices must say why no VAT is charged (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). */
const EXEMPTION_DEFAULT: Record<string, { code: string; reason: string }> = {
  AE: { code: 'VATEX-EU-AE', reason: 'Reverse charge: VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)' },
  K: { code: 'VATEX-EU-IC', reason: 'Intra-Community supply exempt from VAT (Art. 138 Directive 2006/112/EC)' },
  G: { code: 'VATEX-EU-G', reason: 'Export outside the EU exempt from VAT (Art. 146 Directive 2006/112/EC)' },
  O: { code: 'VATEX-EU-O', reason: 'Not subject to VAT' },
  E: { code: 'VATEX-EU-132', reason: 'Exempt from VAT (Art. 132 Directive 2006/112/EC)' },
};

/** What a line knows about its tax: the rate's type and percentage, and the category the rate states (if any). */
export interface TaxedLine {
  tax_type: string;
  tax_percentage: string | number;
  vat_category?: string | null;
  exemption_reason_code?: string | null;
  exemption_reason?: string | null;
}

/** The category a tax rate without one stated falls in, from its type and percentage. */
function derived(taxType: string, percentage: Dec): string {
  if (taxType === 'VAT') return percentage.gt(0) ? 'S' : 'Z';
  if (taxType === 'REVERSE_CHARGE' || taxType === 'CO_CONTRACTING') return 'AE';
  if (taxType === 'TRANSIT') return 'G';
  if (taxType === 'NO_VAT') return 'E';
  return 'O';
}

export function vatCategoryOf(line: TaxedLine): VatCategory {
  const percentage = new Dec(line.tax_percentage);
  const id = line.vat_category ?? derived(line.tax_type, percentage);
  const taxed = id === 'S' || id === 'L' || id === 'M';
  const exemption = EXEMPTION_DEFAULT[id];
  return {
    id,
    percent: taxed ? percentage : new Dec(0),
    exemptionCode: exemption ? (line.exemption_reason_code ?? exemption.code) : null,
    exemptionReason: exemption ? (line.exemption_reason ?? exemption.reason) : null,
  };
}

/** Lines with the same key share one VAT breakdown row: category and rate, never the tax code. */
export const vatGroupKey = (line: TaxedLine) => {
  const c = vatCategoryOf(line);
  return `${c.id}:${c.percent.toFixed()}`;
};

/** Categories where the buyer must be identified by VAT number (BR-AE-02, BR-IC-02). */
export const NEEDS_BUYER_VAT = new Set(['AE', 'K']);

/** What a line copies from its tax rate (or a credited line), so later edits of the rate change nothing billed. */
export const rateCategory = (r: { vat_category?: string | null; exemption_reason_code?: string | null; exemption_reason?: string | null }) => ({
  vat_category: r.vat_category ?? null,
  exemption_reason_code: r.exemption_reason_code ?? null,
  exemption_reason: r.exemption_reason ?? null,
});

/** A line charged at a tax rate: the rate's identity and percentage copied onto it, with its VAT category. */
export const rateFields = (
  rate: Pick<TaxRateRow, 'id' | 'code' | 'name' | 'percentage' | 'tax_type' | 'vat_category' | 'exemption_reason_code' | 'exemption_reason'>,
) => ({
  tax_rate_id: rate.id,
  tax_code: rate.code,
  tax_name: rate.name,
  tax_percentage: rate.percentage,
  tax_type: rate.tax_type,
  ...rateCategory(rate),
});
