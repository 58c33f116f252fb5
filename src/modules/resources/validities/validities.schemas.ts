import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { DateTime, Nullable, opt, Page, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { UnavailabilityWindowQuery } from '../unavailability/unavailability.schemas.js';
import { CompanyValidityDocumentInput, ResourceValidityDocumentInput } from '../master-data-documents/master-data-documents.schemas.js';
import { RESOURCE_VALIDITY_REASONS, SUBCONTRACTOR_VALIDITY_REASONS } from './validities.mapping.js';

export const ResourceValidityReason = StringEnum(RESOURCE_VALIDITY_REASONS, { $id: 'ResourceValidityReason' });
export const SubcontractorValidityReason = StringEnum(SUBCONTRACTOR_VALIDITY_REASONS, { $id: 'SubcontractorValidityReason' });

/** A validity in the shape GET answers with, made from the input example it was created with (one recorded id and period for all). */
export const validityOutputExample = <T extends object>(input: T) => ({
  ...input,
  id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  start_time: '2026-01-01T00:00:00.000Z',
  end_time: '2027-01-01T00:00:00.000Z',
  legal_end_time: null,
  generate_unavailability: false,
  description: null,
});

/** Both subjects' validities share every field but the type list. */
function validitySchemas(
  subject: 'Resource' | 'Company',
  reason: typeof ResourceValidityReason | typeof SubcontractorValidityReason,
  document: typeof ResourceValidityDocumentInput | typeof CompanyValidityDocumentInput,
  exampleType: string,
) {
  const example = { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: exampleType, external_id: 'CERT-2026-7' };
  const fields = {
    start_time: DateTime,
    end_time: opt(DateTime),
    legal_end_time: opt(DateTime),
    generate_unavailability: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "For a resource's validity with an end_time: the resource gets an open-ended unavailability from that end on, moved or " +
          'removed when the validity changes or goes. Kept but without effect on a company validity.',
      }),
    ),
    type: ref(reason),
    external_id: opt(Str(255)),
    description: opt(Str(2000)),
  };
  const input = Type.Object(
    {
      ...fields,
      documents: Type.Optional(
        Type.Array(ref(document), { maxItems: 20, description: 'Staged uploads to attach to the validity; one already attached is not attached twice.' }),
      ),
    },
    { $id: `${subject}ValidityInput`, examples: [example] },
  );
  const outputExample = validityOutputExample(example);
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

export const ResourceValidity = validitySchemas('Resource', ResourceValidityReason, ResourceValidityDocumentInput, 'VEHICLE_MOT_TEST');
export const CompanyValidity = validitySchemas('Company', SubcontractorValidityReason, CompanyValidityDocumentInput, 'CMR_INSURANCE');
export type ValidityInput = Static<typeof ResourceValidity.input> | Static<typeof CompanyValidity.input>;
export type ValidityOutput = Static<typeof ResourceValidity.output>;

/** The contract filters validity lists by the same window as unavailabilities: records overlapping it. */
export const ValidityListQuery = UnavailabilityWindowQuery;

export const validitySchemaList = [
  ResourceValidityReason,
  SubcontractorValidityReason,
  ResourceValidity.input,
  ResourceValidity.output,
  ResourceValidity.list,
  CompanyValidity.input,
  CompanyValidity.output,
  CompanyValidity.list,
];
