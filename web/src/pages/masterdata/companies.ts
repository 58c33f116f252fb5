import type { components } from '../../api/openapi';
import type { MessageKey, Translate } from '../../i18n';

type Company = components['schemas']['CompanyDetailOutput'];

/** "Customer, subcontractor (archived)": the roles a company has, as one line. */
export function rolesOf(t: Translate, company: Company): string {
  const roles: string[] = [];
  const add = (has: boolean | null, archived: boolean, label: string) => {
    if (has) roles.push(archived ? `${label} (${t('companies.archived')})` : label);
  };
  add(company.is_customer, company.archived_customer, t('companies.role.customer'));
  add(company.is_subcontractor, company.archived_subcontractor, t('companies.role.subcontractor'));
  add(company.is_buyer_or_seller, company.archived_buyer_or_seller, t('companies.role.buyer_or_seller'));
  return roles.join(', ') || '—';
}

const CONTACT_ROLES: readonly string[] = [
  'BILLING',
  'OPERATIONS',
  'BOOKINGS',
  'NOTIFICATIONS',
  'CLEANING',
  'HEATING',
  'STORAGE',
  'CONTAINER_RELEASE',
  'DRIVER',
  'OTHER',
  'CMR_PROCESSING',
  'PAYMENT_REMINDERS',
  'CLAIMS_INSURANCE',
  'CUSTOMS',
  'IT',
  'QUALITY',
  'SALES',
  'CUSTOMER_CONTACT',
] satisfies readonly components['schemas']['ContactType'][];

/** A contact's roles in words; a role this console does not know yet is shown as it came. */
export function contactRolesOf(t: Translate, roles: readonly string[] | null | undefined): string {
  return (roles ?? []).map((role) => (CONTACT_ROLES.includes(role) ? t(`companies.contactRole.${role}` as MessageKey) : role)).join(', ') || '—';
}
