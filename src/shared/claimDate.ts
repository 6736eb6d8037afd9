// The claim-date rule without zod, so that the renderer can read a date cell before the schemas are loaded.

const YEAR = /^\d{4}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
// Every month-day that exists in some year, in one pattern; only 29 February needs the year looked at.
const DAY = /^\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))$/;
const LEAP_DAY = /^(\d{4})-02-29$/;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** A full ISO date (YYYY-MM-DD) that exists in the proleptic Gregorian calendar: 2024-02-29 is one, 2023-02-29 not.
 * Patterns rather than a Date round trip, which is far slower: an import checks up to three dates a row. */
export function isIsoDate(text: string): boolean {
  if (DAY.test(text)) return true;
  const leapDay = LEAP_DAY.exec(text);
  return leapDay !== null && isLeapYear(Number(leapDay[1]));
}

/** A claim date: a full ISO date, or YYYY-MM / YYYY when only the month or year is known. */
export function isClaimDate(text: string): boolean {
  return isIsoDate(text) || MONTH.test(text) || YEAR.test(text);
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/** Days from start to end, both counted (a one-day period is 1); null unless both are full dates. */
export function periodDays(start: string | null, end: string | null): number | null {
  if (!start || !end || !isIsoDate(start) || !isIsoDate(end)) return null;
  return dayNumber(end) - dayNumber(start) + 1;
}

/** A full date moved by `days` (negative: back). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The last day a claim date can mean: the date itself, the last of its month, or 31 December of its year. */
export function lastDayOf(date: string): string {
  if (date.length === 4) return `${date}-12-31`;
  if (date.length === 7) {
    const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
    return addDays(month === 12 ? `${year + 1}-01-01` : `${date.slice(0, 4)}-${String(month + 1).padStart(2, '0')}-01`, -1);
  }
  return date;
}

/** Compare's window: a figure more days than this older than the as-of date is shown apart, out of the spread. */
export const DEFAULT_WINDOW_DAYS = 30;

/** Whole days from one claim date to a later one, each read as the last day it can mean; never below 0. A month
 * or year date is taken at its latest, so its age is the least it can be: it is called old only when it must be. */
export function ageInDays(date: string, asOf: string): number {
  return Math.max(0, dayNumber(lastDayOf(asOf)) - dayNumber(lastDayOf(date)));
}

/** How long a figure counts, as a reader says it: "2024-05-26 to 2024-06-01, 7 days", "2024-05-26, 1 day", "as of
 * 2024-05-28, no period stated". One wording for the terminal and the window. */
export function describePeriod(p: { period_start: string | null; period_end: string | null; as_of: string | null; days: number | null }): string {
  if (p.as_of) return `as of ${p.as_of}, no period stated`;
  const start = p.period_start ?? '';
  const span = !p.period_end ? `from ${start}` : p.period_end === start ? start : `${start} to ${p.period_end}`;
  return p.days === null ? span : `${span}, ${p.days} day${p.days === 1 ? '' : 's'}`;
}
