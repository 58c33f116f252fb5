import { createHash } from 'node:crypto';
import type { ResourceGroupRow, ResourceRow } from './resources.repo.js';
import type { ResourceOutput } from './resources.schemas.js';
import { variantKeyOf } from './resources.mapping.js';

/** What `details` holds besides the columns. */
export interface ResourceDetails {
  note?: string;
  locale?: string;
  custom_fields?: Record<string, unknown>;
  integrations?: Record<string, Record<string, unknown>>;
  /** Extra codes, in the order sent. */
  extras?: string[];
  billing_entity?: { code: string };
}

/**
 * Extras are known by code only (Waybill keeps no catalogue of them yet); their id is derived from
 * tenant and code, so the same extra has the same id on every resource and every read.
 */
export function extraId(tenantId: string, code: string): string {
  const h = createHash('sha256').update(`${tenantId}\0extra\0${code}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function resourceOutput(row: ResourceRow, groups: ResourceGroupRow[]): ResourceOutput {
  const d = row.details;
  const key = variantKeyOf(row.resource_type) as string;
  return {
    row_id: row.id,
    name: row.name,
    resource_type: row.resource_type,
    external_id: row.external_id,
    code: row.code,
    note: d.note ?? null,
    locale: d.locale ?? null,
    custom_fields: d.custom_fields ?? {},
    subcontractor: row.subcontractor_id ? { row_id: row.subcontractor_id } : null,
    integrations: d.integrations ?? null,
    billing_entity: null,
    extras: (d.extras ?? []).map((code) => ({ id: extraId(row.tenant_id, code), code, name: code })),
    is_active: row.is_active,
    is_external_resource: row.subcontractor_id !== null,
    timestamp_updated: row.updated_at.toISOString(),
    resource_groups: groups.map((g) => ({ id: g.id, name: g.name, code: g.code })),
    [key]: row.properties,
  };
}
