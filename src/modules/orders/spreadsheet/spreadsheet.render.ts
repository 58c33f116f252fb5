import writeXlsxFile from 'write-excel-file/node';
import type { OrderSummary } from '../views/views.schemas.js';

/** The export's columns: a header and how each order fills it. Dates stay ISO text, readable in every locale. */
export const COLUMNS: ReadonlyArray<readonly [string, (o: OrderSummary) => string | null]> = [
  ['Order', (o) => o.name],
  ['Order identifier', (o) => o.order_identifier],
  ['Customer reference', (o) => o.customer_reference_number],
  ['Status', (o) => o.status],
  ['Customer code', (o) => o.customer.code],
  ['Customer', (o) => o.customer.name],
  ['First pickup date', (o) => o.first_pickup_date],
  ['Last delivery date', (o) => o.last_delivery_date],
  ['Created', (o) => o.created_timestamp],
  ['Updated', (o) => o.updated_timestamp],
];

export type Row = Array<string | null>;

export const rowOf = (order: OrderSummary): Row => COLUMNS.map(([, cell]) => cell(order));

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or return before one) gets a
 * leading apostrophe: a reference typed by one party must not run as a formula on another's machine
 * (CSV injection, OWASP).
 */
export function neutralised(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: string | null): string {
  if (value === null) return '';
  const text = neutralised(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 lines (CRLF), one per row. */
export const csvLines = (rows: Row[]): string => rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');

/**
 * An .xlsx workbook of one sheet (write-excel-file): a bold header row, then the rows as text cells.
 * Runs in a worker thread (spreadsheet.worker.ts): laying out tens of thousands of rows takes
 * hundreds of milliseconds of CPU.
 */
export async function renderXlsx(rows: Row[]): Promise<Uint8Array> {
  const header = COLUMNS.map(([title]) => ({ value: title, fontWeight: 'bold' as const }));
  // A cell typed String is never read as a formula in a workbook, so it keeps its text as it is.
  const body = rows.map((row) => row.map((value) => (value === null ? null : { value, type: String })));
  const file = writeXlsxFile([header, ...body], { columns: COLUMNS.map(([title]) => ({ width: Math.max(12, title.length + 2) })), sheet: 'Orders' });
  return new Uint8Array(await file.toBuffer());
}
