import '../data.css';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n, type MessageKey } from '../../i18n';
import { Link, withQuery } from '../../router';
import { Page, QueryState } from '../../ui/Page';
import { contactRolesOf, rolesOf } from './companies';

type Company = components['schemas']['CompanyDetailOutput'];

/** One company: who it is, where it is billed, its contacts and bank accounts, and its documents. */
export default function CompanyPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const query = useQuery({ queryKey: ['company', id], queryFn: () => unwrap(api.GET('/v1/companies/company/{id}', { params: { path: { id } } })) });
  return (
    <Page title={query.data?.name ?? t('companies.one')} actions={<Link to="/companies">{t('companies.backToList')}</Link>}>
      <QueryState query={query}>{(company) => <CompanyView company={company} />}</QueryState>
    </Page>
  );
}

function CompanyView({ company }: { company: Company }) {
  const { t, formatDateTime } = useI18n();
  const location = company.billing_location;
  const address = location
    ? [location.address, location.address_second_line, [location.postal_code, location.city].filter(Boolean).join(' '), location.country].filter(Boolean)
    : [];
  const contacts = company.contacts ?? [];
  return (
    <>
      <section aria-labelledby="company-facts">
        <h2 id="company-facts">{t('companies.details')}</h2>
        <dl className="facts">
          <dt>{t('companies.roles')}</dt>
          <dd>{rolesOf(t, company)}</dd>
          <dt>{t('companies.code')}</dt>
          <dd>{company.code ?? '—'}</dd>
          <dt>{t('companies.accountingCode')}</dt>
          <dd>{company.accounting_code ?? '—'}</dd>
          <dt>{t('companies.legalName')}</dt>
          <dd>{company.legal_name ?? '—'}</dd>
          <dt>{t('companies.vat')}</dt>
          <dd>{company.vat_number ?? '—'}</dd>
          <dt>{t('companies.currency')}</dt>
          <dd>{company.currency}</dd>
          <dt>{t('companies.status')}</dt>
          <dd>{t(`companies.status.${company.status}` as MessageKey)}</dd>
          <dt>{t('companies.paymentTerm')}</dt>
          <dd>{company.payment_term?.code ?? '—'}</dd>
          <dt>{t('companies.billingAddress')}</dt>
          <dd>
            {address.length ? (
              <address>
                {address.map((line, index) => (
                  <span key={index} className="address-line">
                    {line}
                  </span>
                ))}
              </address>
            ) : (
              '—'
            )}
          </dd>
          <dt>{t('companies.updated')}</dt>
          <dd>{formatDateTime(company.timestamp_updated)}</dd>
        </dl>
        {company.note ? <p className="note">{company.note}</p> : null}
      </section>

      <section aria-labelledby="company-documents">
        <h2 id="company-documents">{t('companies.documents')}</h2>
        <ul className="link-list">
          {company.is_customer ? (
            <>
              <li>
                <Link to={withQuery('/accounting', { kind: 'sales-invoice', party: company.id })}>{t('accounting.kind.sales-invoice')}</Link>
              </li>
              <li>
                <Link to={withQuery('/accounting', { kind: 'sales-credit-note', party: company.id })}>{t('accounting.kind.sales-credit-note')}</Link>
              </li>
            </>
          ) : null}
          {company.is_subcontractor || company.is_buyer_or_seller ? (
            <>
              <li>
                <Link to={withQuery('/accounting', { kind: 'purchase-invoice', party: company.id })}>{t('accounting.kind.purchase-invoice')}</Link>
              </li>
              <li>
                <Link to={withQuery('/accounting', { kind: 'purchase-credit-note', party: company.id })}>{t('accounting.kind.purchase-credit-note')}</Link>
              </li>
            </>
          ) : null}
        </ul>
      </section>

      <section aria-labelledby="company-contacts">
        <h2 id="company-contacts">{t('companies.contacts')}</h2>
        {contacts.length === 0 ? (
          <p className="empty">{t('companies.noContacts')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('companies.contacts')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('companies.contactName')}</th>
                  <th scope="col">{t('companies.email')}</th>
                  <th scope="col">{t('companies.phone')}</th>
                  <th scope="col">{t('companies.contactRoles')}</th>
                </tr>
              </thead>
              <tbody>
                {contacts.map((contact, index) => (
                  <tr key={contact.id ?? index}>
                    <td data-label={t('companies.contactName')}>{contact.name ?? '—'}</td>
                    <td data-label={t('companies.email')}>{contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : '—'}</td>
                    <td data-label={t('companies.phone')}>{contact.phone_number ?? '—'}</td>
                    <td data-label={t('companies.contactRoles')}>{contactRolesOf(t, contact.roles)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {company.bank_accounts.length > 0 ? (
        <section aria-labelledby="company-banks">
          <h2 id="company-banks">{t('companies.bankAccounts')}</h2>
          <ul>
            {company.bank_accounts.map((account, index) => (
              <li key={index}>
                <code>{account.iban_code ?? '—'}</code> {account.bic_code ? `(${account.bic_code})` : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
