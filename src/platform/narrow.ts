/**
 * Run-time checks that narrow a value the compiler cannot know (parsed JSON, a jsonb column, a
 * caught error, a lookup), so code reads what is there instead of asserting what it hopes for.
 */

/** A plain JSON object (not an array, not null): what a jsonb object column or `JSON.parse` of one gives. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a JSON object, else undefined. */
export const recordOr = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);

/** The JSON objects of a list (anything else in it, or a value that is not a list, gives none). */
export const recordsOf = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? value.filter(isRecord) : []);

/** Whether `value` is one of a closed list of strings (an enum's values). */
export const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.some((v) => v === value);

/** Whether a caught error is Node's system error with this `code` (ENOENT, EEXIST, ERR_STREAM_PREMATURE_CLOSE…). */
export function hasErrorCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code;
}

/** The only element of a list, or undefined when it has none or several. */
export const onlyOne = <T>(list: readonly T[]): T | undefined => (list.length === 1 ? list[0] : undefined);

/**
 * A value the caller's own data guarantees is in the map (ids it just loaded): a miss is a
 * programming error, said here rather than as a TypeError further on.
 */
export function mustGet<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no entry for ${String(key)}`);
  return value;
}
