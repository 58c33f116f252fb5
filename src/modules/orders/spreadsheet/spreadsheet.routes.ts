import { Type } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import { readErrors } from '../../../platform/http/schemas.js';
import type { App } from '../../../platform/http/types.js';
import { OrderSpreadsheetQuery } from './spreadsheet.schemas.js';
import type { OrderSpreadsheets } from './spreadsheet.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_EXAMPLE =
  '\uFEFFOrder,Order identifier,Customer reference,Status,Customer code,Customer,First pickup date,Last delivery date,Created,Updated\r\n' +
  'OR-2026-000042,ACME-SO-1001,PO-88123,TO_PLAN,ACME,Acme Tiles NV,2026-12-01,2026-12-02,2026-11-30T20:22:03.395Z,2026-11-30T20:22:03.395Z\r\n';

export function spreadsheetRoutes(app: App, deps: { spreadsheets: OrderSpreadsheets }) {
  const { spreadsheets } = deps;

  app.get('/v1/orders/export', {
    config: { roles: ['TENANT', 'CUSTOMER'] },
    schema: {
      operationId: 'exportOrderList',
      tags: ['Orders'],
      summary: 'Export the order list as CSV or Excel (Waybill)',
      description:
        'Every order GET /v1/orders/order would list with the same filters (`status`, `customer_code`, `updated_after`, `q`, `stop_date`, ' +
        '`order`), in one file: `format=csv` streams any number of orders; `format=xlsx` is a workbook of at most 100,000 (400 beyond: narrow ' +
        'the filters or export CSV). Customer clients get only their own orders. Cells a spreadsheet would take for a formula start with an apostrophe in the CSV.',
      querystring: OrderSpreadsheetQuery,
      response: {
        200: {
          description: 'The file',
          content: {
            'text/csv': { schema: Type.String({ examples: [CSV_EXAMPLE] }) },
            [XLSX]: { schema: Type.String({ format: 'binary', examples: ['PK…'] }) },
          },
        },
        ...readErrors(),
      },
    },
    handler: async (request, reply) => {
      const { format, ...filters } = request.query;
      const principal = principalOf(request);
      const attachment = `attachment; filename="orders-${new Date().toISOString().slice(0, 10)}.${format}"`;
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment).send(spreadsheets.csv(principal, filters));
      // Built first: a refusal (too many orders) must come back as the error envelope, not as a file to save.
      const workbook = await spreadsheets.xlsx(principal, filters);
      return reply.type(XLSX).header('content-disposition', attachment).send(workbook);
    },
  });
}
