import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { DateTime, Nullable, Page, Str, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';
import { opt } from '../companies/companies.schemas.js';
import { UnavailabilityWindowQuery } from './unavailability.schemas.js';
import { RESOURCE_VALIDITY_REASONS, SUBCONTRACTOR_VALIDITY_REASONS } from './validity-reasons.js';

export const ResourceValidityReason = StringEnum(RESOURCE_VALIDITY_REASONS, { $id: 'ResourceValidityReason' });
export const SubcontractorValidityReason = StringEnum(SUBCONTRACTOR_VALIDITY_REASONS, { $id: 'SubcontractorValidityReason' });

/** Both subjects' validities share every field but the type list. */
function validitySchemas(subject: 'Resource' | 'Company', reason: typeof ResourceValidityReason | typeof SubcontractorValidityReason, exampleType: string) {
  const example = { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: exampleType, external_id: 'CERT-2026-7' };
  const fields = {
    start_time: DateTime,
    end_time: opt(DateTime),
    legal_end_time: opt(DateTime),
    generate_unavailability: Type.Optional(Type.Boolean({ default: false, description: 'Kept as sent; Waybill does not generate the unavailability yet.' })),
    type: ref(reason),
    external_id: opt(Str(255)),
    description: opt(Str(2000)),
  };
  const input = Type.Object(
    {
      ...fields,
      documents: Type.Optional(Type.Array(Type.Object({ upload_id: Uuid }), { maxItems: 0, description: 'Attaching documents to a validity is not supported yet: send none.' })),
    },
    { $id: `${subject}ValidityInput`, examples: [example] },
  );
  const outputExample = { ...example, id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', start_time: '2026-01-01T00:00:00.000Z', end_time: '2027-01-01T00:00:00.000Z', legal_end_time: null, generate_unavailability: false, description: null };
  const output = Type.Object(
    {
      id: Uuid,
      start_time: DateTime,
      end_time: Nullable(DateTime),
      legal_end_time: Nullable(DateTime),
      generate_unavailability: Type.Boolean(),
      type: ref(reason),
      external_id: Nullable(Type.String()),
      description: Nullable(Type.String()),
    },
    { $id: `${subject}ValidityOutput`, examples: [outputExample] },
  );
  const list = Page(ref(output), `List${subject}ValidityOutput`, [{ items: [outputExample], next_cursor: null }]);
  return { input, output, list };
}

export const ResourceValidity = validitySchemas('Resource', ResourceValidityReason, 'VEHICLE_MOT_TEST');
export const CompanyValidity = validitySchemas('Company', SubcontractorValidityReason, 'CMR_INSURANCE');
export type ValidityInput = Static<typeof ResourceValidity.input> | Static<typeof CompanyValidity.input>;
export type ValidityOutput = Static<typeof ResourceValidity.output>;

/** The contract filters validity lists by the same window as unavailabilities: records overlapping it. */
export const ValidityListQuery = UnavailabilityWindowQuery;

export const validitySchemaList = [
  ResourceValidityReason, SubcontractorValidityReason,
  ResourceValidity.input, ResourceValidity.output, ResourceValidity.list, CompanyValidity.input, CompanyValidity.output, CompanyValidity.list,
];
