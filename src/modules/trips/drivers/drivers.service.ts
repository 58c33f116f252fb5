import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { AppError, conflict, forbidden, notFound, unauthorized } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import * as trips from '../trips.repo.js';
import type { TripRow } from '../trips.repo.js';
import type { TripView } from '../trips.output.js';
import type { Executor } from '../../../platform/db/database.js';
import { tripScopeOf } from '../trips.service.js';
import { ACCESS_PREFIX, DRIVER_LINK, hashOf, hashPin, isSecret, linkState, newPin, newSecret, pinMatches } from './drivers.policy.js';
import * as repo from './drivers.repo.js';
import type { DriverLinkRow } from './drivers.repo.js';
import type { CreatedDriverLink, DriverAccess, DriverLink, DriverLinkInput, DriverTrip } from './drivers.schemas.js';

export type DriverLinks = ReturnType<typeof createDriverLinks>;

const linkOut = (row: DriverLinkRow, now = new Date()): DriverLink => ({
  id: row.id,
  trip_id: row.trip_id,
  state: linkState(row, now),
  shared_by_subcontractor: row.company_id !== null,
  failed_pins: row.failed_pins,
  expires_at: row.expires_at.toISOString(),
  created_at: row.created_at.toISOString(),
});

/** One answer for a token that is unknown, revoked, expired or locked: the page can only say "ask for a new link". */
const ended = () => notFound('Driver link (unknown, revoked, expired or locked: ask for a new one)');
const accessEnded = () => unauthorized('This driver link has ended (revoked, expired, locked or opened on another phone); ask for a new one');

/**
 * Driver links: the tenant, or the subcontractor a trip is dispatched to, shares that one trip with
 * a driver (a link and a PIN). The driver's principal reads that trip's stops and reports on them,
 * in the sharer's name; the auth layer refuses it on every other route (`driver: true` marks the
 * few that take it) and the trip scope keeps it to its trip there.
 */
export function createDriverLinks(deps: { db: Db; bus: EventBus; view: (exec: Executor, trip: TripRow) => Promise<TripView>; publicBaseUrl: string }) {
  const { db, bus } = deps;

  /** The trip this caller may share: a live one it sees (a subcontractor only the trips dispatched to it). */
  async function shareableTrip(exec: Executor, principal: Principal, tripId: string, forUpdate = false): Promise<TripRow> {
    const trip = await trips.findTrip(exec, principal.tenantId, tripId, tripScopeOf(principal), forUpdate);
    if (!trip) throw notFound('Trip');
    return trip;
  }

  const sharer = (principal: Principal) => (principal.role === 'SUBCONTRACTOR' ? principal.companyId : null);

  async function event(tx: Tx, type: 'created' | 'revoked' | 'opened' | 'locked', trip: TripRow, link: DriverLinkRow) {
    await appendEvent(tx, bus, {
      tenantId: trip.tenant_id,
      type: `trip.driver_link_${type}`,
      entityType: 'trip',
      entityId: trip.id,
      companyIds: link.company_id ? [link.company_id] : [],
      payload: { trip_id: trip.id, link_id: link.id, expires_at: link.expires_at.toISOString() },
    });
  }

  /** The link's trip, still the link's to open: live, and still dispatched to the subcontractor that shared it. */
  async function linkTrip(exec: Executor, link: DriverLinkRow): Promise<TripRow | undefined> {
    const trip = await trips.findTrip(exec, link.tenant_id, link.trip_id, { kind: 'tenant' });
    if (!trip || trip.cancelled_at) return undefined;
    if (link.company_id && trip.subcontractor_company_id !== link.company_id) return undefined;
    return trip;
  }

  return {
    async create(principal: Principal, tripId: string, input: DriverLinkInput): Promise<CreatedDriverLink> {
      const token = newSecret();
      const pin = newPin();
      const pinHash = await hashPin(pin);
      const hours = input.expires_in_hours ?? DRIVER_LINK.defaultHours;
      return inTransaction(db, async (tx) => {
        const trip = await shareableTrip(tx.trx, principal, tripId, true);
        if (trip.cancelled_at) throw conflict(`Trip ${trip.name} is cancelled`);
        if (trip.status === 'COMPLETED') throw conflict(`Trip ${trip.name} is completed`);
        const link = await repo.insertLink(tx.trx, {
          tenant_id: trip.tenant_id,
          id: randomUUID(),
          trip_id: trip.id,
          company_id: sharer(principal),
          token_hash: hashOf(token),
          pin_hash: pinHash,
          access_hash: null,
          locked_at: null,
          expires_at: new Date(Date.now() + hours * 3_600_000),
          revoked_at: null,
          created_by: principal.apiClientId,
        });
        await event(tx, 'created', trip, link);
        // In the fragment, like invite and tracking links: the token never reaches an access log or a Referer.
        return { ...linkOut(link), url: `${deps.publicBaseUrl}/app/driver#${token}`, pin };
      });
    },

    async list(principal: Principal, tripId: string): Promise<DriverLink[]> {
      const trip = await shareableTrip(db, principal, tripId);
      const now = new Date();
      return (await repo.listLinks(db, trip.tenant_id, trip.id, sharer(principal))).map((l) => linkOut(l, now));
    },

    /** Revoking again answers the revoked link. The tenant may revoke any link of its trip, a subcontractor its own. */
    async revoke(principal: Principal, tripId: string, linkId: string): Promise<DriverLink> {
      return inTransaction(db, async (tx) => {
        const trip = await shareableTrip(tx.trx, principal, tripId);
        const link = await repo.findLink(tx.trx, trip.tenant_id, trip.id, linkId, sharer(principal), true);
        if (!link) throw notFound('Driver link');
        if (link.revoked_at) return linkOut(link);
        const revoked = await repo.updateLink(tx.trx, link.tenant_id, link.id, { revoked_at: new Date(), access_hash: null });
        await event(tx, 'revoked', trip, revoked);
        return linkOut(revoked);
      });
    },

    /**
     * The driver's phone opens the link with its PIN: a new access token (the previous phone's
     * stops working). A wrong PIN counts; the last allowed one locks the link for good.
     */
    async signIn(token: string, pin: string): Promise<DriverAccess> {
      if (!isSecret(token)) throw ended();
      const found = await repo.findByTokenHash(db, hashOf(token));
      if (!found || linkState(found, new Date()) !== 'ACTIVE' || !(await linkTrip(db, found))) throw ended();
      // Compared before the transaction: scrypt takes a while, and PGlite runs one transaction at a time.
      const matches = await pinMatches(found.pin_hash, pin);
      const access = `${ACCESS_PREFIX}${newSecret()}`;
      const outcome = await inTransaction(db, async (tx) => {
        const link = await repo.findByTokenHash(tx.trx, hashOf(token), true);
        const trip = link && linkState(link, new Date()) === 'ACTIVE' ? await linkTrip(tx.trx, link) : undefined;
        if (!link || !trip) return { ended: true as const };
        if (!matches) {
          const counted = await repo.countWrongPin(tx.trx, link.tenant_id, link.id, DRIVER_LINK.maxPinFailures);
          if (counted.locked_at) await event(tx, 'locked', trip, counted);
          return { left: Math.max(0, DRIVER_LINK.maxPinFailures - counted.failed_pins) };
        }
        const opened = await repo.updateLink(tx.trx, link.tenant_id, link.id, { access_hash: hashOf(access), failed_pins: 0 });
        await event(tx, 'opened', trip, opened);
        return { opened };
      });
      if ('ended' in outcome) throw ended();
      if ('left' in outcome) {
        if (outcome.left === 0) throw ended();
        throw new AppError(401, `Wrong PIN; ${outcome.left} attempt(s) left before the link locks`);
      }
      return { access_token: access, trip_id: outcome.opened.trip_id, expires_at: outcome.opened.expires_at.toISOString() };
    },

    /** For the HTTP layer: the principal of a driver's access token, acting in the sharer's name. */
    async verify(access: string): Promise<Principal> {
      const secret = access.slice(ACCESS_PREFIX.length);
      if (!isSecret(secret)) throw accessEnded();
      const link = await repo.findByAccessHash(db, hashOf(access));
      const trip = link && linkState(link, new Date()) === 'ACTIVE' ? await linkTrip(db, link) : undefined;
      if (!link || !trip) throw accessEnded();
      return {
        tenantId: link.tenant_id,
        apiClientId: link.created_by,
        clientId: `driver_link_${link.id}`,
        role: link.company_id ? 'SUBCONTRACTOR' : 'TENANT',
        kind: 'API',
        companyId: link.company_id,
        name: `Driver of ${trip.name}`,
        driver: { tripId: trip.id, linkId: link.id },
      };
    },

    /** The driver's trip: its stops in visiting order, nothing about prices, the customer's charges or other trips. */
    async trip(principal: Principal): Promise<DriverTrip> {
      if (!principal.driver) throw forbidden('This endpoint is for driver links');
      const trip = await trips.findTrip(db, principal.tenantId, principal.driver.tripId, { kind: 'tenant' });
      if (!trip) throw notFound('Trip');
      const { output } = await deps.view(db, trip);
      return { id: output.id, name: output.name, status: output.status, cancelled: output.cancelled, stops: output.stops };
    },
  };
}
