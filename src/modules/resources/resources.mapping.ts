import { Decimal } from 'decimal.js';

/**
 * The eight resource variants. The contract tells them apart by which sub-object a resource has
 * (`driver`, `truck`, ...); Waybill also names the variant with the contract's ResourceTypeEnum
 * value (`resource_type`), accepted on input and returned additively.
 */
export const VARIANTS = {
  driver: 'DRIVER',
  tractor: 'TRACTOR',
  truck: 'RIGID',
  van: 'VAN',
  trailer: 'TRAILER',
  full_trailer: 'FULL_TRAILER',
  chassis: 'CHASSIS',
  container: 'CONTAINER',
} as const;

export type VariantKey = keyof typeof VARIANTS;
export type VariantType = (typeof VARIANTS)[VariantKey];
export const VARIANT_KEYS = Object.keys(VARIANTS) as VariantKey[];

export const variantKeyOf = (type: string): VariantKey | undefined => VARIANT_KEYS.find((key) => VARIANTS[key] === type);

/** Every ResourceTypeEnum value; the list filter takes them all (the ones no variant has simply match nothing). */
export const RESOURCE_TYPE_ENUM = [
  'CHASSIS',
  'COMPARTMENT',
  'CONTAINER',
  'DRIVER',
  'FERRY',
  'FULL_TRAILER',
  'HANDLING',
  'RIGID',
  'SUBCONTRACTOR',
  'TRACTOR',
  'TRAILER',
  'TRAIN',
  'VAN',
] as const;
export type ResourceTypeEnumValue = (typeof RESOURCE_TYPE_ENUM)[number];

/** Measures that arrive as a number or a decimal string and leave as a decimal string. */
export const DECIMAL_FIELDS = new Set([
  'tare_weight_kg',
  'exterior_length_m',
  'exterior_width_m',
  'exterior_height_m',
  'capacity_pallet_spaces',
  'capacity_volume_m3',
  'capacity_weight_kg',
  'gross_weight_vehicle_rating_weight_kg',
]);

/** A sub-object as stored: measures as exact decimal strings (never through a float), nulls dropped. */
export function normalizeProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(properties)) {
    if (value === null || value === undefined) continue;
    stored[field] = DECIMAL_FIELDS.has(field) ? new Decimal(String(value)).toFixed() : value;
  }
  return stored;
}
