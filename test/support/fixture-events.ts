import { Type } from '@sinclair/typebox';
import { declareEvents, type PayloadsOf } from '../../src/platform/events/catalog.js';

/**
 * Event types no module emits, declared for tests (and the webhook bench) that exercise the event
 * log and fan-out on entities of their own. Any payload object goes.
 */
const any = Type.Record(Type.String(), Type.Unknown());
const thing = (summary: string) => ({ entityType: 'thing', summary, payload: any, families: [] });

export const fixtureEvents = declareEvents('test fixtures', {
  'thing.changed': thing('A test entity changed.'),
  'thing.failed': thing('A test event whose deliveries are made to fail.'),
  'thing.happened': thing('A test event.'),
  'thing.old': thing('A test event written before a replay window.'),
  'thing.recent': thing('A test event written inside a replay window.'),
  'bench.burst': { entityType: 'bench', summary: 'A benchmark event.', payload: any, families: [] },
});

/** The webhook bench's spread of event types, `bench.e0` … `bench.e49`. */
export const benchEvents = declareEvents(
  'bench fixtures',
  Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [`bench.e${i}`, { entityType: 'bench', summary: 'A benchmark event.', payload: any, families: [] }]),
  ) as Record<`bench.e${number}`, ReturnType<typeof thing>>,
);

declare module '../../src/platform/events/catalog.js' {
  interface EventPayloads extends PayloadsOf<typeof fixtureEvents>, PayloadsOf<typeof benchEvents> {}
}

export type FixtureEventType = keyof typeof fixtureEvents | keyof typeof benchEvents;
