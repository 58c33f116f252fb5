import type { Static } from '@sinclair/typebox';
import type { PublicTracking, TrackingLink, TrackingLinkState } from './tracking-link.schemas.js';

// The answers for the order of test/orders/orders.tracking-link.test.ts once planned with an ETA (the token is one of the
// same format, not a live one).
export const trackingLinkExample: TrackingLink = {
  token: 'q3Jm0S8Zb6yO1m2xJk7YcV4rT9uW5nE0aLdPfGhHsQw',
  url: 'https://tms.example.com/app/track#q3Jm0S8Zb6yO1m2xJk7YcV4rT9uW5nE0aLdPfGhHsQw',
  created_at: '2026-12-07T08:31:12.417Z',
};

// GET on the same order after that link was made by the customer's person signed in to the console.
export const trackingLinkStateExample: TrackingLinkState = {
  exists: true,
  created_at: '2026-12-07T08:31:12.417Z',
  created_by: { type: 'user', id: '0f6c2d7e-93b1-4f0a-8a52-6de2c4b1a9e3', name: 'Olga Operator' },
};

export const publicTrackingExample: Static<typeof PublicTracking> = {
  status: 'PLANNED',
  eta: '2026-12-02T08:30:00.000Z',
  delivery_town: 'Lyon',
  delivery_country: 'FR',
  updated_at: '2026-12-02T07:58:41.120Z',
};
