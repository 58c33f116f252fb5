import { principalOf } from '../../../platform/http/auth.js';
import { errorResponses, IdParams, readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { RAW_FILE_BODY, rawFile, rawFileRoutes } from '../../../platform/http/raw-file.js';
import {
  AssignUnmatchedInput,
  DismissUnmatchedInput,
  UnmatchedUpdate,
  FleetDocumentQuery,
  FleetStatusUpdatePayload,
  ListUnmatchedUpdates,
  StatusUpdateResponse,
  StopDocumentQuery,
  StopDocumentResponse,
  SubcontractorStatusUpdatePayload,
  UnmatchedQuery,
} from '../status/status.schemas.js';
import { TripImportInput, TripImportResponse } from './inbound.schemas.js';
import { assignedExample, dismissedExample, unmatchedExample } from '../status/status.examples.js';
import type { TripsService } from '../trips.service.js';

const TAGS = ['Trip execution'];
const UNMATCHED = '/v1/trips/unmatched-status-updates';
const WEBHOOK = { security: [{ webhookBasic: [] }] };
/** The subcontractor's reports also come from its people's trip page (session + CSRF) and from drivers' links. */
const REPORTS = { security: [{ webhookBasic: [] }, { sessionCookie: [] }, { driverLink: [] }] as Array<Record<string, string[]>> };
const REPORTERS = { sessionRoles: ['SUBCONTRACTOR' as const], driver: true };

/** The contract's inbound execution webhooks (HTTP Basic) and the tenant's view of what they could not match. */
export async function tripWebhookRoutes(app: App, deps: { trips: TripsService; config: { documentMaxBytes: number } }) {
  const { trips } = deps;

  for (const [url, operationId] of [
    ['/v1/webhook/subco-status-update', 'subcontractorStatusUpdate'],
    ['/v1/webhook/status', 'subcontractorStatusUpdateAlias'],
  ] as const) {
    app.post(url, {
      config: { auth: 'basic', roles: ['SUBCONTRACTOR', 'TENANT'], ...REPORTERS },
      schema: {
        ...REPORTS,
        operationId,
        tags: TAGS,
        summary: url === '/v1/webhook/status' ? 'Alias of POST /v1/webhook/subco-status-update' : 'Report stop statuses and ETAs (subcontractor)',
        description:
          'Each update names one stop of a trip dispatched to the caller, by `stop.id` or by `match` (every criterion must hold for exactly ' +
          'one stop). `status` AT_STOP or COMPLETED moves the stop forward only; a repeat is a DUPLICATE and an older report is STALE. ' +
          'Times need an offset. The answer lists a result per update; unmatched updates are kept for the tenant. Besides WEBHOOK ' +
          "credentials, a SUBCONTRACTOR person's session (with X-CSRF-Token) and a driver link's token (its trip's stops only) may report.",
        body: ref(SubcontractorStatusUpdatePayload),
        response: { 200: ref(StatusUpdateResponse), ...errorResponses },
      },
      handler: async (request) => trips.receive(principalOf(request), 'SUBCONTRACTOR', request.body.updates),
    });
  }

  app.post('/v1/webhook/fleet-status-update', {
    config: { auth: 'basic', roles: ['TENANT'] },
    schema: {
      ...WEBHOOK,
      operationId: 'fleetStatusUpdate',
      tags: TAGS,
      summary: 'Report stop statuses and ETAs (own fleet app)',
      description: 'The same as the subcontractor status update, for trips dispatched to own resources. Stop group updates are answered NOT_SUPPORTED.',
      body: ref(FleetStatusUpdatePayload),
      response: { 200: ref(StatusUpdateResponse), ...errorResponses },
    },
    handler: async (request) => trips.receive(principalOf(request), 'FLEET', request.body.updates),
  });

  await rawFileRoutes(app, (scoped) => {
    for (const [url, executor, operationId] of [
      ['/v1/webhook/subco-document-upload', 'SUBCONTRACTOR', 'subcontractorDocumentUpload'],
      ['/v1/webhook/fleet-document-upload', 'FLEET', 'fleetDocumentUpload'],
    ] as const) {
      scoped.post(url, {
        config: { auth: 'basic', ...(executor === 'FLEET' ? { roles: ['TENANT'] } : { roles: ['SUBCONTRACTOR', 'TENANT'], ...REPORTERS }) },
        schema: {
          ...(executor === 'FLEET' ? WEBHOOK : REPORTS),
          operationId,
          tags: TAGS,
          summary: `Upload a stop's document, such as a POD (${executor === 'FLEET' ? 'own fleet app' : 'subcontractor'})`,
          description:
            'The body is the raw file with its own Content-Type; `Content-Disposition: attachment; filename="x.pdf"` names it ' +
            "(stored as x_POD.pdf for key POD). The stop must be on a live trip of the caller. The order's customer sees the document. " +
            'Refused with 400: an empty `question_path_key` (it names the kind of file, so it cannot be empty) and a `stop_id` that is ' +
            'not a UUID (every Waybill stop id is one).',
          querystring: executor === 'FLEET' ? FleetDocumentQuery : StopDocumentQuery,
          body: RAW_FILE_BODY,
          response: { 200: ref(StopDocumentResponse), ...writeErrors(404, 409) },
        },
        handler: async (request) =>
          trips.uploadStopDocument(principalOf(request), executor, request.query, {
            ...rawFile(request, deps.config.documentMaxBytes),
            disposition: request.headers['content-disposition'],
          }),
      });
    }
  });

  app.post('/v1/webhook/trip-import', {
    config: { auth: 'basic', roles: ['TENANT'] },
    schema: {
      ...WEBHOOK,
      operationId: 'tripImport',
      tags: TAGS,
      summary: 'Import a trip planned by an external planner',
      description:
        'A known `trip_identifier` updates its trip, a new one creates a trip; without one, the one live trip holding the stops is ' +
        "updated. `planned_stops` (by stop id, in `sequence`, chronological) become the trip's whole stop list under the planning " +
        'rules of POST /v1/trips/trip; `primary_resources` dispatch it to those active own resources. `status: CANCELLED` cancels the ' +
        'trip. Sending the same import again changes nothing. Planned timestamps are checked for order but do not reschedule stops.',
      body: ref(TripImportInput),
      response: { 200: ref(TripImportResponse), ...writeErrors(404, 409) },
    },
    handler: async (request) => trips.importTrip(principalOf(request), request.body),
  });

  app.get(UNMATCHED, {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'listUnmatchedStatusUpdates',
      tags: TAGS,
      summary: 'List status updates that matched no stop, or several (Waybill)',
      description:
        'Oldest first, with the reason and the update as received, so the tenant can assign it to a stop or dismiss it. `state=OPEN` lists those still to handle.',
      querystring: UnmatchedQuery,
      response: { 200: ref(ListUnmatchedUpdates), ...errorResponses },
    },
    handler: async (request) => trips.listUnmatched(principalOf(request), request.query),
  });

  app.get(`${UNMATCHED}/:id`, {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'getUnmatchedStatusUpdate',
      tags: TAGS,
      summary: 'Get one unmatched status update (Waybill)',
      description: 'The update as received, and what the tenant did with it.',
      params: IdParams,
      response: { 200: ref(UnmatchedUpdate, { example: unmatchedExample, description: 'The update' }), ...readErrors(404) },
    },
    handler: async (request) => trips.getUnmatched(principalOf(request), request.params.id),
  });

  app.post(`${UNMATCHED}/:id/assign`, {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'assignUnmatchedStatusUpdate',
      tags: TAGS,
      summary: 'Apply an unmatched status update to a stop (Waybill)',
      description:
        'Applies the update to the stop as if it had matched it: the stop moves (with its events and the order status), files it carried are ' +
        'attached, and the update becomes ASSIGNED with the outcome (APPLIED, or DUPLICATE/STALE when the stop was already further). 404 when the ' +
        'stop is not on a live trip; 409 when the update was already settled or the stop cannot take it (cancelled), which leaves it OPEN.',
      params: IdParams,
      body: ref(AssignUnmatchedInput),
      response: { 200: ref(UnmatchedUpdate, { example: assignedExample, description: 'The assigned update' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => trips.assignUnmatched(principalOf(request), request.params.id, request.body.stop_id),
  });

  app.post(`${UNMATCHED}/:id/dismiss`, {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'dismissUnmatchedStatusUpdate',
      tags: TAGS,
      summary: 'Dismiss an unmatched status update with a reason (Waybill)',
      description: 'The update becomes DISMISSED and keeps the reason; nothing is applied. 409 when it was already settled.',
      params: IdParams,
      body: ref(DismissUnmatchedInput),
      response: { 200: ref(UnmatchedUpdate, { example: dismissedExample, description: 'The dismissed update' }), ...writeErrors(404, 409) },
    },
    handler: async (request) => trips.dismissUnmatched(principalOf(request), request.params.id, request.body.reason),
  });
}
