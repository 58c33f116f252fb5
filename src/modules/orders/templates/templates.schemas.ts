import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { ConsignmentInput, orderHeaderFields, OrderKind } from '../orders.schemas.js';

/**
 * What a template keeps of an order: everything the upload takes except what makes each order one
 * (`operation`, `order_identifier`) and the customer (always the template's own company). Stops may
 * leave out their dates: a template is booked again on other days.
 */
export const OrderTemplateBody = Type.Object(
  {
    order_status: Type.Optional(OrderKind),
    consignments: Type.Array(ref(ConsignmentInput), { maxItems: 100 }),
    ...orderHeaderFields,
  },
  { $id: 'OrderTemplateBody', additionalProperties: false },
);
export type OrderTemplateBody = Static<typeof OrderTemplateBody>;

export const OrderTemplateInput = Type.Object(
  {
    name: Str(100, { minLength: 1, description: "The template's name, unique within the company." }),
    order: ref(OrderTemplateBody),
  },
  { $id: 'OrderTemplateInput', additionalProperties: false },
);
export type OrderTemplateInput = Static<typeof OrderTemplateInput>;

export const OrderTemplate = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    order: ref(OrderTemplateBody),
    created_at: DateTime,
    updated_at: DateTime,
  },
  { $id: 'OrderTemplate' },
);
export type OrderTemplate = Static<typeof OrderTemplate>;

export const OrderTemplateList = Type.Object({ items: Type.Array(ref(OrderTemplate), { maxItems: 500 }) }, { $id: 'OrderTemplateList' });
export type OrderTemplateList = Static<typeof OrderTemplateList>;

export const TemplateParams = Type.Object({ template_id: Uuid });

export const templateSchemas = [OrderTemplateBody, OrderTemplateInput, OrderTemplate, OrderTemplateList];
