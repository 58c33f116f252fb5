import type { Static, TSchema } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import type { Principal } from '../../../platform/http/principal.js';
import { readErrors as readErrorsOf, writeErrors as writeErrorsOf } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import {
  ChargeParams,
  ChargesApprovalInput,
  ChargeWithApprovalOutput,
  OrderChargeChange,
  OrderChargeInput,
  OrderChargesOutput,
  OrderIdParams,
} from './charges.schemas.js';
import type { ChargesService } from './charges.service.js';

const TAGS = ['Orders'];
const readErrors = readErrorsOf(404);
const writeErrors = writeErrorsOf(404, 409);

/** Adding and changing a charge: tenant-only writes answering the charge as it now is. */
function chargeWrite<P extends TSchema, B extends TSchema>(
  app: App,
  r: {
    method: 'POST' | 'PATCH';
    url: string;
    operationId: string;
    summary: string;
    description: string;
    params: P;
    body: B;
    write: (principal: Principal, params: Static<P>, body: Static<B>) => Promise<ChargeWithApprovalOutput>;
  },
) {
  app.route({
    method: r.method,
    url: r.url,
    config: { roles: ['TENANT'] },
    schema: {
      operationId: r.operationId,
      tags: TAGS,
      summary: r.summary,
      description: r.description,
      params: r.params,
      body: ref(r.body),
      response: { 200: ref(ChargeWithApprovalOutput), ...writeErrors },
    },
    handler: async (request) => r.write(principalOf(request), request.params as Static<P>, request.body as Static<B>),
  });
}

export function chargesRoutes(app: App, deps: { charges: ChargesService }) {
  const { charges } = deps;

  app.get('/v1/orders/order/:order_id/charges', {
    config: { roles: ['TENANT', 'CUSTOMER'] },
    schema: {
      operationId: 'listOrderCharges',
      tags: TAGS,
      summary: 'List an order’s charges',
      description:
        'Every charge on the order with its amount, tax rate and approval status. Charges may still change until they are invoiced. Customer clients see their own orders only.',
      params: OrderIdParams,
      response: { 200: ref(OrderChargesOutput), ...readErrors },
    },
    handler: async (request) => charges.list(principalOf(request), request.params.order_id),
  });

  app.post('/v1/orders/order/:order_id/charges/approval', {
    config: { roles: ['CUSTOMER', 'TENANT'] },
    schema: {
      operationId: 'approveOrderCharges',
      tags: TAGS,
      summary: 'Approve or reject charges (customer, or the tenant on its behalf)',
      description:
        'The customer’s answer on charges that need its approval (`requires_approval`). A TENANT client may give it on the customer’s behalf ' +
        '(an answer by phone or mail); the `charge.approved`/`charge.rejected` event records who answered (`answered_by`). ' +
        'Every listed charge must be on the order and not invoiced yet; otherwise nothing changes and the answer is 409.',
      params: OrderIdParams,
      body: ref(ChargesApprovalInput),
      response: { 200: ref(OrderChargesOutput), ...writeErrors },
    },
    handler: async (request) => charges.approve(principalOf(request), request.params.order_id, request.body),
  });

  chargeWrite(app, {
    method: 'POST',
    url: '/v1/orders/order/:order_id/charges',
    operationId: 'addOrderCharge',
    summary: 'Add a charge to an order (Waybill)',
    description:
      'Bills the order’s customer for a price-list item: quantity × unit price in the customer’s currency, with a sales tax rate. With `requires_approval`, the customer is asked (COST_APPROVAL_REQUEST) and the charge is invoiced only once approved.',
    params: OrderIdParams,
    body: OrderChargeInput,
    write: (principal, params, body) => charges.add(principal, params.order_id, body),
  });
  chargeWrite(app, {
    method: 'PATCH',
    url: '/v1/orders/order/:order_id/charges/:charge_id',
    operationId: 'changeOrderCharge',
    summary: 'Change a charge (Waybill)',
    description: 'Changes the given fields of a charge that is not invoiced yet. A new price on a charge that needs approval asks the customer again.',
    params: ChargeParams,
    body: OrderChargeChange,
    write: (principal, params, body) => charges.change(principal, params.order_id, params.charge_id, body),
  });

  app.delete('/v1/orders/order/:order_id/charges/:charge_id', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'removeOrderCharge',
      tags: TAGS,
      summary: 'Remove a charge (Waybill)',
      description: 'Removes a charge that is not invoiced yet.',
      params: ChargeParams,
      response: { 204: { type: 'null', description: 'Removed' }, ...writeErrors },
    },
    handler: async (request, reply) => {
      await charges.remove(principalOf(request), request.params.order_id, request.params.charge_id);
      return reply.code(204).send();
    },
  });
}
