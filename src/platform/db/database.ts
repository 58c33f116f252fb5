import type { ColumnType, Kysely, Transaction } from 'kysely';

/**
 * The Kysely view of the schema. The platform declares its own tables here; each module adds
 * its tables by augmenting this interface from its `<m>.tables.ts`, so no module's types live in
 * the platform and every module still queries through one typed handle.
 */
export interface Database {
  server_secrets: { name: string; value: string; created_at: Generated<Date> };
  tenant_counters: { tenant_id: string; name: string; value: number };
  events: EventTable;
  idempotency_keys: IdempotencyKeyTable;
}

export type Generated<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column: written as a JSON string or value, read back as the parsed value. */
export type Json<T = unknown> = ColumnType<T, string, string>;

export interface EventTable {
  tenant_id: string;
  position: number;
  id: string;
  type: string;
  entity_type: string;
  entity_id: string;
  /** Companies (customer, subcontractor) that may see this event besides the tenant itself. */
  company_ids: string[];
  payload: Json<Record<string, unknown>>;
  occurred_at: Generated<Date>;
  /** Who appended it (see platform/events/actor.ts): null for the system's own work. */
  actor_type: Generated<'api_client' | 'user' | null>;
  actor_id: Generated<string | null>;
  actor_name: Generated<string | null>;
}

export interface IdempotencyKeyTable {
  tenant_id: string;
  api_client_id: string;
  key: string;
  method_path: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  response_type: string | null;
  created_at: Generated<Date>;
}

export type Db = Kysely<Database>;
/** Either the pool or an open transaction: repo functions accept both. */
export type Executor = Kysely<Database> | Transaction<Database>;
