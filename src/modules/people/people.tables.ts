import type { Generated } from '../../platform/db/database.js';
import type { Role } from '../../platform/http/principal.js';

export type UserStatus = 'INVITED' | 'ACTIVE' | 'DISABLED';
export type Language = 'en' | 'nl' | 'fr';

export interface UserTable {
  tenant_id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  company_id: string | null;
  language: Language;
  status: UserStatus;
  password_hash: string | null;
  invite_hash: string | null;
  invite_expires_at: Date | null;
  created_at: Generated<Date>;
  last_sign_in_at: Date | null;
  failed_sign_ins: Generated<number>;
  failed_window_ends_at: Generated<Date | null>;
}

export interface UserSessionTable {
  tenant_id: string;
  token_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
}

declare module '../../platform/db/database.js' {
  interface Database {
    users: UserTable;
    user_sessions: UserSessionTable;
  }
}
