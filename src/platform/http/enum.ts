import { Type } from '@sinclair/typebox';

/** A string enum as `{type: string, enum: [...]}`: compact in OpenAPI and with one clear error message. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { $id?: string; description?: string; default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
