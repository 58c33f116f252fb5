import { Readable } from 'node:stream';
import { badRequest, detail } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { WorkerPool } from '../../../platform/workers/pool.js';
import type { OrderListFilters, OrdersService } from '../orders.service.js';
import { COLUMNS, csvLines, rowOf, type Row } from './spreadsheet.render.js';
import { renderXlsxTask } from './spreadsheet.worker.js';

/**
 * A workbook is built whole in memory (an .xlsx is a zip of XML): beyond this many orders the
 * export asks for narrower filters or CSV, which streams without a limit.
 */
export const MAX_WORKBOOK_ROWS = 100_000;

/**
 * Orders read per query. On PGlite every query runs on the server's own thread, so a page is also
 * how long the export holds the event loop at a time (docs/benchmarks.md: with 500 a stall reached
 * ~0.2 s, with 200 ~0.04 s).
 */
const PAGE = 200;

export type OrderSpreadsheets = ReturnType<typeof createOrderSpreadsheets>;

/** The order list as a file: the same filters and visibility as GET /v1/orders/order, every page of it. */
export function createOrderSpreadsheets(deps: { orders: Pick<OrdersService, 'allPages'>; workers: WorkerPool }) {
  const { orders, workers } = deps;

  return {
    /**
     * CSV, streamed a page at a time as the database answers: the event loop is free between pages
     * and memory holds one page, however many orders there are. A UTF-8 byte order mark first, so
     * a spreadsheet application reads accented names right.
     */
    csv(principal: Principal, filters: OrderListFilters): Readable {
      async function* lines() {
        yield `\uFEFF${csvLines([COLUMNS.map(([title]) => title)])}`;
        for await (const page of orders.allPages(principal, filters, PAGE)) yield csvLines(page.map(rowOf));
      }
      return Readable.from(lines());
    },

    /** An .xlsx workbook, drawn in a worker thread; 400 beyond MAX_WORKBOOK_ROWS orders. */
    async xlsx(principal: Principal, filters: OrderListFilters): Promise<Buffer> {
      const rows: Row[] = [];
      for await (const page of orders.allPages(principal, filters, PAGE)) {
        rows.push(...page.map(rowOf));
        if (rows.length > MAX_WORKBOOK_ROWS) {
          throw badRequest(`The filters select more than ${MAX_WORKBOOK_ROWS} orders: narrow them, or export CSV`, [
            detail(`at most ${MAX_WORKBOOK_ROWS} orders in a workbook`, 'format'),
          ]);
        }
      }
      const bytes = await workers.run(renderXlsxTask, rows);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
