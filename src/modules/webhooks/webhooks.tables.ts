import type { Generated, Json } from '../../platform/db/database.js';
import type { PayloadFamily } from './payloads/payloads.output.js';

export interface WebhookEndpointTable {
  tenant_id: string;
  id: string;
  company_id: string | null;
  url: string;
  description: string | null;
  families: PayloadFamily[];
  event_types: string[];
  /** Public client_ids of the receiving system's own API clients (echo suppression). */
  integration_client_ids: Generated<string[]>;
  suppress_echo: Generated<boolean>;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  basic_username: string | null;
  basic_password: string | null;
  headers: Json<Record<string, string>>;
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: Date | null;
  start_position: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WebhookCheckpointTable {
  tenant_id: string;
  position: Generated<number>;
  lease_token: string | null;
  lease_until: Date | null;
}

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface WebhookDeliveryTable {
  tenant_id: string;
  id: string;
  endpoint_id: string;
  message_id: string;
  seq: Generated<number>;
  event_id: string | null;
  event_position: number | null;
  event_type: string;
  entity_key: string;
  payload: string;
  status: Generated<DeliveryStatus>;
  attempt_count: Generated<number>;
  next_attempt_at: Generated<Date>;
  lease_token: string | null;
  lease_until: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  /** The latest attempt; the earlier ones are rows of webhook_attempts. */
  last_attempt_id: string | null;
  last_attempted_at: Date | null;
  last_latency_ms: number | null;
  last_response_excerpt: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface WebhookAttemptTable {
  tenant_id: string;
  id: string;
  delivery_id: string;
  attempted_at: Date;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

declare module '../../platform/db/database.js' {
  interface Database {
    webhook_endpoints: WebhookEndpointTable;
    webhook_checkpoints: WebhookCheckpointTable;
    webhook_deliveries: WebhookDeliveryTable;
    webhook_attempts: WebhookAttemptTable;
  }
}
