import type { Generated } from '../../platform/db/database.js';

export interface ResourcePositionTable {
  tenant_id: string;
  resource_id: string;
  recorded_at: Date;
  latitude: number;
  longitude: number;
  received_at: Generated<Date>;
}

declare module '../../platform/db/database.js' {
  interface Database {
    resource_positions: ResourcePositionTable;
  }
}
