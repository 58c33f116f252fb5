import { isOneOf } from '../../../platform/narrow.js';
import type { PeriodValues } from '../unavailability/unavailability.service.js';
import { DRIVER_REASONS, VEHICLE_REASONS } from '../unavailability/unavailability.schemas.js';

/**
 * The planning unavailability a validity with `generate_unavailability` stands for: the resource
 * cannot be planned from the moment the validity ends, until a renewed validity replaces it (so
 * the period is open-ended). A validity without an end never expires and generates nothing. The
 * reason is the validity's own type when that is also an unavailability reason of the resource's
 * kind (VEHICLE_MOT_TEST, DRIVER_MEDICAL_EXAM, ...), otherwise the kind's OTHER reason.
 */
export function generatedPeriod(
  variant: string,
  validity: { type: string; end_time: Date | null; generate_unavailability: boolean; external_id: string | null },
): PeriodValues | null {
  if (!validity.generate_unavailability || !validity.end_time) return null;
  const driver = variant === 'driver';
  const { type } = validity;
  return {
    start_time: validity.end_time,
    end_time: null,
    reason: driver ? (isOneOf(DRIVER_REASONS, type) ? type : 'DRIVER_OTHER') : isOneOf(VEHICLE_REASONS, type) ? type : 'VEHICLE_OTHER',
    description: `Validity ${validity.type} expired`,
    external_id: validity.external_id,
  };
}
