import { readFileSync } from 'node:fs';
import type { TestContext } from './app.js';
import { newCompany, type Client } from './app.js';

/**
 * The reference contract's guide examples and per-operation response schemas, as extracted into
 * test/contract/order-examples.json by `npm run contract:examples`.
 */

export type Json = Record<string, unknown>;
export interface Example {
  name: string;
  kind: 'order' | 'partial-order-update';
  body: Json;
}

const extract = JSON.parse(readFileSync(new URL('../contract/order-examples.json', import.meta.url), 'utf8')) as {
  examples: Example[];
  responses: Record<string, object>;
};

export const orderExamples = extract.examples.filter((e) => e.kind === 'order');
export const partialExample = extract.examples.find((e) => e.kind === 'partial-order-update') as Example;
/** `"post /v1/webhook"` → the contract's schema of its success answer. */
export const contractResponses = extract.responses;

/** The customers the examples name, by code or by name. */
const EXAMPLE_CUSTOMERS = [
  { code: '00020', name: 'Customer 00020' },
  { code: '00083', name: 'Customer 00083' },
  { code: '00007', name: 'Customer 00007' },
  { code: 'CUSTOMER_CODE', name: 'Customer by code' },
  { code: 'UPS', name: 'UPS SCS Coventry' },
  { code: 'QARGO', name: 'Qargo' },
];

export async function exampleCustomers(ctx: TestContext, admin: Client): Promise<void> {
  for (const customer of EXAMPLE_CUSTOMERS) await newCompany(ctx, admin, customer);
}

/**
 * An order the partial-update example can apply to: it names the order by customer reference
 * T1234393 and a handling unit by barcode ABC123, which the pallets example is given here.
 */
export function partialExampleTarget(identifier: string): Json {
  const pallets = orderExamples.find((e) => JSON.stringify(e.body).includes('handling_units')) as Example;
  const body = structuredClone(pallets.body) as { consignments: Array<{ goods: Array<{ handling_units?: Array<{ barcode: { value: string } }> }> }> };
  const unit = body.consignments[0]?.goods[0]?.handling_units?.[0];
  if (unit) unit.barcode.value = 'ABC123';
  return { ...body, order_identifier: identifier, customer_reference_number: 'T1234393' };
}
