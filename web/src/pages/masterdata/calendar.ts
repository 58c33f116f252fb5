/**
 * Month arithmetic for the availability calendar, on the browser's local calendar days. A day is
 * `YYYY-MM-DD`; a month is `YYYY-MM`. Weeks start on Monday (ISO 8601, as in the Benelux).
 */
export type Day = string;
export type Month = string;

const pad = (n: number) => String(n).padStart(2, '0');
export const dayOf = (date: Date): Day => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
export const monthOfDay = (day: Day): Month => day.slice(0, 7);
export const isMonth = (value: string | null | undefined): value is Month => !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** Local midnight of a day. */
export function startOf(day: Day): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

export function addDays(day: Day, n: number): Day {
  const date = startOf(day);
  date.setDate(date.getDate() + n);
  return dayOf(date);
}

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number);
  const date = new Date(y ?? 1970, (m ?? 1) - 1 + n, 1);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
}

export const firstDay = (month: Month): Day => `${month}-01`;
export const lastDay = (month: Month): Day => addDays(firstDay(addMonths(month, 1)), -1);

/** Monday = 0 … Sunday = 6. */
const weekdayOf = (day: Day) => (startOf(day).getDay() + 6) % 7;

/** The ISO week number of a day (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(day: Day): number {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  // The Thursday of the same week decides the year the week belongs to.
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7));
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/** The month's weeks, Monday to Sunday; days of the neighbouring months are null. */
export function monthWeeks(month: Month): (Day | null)[][] {
  const weeks: (Day | null)[][] = [];
  let week: (Day | null)[] = Array.from({ length: weekdayOf(firstDay(month)) }, () => null);
  for (let day = firstDay(month); monthOfDay(day) === month; day = addDays(day, 1)) {
    week.push(day);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  return weeks;
}

/** Does a period (an open end runs on for ever) cover any part of this local day? */
export function covers(period: { start_time: string; end_time: string | null }, day: Day): boolean {
  const from = startOf(day).getTime();
  const to = startOf(addDays(day, 1)).getTime();
  const start = Date.parse(period.start_time);
  const end = period.end_time ? Date.parse(period.end_time) : Number.POSITIVE_INFINITY;
  return start < to && end > from;
}
