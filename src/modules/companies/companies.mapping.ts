import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { badRequest, detail, type ErrorDetail } from '../../platform/http/errors.js';
import { isBic, normalizeIban } from './companies.input.js';
import type { CompanyRow } from './companies.repo.js';
import type { CompanyInput, CompanyPartialInput } from './companies.schemas.js';
import type { CompanyTable } from './companies.tables.js';

/**
 * A company as Waybill keeps it: the contract's input fields, with contact ids assigned and
 * archived contacts kept (flagged), so that a later write can refer to them by id. The columns of
 * the row are derived from it; everything else is stored in `details`.
 */
export type CompanyDoc = Omit<CompanyInput, 'contacts'> & { contacts?: StoredContact[] | null };

export type StoredContact = NonNullable<CompanyInput['contacts']>[number] & { id: string; is_archived: boolean };

/** Fields with a column of their own; the rest of a document goes into `details`. */
const COLUMN_FIELDS = [
  'code',
  'accounting_code',
  'name',
  'currency',
  'locale',
  'is_customer',
  'is_subcontractor',
  'is_buyer_or_seller',
  'archived_customer',
  'archived_subcontractor',
  'subcontractor_sees_order_details',
] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];

/** The document's fields a row keeps in columns: the one list the stored document and the output both read (the type holds it to `COLUMN_FIELDS`). */
export function columnFieldsOf(row: Readonly<CompanyRow>): Pick<CompanyRow, ColumnField> {
  return {
    code: row.code,
    accounting_code: row.accounting_code,
    name: row.name,
    currency: row.currency,
    locale: row.locale,
    is_customer: row.is_customer,
    is_subcontractor: row.is_subcontractor,
    is_buyer_or_seller: row.is_buyer_or_seller,
    archived_customer: row.archived_customer,
    archived_subcontractor: row.archived_subcontractor,
    subcontractor_sees_order_details: row.subcontractor_sees_order_details,
  };
}

export function docOfRow(row: CompanyRow): CompanyDoc {
  return { ...row.details, ...columnFieldsOf(row) };
}

type ContactInput = NonNullable<CompanyInput['contacts']>[number];

/**
 * Contacts are kept by id: one with an id updates that contact (or archives it with
 * `is_archived: true`, or brings it back with `false`), one without creates a contact. Contacts
 * not mentioned stay as they are.
 */
export function mergeContacts(existing: StoredContact[], given: ContactInput[] | null | undefined): StoredContact[] {
  if (!given) return existing;
  const merged = new Map(existing.map((c) => [c.id, c]));
  const errors: ErrorDetail[] = [];
  given.forEach((contact, i) => {
    const { id, is_archived, ...fields } = contact;
    if (id) {
      const current = merged.get(id);
      if (!current) return errors.push(detail(`no contact ${id} in this company`, 'id', `body.contacts.${i}.id`));
      merged.set(id, { ...current, ...fields, is_archived: is_archived ?? false });
    } else if (!is_archived) {
      const created = randomUUID();
      merged.set(created, { ...fields, id: created, is_archived: false });
    }
    return undefined;
  });
  if (errors.length) throw badRequest(errors[0]?.message ?? 'unknown contact', errors);
  return [...merged.values()];
}

const definedFields = <T extends object>(input: T) => Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;

/** POST: the document as sent, contacts given ids. */
export function docForCreate(input: CompanyInput): CompanyDoc {
  return { ...input, contacts: mergeContacts([], input.contacts) };
}

/** PUT: the document as sent, except the name and archive flags when left out, and contacts merged by id. */
export function docForReplace(current: CompanyDoc, input: CompanyInput): CompanyDoc {
  return {
    ...input,
    name: input.name ?? current.name,
    archived_customer: input.archived_customer ?? current.archived_customer,
    archived_subcontractor: input.archived_subcontractor ?? current.archived_subcontractor,
    // A setting integrations that replace companies do not know about stays as the tenant set it.
    subcontractor_sees_order_details: input.subcontractor_sees_order_details ?? current.subcontractor_sees_order_details,
    contacts: mergeContacts(current.contacts ?? [], input.contacts),
  };
}

/** PATCH: the current document with the fields sent laid over it. */
export function docForPatch(current: CompanyDoc, input: CompanyPartialInput): CompanyDoc {
  const errors = (['name', 'currency'] as const).filter((f) => input[f] === null).map((f) => detail(`${f} cannot be cleared`, f, `body.${f}`));
  if (errors.length) throw badRequest(errors[0]?.message ?? 'bad input', errors);
  const { contacts, ...fields } = definedFields(input);
  return { ...current, ...(fields as Partial<CompanyDoc>), contacts: mergeContacts(current.contacts ?? [], contacts) };
}

/** Checks what the schema cannot (bank accounts) and puts IBANs in their compact form. */
export function checkDoc(doc: CompanyDoc): CompanyDoc {
  const errors: ErrorDetail[] = [];
  if (!doc.name && !doc.code) errors.push(detail('name is required', 'name', 'body.name'));
  const bankAccounts = (doc.bank_accounts ?? []).map((account, i) => {
    const iban = account.iban_code ? normalizeIban(account.iban_code) : account.iban_code;
    if (iban === undefined)
      errors.push(detail('iban_code is not a valid IBAN (country, check digits, account)', 'iban_code', `body.bank_accounts.${i}.iban_code`));
    if (account.bic_code && !isBic(account.bic_code)) errors.push(detail('bic_code is not a valid BIC', 'bic_code', `body.bank_accounts.${i}.bic_code`));
    return { ...account, iban_code: iban ?? null };
  });
  if (errors.length) throw badRequest(`Invalid body: ${errors[0]?.message}`, errors);
  return doc.bank_accounts ? { ...doc, bank_accounts: bankAccounts } : doc;
}

/** The row's columns for a document (without keys, timestamps and version). */
export function columnsOf(doc: CompanyDoc): Omit<Insertable<CompanyTable>, 'tenant_id' | 'id' | 'updated_at'> {
  const details: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(doc)) {
    if (value !== undefined && value !== null && !(COLUMN_FIELDS as readonly string[]).includes(field)) details[field] = value;
  }
  // The deprecated flat limit lands where its replacement lives.
  if (doc.credit_limit_total !== undefined && doc.credit_limit_total !== null && !doc.credit_policy) details.credit_policy = { limit: doc.credit_limit_total };
  delete details.credit_limit_total;
  return {
    // The contract's own examples send `code: ""`: an empty code is no code, not a code nobody can look up.
    code: doc.code || null,
    accounting_code: doc.accounting_code ?? null,
    name: (doc.name ?? doc.code) as string,
    currency: doc.currency,
    locale: doc.locale ?? 'en-GB',
    is_customer: doc.is_customer ?? false,
    is_subcontractor: doc.is_subcontractor ?? false,
    is_buyer_or_seller: doc.is_buyer_or_seller ?? false,
    archived_customer: doc.archived_customer ?? false,
    archived_subcontractor: doc.archived_subcontractor ?? false,
    subcontractor_sees_order_details: doc.subcontractor_sees_order_details ?? false,
    details: JSON.stringify(details),
  };
}
