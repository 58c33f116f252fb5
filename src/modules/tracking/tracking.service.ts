import type { Db } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/tx.js';
import type { Principal } from '../../platform/http/principal.js';
import type { ResourceMatch, ActiveResource, ResourcesService } from '../resources/index.js';
import type { TripsService } from '../trips/index.js';
import * as repo from './tracking.repo.js';
import type { PositionRow } from './tracking.repo.js';
import type { ResourceFieldsMatch, ResourcePositions, TrackingMatchInput, TrackingUpdatePayload, TrackingUpdateResponse } from './tracking.schemas.js';

/**
 * Inbound tracking (`POST /v1/webhook/tracking-update`). Each update names one own resource by
 * the contract's match (any alternative may match; together they must name exactly one active
 * resource of the tenant) and carries telematics data, of which Waybill keeps the positions: a
 * bounded history per resource. A position newer than any stored is told to the customers of the
 * live trips the resource is on. Like the contract, the answer lists what was not taken.
 */

/** The resource types each kind of match in the contract stands for. */
const MATCH_TYPES = {
  driver: ['DRIVER'],
  vehicle: ['TRACTOR', 'RIGID', 'VAN', 'TRAILER', 'FULL_TRAILER', 'CHASSIS'],
  container: ['CONTAINER'],
} as const;

type Problem = TrackingUpdateResponse['errors'][number];
const userError = (message: string): Problem => ({ error_type: 'USER_INPUT_ERROR', error_message: message });

function matchOf(types: readonly string[], fields: ResourceFieldsMatch): ResourceMatch | undefined {
  const match: ResourceMatch = {
    types,
    names: fields.name?.matches_any,
    genericIds: fields.generic_id?.matches_any,
    externalIds: fields.integration_object_id?.matches_any,
  };
  return match.names || match.genericIds || match.externalIds ? match : undefined;
}

/** Every resource alternative of a match, and whether it named a subcontractor (which is no own resource). */
function alternatives(matches: TrackingMatchInput[]): { matches: ResourceMatch[]; subcontractor: boolean } {
  const out: ResourceMatch[] = [];
  let subcontractor = false;
  for (const m of matches) {
    if (m.resource?.subcontractor) subcontractor = true;
    for (const kind of ['driver', 'vehicle', 'container'] as const) {
      const fields = m.resource?.[kind];
      const match = fields && matchOf(MATCH_TYPES[kind], fields);
      if (match) out.push(match);
    }
  }
  return { matches: out, subcontractor };
}

const positionOutput = (p: PositionRow) => ({
  timestamp: p.recorded_at.toISOString(),
  latitude: p.latitude,
  longitude: p.longitude,
  received_at: p.received_at.toISOString(),
});

export type TrackingService = ReturnType<typeof createTrackingService>;

export function createTrackingService(deps: {
  db: Db;
  resources: Pick<ResourcesService, 'matchResource' | 'get'>;
  trips: Pick<TripsService, 'announcePosition'>;
}) {
  const { db, resources, trips } = deps;

  /** The one resource an update names, or the error that says why there is none. */
  async function resourceOf(tenantId: string, matches: TrackingMatchInput[], at: string): Promise<ActiveResource | Problem> {
    const { matches: options, subcontractor } = alternatives(matches);
    if (!options.length) {
      return subcontractor
        ? { error_type: 'NOT_SUPPORTED', error_message: `${at}: subcontractors are tracked by their own status updates` }
        : userError(`${at}: tracking_match names no driver, vehicle or container field`);
    }
    const found = new Map<string, ActiveResource>();
    for (const option of options) {
      const hit = await resources.matchResource(tenantId, option);
      if (hit === 'AMBIGUOUS') return userError(`${at}: several resources match; match on generic_id or integration_object_id`);
      if (hit) found.set(hit.id, hit);
    }
    if (found.size > 1) return userError(`${at}: the alternatives match different resources`);
    return [...found.values()][0] ?? userError(`${at}: no active resource matches`);
  }

  /** Stores one position; a repeat changes nothing, and only the newest position is announced. */
  async function record(tenantId: string, resource: ActiveResource, p: { timestamp: string; latitude: number; longitude: number }) {
    const recordedAt = new Date(p.timestamp);
    await inTransaction(db, async (tx) => {
      const inserted = await repo.insertPosition(tx.trx, {
        tenant_id: tenantId,
        resource_id: resource.id,
        recorded_at: recordedAt,
        latitude: p.latitude,
        longitude: p.longitude,
      });
      if (!inserted) return;
      await repo.pruneHistory(tx.trx, tenantId, resource.id);
      const [newest] = await repo.recentPositions(tx.trx, tenantId, resource.id, 1);
      if (newest?.recorded_at.getTime() !== recordedAt.getTime()) return;
      await trips.announcePosition(tx, tenantId, {
        resource: { id: resource.id, type: resource.resourceType, name: resource.name, code: resource.code },
        latitude: p.latitude,
        longitude: p.longitude,
        recordedAt,
      });
    });
  }

  return {
    async receive(principal: Principal, payload: TrackingUpdatePayload): Promise<TrackingUpdateResponse> {
      const errors: Problem[] = [];
      const ignored = new Set<string>();
      for (const [i, update] of payload.updates.entries()) {
        const resource = await resourceOf(principal.tenantId, update.tracking_match.matches_any ?? [], `updates.${i}`);
        if ('error_type' in resource) {
          errors.push(resource);
          continue;
        }
        for (const data of update.tracking_update_data ?? []) {
          for (const [kind, value] of Object.entries(data)) if (kind !== 'position' && value) ignored.add(kind);
          if (data.position) await record(principal.tenantId, resource, data.position);
        }
      }
      if (ignored.size) errors.push({ error_type: 'NOT_SUPPORTED', error_message: `Only positions are kept; not stored: ${[...ignored].sort().join(', ')}` });
      return { errors };
    },

    /** The resource's last known position and recent history; 404 for a resource that is not the tenant's. */
    async positions(principal: Principal, resourceId: string): Promise<ResourcePositions> {
      await resources.get(principal, resourceId);
      const history = (await repo.recentPositions(db, principal.tenantId, resourceId)).map(positionOutput);
      return { resource_id: resourceId, last_position: history[0] ?? null, history };
    },
  };
}
