/**
 * IBAN check (ISO 13616): country code, two check digits, up to 30 letters or digits, and the
 * mod-97 remainder of the rearranged number equal to 1. Spaces are allowed as people write them.
 * Returns the compact upper-case form, or undefined when the value is not a valid IBAN.
 */
export function normalizeIban(value: string): string | undefined {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return undefined;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1 ? iban : undefined;
}

/** BIC / SWIFT code: 4 letters (bank), 2 (country), 2 letters or digits (place), optional 3 (branch). */
export const isBic = (value: string) => /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value);
