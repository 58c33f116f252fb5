import type { OrderTemplate, OrderTemplateInput } from './templates.schemas.js';

// Shaped like the answers of test/orders/orders.templates.test.ts (a weekly run from Antwerp to Lyon); the id and times are examples.
export const templateInputExample: OrderTemplateInput = {
  name: 'Weekly Antwerp → Lyon',
  order: {
    customer_reference_number: 'PO-WEEKLY',
    planning_instructions: 'Tail lift required at delivery',
    consignments: [
      {
        pickup_stop: {
          location: { name: 'Acme DC Antwerp', address: 'Noorderlaan 100', postal_code: '2030', city: 'Antwerpen', country: 'BE' },
          time_window: { start_time: '08:00', end_time: '12:00' },
        },
        delivery_stop: {
          location: { name: 'Acme Store Lyon', address: '12 Rue de la Gare', postal_code: '69007', city: 'Lyon', country: 'FR' },
          time_window: { start_time: '09:00', end_time: '17:00' },
        },
        goods: [{ description: 'Pallets of floor tiles', quantity: 12, total_weight_kg: 9600 }],
      },
    ],
  },
};

export const templateExample: OrderTemplate = {
  id: '4f0c9a52-8f0e-4d8b-9a57-3c2d1e0f9b61',
  ...templateInputExample,
  created_at: '2026-12-07T10:12:31.204Z',
  updated_at: '2026-12-07T10:12:31.204Z',
};
