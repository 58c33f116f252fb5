/**
 * Due dates from the contract's payment-term codes. Dates are calendar dates (`YYYY-MM-DD`),
 * computed in UTC so no time zone can move them by a day.
 *
 * - `NET_n`: n days after the invoice date.
 * - `END_OF_MONTH_k`: the last day of the invoice's month, k months later.
 * - `END_OF_MONTH_0_NET_n`: n days after the end of the invoice's month.
 * - `PREPAID`, `UPON_RECEIPT`, `CUSTOM_DUE_DATE` (without a given date), no term: the invoice date.
 */
export function dueDate(invoiceDate: string, paymentTerm: string | null | undefined): string {
  const date = new Date(`${invoiceDate}T00:00:00Z`);
  const endOfMonth = (monthsLater: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsLater + 1, 0));
  const plusDays = (from: Date, days: number) => new Date(from.getTime() + days * 86_400_000);
  let due = date;
  const net = /^NET_(\d+)$/.exec(paymentTerm ?? '');
  const eom = /^END_OF_MONTH_(\d)$/.exec(paymentTerm ?? '');
  const eomNet = /^END_OF_MONTH_0_NET_(\d+)$/.exec(paymentTerm ?? '');
  if (net) due = plusDays(date, Number(net[1]));
  else if (eom) due = endOfMonth(Number(eom[1]));
  else if (eomNet) due = plusDays(endOfMonth(0), Number(eomNet[1]));
  return due.toISOString().slice(0, 10);
}
