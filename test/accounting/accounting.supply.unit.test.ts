import { describe, expect, it } from 'vitest';
import { deliveryDay, supplyPeriod } from '../../src/modules/accounting/sales/supply.policy.js';

const stop = (stop_type: string, status: string, date: string | null, end_timestamp: string | null = null) => ({ stop_type, status, date, end_timestamp });

describe('the date of supply of an order', () => {
  it('is the day its last delivery was completed, else the planned day; pickups and cancelled deliveries do not count', () => {
    expect(
      deliveryDay({
        stops: [
          stop('PICKUP', 'COMPLETED', '2026-11-01', '2026-11-30T08:00:00Z'),
          stop('DELIVERY', 'COMPLETED', '2026-11-02', '2026-11-03T23:10:00Z'),
          stop('DELIVERY', 'CANCELLED', '2026-11-09'),
          stop('DELIVERY', 'PLANNED', '2026-11-02'),
        ],
      }),
    ).toBe('2026-11-03');
    // Not completed: the planned day wins over an estimate, and the estimate stands in for a missing day.
    expect(deliveryDay({ stops: [stop('DELIVERY', 'DISPATCHED', '2026-11-05', '2026-11-06T10:00:00Z')] })).toBe('2026-11-05');
    expect(deliveryDay({ stops: [stop('DELIVERY', 'DISPATCHED', null, '2026-11-06T10:00:00Z')] })).toBe('2026-11-06');
    expect(deliveryDay({ stops: [stop('PICKUP', 'PLANNED', '2026-11-05'), stop('CUSTOM', 'PLANNED', '2026-11-06')] })).toBeNull();
  });

  it('spans the orders from the first to the last delivery day, and is null when none knows its day', () => {
    const a = { stops: [stop('DELIVERY', 'PLANNED', '2026-12-03')] };
    const b = { stops: [stop('DELIVERY', 'PLANNED', '2026-11-28')] };
    const none = { stops: [stop('DELIVERY', 'PLANNED', null)] };
    expect(supplyPeriod([a, none, b])).toEqual({ start: '2026-11-28', end: '2026-12-03' });
    expect(supplyPeriod([a])).toEqual({ start: '2026-12-03', end: '2026-12-03' });
    expect(supplyPeriod([none])).toBeNull();
  });
});
