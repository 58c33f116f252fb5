/**
 * The arrival estimate a tracked position gives the next stop. The contract has no rule for it, so
 * Waybill keeps a simple, predictable one: straight-line (great-circle) distance stretched by a road
 * factor, driven at an average speed. Pure functions, so the rule is tested without a database.
 */

import type { EtaSettings } from '../../../config.js';

export type { EtaSettings };

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine formula, mean Earth radius). */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** When a vehicle seen at `from` at `at` reaches `to`, to the whole second. */
export function estimateArrival(from: GeoPoint, to: GeoPoint, at: Date, s: Pick<EtaSettings, 'roadFactor' | 'averageSpeedKmh'>): Date {
  const hours = (haversineKm(from, to) * s.roadFactor) / s.averageSpeedKmh;
  return new Date(Math.round((at.getTime() + hours * 3_600_000) / 1000) * 1000);
}

/** Whether `estimate` moves the stored ETA by more than the settings' threshold (no stored ETA always does). */
export function etaMoved(stored: Date | null, estimate: Date, s: Pick<EtaSettings, 'minChangeMinutes'>): boolean {
  return stored === null || Math.abs(estimate.getTime() - stored.getTime()) > s.minChangeMinutes * 60_000;
}

/** The coordinates of a stop's stored location, when it has both. */
export function locationPoint(location: unknown): GeoPoint | undefined {
  const loc = (location ?? {}) as { latitude?: unknown; longitude?: unknown };
  return typeof loc.latitude === 'number' && typeof loc.longitude === 'number' ? { latitude: loc.latitude, longitude: loc.longitude } : undefined;
}
