import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { TSchema } from '@sinclair/typebox';

const buildFromPool = AjvCompiler();

/**
 * Request validators with two type policies. Query strings, path parameters and headers arrive as
 * text, so they are coerced to the schema's types (`limit=5` becomes 5). JSON bodies already carry
 * their types, so a wrong one is refused rather than converted: `["BE"]` is not `"BE"`, `978` is
 * not `"978"` and `"1e9"` is not a number. Fastify's schema controller calls this with the
 * app's shared schemas and its `ajv` options.
 */
let lastBuilt: { schemas: unknown[]; options: unknown; validator: ReturnType<typeof buildFromPool> } | undefined;

export const buildRequestValidator: typeof buildFromPool = (externalSchemas, options) => {
  // Fastify asks again for every route of a context that added schemas; the pool would answer
  // after serialising all shared schemas twice to find its key (about a second at start).
  const schemas = Object.values(externalSchemas);
  const last = lastBuilt;
  if (last && last.options === options && last.schemas.length === schemas.length && last.schemas.every((s, i) => s === schemas[i])) return last.validator;
  // Ajv would check every shared schema against the JSON Schema meta-schema, in both instances, at
  // every start: compiling the meta-schema and running it was about a fifth of a restart's CPU.
  // The schemas are the code's own constants, so test/platform/http.test.ts checks them once instead.
  const unchecked = { ...options, customOptions: { ...options?.customOptions, validateSchema: false } } as typeof options;
  // Each instance is made when the first validator that needs it compiles: adding the ~200 shared
  // schemas to both (resolving every $id and $ref) was most of `listen` once the check was gone.
  let coercing: ReturnType<typeof buildFromPool> | undefined;
  let strict: ReturnType<typeof buildFromPool> | undefined;
  const strictOptions = { ...unchecked, customOptions: { ...unchecked?.customOptions, coerceTypes: false } } as typeof options;
  const compilerFor = (httpPart: string | undefined) =>
    httpPart === 'body' ? (strict ??= buildFromPool(externalSchemas, strictOptions)) : (coercing ??= buildFromPool(externalSchemas, unchecked));
  const validator: ReturnType<typeof buildFromPool> = (route) => lazyValidator(() => compilerFor(route.httpPart)(route));
  lastBuilt = { schemas, options, validator };
  return validator;
};

type Validate = ReturnType<ReturnType<typeof buildFromPool>>;

/**
 * A validator compiled the first time a request needs it. Compiling every route's schemas with Ajv
 * at start took seconds (most of a restart); Fastify reads `errors` after a failed call and
 * `schemaEnv` to let Ajv coerce a root value, so both are forwarded to the compiled function.
 */
function lazyValidator(compile: () => Validate): Validate {
  let compiled: Validate | undefined;
  const get = () => (compiled ??= compile());
  const validate = ((data: unknown, context?: unknown) => (get() as (data: unknown, context?: unknown) => unknown)(data, context)) as Validate;
  Object.defineProperties(validate, {
    errors: { get: () => (get() as { errors?: unknown }).errors },
    schemaEnv: { get: () => (get() as { schemaEnv?: unknown }).schemaEnv },
  });
  return validate;
}

const buildSerializerFromPool = SerializerSelector();

/**
 * Response serializers, each compiled the first time its route answers with that status. Every
 * route documents up to ten statuses, and compiling all of them at start made `ready()` the
 * slowest part of starting the server and of every test file.
 */
export const buildLazySerializer: typeof buildSerializerFromPool = (externalSchemas, options) => (route) => {
  let serialize: ((data: unknown) => string) | undefined;
  const compile = () => buildSerializerFromPool(referencedSchemas(route.schema, externalSchemas) ?? externalSchemas, options)(route);
  return (data: unknown) => (serialize ??= compile())(data);
};

/**
 * The shared schemas `schema` refers to, directly or through each other, by `$id`. fast-json-stringify
 * checks every shared schema it is handed against its meta-schema before compiling, so handing it
 * all of them made each route's first answer cost the same large check (half a second of a
 * restart's first /ready on a loaded machine). Undefined when a reference is not a plain `$id`
 * (then the caller hands over every schema, as Fastify would).
 */
function referencedSchemas(schema: unknown, externals: unknown): Record<string, unknown> | undefined {
  const all = new Map(typeof externals === 'object' && externals ? Object.entries(externals) : []);
  const picked = new Map<string, unknown>();
  const pending: unknown[] = [schema];
  const seen = new Set<object>();
  while (pending.length) {
    const node = pending.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref' || typeof value !== 'string') {
        pending.push(value);
        continue;
      }
      const id = value.split('#')[0] ?? '';
      // `#/…` points inside the schema being walked, which is already on its way to the compiler.
      if (!id || picked.has(id)) continue;
      if (!all.has(id)) return undefined;
      picked.set(id, all.get(id));
      pending.push(all.get(id));
    }
  }
  return Object.fromEntries(picked);
}

/**
 * The serializer a route answering `schema` would use, for a document stored to be sent later as
 * it is (see the orders' stored status document): the same compiler, so the stored bytes carry
 * exactly the fields the route's answer would. `externals` are the named schemas it refers to.
 */
export function documentSerializer(schema: TSchema, externals: readonly TSchema[]): (data: unknown) => string {
  // Compiled on first use like the routes' serializers: modules create theirs when imported.
  let serialize: ((data: unknown) => string) | undefined;
  const compile = () =>
    buildSerializerFromPool(Object.fromEntries(externals.map((s) => [s.$id, s])), {})({ schema, method: 'GET', url: '/', httpStatus: '200' });
  return (data) => (serialize ??= compile())(data);
}
