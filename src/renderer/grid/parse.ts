// Reading what an analyst types (or pastes) into a cell: numbers with thousands separators, a qualifier in words
// ("at least 2", "~20,000"), ranges ("14,000–15,000"), and claim dates with their precision (2024, 2024-05, 2024-05-19).
import type { Qualifier } from '../../shared/domain';
import { isClaimDate } from '../../shared/claimDate';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const QUALIFIER_WORDS: Array<[RegExp, Qualifier]> = [
  [/^(~|≈|c\.|ca\.|circa|about|around|approx\.?|approximately|some|nearly|almost)\s*/i, 'approximately'],
  [/^(>=|≥|at least|no fewer than|no less than)\s*/i, 'at_least'],
  [/^(>|more than|over|above|upwards of)\s*/i, 'more_than'],
  [/^(<=|≤|at most|no more than)\s*/i, 'at_most'],
  [/^(up to)\s*/i, 'up_to'],
  [/^(<|less than|fewer than|under)\s*/i, 'less_than'],
];

/** "20,000", "20 000", "20’000", "1.5" → a number; thousands separators and spaces are dropped. */
export function parseNumber(text: string): Parsed<number | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const compact = trimmed.replace(/[\s\u00a0\u202f\u2009,_'’]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(compact)) return { ok: false, reason: 'expected a number, such as 20,000' };
  const value = Number(compact);
  if (value < 0) return { ok: false, reason: 'a count cannot be negative' };
  return { ok: true, value };
}

/** A value with an optional qualifier in front: "at least 2" → 2, at_least. */
export function parseQuantity(text: string): Parsed<{ value: number | null; qualifier: Qualifier | null }> {
  let rest = text.trim();
  let qualifier: Qualifier | null = null;
  for (const [pattern, q] of QUALIFIER_WORDS) {
    const match = pattern.exec(rest);
    if (match) {
      qualifier = q;
      rest = rest.slice(match[0].length);
      break;
    }
  }
  const number = parseNumber(rest);
  if (!number.ok) return number;
  if (number.value === null && qualifier) return { ok: false, reason: `"${text.trim()}" has a qualifier but no number` };
  return { ok: true, value: { value: number.value, qualifier } };
}

/** "14,000–15,000", "14000-15000", "14,000 to 15,000"; empty clears the range. */
export function parseRange(text: string): Parsed<{ low: number | null; high: number | null }> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: { low: null, high: null } };
  const parts = trimmed.split(/\s*(?:–|—|\.\.|\bto\b|-)\s*/i).filter((p) => p !== '');
  if (parts.length !== 2) return { ok: false, reason: 'expected a range low–high, such as 14,000–15,000' };
  const low = parseNumber(parts[0]!);
  const high = parseNumber(parts[1]!);
  if (!low.ok) return { ok: false, reason: `low end: ${low.reason}` };
  if (!high.ok) return { ok: false, reason: `high end: ${high.reason}` };
  return { ok: true, value: { low: low.value, high: high.value } };
}

/** A claim date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known. 2024/05/19 and 2024.05.19 are read too. */
export function parseClaimDate(text: string): Parsed<string | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const normalised = trimmed.replace(/[/.]/g, '-');
  if (isClaimDate(normalised)) return { ok: true, value: normalised };
  return { ok: false, reason: 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)' };
}
