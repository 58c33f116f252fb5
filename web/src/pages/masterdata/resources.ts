import type { components } from '../../api/openapi';
import type { MessageKey, Translate } from '../../i18n';

/** The list's items and the single answer differ only in `billing_entity` (always null), which no page reads. */
export type Resource = Omit<components['schemas']['ResourceOutput'], 'billing_entity'>;
export type Period = components['schemas']['ResourceUnavailabilityOutput'];

/** The types a resource list can be filtered by: the variants Waybill creates. */
export const RESOURCE_TYPES = [
  'DRIVER',
  'TRACTOR',
  'RIGID',
  'VAN',
  'TRAILER',
  'FULL_TRAILER',
  'CHASSIS',
  'CONTAINER',
] as const satisfies readonly Resource['resource_type'][];
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export const isResourceType = (value: string | null): value is ResourceType => RESOURCE_TYPES.includes(value as ResourceType);

export function resourceTypeLabel(t: Translate, type: string): string {
  return isResourceType(type) ? t(`resources.type.${type}` as MessageKey) : type;
}

/** The variant's sub-object (only one is present), read for the fields a person looks for first. */
export function variantOf(resource: Resource): Record<string, unknown> {
  const keys = ['driver', 'tractor', 'truck', 'van', 'trailer', 'full_trailer', 'chassis', 'container'] as const;
  for (const key of keys) {
    const value = (resource as Record<string, unknown>)[key];
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  }
  return {};
}

export function licencePlateOf(resource: Resource): string | undefined {
  const plate = variantOf(resource).license_plate;
  return typeof plate === 'string' ? plate : undefined;
}

/** "Holiday" for DRIVER_HOLIDAY, through the dictionary; an unknown reason as it came. */
export function reasonLabel(t: Translate, reason: string): string {
  const key = `unavailability.reason.${reason}` as MessageKey;
  const text = t(key);
  return text === undefined || text === key ? reason : text;
}
