import { principalOf } from '../../../platform/http/auth.js';
import { errorsOf, readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { TripParams } from '../trips.schemas.js';
import { createdDriverLinkExample, driverAccessExample, driverLinkExample, driverTripExample } from './drivers.examples.js';
import {
  CreatedDriverLink,
  DriverAccess,
  DriverLink,
  DriverLinkInput,
  DriverLinkList,
  DriverLinkParams,
  DriverSignInInput,
  DriverTrip,
} from './drivers.schemas.js';
import type { DriverLinks } from './drivers.service.js';

const TAGS = ['Trip execution'];
const LINKS = '/v1/trips/trip/:trip_id/driver-links';
const DRIVER_ONLY = [{ driverLink: [] }];

/** Sharing one trip with a driver (tenant or the trip's subcontractor), and the driver's side of it. */
export function driverRoutes(app: App, deps: { drivers: DriverLinks }) {
  const { drivers } = deps;

  app.post(LINKS, {
    // The URL and the PIN are shown once: an idempotent replay answers without them.
    config: { roles: ['TENANT', 'SUBCONTRACTOR'], secretFields: ['url', 'pin'] },
    schema: {
      operationId: 'createDriverLink',
      tags: TAGS,
      summary: 'Share a trip with a driver: a one-trip link and a PIN (Waybill)',
      description:
        'A link (its token in the URL fragment) and a PIN to tell the driver apart from it. With both, the driver reads this trip’s stops ' +
        'and reports their statuses and PODs, nothing else. The link expires (24 hours unless said), can be revoked, and locks after 5 wrong ' +
        'PINs. The carrier may share any live trip; a subcontractor the trips dispatched to it (its links end when the trip leaves it). Only ' +
        'hashes are kept: the URL and PIN appear in this answer only.',
      params: TripParams,
      body: ref(DriverLinkInput),
      response: { 201: ref(CreatedDriverLink, { example: createdDriverLinkExample, description: 'The new link' }), ...writeErrors(404, 409) },
    },
    handler: async (request, reply) => reply.code(201).send(await drivers.create(principalOf(request), request.params.trip_id, request.body)),
  });

  app.get(LINKS, {
    config: { roles: ['TENANT', 'SUBCONTRACTOR'] },
    schema: {
      operationId: 'listDriverLinks',
      tags: TAGS,
      summary: "List a trip's driver links (Waybill)",
      description: 'Oldest first, with their state; never their token or PIN. A subcontractor sees the links it shared.',
      params: TripParams,
      response: { 200: { ...DriverLinkList, examples: [[driverLinkExample]] }, ...readErrors(404) },
    },
    handler: async (request) => drivers.list(principalOf(request), request.params.trip_id),
  });

  app.post(`${LINKS}/:link_id/revoke`, {
    config: { roles: ['TENANT', 'SUBCONTRACTOR'] },
    schema: {
      operationId: 'revokeDriverLink',
      tags: TAGS,
      summary: "Revoke a driver's link (Waybill)",
      description: 'The link and the access it gave stop working at once. The carrier may revoke any link of its trip, a subcontractor its own.',
      params: DriverLinkParams,
      response: { 200: ref(DriverLink, { example: { ...driverLinkExample, state: 'REVOKED' }, description: 'The revoked link' }), ...writeErrors(404) },
    },
    handler: async (request) => drivers.revoke(principalOf(request), request.params.trip_id, request.params.link_id),
  });

  app.post('/v1/driver/session', {
    // No credentials: the link's token and its PIN are the permission (rate-limited per address like every unauthenticated route).
    config: { auth: 'none' },
    schema: {
      operationId: 'openDriverLink',
      tags: TAGS,
      summary: "Open a driver's link with its PIN",
      description:
        'Answers an access token for the driver routes (GET /v1/driver/trip, the subcontractor status update and document upload, on this ' +
        'trip only), valid until the link ends; opening the link again moves the access to the new phone. A wrong PIN answers 401 with ' +
        'the attempts left; the last one locks the link. 404 for a link that is unknown, revoked, expired or locked.',
      security: [],
      body: ref(DriverSignInInput),
      response: { 200: ref(DriverAccess, { example: driverAccessExample, description: 'The driver’s access' }), ...errorsOf(400, 401, 404, 413, 415, 429) },
    },
    handler: async (request) => drivers.signIn(request.body.token, request.body.pin),
  });

  app.get('/v1/driver/trip', {
    config: { driver: true },
    schema: {
      operationId: 'getDriverTrip',
      tags: TAGS,
      summary: "The trip of a driver's link",
      description: "Its stops in visiting order, with their addresses, time windows and statuses; no prices, no other party's data. Driver access only.",
      security: DRIVER_ONLY,
      response: { 200: ref(DriverTrip, { example: driverTripExample, description: 'The trip' }), ...readErrors() },
    },
    handler: async (request) => drivers.trip(principalOf(request)),
  });
}
