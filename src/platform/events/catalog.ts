import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

/**
 * The event catalog: every event type a module may append, with the TypeBox schema of its payload.
 * Each module declares its own in `<m>.events.ts` (or `<feature>.events.ts`) with `declareEvents`
 * and adds the types to `EventPayloads` (declaration merging, as tables do with `Database`), so
 * `appendEvent` accepts only declared types with their payloads; `docs/events.md`
 * (`npm run docs:events`) is written from the same declarations.
 */

/** The webhook payload families (see modules/webhooks/payloads/payloads.output.ts); named here so a declaration can say which carry it. */
export type PushFamily =
  | 'operational_visibility'
  | 'accounting_visibility'
  | 'events'
  | 'master_data'
  | 'subcontractor_dispatch'
  | 'fleet_dispatch'
  | 'location_booking'
  | 'intermodal_booking';

export interface EventDeclaration<S extends TSchema = TSchema> {
  /** The entity the event is about: `entity_type` on the wire, and the key that orders its pushes. */
  entityType: string;
  /** One sentence: when the event is appended. */
  summary: string;
  payload: S;
  /** The payload families that push this event besides `events` (which carries every event as GET /v1/events shows it). */
  families: readonly PushFamily[];
}

/**
 * Event type → payload type. Empty here; each module's catalog merges its types in:
 * `declare module '…/platform/events/catalog.js' { interface EventPayloads extends PayloadsOf<typeof ordersEvents> {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventPayloads {}

export type EventType = keyof EventPayloads & string;

/**
 * A stored event (an `events` row, or its wire form) whose type is one of `types`, with its payload
 * typed from that type's declaration: `appendEvent` checked it against the same schema when it was
 * written (outside production), and events are never changed after.
 */
export function isEventOf<E extends { type: string; payload: unknown }, T extends EventType>(
  event: E,
  ...types: T[]
): event is E & { type: T; payload: EventPayloads[T] } {
  return types.some((type) => type === event.type);
}

/** A payload field that may be null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A snapshot or record stored whole on the event (its shape is the read model's, documented with that read model). */
export const Snapshot = (description: string) => Type.Unknown({ description });

export type PayloadsOf<D extends Record<string, EventDeclaration>> = { [K in keyof D]: Static<D[K]['payload']> };

interface Registered extends EventDeclaration {
  type: string;
  module: string;
  check?: TypeCheck<TSchema>;
}

const registry = new Map<string, Registered>();

/**
 * Declares a module's event types and registers them for the run-time check and the docs. A type
 * declared twice is a programming error, caught when the second module loads.
 */
export function declareEvents<const D extends Record<string, EventDeclaration>>(module: string, declarations: D): D {
  for (const [type, declaration] of Object.entries(declarations)) {
    if (registry.has(type)) throw new Error(`event type ${type} is declared twice`);
    registry.set(type, { ...declaration, type, module });
  }
  return declarations;
}

/** Every declared event, in the order the modules declared them. */
export function eventCatalog(): ReadonlyArray<Readonly<EventDeclaration & { type: string; module: string }>> {
  return [...registry.values()];
}

// Cheap (a compiled check per type) but not free: production trusts the compiler's check.
const CHECK_PAYLOADS = process.env.NODE_ENV !== 'production';

/**
 * The run-time half of the catalog: an undeclared type, or (outside production) a payload that does
 * not match its schema, is a programming error and fails the transaction that appended it.
 */
export function checkEvent(type: string, entityType: string, payload: unknown): void {
  const declared = registry.get(type);
  if (!declared) throw new Error(`event type ${type} is not declared in any module's event catalog`);
  if (declared.entityType !== entityType) throw new Error(`event ${type} is declared for entity ${declared.entityType}, not ${entityType}`);
  if (!CHECK_PAYLOADS) return;
  declared.check ??= TypeCompiler.Compile(declared.payload);
  if (!declared.check.Check(payload)) {
    const first = declared.check.Errors(payload).First();
    throw new Error(`event ${type}: payload does not match its declaration${first ? ` (${first.path || '/'}: ${first.message})` : ''}`);
  }
}
