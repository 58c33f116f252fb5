import { describe, expect, it } from 'vitest';
import type { paths } from './reference-api.js';
import { contractClientWorld, droppedFields, type Schemas } from '../support/contract-client.js';

/**
 * Master data through a client generated from the reference contract (see
 * support/contract-client.ts): companies (and their deprecated `/v1/accounting/company` alias),
 * company and resource validities, resources of several variants, their unavailabilities and
 * resource groups. Request bodies are typed by the contract, so a body Waybill would need in
 * another shape fails the typecheck before it fails here.
 */

/** The contract's create body: one of eight variants, told apart by their sub-object. */
type ResourceInput = paths['/v1/resources/resource']['post']['requestBody']['content']['application/json'];

const world = contractClientWorld();
const { auth } = world;

/** Stages a file the contract's way (multipart upload), for a document that refers to it by upload id. */
async function upload(filename: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }), filename);
  const staged = await world.api.POST('/v1/documents/document/upload_content', { headers: auth(), body: form as never, bodySerializer: (b: unknown) => b as FormData });
  expect(staged.response.status).toBe(201);
  return staged.data?.upload_id ?? '';
}

const company: Schemas['CompanyInput'] = {
  name: 'Contract client haulage',
  code: 'CC-HAUL',
  currency: 'EUR',
  is_customer: true,
  is_subcontractor: true,
  legal_name: 'Contract Client Haulage BV',
  vat_number: 'NL001234567B01',
  locale: 'nl-NL',
  reference_numbers: { company_registration_number: '12345678' },
  billing_location: { address: 'Kade 1', city: 'Rotterdam', postal_code: '3011AA', country: 'NL' },
  tax_type: 'VAT',
  bank_accounts: [{ iban_code: 'NL91ABNA0417164300', bic_code: 'ABNANL2A' }],
  sales: { status: 'APPROVED', payment_term: { code: 'NET_30' } },
  purchase: { status: null },
};

describe('a client generated from the reference contract, on master data', () => {
  it('creates, lists, reads, replaces, patches and archives a company', async () => {
    const created = await world.api.POST('/v1/companies/company', { headers: auth(), body: company });
    world.check('post /v1/companies/company', created);
    const id = created.data?.id ?? '';
    world.check('get /v1/companies/company', await world.api.GET('/v1/companies/company', { headers: auth(), params: { query: { updated_after: '2020-01-01T00:00:00Z' } } }));
    const path = { path: { id } };
    world.check('get /v1/companies/company/{id}', await world.api.GET('/v1/companies/company/{id}', { headers: auth(), params: path }));
    const replaced = await world.api.PUT('/v1/companies/company/{id}', { headers: auth(), params: path, body: { ...company, name: 'Contract client haulage (renamed)' } });
    world.check('put /v1/companies/company/{id}', replaced);
    expect(replaced.data?.name).toBe('Contract client haulage (renamed)');
    const patched = await world.api.PATCH('/v1/companies/company/{id}', { headers: auth(), params: path, body: { note: 'patched by the contract client' } });
    world.check('patch /v1/companies/company/{id}', patched);
    expect(patched.data?.note).toBe('patched by the contract client');

    const other = await world.api.POST('/v1/companies/company', { headers: auth(), body: { ...company, name: 'To archive', code: 'CC-ARCH' } });
    const archived = await world.api.DELETE('/v1/companies/company/{id}', { headers: auth(), params: { path: { id: other.data?.id ?? '' } } });
    world.checkStatus('delete /v1/companies/company/{id}', archived.response, 204);
  });

  it('does the same through the deprecated /v1/accounting/company alias', async () => {
    const created = await world.api.POST('/v1/accounting/company', { headers: auth(), body: { ...company, name: 'Alias company', code: 'CC-ALIAS' } });
    world.check('post /v1/accounting/company', created);
    world.check('get /v1/accounting/company', await world.api.GET('/v1/accounting/company', { headers: auth() }));
    const path = { path: { id: created.data?.id ?? '' } };
    world.check('get /v1/accounting/company/{id}', await world.api.GET('/v1/accounting/company/{id}', { headers: auth(), params: path }));
    world.check('put /v1/accounting/company/{id}', await world.api.PUT('/v1/accounting/company/{id}', { headers: auth(), params: path, body: { ...company, name: 'Alias company', code: 'CC-ALIAS' } }));
    world.check('patch /v1/accounting/company/{id}', await world.api.PATCH('/v1/accounting/company/{id}', { headers: auth(), params: path, body: { is_blocked: false } }));
    // Unlike its successor, the deprecated archive answers 200 with an empty object.
    world.check('delete /v1/accounting/company/{id}', await world.api.DELETE('/v1/accounting/company/{id}', { headers: auth(), params: path }));
  });

  it("keeps a subcontractor's validities", async () => {
    const subco = await world.api.POST('/v1/companies/company', { headers: auth(), body: { ...company, code: 'CC-VAL', is_customer: false } });
    const companyId = subco.data?.id ?? '';
    const validity: Schemas['CompanyValidityInput'] = { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: 'CMR_INSURANCE', external_id: 'POLICY-1', generate_unavailability: false };
    const created = await world.api.POST('/v1/companies/company/{company_id}/validity', { headers: auth(), params: { path: { company_id: companyId } }, body: validity });
    world.check('post /v1/companies/company/{company_id}/validity', created);
    const parent = { path: { company_id: companyId } };
    world.check('get /v1/companies/company/{company_id}/validity', await world.api.GET('/v1/companies/company/{company_id}/validity', { headers: auth(), params: parent }));
    // The contract's window filter: validities overlapping [start_time, end_time).
    const later = await world.api.GET('/v1/companies/company/{company_id}/validity', { headers: auth(), params: { ...parent, query: { start_time: '2027-06-01T00:00:00Z' } } });
    world.check('get /v1/companies/company/{company_id}/validity', later);
    expect(later.data?.items).toEqual([]);
    const path = { path: { company_id: companyId, id: created.data?.id ?? '' } };
    world.check('get /v1/companies/company/{company_id}/validity/{id}', await world.api.GET('/v1/companies/company/{company_id}/validity/{id}', { headers: auth(), params: path }));
    const replaced = await world.api.PUT('/v1/companies/company/{company_id}/validity/{id}', { headers: auth(), params: path, body: { ...validity, generate_unavailability: true } });
    world.check('put /v1/companies/company/{company_id}/validity/{id}', replaced);
    const deleted = await world.api.DELETE('/v1/companies/company/{company_id}/validity/{id}', { headers: auth(), params: path });
    world.checkStatus('delete /v1/companies/company/{company_id}/validity/{id}', deleted.response, 204);
  });

  it('creates resources of several variants, then lists, reads, replaces, patches and archives them', async () => {
    const driver: Schemas['DriverResourceInput'] = { name: 'Ana Silva', external_id: 'CC-DRV-1', driver: { first_name: 'Ana', last_name: 'Silva', phone_number: '+32470000000' } };
    const truck: Schemas['TruckResourceInput'] = { name: 'Rigid 18 pallets', external_id: 'CC-TRK-1', truck: { license_plate: '1-TRK-001', capacity_pallet_spaces: 18 } };
    const container: Schemas['ContainerResourceInput'] = { name: 'Box 40ft', external_id: 'CC-CNT-1', container: { container_number: 'MSCU1234565', standard_size: 'FEET_40' } };
    const ids: string[] = [];
    for (const body of [driver, truck, container]) {
      const created = await world.api.POST('/v1/resources/resource', { headers: auth(), body });
      world.check('post /v1/resources/resource', created);
      ids.push(created.data?.row_id ?? '');
    }
    const listed = await world.api.GET('/v1/resources/resource', { headers: auth(), params: { query: { 'external_id:in': 'CC-DRV-1,CC-TRK-1', resource_type: 'DRIVER' } } });
    world.check('get /v1/resources/resource', listed);
    expect(listed.data?.items.map((r) => r.row_id)).toEqual([ids[0]]);
    const vehicles = await world.api.GET('/v1/resources/resource', { headers: auth(), params: { query: { 'resource_type:in': 'RIGID,CONTAINER', updated_after: '2020-01-01T00:00:00Z' } } });
    world.check('get /v1/resources/resource', vehicles);
    expect(vehicles.data?.items.map((r) => r.row_id)).toEqual([ids[1], ids[2]]);

    const path = { path: { resource_id: ids[0] ?? '' } };
    world.check('get /v1/resources/resource/{resource_id}', await world.api.GET('/v1/resources/resource/{resource_id}', { headers: auth(), params: path }));
    world.check('put /v1/resources/resource/{resource_id}', await world.api.PUT('/v1/resources/resource/{resource_id}', { headers: auth(), params: path, body: { ...driver, name: 'Ana Silva-Costa' } }));
    const patch: Schemas['PartialDriverResourceInput'] = { note: 'night shifts', driver: { last_name: 'Silva-Costa' } };
    world.check('patch /v1/resources/resource/{resource_id}', await world.api.PATCH('/v1/resources/resource/{resource_id}', { headers: auth(), params: path, body: patch }));
    world.check('get /v1/resources/resource_groups', await world.api.GET('/v1/resources/resource_groups', { headers: auth() }));
    const archived = await world.api.DELETE('/v1/resources/resource/{resource_id}', { headers: auth(), params: { path: { resource_id: ids[2] ?? '' } } });
    world.checkStatus('delete /v1/resources/resource/{resource_id}', archived.response, 204);
  });

  it('gives back every field of a full company and of each of the eight resource variants as sent', async () => {
    const created = await world.api.POST('/v1/companies/company', { headers: auth(), body: { ...company, code: 'CC-FULL' } });
    world.check('post /v1/companies/company', created);
    expect(droppedFields({ ...company, code: 'CC-FULL' }, created.data)).toEqual([]);

    const vehicle = { license_plate: '1-ABC-123', manufacturer: 'DAF', model: 'XF', vin_number: 'XLRTEH4300G123456', tare_weight_kg: 7800, exterior_length_m: '6.2' };
    const cargo = { ...vehicle, capacity_pallet_spaces: 18, capacity_volume_m3: '45.5', capacity_weight_kg: 12000, gross_weight_vehicle_rating_weight_kg: 19000 };
    const variants: ResourceInput[] = [
      { name: 'Driver', external_id: 'RT-DRIVER', locale: 'nl-BE', code: 'D1', note: 'day shift', driver: { first_name: 'Ana', last_name: 'Silva', email_address: 'ana@fleet.example', date_of_birth: '1990-04-01', phone_number: '+32470000000' } },
      { name: 'Tractor', external_id: 'RT-TRACTOR', tractor: { ...vehicle, axle_configuration: 'AC_4_X_2', emission_class: 'EURO_6', fuel_type: 'DIESEL' } },
      { name: 'Truck', external_id: 'RT-TRUCK', truck: { ...cargo, axle_configuration: 'AC_6_X_2', emission_class: 'EURO_6', fuel_type: 'LPG', roof_type: 'CLOSED' } },
      { name: 'Van', external_id: 'RT-VAN', van: { ...cargo, fuel_type: 'ELECTRIC', roof_type: 'OPEN' } },
      { name: 'Trailer', external_id: 'RT-TRAILER', trailer: { ...cargo, axle_configuration: 'AC_6_TRAILER' } },
      { name: 'Full trailer', external_id: 'RT-FULL', full_trailer: { ...cargo, axle_configuration: 'AC_4_TRAILER' } },
      { name: 'Chassis', external_id: 'RT-CHASSIS', chassis: { ...vehicle, gross_weight_vehicle_rating_weight_kg: 36000, axle_configuration: 'AC_6_TRAILER' } },
      { name: 'Container', external_id: 'RT-CONTAINER', container: { container_number: 'MSCU1234565', manufacturer: 'CIMC', standard_size: 'FEET_40', iso_code: '42G1' } },
    ];
    for (const body of variants) {
      const resource = await world.api.POST('/v1/resources/resource', { headers: auth(), body });
      world.check('post /v1/resources/resource', resource);
      expect(droppedFields(body, resource.data), body.name).toEqual([]);
    }
  });

  it("keeps a resource's unavailabilities and validities", async () => {
    const truck = await world.api.POST('/v1/resources/resource', { headers: auth(), body: { name: 'Tractor 7', tractor: { license_plate: '1-TRC-007' } } });
    const resourceId = truck.data?.row_id ?? '';
    const parent = { path: { resource_id: resourceId } };

    const absence: Schemas['ResourceUnavailabilityInput'] = { start_time: '2026-12-01T06:00:00Z', end_time: '2026-12-02T18:00:00Z', reason: 'VEHICLE_MAINTENANCE', external_id: 'WS-1' };
    const created = await world.api.POST('/v1/resources/resource/{resource_id}/unavailability', { headers: auth(), params: parent, body: absence });
    world.check('post /v1/resources/resource/{resource_id}/unavailability', created);
    expect(droppedFields({ ...absence, start_time: '2026-12-01T06:00:00.000Z', end_time: '2026-12-02T18:00:00.000Z' }, created.data)).toEqual([]);
    const window = { start_time: '2026-12-02T00:00:00Z', end_time: '2026-12-05T00:00:00Z' };
    const overlapping = await world.api.GET('/v1/resources/resource/{resource_id}/unavailability', { headers: auth(), params: { ...parent, query: window } });
    world.check('get /v1/resources/resource/{resource_id}/unavailability', overlapping);
    expect(overlapping.data?.items.map((u) => u.id)).toEqual([created.data?.id]);
    const one = { path: { resource_id: resourceId, id: created.data?.id ?? '' } };
    world.check('get /v1/resources/resource/{resource_id}/unavailability/{id}', await world.api.GET('/v1/resources/resource/{resource_id}/unavailability/{id}', { headers: auth(), params: one }));
    world.check('put /v1/resources/resource/{resource_id}/unavailability/{id}', await world.api.PUT('/v1/resources/resource/{resource_id}/unavailability/{id}', { headers: auth(), params: one, body: { ...absence, end_time: '2026-12-03T18:00:00Z' } }));
    const removed = await world.api.DELETE('/v1/resources/resource/{resource_id}/unavailability/{id}', { headers: auth(), params: one });
    world.checkStatus('delete /v1/resources/resource/{resource_id}/unavailability/{id}', removed.response, 204);

    const validity: Schemas['ResourceValidityInput'] = { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: 'VEHICLE_MOT_TEST', external_id: 'MOT-1', generate_unavailability: false };
    const valid = await world.api.POST('/v1/resources/resource/{resource_id}/validity', { headers: auth(), params: parent, body: validity });
    world.check('post /v1/resources/resource/{resource_id}/validity', valid);
    const { type, external_id: externalId, generate_unavailability: generate } = validity;
    expect(droppedFields({ type, external_id: externalId, generate_unavailability: generate }, valid.data)).toEqual([]);
    const during = await world.api.GET('/v1/resources/resource/{resource_id}/validity', { headers: auth(), params: { ...parent, query: { start_time: '2026-06-01T00:00:00Z', end_time: '2026-07-01T00:00:00Z' } } });
    world.check('get /v1/resources/resource/{resource_id}/validity', during);
    expect(during.data?.items.map((v) => v.id)).toEqual([valid.data?.id]);
    const before = await world.api.GET('/v1/resources/resource/{resource_id}/validity', { headers: auth(), params: { ...parent, query: { end_time: '2026-01-01T00:00:00Z' } } });
    expect(before.data?.items).toEqual([]);
    const its = { path: { resource_id: resourceId, id: valid.data?.id ?? '' } };
    world.check('get /v1/resources/resource/{resource_id}/validity/{id}', await world.api.GET('/v1/resources/resource/{resource_id}/validity/{id}', { headers: auth(), params: its }));
    world.check('put /v1/resources/resource/{resource_id}/validity/{id}', await world.api.PUT('/v1/resources/resource/{resource_id}/validity/{id}', { headers: auth(), params: its, body: { ...validity, legal_end_time: '2027-02-01T00:00:00Z' } }));
    const deleted = await world.api.DELETE('/v1/resources/resource/{resource_id}/validity/{id}', { headers: auth(), params: its });
    world.checkStatus('delete /v1/resources/resource/{resource_id}/validity/{id}', deleted.response, 204);
  });

  it("files a subcontractor's insurance certificate with the validity it proves, and a driver's licence with its validity", async () => {
    const subco = await world.api.POST('/v1/companies/company', { headers: auth(), body: { ...company, code: 'CC-DOCS', is_customer: false } });
    const parent = { path: { company_id: subco.data?.id ?? '' } };
    const body: Schemas['UploadedCompanyDocumentWithValidity'] = {
      upload_id: await upload('cmr-insurance.pdf'),
      document_type: 'CMR_INSURANCE',
      name: 'CMR insurance 2026',
      validity: { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: 'CMR_INSURANCE', external_id: 'CMR-2026', generate_unavailability: false },
    };
    const filed = await world.api.POST('/v1/companies/company/{company_id}/documents', { headers: auth(), params: parent, body });
    world.check('post /v1/companies/company/{company_id}/documents', filed);
    const listed = await world.api.GET('/v1/companies/company/{company_id}/documents', { headers: auth(), params: parent });
    world.check('get /v1/companies/company/{company_id}/documents', listed);
    expect(listed.data?.items.map((d) => d.id)).toEqual([filed.data?.id]);
    const validityId = filed.data?.validity?.id ?? '';
    const proving = await world.api.GET('/v1/companies/company/{company_id}/validity/{id}/documents', { headers: auth(), params: { path: { company_id: parent.path.company_id, id: validityId } } });
    world.check('get /v1/companies/company/{company_id}/validity/{id}/documents', proving);
    expect(proving.data?.map((d) => d.id)).toEqual([filed.data?.id]);

    const driver = await world.api.POST('/v1/resources/resource', { headers: auth(), body: { name: 'Licensed driver', driver: { first_name: 'Lee' } } });
    const resourceId = driver.data?.row_id ?? '';
    const licence: Schemas['ResourceValidityInput'] = {
      start_time: '2026-01-01T00:00:00Z',
      type: 'DRIVER_DRIVING_LICENSE',
      generate_unavailability: false,
      documents: [{ upload_id: await upload('licence.pdf'), document_type: 'DocumentType.DRIVER_DRIVING_LICENSE', name: 'Driving licence' }],
    };
    const valid = await world.api.POST('/v1/resources/resource/{resource_id}/validity', { headers: auth(), params: { path: { resource_id: resourceId } }, body: licence });
    const its = { path: { resource_id: resourceId, id: valid.data?.id ?? '' } };
    const documents = await world.api.GET('/v1/resources/resource/{resource_id}/validity/{id}/documents', { headers: auth(), params: its });
    world.check('get /v1/resources/resource/{resource_id}/validity/{id}/documents', documents);
    expect(documents.data?.map((d) => [d.name, d.type])).toEqual([['Driving licence', 'DRIVER_DRIVING_LICENSE']]);
  });

  it('found no mismatch, and reached every contract operation of its area', () => world.expectDriven('master-data'));
});
