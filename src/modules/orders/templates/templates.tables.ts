import type { Generated, Json } from '../../../platform/db/database.js';
import type { OrderTemplateBody } from './templates.schemas.js';

/** See migrations/026_order_templates.sql. */
export interface OrderTemplateTable {
  tenant_id: string;
  id: string;
  company_id: string;
  name: string;
  /** The template's `order` (OrderTemplateBody): written with JSON.stringify, read parsed. */
  body: Json<OrderTemplateBody>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    order_templates: OrderTemplateTable;
  }
}
