import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { Dec, minorUnits, plainString } from '../../../platform/money.js';
import type { DocumentParts } from './documents.output.js';
import { vatCategoryOf, vatGroupKey } from './vat-category.policy.js';

/**
 * The printable invoice or credit note: page header and "Page x of y" on every page, the parties,
 * a line table (repeating its header on each page), the VAT breakdown with the exemption wording,
 * a totals box, the exchange rate and VAT in the books' currency for a foreign-currency document,
 * and payment instructions on sales invoices only (a credit note says what it credits).
 *
 * This module imports pdfkit and reads fonts: it runs in a worker thread of the server's pool
 * (the task is declared in pdf.worker.ts), never on the request thread.
 *
 * Fonts come from npm packages (SIL OFL 1.1): Noto Sans (Latin with its extensions, Greek,
 * Cyrillic) for the text, and Noto Sans CJK subsets as fallbacks, SC (Chinese and Japanese
 * characters, kana) and KR (Hangul), used only for the characters Noto Sans lacks. pdfkit embeds
 * only the glyphs a document uses.
 */

const require = createRequire(import.meta.url);
/** pdfkit's own font engine. A font it parsed is handed to pdfkit as is, so its tables and glyph caches serve every document the worker draws. */
type FontkitFont = { hasGlyphForCodePoint(codePoint: number): boolean; layout: unknown };
const fontkit = require('fontkit') as { create(bytes: Buffer): FontkitFont };

/** A font file of a package, or undefined when the package is not installed (the text then falls back to the fonts that are). */
function packageFont(pkg: string, file: string): string | undefined {
  try {
    return path.join(path.dirname(require.resolve(pkg)), '..', 'fonts', file);
  } catch {
    return undefined;
  }
}

interface LoadedFont {
  name: string;
  font: FontkitFont;
  covers: (codePoint: number) => boolean;
}

function load(name: string, file: string | undefined): LoadedFont | undefined {
  if (!file) return undefined;
  const font = fontkit.create(readFileSync(file));
  const cache = new Map<number, boolean>();
  return {
    name,
    font,
    covers: (cp) => {
      const known = cache.get(cp);
      if (known !== undefined) return known;
      const has = font.hasGlyphForCodePoint(cp);
      cache.set(cp, has);
      return has;
    },
  };
}

/** Read once per worker: the CJK fallbacks are several megabytes each. */
let fonts: { regular?: LoadedFont; bold?: LoadedFont; fallbacks: LoadedFont[] } | undefined;
function loadFonts() {
  fonts ??= {
    regular: load('text', packageFont('@embedpdf/fonts-latin', 'NotoSans-Regular.ttf')),
    bold: load('bold', packageFont('@embedpdf/fonts-latin', 'NotoSans-Bold.ttf')),
    fallbacks: [
      load('cjk-sc', packageFont('@embedpdf/fonts-sc', 'NotoSansHans-Regular.otf')),
      load('cjk-kr', packageFont('@embedpdf/fonts-kr', 'NotoSansKR-Regular.otf')),
    ].filter((f): f is LoadedFont => f !== undefined),
  };
  return fonts;
}

const CATEGORY_NAMES: Record<string, string> = {
  S: 'Standard rate',
  Z: 'Zero rated',
  E: 'Exempt',
  AE: 'Reverse charge',
  K: 'Intra-community supply',
  G: 'Export outside the EU',
  O: 'Outside the scope of VAT',
  L: 'Canary Islands (IGIC)',
  M: 'Ceuta and Melilla (IPSI)',
};

/** 1234567.5 → "1,234,567.50": the currency's decimals, thousands grouped. */
function grouped(value: Dec, decimals: number): string {
  const [whole, fraction] = value.toFixed(decimals).split('.');
  const sign = whole?.startsWith('-') ? '-' : '';
  const digits = (whole ?? '0').replace('-', '');
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
}

/** A unit price as a reader wants it: the currency's decimals, or up to four when a converted price needs them. */
export function displayUnitPrice(value: string, currency: string): string {
  const d = new Dec(value);
  const decimals = Math.min(Math.max(d.decimalPlaces(), minorUnits(currency)), 4);
  return grouped(d.toDecimalPlaces(decimals), decimals);
}

/** What the renderer needs beside the document: its title and, for a credit note, the invoice it credits. */
export interface PdfInput {
  parts: DocumentParts;
  title: string;
  credited: { name: string; date?: string | null } | null;
}

const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const CONTENT_TOP = 96;
const CONTENT_BOTTOM = PAGE.height - 64;
const WIDTH = PAGE.width - 2 * PAGE.margin;
const GREY = '#555555';
const RULE = '#bbbbbb';

/** The line table's columns: x offset from the margin, width, alignment. */
const COLUMNS = [
  { key: 'description', label: 'Description', x: 0, w: 168, align: 'left' as const },
  { key: 'quantity', label: 'Qty', x: 168, w: 38, align: 'right' as const },
  { key: 'unit', label: 'Unit', x: 212, w: 28, align: 'left' as const },
  { key: 'price', label: 'Unit price', x: 240, w: 62, align: 'right' as const },
  { key: 'discount', label: 'Discount', x: 304, w: 58, align: 'right' as const },
  { key: 'vat', label: 'VAT', x: 364, w: 44, align: 'right' as const },
  { key: 'amount', label: 'Amount', x: 408, w: WIDTH - 408, align: 'right' as const },
];

/** A billing entity's address or a company's billing location: absent and null alike are not given. */
interface Address {
  street?: string | null;
  address?: string | null;
  postal_code?: string | null;
  city?: string | null;
  country?: string | null;
}
interface PartyBlock {
  name: string;
  lines: string[];
}

const addressLines = (a: Address | null | undefined) =>
  a ? [a.street ?? a.address, [a.postal_code, a.city].filter(Boolean).join(' '), a.country].filter((l): l is string => Boolean(l)) : [];

export async function drawPdf(input: PdfInput): Promise<Buffer> {
  const { parts, title, credited } = input;
  const { row, lines, entity, company } = parts;
  const loaded = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: CONTENT_TOP, bottom: PAGE.height - CONTENT_BOTTOM, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    info: { Title: `${title} ${row.name ?? ''}`.trim(), Producer: 'Waybill', Author: entity.legal_name },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Fonts are registered only when used, so a document without CJK text does not parse the large fallbacks.
  const registered = new Set<string>();
  const use = (font: LoadedFont | undefined, fallback: string) => {
    if (!font) return doc.font(fallback);
    if (!registered.has(font.name)) {
      // pdfkit takes a parsed fontkit font as well as bytes (its PDFFontFactory), and then parses nothing per document.
      doc.registerFont(font.name, font.font as unknown as Buffer);
      registered.add(font.name);
    }
    return doc.font(font.name);
  };
  /** Splits text into runs of one font: the text font where it has the glyph, else the first fallback that has it. */
  const runs = (text: string, bold: boolean) => {
    const main = bold ? (loaded.bold ?? loaded.regular) : loaded.regular;
    const out: Array<{ font: LoadedFont | undefined; text: string }> = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      const font = !main || main.covers(cp) ? main : (loaded.fallbacks.find((f) => f.covers(cp)) ?? main);
      const last = out[out.length - 1];
      if (last && last.font === font) last.text += ch;
      else out.push({ font, text: ch });
    }
    return out;
  };
  type TextOptions = PDFKit.Mixins.TextOptions & { bold?: boolean; size?: number; color?: string };
  /** Writes text at (x, y) (or where the cursor is), switching fonts for characters the text font lacks. */
  const write = (text: string, x?: number, y?: number, options: TextOptions = {}) => {
    const { bold = false, size = 9, color = 'black', ...rest } = options;
    doc.fontSize(size).fillColor(color);
    const pieces = runs(text, bold);
    if (pieces.length === 0) return;
    pieces.forEach((piece, i) => {
      use(piece.font, bold ? 'Helvetica-Bold' : 'Helvetica');
      const last = i === pieces.length - 1;
      if (i === 0 && x !== undefined) doc.text(piece.text, x, y, { ...rest, continued: !last });
      else doc.text(piece.text, { ...rest, continued: !last });
    });
    doc.fillColor('black');
  };
  const heightOf = (text: string, width: number, size = 9) => {
    use(loaded.regular, 'Helvetica');
    return doc.fontSize(size).heightOfString(text || ' ', { width });
  };
  const money = (value: string | Dec, currency = row.currency) => `${grouped(new Dec(value), minorUnits(currency))} ${currency}`;
  const rule = (y: number, x = PAGE.margin, w = WIDTH) =>
    doc
      .moveTo(x, y)
      .lineTo(x + w, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();

  // Parties. On the purchase side the subcontractor is the seller, even when the tenant issues the document (self-billing).
  const entityAddress = entity.address;
  const details = company.details;
  const entityBlock: PartyBlock = {
    name: entity.legal_name,
    lines: [
      ...addressLines(entityAddress),
      entity.vat_number ? `VAT ${entity.vat_number}` : '',
      entity.company_registration_number ? `Company no. ${entity.company_registration_number}` : '',
    ].filter(Boolean),
  };
  const companyBlock: PartyBlock = {
    name: details.legal_name ?? company.name,
    lines: [...addressLines(details.billing_location), details.vat_number ? `VAT ${details.vat_number}` : ''].filter(Boolean),
  };
  const purchase = row.kind.startsWith('PURCHASE');
  const isInvoice = row.kind.endsWith('INVOICE');
  const [seller, buyer] = purchase ? [companyBlock, entityBlock] : [entityBlock, companyBlock];
  const number = row.name ?? 'DRAFT';

  // First page: seller on the left, the document's facts on the right, then the buyer.
  let y = CONTENT_TOP;
  write(seller.name, PAGE.margin, y, { bold: true, size: 12, width: 280 });
  for (const line of seller.lines) write(line, PAGE.margin, undefined, { width: 280, color: GREY });
  const sellerBottom = doc.y;

  const facts: Array<[string, string]> = [
    ['Number', number],
    ['Date', row.date ?? ''],
  ];
  if (row.due_date && isInvoice) facts.push(['Due date', row.due_date]);
  // When the goods were delivered (BT-72), or over which days (BG-14), as the UBL states it.
  if (row.supply_start && row.supply_end && row.supply_start !== row.supply_end) facts.push(['Supply period', `${row.supply_start} – ${row.supply_end}`]);
  else if (row.date || row.supply_end) facts.push(['Date of supply', row.supply_end ?? row.date ?? '']);
  if (credited) facts.push(['Credits invoice', `${credited.name}${credited.date ? ` of ${credited.date}` : ''}`]);
  if (row.customer_reference_numbers.length) facts.push([purchase ? 'Reference' : 'Your reference', row.customer_reference_numbers.join(', ')]);
  if (row.currency) facts.push(['Currency', row.currency]);
  const factsX = PAGE.margin + 300;
  write(title, factsX, y, { bold: true, size: 16, width: WIDTH - 300 });
  let fy = doc.y + 4;
  for (const [label, value] of facts) {
    write(label, factsX, fy, { color: GREY, width: 80 });
    write(value, factsX + 82, fy, { width: WIDTH - 382 });
    fy = Math.max(doc.y, fy + 12);
  }

  y = Math.max(sellerBottom, fy) + 18;
  const buyerLabel = purchase ? 'Buyer' : isInvoice ? 'Bill to' : 'Customer';
  write(buyerLabel, PAGE.margin, y, { color: GREY, size: 8 });
  write(buyer.name, PAGE.margin, undefined, { bold: true, size: 10, width: 280 });
  for (const line of buyer.lines) write(line, PAGE.margin, undefined, { width: 280 });
  // The self-billing note sits beside the buyer block and may end above it: the table starts below both.
  const buyerBottom = doc.y;
  if (purchase && row.origin === 'WAYBILL') {
    write(`Self-billing: issued by ${entity.legal_name} on behalf of ${seller.name}.`, factsX, y, { width: WIDTH - 300, color: GREY });
  }
  y = Math.max(buyerBottom, doc.y) + 18;

  // The line table, its header repeated on every page it runs onto.
  const tableHeader = () => {
    for (const c of COLUMNS) write(c.label, PAGE.margin + c.x, y, { bold: true, size: 8, width: c.w, align: c.align });
    y += 13;
    rule(y - 2);
    y += 3;
  };
  const ensure = (height: number, header = false) => {
    if (y + height <= CONTENT_BOTTOM) return;
    doc.addPage();
    y = CONTENT_TOP;
    if (header) tableHeader();
  };
  tableHeader();
  for (const line of lines) {
    const category = vatCategoryOf(line);
    const notes = [
      line.order_name ? `Order ${line.order_name}` : '',
      line.description ?? '',
      line.source_currency && line.source_unit_price && line.exchange_rate
        ? `Charged ${displayUnitPrice(line.source_unit_price, line.source_currency)} ${line.source_currency}, converted at ${plainString(new Dec(line.exchange_rate))} (${line.exchange_rate_date ?? ''})`
        : '',
      line.allowance_reason && line.allowance_amount ? `Discount: ${line.allowance_reason}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const descriptionWidth = (COLUMNS[0] as { w: number }).w;
    // A line discount (BG-27): its percentage, and under it what it takes off the line's gross amount
    // (a discount given as an amount: that amount alone).
    const discount = line.allowance_amount && new Dec(line.allowance_amount).gt(0) ? new Dec(line.allowance_amount) : undefined;
    const height = Math.max(heightOf(line.name, descriptionWidth) + (notes ? heightOf(notes, descriptionWidth, 7.5) : 0), discount ? 21 : 0) + 5;
    ensure(height, true);
    // A negative charge is a discount: printed as an allowance (as the UBL states it), never as a negative unit price.
    const allowance = new Dec(line.amount).isNegative();
    const cells: Record<string, string> = {
      quantity: allowance ? '' : plainString(new Dec(line.quantity)),
      unit: allowance ? '' : 'unit',
      price: allowance ? 'allowance' : displayUnitPrice(line.unit_price, row.currency),
      vat: category.id === 'S' ? `${plainString(category.percent)}%` : `${plainString(category.percent)}% ${category.id}`,
      amount: grouped(new Dec(line.amount), minorUnits(row.currency)),
    };
    if (discount && line.allowance_percentage) cells.discount = `${plainString(new Dec(line.allowance_percentage))}%`;
    write(line.name, PAGE.margin, y, { width: descriptionWidth });
    if (notes) write(notes, PAGE.margin, undefined, { width: descriptionWidth, size: 7.5, color: GREY });
    for (const c of COLUMNS.slice(1)) write(cells[c.key] ?? '', PAGE.margin + c.x, y, { width: c.w, align: c.align });
    const discountColumn = COLUMNS.find((c) => c.key === 'discount') as (typeof COLUMNS)[number];
    if (discount) {
      const at = cells.discount ? y + 11 : y;
      write(`−${grouped(discount, minorUnits(row.currency))}`, PAGE.margin + discountColumn.x, at, {
        width: discountColumn.w,
        align: 'right',
        size: cells.discount ? 7.5 : 9,
        color: cells.discount ? GREY : 'black',
      });
    }
    y += height;
    rule(y - 3);
  }
  y += 10;

  // VAT breakdown (one row per category and rate) on the left, totals box on the right.
  const categories = new Map(lines.map((l) => [vatGroupKey(l), vatCategoryOf(l)]));
  const breakdownHeight = 30 + row.tax_subtotals.length * 26;
  ensure(Math.max(breakdownHeight, 80));
  const top = y;
  const bx = PAGE.margin;
  const bcols = [
    { label: 'VAT breakdown', x: 0, w: 120, align: 'left' as const },
    { label: 'Rate', x: 120, w: 40, align: 'right' as const },
    { label: 'Taxable', x: 160, w: 60, align: 'right' as const },
    { label: 'VAT', x: 220, w: 50, align: 'right' as const },
  ];
  for (const c of bcols) write(c.label, bx + c.x, y, { bold: true, size: 8, width: c.w, align: c.align });
  y += 12;
  rule(y - 2, bx, 270);
  const wordings: string[] = [];
  for (const s of row.tax_subtotals) {
    const category = categories.get(s.taxKey);
    const name = category ? `${category.id} · ${CATEGORY_NAMES[category.id] ?? category.id}` : s.taxKey;
    const cells = [
      name,
      `${s.percentage}%`,
      grouped(new Dec(s.taxableAmount), minorUnits(row.currency)),
      grouped(new Dec(s.taxAmount), minorUnits(row.currency)),
    ];
    bcols.forEach((c, i) => write(cells[i] ?? '', bx + c.x, y, { width: c.w, align: c.align, size: 8.5 }));
    y += 12;
    if (category?.exemptionReason) wordings.push(`${category.exemptionReason}${category.exemptionCode ? ` (${category.exemptionCode})` : ''}`);
  }
  for (const wording of wordings) {
    write(wording, bx, y, { width: 270, size: 8, color: GREY });
    y = doc.y + 2;
  }
  const breakdownBottom = y;

  const boxX = PAGE.margin + 300;
  const boxW = WIDTH - 300;
  const totals: Array<[string, string, boolean]> = [
    ['Total excl. VAT', money(row.total_excl_tax), false],
    ['VAT', money(row.total_tax), false],
    [isInvoice ? 'Total incl. VAT' : 'Total credited', money(row.total_incl_tax), true],
  ];
  const conversion = row.exchange_rate;
  if (conversion) totals.push([`VAT in ${conversion.currency}`, money(conversion.total_tax, conversion.currency), false]);
  const boxH = totals.length * 16 + 10;
  doc.rect(boxX, top, boxW, boxH).lineWidth(0.7).strokeColor('#333333').stroke();
  let ty = top + 6;
  for (const [label, value, strong] of totals) {
    write(label, boxX + 8, ty, { width: boxW / 2, bold: strong, size: strong ? 10 : 9 });
    write(value, boxX + boxW / 2, ty, { width: boxW / 2 - 8, align: 'right', bold: strong, size: strong ? 10 : 9 });
    ty += 16;
  }
  if (conversion) {
    write(
      `Exchange rate ${row.currency} → ${conversion.currency}: 1 ${row.currency} = ${conversion.rate} ${conversion.currency} (rate of ${conversion.rate_date})`,
      boxX,
      ty + 6,
      { width: boxW, size: 7.5, color: GREY },
    );
    ty = doc.y;
  }
  y = Math.max(breakdownBottom, ty) + 18;

  // What the reader must do: pay (sales invoice), nothing (credit note), or be paid (self-billing).
  const closing: string[] = [];
  const bank = entity.bank_account as { iban?: string; bic?: string } | null;
  if (!purchase && isInvoice) {
    const to = bank?.iban ? ` to ${entity.legal_name}, IBAN ${bank.iban}${bank.bic ? `, BIC ${bank.bic}` : ''},` : '';
    closing.push(`Payment: please pay ${money(row.total_incl_tax)}${to} by ${row.due_date ?? row.date ?? ''}, with the reference ${number}.`);
  } else if (purchase && isInvoice) {
    closing.push(`${entity.legal_name} will pay ${money(row.total_incl_tax)} to ${seller.name} by ${row.due_date ?? row.date ?? ''}.`);
  } else {
    closing.push(
      `This credit note credits invoice ${credited?.name ?? ''}${credited?.date ? ` of ${credited.date}` : ''}. ` +
        'Its amount is set off against that invoice or refunded; nothing is to be paid on it.',
    );
  }
  for (const text of closing) {
    ensure(heightOf(text, WIDTH) + 6);
    write(text, PAGE.margin, y, { width: WIDTH });
    y = doc.y + 6;
  }

  // Page furniture on every page: the header band and "Page x of y".
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    write(seller.name, PAGE.margin, 40, { bold: true, size: 9, width: WIDTH / 2, lineBreak: false });
    write(`${title} ${number}`, PAGE.margin + WIDTH / 2, 40, { size: 9, width: WIDTH / 2, align: 'right', lineBreak: false });
    rule(56);
    rule(PAGE.height - 50);
    write(entityBlock.lines.filter((l) => l.startsWith('VAT') || l.startsWith('Company')).join(' · '), PAGE.margin, PAGE.height - 44, {
      size: 7.5,
      color: GREY,
      width: WIDTH * 0.7,
      lineBreak: false,
    });
    write(`Page ${i - range.start + 1} of ${range.count}`, PAGE.margin + WIDTH * 0.7, PAGE.height - 44, {
      size: 7.5,
      width: WIDTH * 0.3,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
