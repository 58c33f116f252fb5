import type { OrderUpdatePayload, PartialOrderUpdateResponse } from './partial/partial.schemas.js';
import type { OrderImport, OrderImportResponse, OrderInput } from './orders.schemas.js';

/**
 * Examples for the OpenAPI document, recorded from a run of the API. The order body is also the
 * guides' docs/order.json; test/app/openapi.examples.test.ts sends the request examples and keeps the two equal.
 */

export const orderInputExample = {
  operation: 'CREATE',
  order_identifier: 'ACME-SO-1001',
  customer: { code: 'ACME' },
  order_status: 'TO_PLAN',
  customer_reference_number: 'PO-88123',
  planning_instructions: 'Tail lift required at delivery',
  contact_emails: ['planning@acme.example'],
  pricing: { requested_price: '845.50' },
  consignments: [
    {
      consignment_reference_number: 'ACME-SO-1001-C1',
      pickup_stop: {
        location: {
          name: 'Acme DC Antwerp',
          address: 'Noorderlaan 100',
          postal_code: '2030',
          city: 'Antwerpen',
          country: 'BE',
        },
        date: '2026-12-01',
        time_window: { start_time: '08:00', end_time: '12:00' },
        reference_number: 'PICK-1001',
        note: 'Dock 4',
      },
      delivery_stop: {
        location: {
          name: 'Acme Store Lyon',
          address: '12 Rue de la Gare',
          postal_code: '69007',
          city: 'Lyon',
          country: 'FR',
        },
        date: '2026-12-02',
        time_window: { start_time: '09:00', end_time: '17:00' },
        reference_number: 'DEL-1001',
      },
      goods: [
        {
          description: 'Pallets of floor tiles',
          quantity: 12,
          total_weight_kg: 9600,
          packaging_type: { code: 'EUR' },
        },
        {
          description: 'Grout, 25 kg bags',
          quantity: 4,
          total_weight_kg: 800,
          total_volume_m3: 2.5,
        },
      ],
    },
  ],
} satisfies OrderInput;

export const orderImportExample = {
  upload_id: '10176949-0bff-481a-980a-6bbb23823411',
  upload_status: 'COMPLETED',
  upload_url: '/v1/orders/order/upload/10176949-0bff-481a-980a-6bbb23823411',
  order_id: '9d60d850-4f98-4eb7-99f8-be061b82e576',
  order_url: '/v1/orders/order/9d60d850-4f98-4eb7-99f8-be061b82e576',
  order_name: 'OR-000001',
  errors: [],
} satisfies OrderImport;

export const orderImportResponseExample = {
  errors: [],
  upload_id: '20e738f1-5535-4a41-baa3-b9f5ca6a365f',
  upload_status: 'COMPLETED',
  order_id: 'c5065cc9-8b54-479c-a2fc-1603e1637d66',
} satisfies OrderImportResponse;

/** Changes the planning instructions and attaches a staged upload as the proof of delivery. */
export const orderUpdateExample = {
  updates: [
    {
      match: {
        matches_all: [{ order: { customer_reference_number: { matches_any: ['PO-88123'] } } }],
      },
      update: {
        operation: 'UPDATE',
        data: { planning_instructions: 'Call the consignee 30 minutes before arrival' },
      },
      question_answers: {
        'documents/PROOF_OF_DELIVERY': [{ remote_document: { upload_id: 'eebde951-808b-4d1a-8591-a2dd4b90e4c4' } }],
      },
    },
  ],
} satisfies OrderUpdatePayload;

export const orderUpdateResponseExample = {
  errors: [],
  results: [
    {
      index: 0,
      outcome: 'UPDATED',
      order_id: '9d60d850-4f98-4eb7-99f8-be061b82e576',
      order_name: 'OR-000001',
    },
  ],
} satisfies PartialOrderUpdateResponse;
