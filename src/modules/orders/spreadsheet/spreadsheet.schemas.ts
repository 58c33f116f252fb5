import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { OrderListQuery } from '../orders.schemas.js';

const { cursor: _cursor, limit: _limit, ...filters } = OrderListQuery.properties;

export const OrderSpreadsheetQuery = Type.Object({
  format: StringEnum(['csv', 'xlsx'], { description: '`csv` (UTF-8, comma-separated, RFC 4180) or `xlsx` (an Excel workbook of one sheet).' }),
  ...filters,
});
export type OrderSpreadsheetQuery = Static<typeof OrderSpreadsheetQuery>;
