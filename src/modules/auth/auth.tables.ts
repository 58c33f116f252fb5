import type { Generated } from '../../platform/db/database.js';
import type { ClientKind, Role } from '../../platform/http/principal.js';

export interface TenantTable {
  id: string;
  name: string;
  created_at: Generated<Date>;
}

export interface ApiClientTable {
  tenant_id: string;
  id: string;
  client_id: string;
  secret_hash: string;
  name: string;
  role: Role;
  kind: ClientKind;
  company_id: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  /** Set on the hidden client every person owns (its id is the user's id); null for real API clients. */
  user_id: Generated<string | null>;
}

declare module '../../platform/db/database.js' {
  interface Database {
    tenants: TenantTable;
    api_clients: ApiClientTable;
  }
}
