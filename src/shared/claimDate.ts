// The claim-date rule without zod, so that the renderer can read a date cell before the schemas are loaded.

const YEAR = /^\d{4}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A full ISO date (YYYY-MM-DD) that exists in the proleptic Gregorian calendar: 2024-02-29 is one, 2023-02-29 not. */
export function isIsoDate(text: string): boolean {
  const parts = DAY.exec(text);
  if (!parts) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear, not Date.UTC: years 0–99 are not moved to 1900–1999
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A claim date: a full ISO date, or YYYY-MM / YYYY when only the month or year is known. */
export function isClaimDate(text: string): boolean {
  return YEAR.test(text) || MONTH.test(text) || isIsoDate(text);
}
