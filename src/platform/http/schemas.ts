import { Type, type TRef, type TSchema } from '@sinclair/typebox';
import { StringEnum } from './enum.js';

/** Wire building blocks shared by every module. Every string is bounded (see STYLE: "an unbounded string is a bug"). */

export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
/** Whether a string is a UUID, for values that may be an id or something else (a code, a name). */
export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
/** A UTC offset no time zone exceeds: -14:00 to +14:00 (`Z` for UTC). */
export const UTC_OFFSET = '([Zz]|[+-](0\\d:[0-5]\\d|1[0-3]:[0-5]\\d|14:00))';
/**
 * RFC 3339 date-time; the offset (`Z` or `±hh:mm`, within ±14:00) is mandatory. A leap second
 * (`23:59:60`) is refused here: JavaScript dates and the engines disagree about it (one answers an
 * invalid date, the other rolls over), so it is a 400 everywhere rather than a 500 on one engine.
 */
export const DateTime = Type.String({
  format: 'date-time',
  maxLength: 40,
  pattern: `^\\d{4}-\\d{2}-\\d{2}[Tt ]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?${UTC_OFFSET}$`,
});
export const DateOnly = Type.String({ format: 'date', maxLength: 10 });
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', minLength: 2, maxLength: 2 });
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3 });
/**
 * A Peppol participant id: an electronic address scheme (ISO 6523 ICD / EAS code such as 0208,
 * 0088, 0106, 0211, 9925) and the identifier in it. Retired schemes (9901–9909, e.g. 9906) are refused.
 */
export const PeppolParticipantId = Type.Object(
  {
    scheme: Type.String({ pattern: '^(0\\d{3}|99(1\\d|[2-5]\\d))$', description: 'The electronic address scheme (EAS), e.g. 0208, 0088, 0106, 0211, 9925.' }),
    value: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$', description: 'The identifier in that scheme, e.g. 0123456749.' }),
  },
  { additionalProperties: false, description: 'Waybill: the Peppol participant id (electronic address, EN 16931 BT-34/BT-49) used in UBL documents.' },
);
/**
 * A decimal amount as the contract sends it: a JSON number or a plain decimal string (no exponent,
 * no hex). One schema with a type list rather than a union: with type coercion on, a union's number
 * branch would turn "1e9" or "0x10" into a number before the string pattern could refuse it.
 * The pattern bounds strings to 15 integer digits; the exclusive bounds do the same for numbers.
 */
export const DecimalInput = Type.Unsafe<number | string>({
  type: ['number', 'string'],
  pattern: '^-?\\d{1,15}(\\.\\d{1,10})?$',
  maxLength: 27,
  exclusiveMaximum: 1e15,
  exclusiveMinimum: -1e15,
});

/**
 * A decimal input that fits a `numeric` column and the rule its table checks: at most
 * `integerDigits` and `fractionDigits` digits (more fraction digits would be rounded away silently
 * by the column), and a sign rule (`positive`: `"0"` and `"0.000"` fail the pattern, 0 the bound).
 * Stated in the schema so that such input is a 400 naming the field, not a database refusal.
 */
export const DecimalColumnInput = (
  integerDigits: number,
  fractionDigits: number,
  rule: { sign: 'positive' | 'nonNegative' | 'any'; max?: number; description?: string },
) => {
  const sign = { positive: '(?=.*[1-9])', nonNegative: '', any: '-?' }[rule.sign];
  const lower = { positive: { exclusiveMinimum: 0 }, nonNegative: { minimum: 0 }, any: { exclusiveMinimum: -(10 ** integerDigits) } }[rule.sign];
  return Type.Unsafe<number | string>({
    type: ['number', 'string'],
    pattern: `^${sign}\\d{1,${integerDigits}}(\\.\\d{1,${fractionDigits}})?$`,
    maxLength: integerDigits + fractionDigits + 2,
    ...lower,
    ...(rule.max === undefined ? { exclusiveMaximum: 10 ** integerDigits } : { maximum: rule.max }),
    ...(rule.description ? { description: rule.description } : {}),
  });
};

export const Str = (maxLength = 255, extra: object = {}) => Type.String({ maxLength, ...extra });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A field that may be left out or sent as null: the contract's usual optional field. */
export const opt = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

/** The contract's `ErrorStatus`: how webhook-style answers report what was not done. */
export const ErrorStatus = Type.Object({
  error_type: StringEnum(['USER_INPUT_ERROR', 'INTERNAL_ERROR', 'NOT_SUPPORTED']),
  error_message: Nullable(Type.String()),
});
/** Free-form fields (custom_fields and the like). TypeBox drops a record key's own bounds, so keys are bounded with `propertyNames`. */
export const FreeObject = (description?: string) =>
  Type.Record(Type.String({ maxLength: 255 }), Type.Unknown(), { propertyNames: { maxLength: 255 }, ...(description ? { description } : {}) });

export const ErrorDetailSchema = Type.Object(
  {
    message: Type.String(),
    field: Nullable(Type.String()),
    path: Nullable(Type.String()),
    detail: Nullable(Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())])),
  },
  { $id: 'ValidationErrorDetail' },
);

export const ErrorEnvelope = Type.Object(
  {
    message: Type.String({ description: 'What went wrong, for a person to read.' }),
    errors: Type.Array(Type.Ref('ValidationErrorDetail'), { minItems: 1 }),
  },
  { $id: 'ValidationErrorResponse', description: 'Every error response uses this envelope.' },
);

const ERROR_MEANINGS = {
  400: 'The request is malformed or fails validation',
  401: 'Missing, invalid or expired credentials',
  403: "The client's role or kind may not do this",
  404: 'Not found, or not visible to this client',
  409: 'Conflicts with the current state, or the Idempotency-Key belongs to another request or one still running',
  412: 'If-Match names a version that is no longer current',
  413: 'The body is larger than allowed',
  415: 'The body is not in a media type this endpoint takes',
  429: 'Too many requests; retry after the number of seconds in Retry-After',
  503: 'Not ready to serve requests',
} as const;
export type ErrorStatusCode = keyof typeof ERROR_MEANINGS;

/** OpenAPI entries for the error statuses a route can answer, each with the shared envelope. */
export function errorsOf<S extends ErrorStatusCode>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ValidationErrorResponse', { description: ERROR_MEANINGS[status] })])) as Record<
    S,
    TRef
  >;
}

/**
 * What any authenticated GET can answer before or besides its own errors: a malformed query or
 * path (400), credentials (401), a role or client kind the route refuses (403), the rate limit (429).
 */
export const readErrors = <S extends ErrorStatusCode>(...own: S[]) => errorsOf<S | 400 | 401 | 403 | 429>(400, 401, 403, 429, ...own);

/**
 * What a call that may carry a body adds: too large (413) or of a media type the route does not
 * parse (415). Authenticated POSTs add 409 themselves: a reused `Idempotency-Key` conflicts.
 */
export const writeErrors = <S extends ErrorStatusCode>(...own: S[]) => errorsOf<S | 400 | 401 | 403 | 413 | 415 | 429>(400, 401, 403, 413, 415, 429, ...own);

/** Every error status at once, for routes whose own list is not worked out yet; prefer the two above. */
export const errorResponses = errorsOf(400, 401, 403, 404, 409, 413, 415, 429);

/** The error responses of a write that takes `If-Match`. */
export const conditionalErrorResponses = { ...errorResponses, ...errorsOf(412) };

/** `If-Match` on writes to versioned records: the ETag of the version the change was based on. */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 200, description: 'ETag the change is based on; 412 when the record has moved on.' })),
});

/** `{items, next_cursor}`: the contract's list envelope. */
export const Page = <T extends TSchema>(item: T, $id: string, examples?: unknown[]) =>
  Type.Object(
    {
      items: Type.Array(item),
      next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page.' })),
    },
    { $id, ...(examples ? { examples } : {}) },
  );

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 2048, description: 'The `next_cursor` of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'Items per page (Waybill extension).' })),
};

export const IdParams = Type.Object({ id: Uuid });

export const commonSchemas = [ErrorDetailSchema, ErrorEnvelope];
