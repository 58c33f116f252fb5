import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { estimateArrival, etaMoved, haversineKm, locationPoint } from '../../src/modules/trips/positions/positions.policy.js';

const brussels = { latitude: 50.8466, longitude: 4.3528 };
const antwerp = { latitude: 51.2194, longitude: 4.4025 };

describe('ETA from a position', () => {
  it('measures great-circle distances', () => {
    expect(haversineKm(brussels, brussels)).toBe(0);
    // One degree of latitude is about 111.2 km on the mean sphere.
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo(111.195, 2);
    expect(haversineKm(brussels, antwerp)).toBeCloseTo(41.6, 1);
    expect(haversineKm(antwerp, brussels)).toBe(haversineKm(brussels, antwerp));
    // Antipodes: half the circumference, no NaN from rounding past 1.
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(20015.1, 0);
  });

  it('drives the road distance at the average speed, to the second', () => {
    const at = new Date('2026-12-01T09:00:00Z');
    // 111.195 km × 1.5 / 100 km/h = 1.6679 h = 6004.5 s, rounded to 1 h 40 min 5 s.
    const eta = estimateArrival({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 }, at, { roadFactor: 1.5, averageSpeedKmh: 100 });
    expect(eta.toISOString()).toBe('2026-12-01T10:40:05.000Z');
    expect(estimateArrival(brussels, brussels, at, { roadFactor: 1.3, averageSpeedKmh: 60 })).toEqual(at);
  });

  it('moves a stored ETA only by more than the threshold', () => {
    const stored = new Date('2026-12-01T10:00:00Z');
    const s = { minChangeMinutes: 5 };
    expect(etaMoved(null, stored, s)).toBe(true);
    expect(etaMoved(stored, new Date('2026-12-01T10:05:00Z'), s)).toBe(false);
    expect(etaMoved(stored, new Date('2026-12-01T09:54:59Z'), s)).toBe(true);
  });

  it('reads coordinates only when a location has both', () => {
    expect(locationPoint({ name: 'DC', latitude: 51.2, longitude: 4.4 })).toEqual({ latitude: 51.2, longitude: 4.4 });
    expect(locationPoint({ name: 'DC', latitude: 51.2 })).toBeUndefined();
    expect(locationPoint(null)).toBeUndefined();
  });

  it('reads its settings from the environment, with defaults', () => {
    expect(loadConfig({}).eta).toEqual({ roadFactor: 1.3, averageSpeedKmh: 60, minChangeMinutes: 5 });
    expect(loadConfig({ WAYBILL_ETA_ROAD_FACTOR: '1.45', WAYBILL_ETA_SPEED_KMH: '75', WAYBILL_ETA_MIN_CHANGE_MINUTES: '0' }).eta).toEqual({
      roadFactor: 1.45,
      averageSpeedKmh: 75,
      minChangeMinutes: 0,
    });
    for (const bad of ['0.9', '1,3', 'fast']) expect(() => loadConfig({ WAYBILL_ETA_ROAD_FACTOR: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ WAYBILL_ETA_SPEED_KMH: '0' })).toThrow(ConfigError);
  });
});
