import { describe, expect, it } from 'vitest';
import { canCancel, canChangeQuoteFlag, deriveOrderStatus, visibilityStopStatus, type StopStatus } from '../../src/modules/orders/status/status.policy.js';

const derive = (stopStatuses: StopStatus[], flags: { quote?: boolean; cancelled?: boolean } = {}) =>
  deriveOrderStatus({ quote: flags.quote ?? false, cancelled: flags.cancelled ?? false, stopStatuses });

describe('deriveOrderStatus', () => {
  it('a new order is TO_PLAN, a new quote QUOTE', () => {
    expect(derive(['TO_PLAN', 'TO_PLAN'])).toBe('TO_PLAN');
    expect(derive(['TO_PLAN', 'TO_PLAN'], { quote: true })).toBe('QUOTE');
  });

  it('an order without stops follows its kind', () => {
    expect(derive([])).toBe('TO_PLAN');
    expect(derive([], { quote: true })).toBe('QUOTE');
  });

  it('TEMPLATE and BLOCKED stops still need planning', () => {
    expect(derive(['TEMPLATE', 'BLOCKED'])).toBe('TO_PLAN');
  });

  it('stays TO_PLAN while only some stops are planned', () => {
    expect(derive(['PLANNED', 'TO_PLAN'])).toBe('TO_PLAN');
  });

  it('is PLANNED once every active stop is planned or dispatched', () => {
    expect(derive(['PLANNED', 'PLANNED'])).toBe('PLANNED');
    expect(derive(['DISPATCHED', 'PLANNED'])).toBe('PLANNED');
    expect(derive(['PLANNED', 'CANCELLED'])).toBe('PLANNED');
  });

  it('a quote is never PLANNED: it must be confirmed first', () => {
    expect(derive(['PLANNED', 'PLANNED'], { quote: true })).toBe('QUOTE');
  });

  it('is IN_TRANSIT from the first stop under way until the last is done', () => {
    expect(derive(['ROUTE_TO_STOP', 'PLANNED'])).toBe('IN_TRANSIT');
    expect(derive(['AT_STOP', 'PLANNED'])).toBe('IN_TRANSIT');
    expect(derive(['COMPLETED', 'DISPATCHED'])).toBe('IN_TRANSIT');
    expect(derive(['COMPLETED', 'TO_PLAN'])).toBe('IN_TRANSIT');
  });

  it('is COMPLETED when every active stop is completed', () => {
    expect(derive(['COMPLETED', 'COMPLETED'])).toBe('COMPLETED');
    expect(derive(['COMPLETED', 'IGNORED'])).toBe('COMPLETED');
  });

  it('is CANCELLED when cancelled or when every stop was dropped', () => {
    expect(derive(['TO_PLAN'], { cancelled: true })).toBe('CANCELLED');
    expect(derive(['COMPLETED', 'AT_STOP'], { cancelled: true })).toBe('CANCELLED');
    expect(derive(['CANCELLED', 'IGNORED'])).toBe('CANCELLED');
  });
});

describe('status rules', () => {
  it('only QUOTE and TO_PLAN orders switch kind', () => {
    expect(canChangeQuoteFlag('QUOTE')).toBe(true);
    expect(canChangeQuoteFlag('TO_PLAN')).toBe(true);
    for (const s of ['PLANNED', 'IN_TRANSIT', 'COMPLETED', 'CANCELLED'] as const) expect(canChangeQuoteFlag(s)).toBe(false);
  });

  it('completed orders cannot be cancelled', () => {
    expect(canCancel('COMPLETED')).toBe(false);
    for (const s of ['QUOTE', 'TO_PLAN', 'PLANNED', 'IN_TRANSIT', 'CANCELLED'] as const) expect(canCancel(s)).toBe(true);
  });

  it('maps stop statuses onto the visibility vocabulary', () => {
    expect(visibilityStopStatus('TEMPLATE')).toBe('TO_PLAN');
    expect(visibilityStopStatus('BLOCKED')).toBe('TO_PLAN');
    expect(visibilityStopStatus('IGNORED')).toBe('CANCELLED');
    expect(visibilityStopStatus('AT_STOP')).toBe('AT_STOP');
  });
});
