import type { Generated } from '../../../platform/db/database.js';

/** See migrations/026_order_templates.sql. */
export interface OrderTemplateTable {
  tenant_id: string;
  id: string;
  company_id: string;
  name: string;
  /** The template's `order` (OrderTemplateBody): written with JSON.stringify, read parsed. */
  body: unknown;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    order_templates: OrderTemplateTable;
  }
}
