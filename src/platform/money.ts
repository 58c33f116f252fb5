import { Decimal } from 'decimal.js';
import { badRequest } from './http/errors.js';

/**
 * Exact money arithmetic. Amounts travel as decimal strings (the contract's wire form), live in
 * SQL as `numeric`, and are computed here with decimal.js: never through a JavaScript number,
 * which cannot hold 0.1 or amounts past 2^53 exactly.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

/** A plain decimal: optional minus, digits, optional fraction. decimal.js alone would accept `1e3`, `0x10`, `NaN`. */
const PLAIN_DECIMAL = /^-?\d{1,20}(\.\d{1,12})?$/;

/** Reads a wire amount (a JSON number or a plain decimal string); throws RangeError on anything else. */
export function parseDecimal(value: number | string): Dec {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  // Its input is always a wire value (a JSON number can pass the schema yet be 1e-20): the caller's error.
  if (!PLAIN_DECIMAL.test(text)) throw badRequest(`${String(value)} is not a decimal number Waybill takes here`);
  return new Dec(text);
}

/** A JSON number as the decimal it was written as (`0.1` stays 0.1, not 0.1000000000000000055...). */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return 'NaN';
  return new Dec(String(value)).toFixed();
}

export const isPlainDecimal = (value: number | string) => {
  try {
    parseDecimal(value);
    return true;
  } catch {
    return false;
  }
};

/** Minor units of the currencies that do not use two decimals (ISO 4217); every other code uses two. */
const MINOR_UNITS: Record<string, number> = { JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };
export const minorUnits = (currency: string) => MINOR_UNITS[currency] ?? 2;

/** Rounds to the currency's minor unit, halves away from zero (the usual commercial rounding). */
export function roundMoney(amount: Dec, currency: string): Dec {
  return amount.toDecimalPlaces(minorUnits(currency), Dec.ROUND_HALF_UP);
}

/** The wire form of an amount: fixed to the currency's decimals (`12.50`, never `12.5` or `1.25e1`). */
export function moneyString(amount: Dec, currency: string): string {
  return roundMoney(amount, currency).toFixed(minorUnits(currency));
}

/** A non-money decimal (quantity, rate) without trailing zeros: `2.5`, `21`. */
export const plainString = (value: Dec) => value.toFixed();

export const sum = (values: Dec[]): Dec => values.reduce((acc, v) => acc.plus(v), new Dec(0));

/** Decimals kept on a converted unit price: what the price columns hold (`numeric(20, 6)`). */
export const PRICE_DECIMALS = 6;

/**
 * A unit price in another currency: price × rate, rounded once, half up, to PRICE_DECIMALS. The
 * line amount is then quantity × this price rounded to the currency, like any other line, so a
 * converted line still satisfies "amount = quantity × price" on the invoice (EN 16931 BR-LIN).
 */
export function convertUnitPrice(price: Dec, rate: Dec): Dec {
  return price.times(rate).toDecimalPlaces(PRICE_DECIMALS, Dec.ROUND_HALF_UP);
}

/** An amount in another currency: amount × rate, rounded once to that currency's minor unit. */
export function convertMoney(amount: Dec, rate: Dec, currency: string): Dec {
  return roundMoney(amount.times(rate), currency);
}
