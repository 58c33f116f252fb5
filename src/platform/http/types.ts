import type { Static, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/** The Fastify instance every module registers its routes on. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression<RawServerDefault>,
  RawReplyDefaultExpression<RawServerDefault>,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * A reference to a named schema (registered with `app.addSchema`) that keeps the TypeScript type,
 * so OpenAPI shows the schema by name while handlers stay typed. A route's body or response may
 * add an example (type-checked against the schema; the OpenAPI document shows it on the
 * operation) and, for a response, a description.
 */
export function ref<T extends TSchema>(schema: T, doc: { example?: Static<T>; description?: string } = {}) {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id');
  const { example, description } = doc;
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id, { ...(example === undefined ? {} : { examples: [example] }), ...(description ? { description } : {}) }));
}
