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
export const buildRequestValidator: typeof buildFromPool = (externalSchemas, options) => {
  const coercing = buildFromPool(externalSchemas, options);
  const strict = buildFromPool(externalSchemas, {
    ...options,
    customOptions: { ...options?.customOptions, coerceTypes: false },
  } as typeof options);
  return (route) => (route.httpPart === 'body' ? strict : coercing)(route);
};

const buildSerializerFromPool = SerializerSelector();

/**
 * Response serializers, each compiled the first time its route answers with that status. Every
 * route documents up to ten statuses, and compiling all of them at start made `ready()` the
 * slowest part of starting the server and of every test file.
 */
export const buildLazySerializer: typeof buildSerializerFromPool = (externalSchemas, options) => {
  const compile = buildSerializerFromPool(externalSchemas, options);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => (serialize ??= compile(route))(data);
  };
};

/**
 * The serializer a route answering `schema` would use, for a document stored to be sent later as
 * it is (see the orders' stored status document): the same compiler, so the stored bytes carry
 * exactly the fields the route's answer would. `externals` are the named schemas it refers to.
 */
export function documentSerializer(schema: TSchema, externals: readonly TSchema[]): (data: unknown) => string {
  const compile = buildSerializerFromPool(Object.fromEntries(externals.map((s) => [s.$id, s])), {});
  return compile({ schema, method: 'GET', url: '/', httpStatus: '200' });
}
