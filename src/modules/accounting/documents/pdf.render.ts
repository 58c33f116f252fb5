import { existsSync } from 'node:fs';
import { Dec, moneyString } from '../../../platform/money.js';
import type { DocumentParts } from './documents.output.js';
import type { AccountingConversion } from './conversion.service.js';
import { vatCategoryOf, vatGroupKey } from './vat-category.policy.js';

/**
 * The printable invoice or credit note. pdfkit's built-in fonts cover Latin-1 only ("Ł", Greek
 * and Cyrillic come out garbled), so a Unicode TTF is embedded when the system has one (Debian's
 * fonts-dejavu-core); without it the built-in Helvetica is the fallback.
 */
const FONT_CANDIDATES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf'];
const FONT = FONT_CANDIDATES.find((path) => existsSync(path));

export async function renderPdf(parts: DocumentParts, title: string, credited: { name: string } | null): Promise<Buffer> {
  // Loaded on the first PDF, not at start (pdfkit takes over half a second to import).
  const { default: PDFDocument } = await import('pdfkit');
  const { row, lines, entity, company } = parts;
  const money = (value: string) => `${moneyString(new Dec(value), row.currency)} ${row.currency}`;
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `${title} ${row.name ?? ''}`, Producer: 'Waybill' } });
  if (FONT) doc.font(FONT);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const address = entity.address as { street?: string; postal_code?: string; city?: string; country?: string };
  const other = company.details as {
    vat_number?: string;
    legal_name?: string;
    billing_location?: { address?: string; postal_code?: string; city?: string; country?: string };
  };
  const loc = other.billing_location;
  const entityBlock = {
    name: entity.legal_name,
    address: [address.street, [address.postal_code, address.city].filter(Boolean).join(' '), address.country],
    tax: `VAT ${entity.vat_number} · Reg. ${entity.company_registration_number}`,
  };
  const otherBlock = {
    name: other.legal_name ?? company.name,
    address: loc ? [loc.address, [loc.postal_code, loc.city].filter(Boolean).join(' '), loc.country] : [],
    tax: other.vat_number ? `VAT ${other.vat_number}` : null,
  };
  // On the purchase side the subcontractor is the seller, even when the tenant issues the document (self-billing).
  const purchase = row.kind.startsWith('PURCHASE');
  const [seller, buyer] = purchase ? [otherBlock, entityBlock] : [entityBlock, otherBlock];
  // Only an invoice asks for payment: a credit note says what it credits, never "pay to".
  const isInvoice = row.kind.endsWith('INVOICE');
  const bank = !isInvoice || purchase ? {} : (entity.bank_account as { iban?: string; bic?: string });
  doc.fontSize(16).text(seller.name);
  doc.fontSize(9).text(seller.address.filter(Boolean).join(', '));
  if (seller.tax) doc.text(seller.tax);
  doc.moveDown();
  doc.fontSize(14).text(`${title} ${row.name ?? ''}`);
  doc.fontSize(10).text(`Date: ${row.date ?? ''}${row.due_date ? `    Due: ${row.due_date}` : ''}`);
  if (credited) doc.text(`Credits invoice ${credited.name}`);
  if (purchase && row.origin === 'WAYBILL') doc.text(`Issued by ${entity.legal_name} on behalf of ${seller.name} (self-billing)`);
  if (row.customer_reference_numbers.length) doc.text(`Your reference: ${row.customer_reference_numbers.join(', ')}`);
  doc.moveDown();
  doc.text('Bill to:');
  doc.text(buyer.name);
  if (buyer.address.some(Boolean)) doc.text(buyer.address.filter(Boolean).join(', '));
  if (buyer.tax) doc.text(buyer.tax);
  doc.moveDown();

  for (const line of lines) {
    const qty = new Dec(line.quantity).toFixed();
    doc.text(`${line.name}${line.order_name ? ` (${line.order_name})` : ''}`, { continued: false });
    doc.fontSize(9).text(`  ${qty} × ${new Dec(line.unit_price).toFixed()}  ·  ${line.tax_name}  ·  ${money(line.amount)}`);
    doc.fontSize(10);
  }
  doc.moveDown();
  const categories = new Map(lines.map((l) => [vatGroupKey(l), vatCategoryOf(l)]));
  for (const s of row.tax_subtotals) {
    const category = categories.get(s.taxKey);
    doc.text(`VAT ${category ? `${category.id} ` : ''}${s.percentage}% on ${money(s.taxableAmount)}: ${money(s.taxAmount)}`);
    // The legal wording of an exempt or reverse-charged part (what the tax rate's name need not say).
    if (category?.exemptionReason)
      doc
        .fontSize(9)
        .text(`  ${category.exemptionReason}${category.exemptionCode ? ` (${category.exemptionCode})` : ''}`)
        .fontSize(10);
  }
  doc.text(`Total without VAT: ${money(row.total_excl_tax)}`);
  doc.text(`VAT: ${money(row.total_tax)}`);
  doc.fontSize(12).text(`Total: ${money(row.total_incl_tax)}`);
  const conversion = row.exchange_rate as AccountingConversion | null;
  if (conversion) {
    doc
      .fontSize(9)
      .text(
        `Exchange rate ${row.currency}→${conversion.currency} ${conversion.rate} (${conversion.rate_date}); VAT in ${conversion.currency}: ${conversion.total_tax} ${conversion.currency}`,
      );
  }
  if (bank.iban)
    doc
      .fontSize(9)
      .moveDown()
      .text(`Pay to IBAN ${bank.iban}${bank.bic ? ` (BIC ${bank.bic})` : ''}, reference ${row.name ?? ''}.`);
  doc.end();
  return done;
}
