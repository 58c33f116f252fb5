import type { Static } from '@sinclair/typebox';
import type { ListOrderOutput, OrderExport, OrderOutput, OrderStopOutput, OrderWithStatus } from './views.schemas.js';
import { companyExample } from '../../companies/index.js';
import { orderInputExample } from '../orders.examples.js';

/** Examples of order answers for the OpenAPI document, recorded from a run of the API (the order of orders.examples.ts). */

export const orderListExample = {
  items: [
    {
      id: '9d60d850-4f98-4eb7-99f8-be061b82e576',
      name: 'OR-000001',
      order_identifier: 'ACME-SO-1001',
      customer_reference_number: 'PO-88123',
      status: 'TO_PLAN',
      customer: { id: '2a7740b0-58c9-43ed-9938-ce296872667a', code: 'ACME', name: 'Acme Retail NV' },
      first_pickup_date: '2026-12-01',
      last_delivery_date: '2026-12-02',
      created_timestamp: '2026-11-30T20:22:05.163Z',
      updated_timestamp: '2026-11-30T20:22:05.163Z',
    },
  ],
  next_cursor: 'eyJmaWx0ZXJzIjp7fSwiYWZ0ZXIiOnsidHMiOiIyMDI2LTExLTMwVDIwOjIyOjA1LjE2M1oiLCJpZCI6IjlkNjBkODUwLTRmOTgtNGViNy05OWY4LWJlMDYxYjgyZTU3NiJ9fQ',
} satisfies Static<typeof ListOrderOutput>;

/** The order example's two stops: an answer shows each stop in its consignment, in `stops` and as start or end. */
const pickupStop = {
  custom_fields: {},
  id: '34f92f7f-c646-43d1-9708-ee0377138191',
  consignment_id: 'f87656f6-de71-4a0d-93d1-aa8b3014a24c',
  stop_type: 'PICKUP',
  sequence: 0,
  status: 'TO_PLAN',
  location: {
    name: 'Acme DC Antwerp',
    address: 'Noorderlaan 100',
    city: 'Antwerpen',
    country: 'BE',
    postal_code: '2030',
  },
  time_window: { start_time: '08:00', end_time: '12:00', custom_fields: {} },
  start_timestamp: null,
  end_timestamp: null,
  date: '2026-12-01',
  reference_number: 'PICK-1001',
  note: 'Dock 4',
} satisfies OrderStopOutput;

const deliveryStop = {
  custom_fields: {},
  id: 'd670a274-05e0-47ee-8ca6-27eed37dd5f5',
  consignment_id: 'f87656f6-de71-4a0d-93d1-aa8b3014a24c',
  stop_type: 'DELIVERY',
  sequence: 1,
  status: 'TO_PLAN',
  location: {
    name: 'Acme Store Lyon',
    address: '12 Rue de la Gare',
    city: 'Lyon',
    country: 'FR',
    postal_code: '69007',
  },
  time_window: { start_time: '09:00', end_time: '17:00', custom_fields: {} },
  start_timestamp: null,
  end_timestamp: null,
  date: '2026-12-02',
  reference_number: 'DEL-1001',
} satisfies OrderStopOutput;

export const orderExample = {
  id: '9d60d850-4f98-4eb7-99f8-be061b82e576',
  name: 'OR-000001',
  order_identifier: 'ACME-SO-1001',
  status: 'TO_PLAN',
  // The order answer embeds its customer as the company GET shows it.
  customer: companyExample,
  consignments: [
    {
      custom_fields: {},
      id: 'f87656f6-de71-4a0d-93d1-aa8b3014a24c',
      pickup_stop: pickupStop,
      delivery_stop: deliveryStop,
      goods: [
        {
          packaged_items: [],
          custom_fields: {},
          id: '5cc0e07c-c84f-47ca-9d9f-2aab90d20f82',
          description: 'Pallets of floor tiles',
          quantity: 12,
          total_weight_kg: 9600,
          packaging_type: { code: 'EUR' },
        },
        {
          packaged_items: [],
          custom_fields: {},
          id: 'cabbd039-e1d3-48fa-bd0d-2d1ce73092e2',
          description: 'Grout, 25 kg bags',
          quantity: 4,
          total_volume_m3: 2.5,
          total_weight_kg: 800,
        },
      ],
      signatures: [],
      consignment_reference_number: 'ACME-SO-1001-C1',
    },
  ],
  stops: [pickupStop, deliveryStop],
  start_stop: pickupStop,
  end_stop: deliveryStop,
  pricing: {
    currency: 'EUR',
    total_excl_tax: null,
    total_incl_tax: null,
    total_tax: null,
    requested_price: '845.50',
  },
  created_by_user: null,
  created_timestamp: '2026-11-30T20:22:05.163Z',
  updated_timestamp: '2026-11-30T20:22:05.163Z',
  quote_name: null,
  customer_reference_number: 'PO-88123',
  planning_instructions: 'Tail lift required at delivery',
  contact_emails: ['planning@acme.example'],
} satisfies OrderOutput;

export const orderWithStatusExample = {
  ...orderExample,
  first_pickup_stop: pickupStop,
  last_delivery_stop: deliveryStop,
} satisfies OrderWithStatus;

/** An export answers the order as the input that made it: the import's example itself. */
export const orderExportExample = orderInputExample satisfies OrderExport;
