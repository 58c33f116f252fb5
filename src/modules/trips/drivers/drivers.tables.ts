import type { Generated } from '../../../platform/db/database.js';

/** A driver's one-trip link (migration 032): hashed token and PIN, its limits, the driver's access. */
export interface DriverLinkTable {
  tenant_id: string;
  id: string;
  trip_id: string;
  company_id: string | null;
  token_hash: string;
  pin_hash: string;
  access_hash: string | null;
  failed_pins: Generated<number>;
  locked_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    driver_links: DriverLinkTable;
  }
}
