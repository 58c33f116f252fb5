/**
 * Whose invoice it is. A received e-invoice names its seller and buyer by identifiers (VAT ids,
 * Peppol electronic addresses, legal registration ids); the seller must be the subcontractor whose
 * credentials sent it and the buyer one of the tenant's billing entities, or the document belongs
 * to someone else and is refused. Pure decisions: no database, no HTTP.
 */

/** An identifier with its scheme (ISO 6523 / EAS code such as 0208 or 9925), when the document gives one. */
export interface SchemedId {
  scheme: string | null;
  value: string;
}

/** A party as a received document states it. */
export interface StatedParty {
  name: string | null;
  /** VAT identifiers (UBL PartyTaxScheme, CII SpecifiedTaxRegistration, the JSON's vat_number). */
  vatIds: string[];
  /** Electronic addresses and legal or party identifiers, each with its scheme when stated. */
  ids: SchemedId[];
}

/** What Waybill knows of a party: its VAT number, Peppol participant id and registration number. */
export interface KnownParty {
  vat: string | null | undefined;
  peppolId: { scheme: string; value: string } | null | undefined;
  registration?: string | null;
}

/** Identifiers compared without the spaces, dots and dashes people write them with. */
export const compactId = (value: string) => value.replace(/[\s.\-/]/g, '').toUpperCase();

/** Whether a stated party names anything it can be recognised by. */
export const identifies = (party: StatedParty | null | undefined): party is StatedParty => Boolean(party && (party.vatIds.length || party.ids.length));

/**
 * A stated party is the known one when one of its identifiers is one of the known party's: its VAT
 * number (as a VAT id, or as an address value: the 99xx schemes are VAT numbers), its Peppol id
 * (same scheme and value), or its registration number under a scheme.
 */
export function sameParty(stated: StatedParty, known: KnownParty): boolean {
  const vat = known.vat ? compactId(known.vat) : null;
  const registration = known.registration ? compactId(known.registration) : null;
  const peppol = known.peppolId ? { scheme: known.peppolId.scheme, value: compactId(known.peppolId.value) } : null;
  if (vat && stated.vatIds.some((v) => compactId(v) === vat)) return true;
  return stated.ids.some((id) => {
    const value = compactId(id.value);
    if (peppol && value === peppol.value && (id.scheme === null || id.scheme === peppol.scheme)) return true;
    if (vat && value === vat) return true;
    // A registration number alone is only trusted with a scheme: bare numbers of different registers collide.
    return Boolean(registration && id.scheme && value === registration);
  });
}

/** How a party is named in a refusal: its name and the identifiers it was stated with. */
export function describeParty(party: StatedParty): string {
  const ids = [...party.vatIds, ...party.ids.map((i) => (i.scheme ? `${i.scheme}:${i.value}` : i.value))];
  const unique = [...new Set(ids)].slice(0, 4).map((i) => i.slice(0, 60));
  return `${(party.name ?? 'unnamed').slice(0, 100)}${unique.length ? ` (${unique.join(', ')})` : ''}`;
}
