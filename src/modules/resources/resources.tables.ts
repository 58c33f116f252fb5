import type { Generated, Json } from '../../platform/db/database.js';
import type { VariantType } from './resources.mapping.js';
import type { ResourceDetails } from './resources.output.js';
import type { ResourceUnavailabilityOutput } from './unavailability/unavailability.schemas.js';

export interface ResourceTable {
  tenant_id: string;
  id: string;
  resource_type: VariantType;
  name: string;
  external_id: string | null;
  code: string | null;
  subcontractor_id: string | null;
  is_active: Generated<boolean>;
  /** The variant's sub-object, measures as decimal strings. */
  properties: Json<Record<string, unknown>>;
  /** note, locale, custom_fields, integrations, extras (codes), billing_entity. */
  details: Json<ResourceDetails>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Date;
}

export interface ResourceGroupTable {
  tenant_id: string;
  id: string;
  name: string;
  code: string | null;
  archived: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ResourceGroupMemberTable {
  tenant_id: string;
  resource_id: string;
  group_id: string;
}

export interface ResourceUnavailabilityTable {
  tenant_id: string;
  id: string;
  resource_id: string;
  reason: ResourceUnavailabilityOutput['reason'];
  start_time: Date;
  end_time: Date | null;
  description: string | null;
  external_id: string | null;
  version: Generated<number>;
  /** Set when deleted: the row stays as a tombstone for the tenant-wide feed. */
  deleted_at: Date | null;
  updated_at: Date;
}

export interface ValidityTable {
  tenant_id: string;
  id: string;
  subject_type: 'resource' | 'company';
  subject_id: string;
  type: string;
  start_time: Date;
  end_time: Date | null;
  legal_end_time: Date | null;
  generate_unavailability: boolean;
  external_id: string | null;
  description: string | null;
  version: Generated<number>;
  /** The unavailability this validity generated (generate_unavailability with an end_time). */
  unavailability_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../platform/db/database.js' {
  interface Database {
    resources: ResourceTable;
    resource_groups: ResourceGroupTable;
    resource_group_members: ResourceGroupMemberTable;
    resource_unavailabilities: ResourceUnavailabilityTable;
    validities: ValidityTable;
  }
}
