import { badRequest, detail } from '../../platform/http/errors.js';
import type { ResourceDetails } from './resources.output.js';
import type { PartialResourceInput, ResourceInput } from './resources.schemas.js';
import { normalizeProperties, VARIANT_KEYS, VARIANTS, variantKeyOf, type VariantKey } from './resources.mapping.js';

type AnyInput = ResourceInput | PartialResourceInput;

/**
 * The variant an input describes: the one sub-object present, or `resource_type` when no
 * sub-object is sent. Two sub-objects, a type that contradicts the sub-object, or neither, are
 * refused; so is a change of variant on an existing resource (`current`).
 */
export function variantOf(input: AnyInput, current?: VariantKey): VariantKey {
  const present = VARIANT_KEYS.filter((key) => input[key] !== undefined && input[key] !== null);
  if (present.length > 1) {
    throw badRequest(
      `A resource is one kind: send one of ${present.join(', ')}`,
      present.map((key) => detail('only one variant sub-object may be sent', key, `body.${key}`)),
    );
  }
  const byType = input.resource_type ? variantKeyOf(input.resource_type) : undefined;
  const key = present[0] ?? byType ?? current;
  if (!key) {
    throw badRequest(`Unknown resource variant: send one of ${VARIANT_KEYS.join(', ')} (or resource_type)`, [
      detail('no variant sub-object', 'resource_type', 'body.resource_type'),
    ]);
  }
  if (byType && byType !== key) {
    throw badRequest(`resource_type ${input.resource_type} does not match the ${key} sub-object`, [
      detail('contradicts the sub-object', 'resource_type', 'body.resource_type'),
    ]);
  }
  if (current && key !== current) {
    throw badRequest(`This resource is a ${current}; its variant cannot change`, [detail(`expected ${current} (${VARIANTS[current]})`, key, `body.${key}`)]);
  }
  return key;
}

/** `details` for a whole input (POST, PUT). */
export function detailsOf(input: ResourceInput): ResourceDetails {
  const details: ResourceDetails = {
    note: input.note ?? undefined,
    locale: input.locale ?? undefined,
    custom_fields: input.custom_fields,
    integrations: (input.integrations ?? undefined) as ResourceDetails['integrations'],
    extras: input.extras ? [...new Set(input.extras.map((e) => e.code))] : undefined,
    billing_entity: input.billing_entity ?? undefined,
  };
  return JSON.parse(JSON.stringify(details)) as ResourceDetails;
}

/** `details` after a PATCH: fields sent replace (null clears; `extras` replaces the list), the rest stay. */
export function patchDetails(current: ResourceDetails, input: PartialResourceInput): ResourceDetails {
  const next: Record<string, unknown> = { ...current };
  const sent = detailsOf({ name: '', ...input } as ResourceInput) as Record<string, unknown>;
  for (const field of ['note', 'locale', 'custom_fields', 'integrations', 'extras', 'billing_entity'] as const) {
    if (input[field] === undefined) continue;
    if (input[field] === null) delete next[field];
    else next[field] = sent[field];
  }
  return next as ResourceDetails;
}

/** The sub-object after a PATCH: fields sent replace the stored ones, null clears one. */
export function patchProperties(current: Record<string, unknown>, sent: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!sent) return current;
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(sent)) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  return normalizeProperties(merged);
}
