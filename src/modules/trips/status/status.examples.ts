import type { UnmatchedStatusUpdate } from './status.schemas.js';

/** Examples for the OpenAPI document, recorded from a run of the API. */

export const unmatchedExample: UnmatchedStatusUpdate = {
  id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
  reason: 'UNMATCHED',
  message: 'No stop on your live trips matches every criterion',
  api_client_id: '6a7b8c9d-0e1f-4a2b-b3c4-d5e6f7a8b9c0',
  update: { stop: { match: { matches_all: [{ order: { name: { matches_any: ['OR-000999'] } } }] }, status: 'AT_STOP' }, event_time: '2026-12-01T10:00:00Z' },
  received_at: '2026-12-01T10:00:01.204Z',
  state: 'OPEN',
  stop_id: null,
  outcome: null,
  dismiss_reason: null,
  settled_at: null,
  settled_by: null,
};

export const assignedExample: UnmatchedStatusUpdate = {
  ...unmatchedExample,
  state: 'ASSIGNED',
  stop_id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01',
  outcome: 'APPLIED',
  settled_at: '2026-12-01T10:12:40.518Z',
  settled_by: '0f1e2d3c-4b5a-4697-8877-665544332211',
};

export const dismissedExample: UnmatchedStatusUpdate = {
  ...unmatchedExample,
  state: 'DISMISSED',
  dismiss_reason: 'Test message from the subcontractor',
  settled_at: '2026-12-01T10:12:40.518Z',
  settled_by: '0f1e2d3c-4b5a-4697-8877-665544332211',
};
