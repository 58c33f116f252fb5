import type { TSchema } from '@sinclair/typebox';
import { documentSerializer } from '../../../platform/http/validation.js';
import { isRecord, recordOr } from '../../../platform/narrow.js';

type Schema = Record<string, unknown>;

const isNull = (s: unknown) => isRecord(s) && s.type === 'null' && Object.keys(s).length === 1;

/** A schema the serializer writes without choosing a branch: one plain type. */
const isPlain = (s: Schema) => typeof s.type === 'string' && !s.anyOf && !s.oneOf && !s.allOf && !s.if;

/** The named schemas' types by `$id`: a reference gets its target's type beside `nullable` (Ajv wants one). */
type Types = ReadonlyMap<string, unknown>;

/**
 * A copy of `schema` in which every `anyOf: [X, null]` (TypeBox's `Nullable`) is `X` with
 * `nullable: true`, when X is one plain type or a reference. fast-json-stringify picks an `anyOf`
 * branch by running Ajv on the value, for every nullable field of every stop, consignment and
 * good, and that was most of what serialising a status document cost (issue 21). For a value the
 * schema accepts, both write the same bytes: null as `null`, anything else through X. (A value
 * X does not accept throws with `anyOf` and is written through X with `nullable`; the documents
 * are built by our own code from stored rows, not from input.)
 */
export function withNullable(schema: unknown, types: Types = new Map()): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withNullable(s, types));
  if (!isRecord(schema)) return schema;
  const branches = schema.anyOf;
  if (Array.isArray(branches) && branches.length === 2 && branches.some(isNull)) {
    const other =
      recordOr(
        withNullable(
          branches.find((b) => !isNull(b)),
          types,
        ),
      ) ?? {};
    const typed = typeof other.$ref === 'string' && Object.keys(other).length === 1 ? { ...other, type: types.get(other.$ref) } : other;
    const { anyOf: _anyOf, ...siblings } = schema;
    if (isPlain(typed)) return { ...siblings, ...typed, nullable: true };
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, withNullable(value, types)]));
}

/** `documentSerializer` over the same schemas with `withNullable` applied to each. */
export function nullableDocumentSerializer(schema: TSchema, externals: readonly TSchema[]): (data: unknown) => string {
  const types: Types = new Map(externals.flatMap((e): Array<[string, unknown]> => (e.$id ? [[e.$id, e.type]] : [])));
  return documentSerializer(
    withNullable(schema, types) as TSchema,
    externals.map((e) => withNullable(e, types) as TSchema),
  );
}
