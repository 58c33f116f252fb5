import type { SavedLocationList } from './locations.schemas.js';

// Shaped like the answers of test/orders/orders.locations.test.ts; the ids are md5 hashes of the fields.
export const savedLocationsExample: SavedLocationList = {
  items: [
    {
      id: '3c1b0f2f9e6d4a8b7c5e1d2a9f0b8c7d',
      name: 'Acme DC Antwerp',
      address: 'Noorderlaan 100',
      postal_code: '2030',
      city: 'Antwerpen',
      country: 'BE',
      uses: 14,
    },
    {
      id: '9a7e5c3b1d0f2e4a6c8b0d1f3e5a7c9b',
      name: 'Acme Store Lyon',
      address: '12 Rue de la Gare',
      postal_code: '69007',
      city: 'Lyon',
      country: 'FR',
      uses: 6,
    },
  ],
  next_cursor: null,
};
