import { describe, expect, it } from 'vitest';
import { ListTripOutput, TripCostsOutput, TripOutput } from '../../src/modules/trips/trips.schemas.js';
import { SubcontractorStatusUpdatePayload } from '../../src/modules/trips/status/status.schemas.js';
import { expectContract } from '../support/contract.js';
import type { StopExecution } from '../../src/modules/orders/index.js';
import { progressStop } from '../../src/modules/trips/status/status.policy.js';
import { documentTypeOfKey, keyedFilename } from '../../src/modules/trips/status/status.mapping.js';
import { diffSnapshots, type DispatchSnapshot } from '../../src/modules/trips/dispatch/dispatch.policy.js';
import type { StopStatus } from '../../src/modules/orders/status/status.policy.js';
import { checkPlan, type PlanningStop } from '../../src/modules/trips/planning/planning.policy.js';

const at = (iso: string) => new Date(iso);
const stop = (over: Partial<StopExecution> = {}): StopExecution => ({
  id: 's1',
  order_id: 'o1',
  status: 'DISPATCHED',
  eta_start: null,
  eta_end: null,
  actual_start: null,
  actual_end: null,
  ...over,
});

describe('progressStop', () => {
  it('moves forward, records actual times, and calls a repeat a duplicate', () => {
    const arrived = progressStop(stop(), { status: 'AT_STOP', eventTime: at('2026-12-01T08:00:00Z') });
    expect(arrived).toMatchObject({ outcome: 'APPLIED', arrived: true, completed: false });
    expect(arrived.next).toMatchObject({ status: 'AT_STOP', actual_start: at('2026-12-01T08:00:00Z') });
    expect(progressStop(arrived.next, { status: 'AT_STOP', eventTime: at('2026-12-01T08:00:00Z') }).outcome).toBe('DUPLICATE');
    expect(progressStop(arrived.next, { status: 'AT_STOP', eventTime: at('2026-12-01T07:00:00Z') }).outcome).toBe('STALE');
  });

  it('a completion without an arrival takes its time for both; nothing moves a completed stop back', () => {
    const done = progressStop(stop(), { status: 'COMPLETED', eventTime: at('2026-12-01T09:00:00Z') });
    expect(done).toMatchObject({ outcome: 'APPLIED', arrived: false, completed: true });
    expect(done.next).toMatchObject({ actual_start: at('2026-12-01T09:00:00Z'), actual_end: at('2026-12-01T09:00:00Z') });
    expect(progressStop(done.next, { status: 'AT_STOP', eventTime: at('2026-12-01T10:00:00Z') }).outcome).toBe('STALE');
    expect(progressStop(done.next, { etaStart: at('2026-12-01T11:00:00Z'), eventTime: at('2026-12-01T10:00:00Z') }).outcome).toBe('STALE');
  });

  it('applies ETAs alone and tells an unchanged ETA from a new one', () => {
    const eta = progressStop(stop(), { etaStart: at('2026-12-01T08:00:00Z'), etaEnd: at('2026-12-01T08:30:00Z'), eventTime: at('2026-12-01T06:00:00Z') });
    expect(eta).toMatchObject({ outcome: 'APPLIED', etaChanged: true });
    const again = progressStop(eta.next, { etaStart: at('2026-12-01T08:00:00Z'), eventTime: at('2026-12-01T06:05:00Z') });
    expect(again).toMatchObject({ outcome: 'DUPLICATE', etaChanged: false });
  });
});

describe('diffSnapshots', () => {
  const snapshot = (over: Partial<DispatchSnapshot> = {}): DispatchSnapshot => ({
    id: 't',
    name: 'TR-1',
    resource_allocations: [],
    custom_fields: {},
    purchase_price: '10.00',
    orders: [{ id: 'o1', status: 'PLANNED', consignments: [{ id: 'c1', goods: [{ quantity: 1 }] }] }],
    stops: [
      { id: 'a', date: '2026-12-01', status: 'DISPATCHED', order: { row_id: 'o1' } },
      { id: 'b', date: '2026-12-02', status: 'DISPATCHED', order: { row_id: 'o1' } },
    ],
    ...over,
  });

  it('ignores execution state: a status reported by the executor is no change', () => {
    const after = snapshot({ stops: snapshot().stops.map((s) => ({ ...s, status: 'COMPLETED', start_timestamp: '2026-12-01T08:00:00.000Z' })) });
    expect(diffSnapshots(snapshot(), after)).toEqual([]);
  });

  it('names dates, cargo, sequence, price and removed orders', () => {
    const before = snapshot();
    const after = snapshot({
      purchase_price: '12.00',
      orders: [{ id: 'o1', status: 'CANCELLED', consignments: [{ id: 'c1', goods: [{ quantity: 2 }] }] }],
      stops: [
        { id: 'b', date: '2026-12-03', status: 'CANCELLED', order: { row_id: 'o1' } },
        { id: 'a', date: '2026-12-01', status: 'CANCELLED', order: { row_id: 'o1' } },
      ],
    });
    expect(
      diffSnapshots(before, after)
        .map((c) => c.type)
        .sort(),
    ).toEqual(['CARGO_CHANGED', 'ORDER_CANCELLED', 'PRICE_CHANGED', 'STOPS_RESEQUENCED', 'STOP_DATE_CHANGED']);
    expect(diffSnapshots(before, snapshot({ orders: [], stops: [] })).map((c) => c.type)).toEqual(['ORDER_REMOVED', 'STOP_REMOVED', 'STOP_REMOVED']);
  });
});

describe('checkPlan', () => {
  const planning = (id: string, stop_type: 'PICKUP' | 'DELIVERY', status: StopStatus = 'TO_PLAN'): PlanningStop => ({
    id,
    order_id: 'o',
    consignment_id: 'c',
    stop_type,
    status,
    order_cancelled: false,
    customer_company_id: 'x',
  });

  it('keeps a stop already on this trip even when it is no longer TO_PLAN', () => {
    const plan = checkPlan(['p', 'd'], [planning('p', 'PICKUP', 'DISPATCHED'), planning('d', 'DELIVERY')], [], new Set(['p']));
    expect(plan.map((s) => s.id)).toEqual(['p', 'd']);
  });

  it('refuses to drop a stop the vehicle reached, and a delivery before its pickup', () => {
    expect(() => checkPlan(['d'], [planning('p', 'PICKUP', 'AT_STOP'), planning('d', 'DELIVERY')], [], new Set(['p', 'd']))).toThrow(/already reached/);
    expect(() => checkPlan(['d', 'p'], [planning('p', 'PICKUP'), planning('d', 'DELIVERY')], [])).toThrow(/pickup must come before/);
  });
});

describe('stop documents', () => {
  it('maps question path keys and names files after them', () => {
    expect(documentTypeOfKey('pod')).toBe('PROOF_OF_DELIVERY');
    expect(documentTypeOfKey('CUSTOMER_PAPERWORK')).toBe('CUSTOMER_PAPERWORK');
    expect(documentTypeOfKey('WHATEVER')).toBeUndefined();
    expect(keyedFilename('attachment; filename="x.pdf"', 'POD')).toBe('x_POD.pdf');
    expect(keyedFilename("attachment; filename*=UTF-8''r%C3%A9%20cu.pdf", 'POD')).toBe('ré cu_POD.pdf');
    expect(keyedFilename(undefined, 'POD')).toBe('POD');
    expect(keyedFilename('attachment; filename="../../etc/passwd"', 'POD')).toBe('passwd_POD');
  });
});

describe('OpenAPI examples', () => {
  it('are valid against the contract', () => {
    for (const example of TripOutput.examples as unknown[]) expectContract('TripOutput', example);
    for (const example of ListTripOutput.examples as Array<{ items: unknown[] }>) for (const item of example.items) expectContract('TripOutput', item);
    for (const example of TripCostsOutput.examples as unknown[]) expectContract('TripCostsOutput', example);
    for (const example of SubcontractorStatusUpdatePayload.examples as unknown[]) expectContract('SubcontractorStatusUpdatePayload', example);
  });
});
