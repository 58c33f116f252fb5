/**
 * Companies: customers and subcontractors (master data), their locations and contacts.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export { companyExample } from './companies.examples.js';
export { companiesModule } from './companies.module.js';
export { CompanyDetailOutput, LocationFields, companySchemas } from './companies.schemas.js';
export { companyOutput } from './companies.service.js';
export type { CompanyParty } from './companies.output.js';
export type { CompaniesService } from './companies.service.js';
export { seesOnlyWhatItNeeds, subcontractorView } from './companies.policy.js';
