import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas of an OpenAPI document: values that mostly fit a
 * schema (so requests get past validation and reach the handlers), mixed with values that do not
 * (so validation and error paths are exercised too).
 */

type Schema = Record<string, unknown>;
export type Components = Record<string, Schema>;

/** Values a test already has (ids of real objects), used for uuid fields half of the time. */
export interface Known {
  uuids: string[];
}

const MAX_DEPTH = 5;
const anyJson = fc.jsonValue({ maxDepth: 2 });

function resolve(schema: Schema, components: Components): Schema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops += 1) {
    current = components[(current.$ref as string).split('/').pop() as string] ?? {};
  }
  return current;
}

function stringOf(schema: Schema, known: Known): fc.Arbitrary<string> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  const max = typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 60) : 60;
  const min = typeof schema.minLength === 'number' ? Math.min(schema.minLength, max) : 0;
  const plain = fc.string({ minLength: min, maxLength: max });
  switch (schema.format) {
    case 'uuid':
      return known.uuids.length ? fc.oneof(fc.constantFrom(...known.uuids), fc.uuid()) : fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
  }
  if (schema.pattern === '^[A-Z]{2}$') return fc.constantFrom('BE', 'FR', 'NL', 'DE');
  if (schema.pattern === '^[A-Z]{3}$') return fc.constantFrom('EUR', 'USD', 'GBP');
  return plain;
}

function numberOf(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1e6;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1e9;
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A value that fits `schema` as far as a generator can tell (patterns are not honoured). */
export function fitting(schema: Schema, components: Components, known: Known, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (depth > MAX_DEPTH) return fc.constant(null);
  if (Array.isArray(s.examples) && s.examples.length && depth > 0) return fc.oneof(fc.constantFrom(...s.examples), fittingShape(s, components, known, depth));
  return fittingShape(s, components, known, depth);
}

function fittingShape(s: Schema, components: Components, known: Known, depth: number): fc.Arbitrary<unknown> {
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (union?.length) return fc.oneof(...union.map((branch) => fitting(branch, components, known, depth + 1)));
  if ('const' in s) return fc.constant(s.const);
  const type = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string | undefined];
  if (type.length > 1) return fc.oneof(...type.map((t) => fittingShape({ ...s, type: t }, components, known, depth)));
  switch (type[0]) {
    case 'string':
      return stringOf(s, known);
    case 'integer':
      return numberOf(s, true);
    case 'number':
      return numberOf(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const maxLength = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, 3);
      const minLength = Math.min(typeof s.minItems === 'number' ? s.minItems : 0, maxLength);
      return fc.array(fitting((s.items as Schema) ?? {}, components, known, depth + 1), { minLength, maxLength });
    }
    case 'object':
    case undefined: {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      if (!Object.keys(properties).length) return type[0] === 'object' ? fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 3 }) : anyJson;
      const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, fitting(value, components, known, depth + 1)]));
      return fc.record(model, { requiredKeys: ((s.required ?? []) as string[]).filter((key) => key in model) });
    }
    default:
      return anyJson;
  }
}

/** Mostly fitting values, sometimes any JSON at all. */
export function fuzzed(schema: Schema, components: Components, known: Known): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: fitting(schema, components, known) }, { weight: 1, arbitrary: anyJson });
}
