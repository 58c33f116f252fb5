/**
 * Event-type filters, shared by the event feed (`types=`) and webhook endpoints (`event_types`):
 * empty takes everything, an entry is an exact type (`order.accepted`) or a prefix ending in
 * `.*` (`order.*`).
 */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  if (!patterns.length) return true;
  return patterns.some((p) => (p.endsWith('.*') ? type.startsWith(p.slice(0, -1)) : p === type));
}

export const EVENT_TYPE_PATTERN = '^[a-z][a-z0-9_]*(\\.([a-z][a-z0-9_]*|\\*))*$';
