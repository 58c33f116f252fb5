/**
 * Amounts and calendar days as a person reads them. Amounts stay the API's decimal strings: they
 * are regrouped as text with the language's separators, never turned into a binary number that
 * could round them.
 */
const separators = new Map<string, { group: string; decimal: string }>();

function separatorsOf(language: string) {
  let found = separators.get(language);
  if (!found) {
    const parts = new Intl.NumberFormat(language).formatToParts(12345.6);
    found = {
      group: parts.find((part) => part.type === 'group')?.value ?? ',',
      decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
    };
    separators.set(language, found);
  }
  return found;
}

/** `"-1234567.5"` → `-1,234,567.5` (en), `-1.234.567,5` (nl); anything else is shown as it came. */
export function formatDecimal(value: string | null | undefined, language: string): string {
  if (value === null || value === undefined) return '—';
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign = '', whole = '', fraction] = match;
  const { group, decimal } = separatorsOf(language);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}${grouped}${fraction ? decimal + fraction : ''}`;
}

export function formatMoney(amount: string | null | undefined, currency: string | null | undefined, language: string): string {
  if (amount === null || amount === undefined) return '—';
  return currency ? `${formatDecimal(amount, language)} ${currency}` : formatDecimal(amount, language);
}

/** A calendar day (`YYYY-MM-DD`, no time zone) in the language's medium style. */
export function formatDay(day: string | null | undefined, language: string): string {
  if (!day) return '—';
  const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}
