// Reading the cells people write: "20,000", "some 15,000", "14,000-15,000", "at least 2", "~1.2 million".
import { QUALIFIERS, type Qualifier } from '../../shared/domain';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Quantity {
  value: number | null;
  low: number | null;
  high: number | null;
  /** null when the cell stated none */
  qualifier: Qualifier | null;
}

// Longest phrases first within each group, so "no more than" is not read as "more than".
const QUALIFIER_PHRASES: Array<[string[], Qualifier]> = [
  [['no fewer than', 'no less than', 'a minimum of', 'at least', 'minimum', 'min.', '>=', '≥'], 'at_least'],
  [['no more than', 'a maximum of', 'at most', 'maximum', 'max.', '<=', '≤'], 'at_most'],
  [['upwards of', 'more than', 'over', 'above', '>'], 'more_than'],
  [['up to'], 'up_to'],
  [['fewer than', 'less than', 'under', 'below', '<'], 'less_than'],
  [['approximately', 'an estimated', 'estimated', 'roughly', 'around', 'approx.', 'approx', 'nearly', 'almost', 'about', 'circa', 'some', 'ca.', 'c.', '~', '≈'], 'approximately'],
];
const PHRASES = QUALIFIER_PHRASES.flatMap(([phrases, qualifier]) => phrases.map((p) => [p, qualifier] as const)).sort(
  (a, b) => b[0].length - a[0].length,
);

/** A qualifier cell: an enum name (at_least) or the words (at least, some, ~); empty → null. */
export function parseQualifier(text: string): Parsed<Qualifier | null> {
  const cell = text.trim().toLowerCase();
  if (cell === '') return { ok: true, value: null };
  const asName = cell.replace(/[\s-]+/g, '_');
  if ((QUALIFIERS as readonly string[]).includes(asName)) return { ok: true, value: asName as Qualifier };
  if (cell === '=' || cell === 'exactly') return { ok: true, value: 'exact' };
  const phrase = PHRASES.find(([p]) => p === cell);
  if (phrase) return { ok: true, value: phrase[1] };
  return { ok: false, reason: `unknown qualifier; expected one of ${QUALIFIERS.join(', ')} (or words such as "at least", "some", "~")` };
}

const SCALE: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, mn: 1e6 };

/**
 * A non-negative number as people write it: 20000, 20,000, 20 000, 1.5, 1.2 million. Refuses "20.000"
 * (thousands dot or decimal? a careful reader cannot tell) and anything with text left over.
 */
export function parseNumber(text: string): Parsed<number> {
  const cell = text.trim().replace(/[\u00a0\u202f\u2009]/g, ' ');
  if (cell === '') return { ok: false, reason: 'empty' };
  const match = /^(\d[\d, ]*)(\.\d+)?(?:\s*(thousand|million|mn|k|m))?$/i.exec(cell);
  if (!match) return { ok: false, reason: 'not a number' };
  const [, whole = '', fraction = '', scaleWord] = match;
  const grouped = /[, ]/.test(whole);
  if (grouped && !/^\d{1,3}([, ]\d{3})+$/.test(whole)) return { ok: false, reason: 'thousands separators in the wrong places' };
  if (/[, ]/.test(whole) && /,/.test(whole) && / /.test(whole)) return { ok: false, reason: 'mixed thousands separators' };
  if (!grouped && !scaleWord && /^[1-9]\d{0,2}$/.test(whole) && /^\.\d{3}$/.test(fraction)) {
    return { ok: false, reason: 'ambiguous: is "." a thousands separator or a decimal point? Write 20000 or 20,000' };
  }
  const number = Number(whole.replace(/[, ]/g, '') + fraction) * (scaleWord ? SCALE[scaleWord.toLowerCase()]! : 1);
  if (!Number.isFinite(number)) return { ok: false, reason: 'not a finite number' };
  return { ok: true, value: scaleWord ? Math.round(number * 1e6) / 1e6 : number };
}

/** A value cell: a number or a range, optionally led by a qualifier ("some 15,000") or ended by "+" ("20,000+"). */
export function parseQuantity(text: string): Parsed<Quantity> {
  let cell = text.trim().replace(/[\u00a0\u202f\u2009]/g, ' ');
  let qualifier: Qualifier | null = null;
  const lower = cell.toLowerCase();
  const phrase = PHRASES.find(([p]) => lower.startsWith(p) && (/[^a-z]$/.test(p) || !/[a-z]/.test(lower.charAt(p.length))));
  if (phrase) {
    qualifier = phrase[1];
    cell = cell.slice(phrase[0].length).trim();
  }
  if (cell.endsWith('+')) {
    if (qualifier) return { ok: false, reason: 'two qualifiers in one value' };
    qualifier = 'at_least';
    cell = cell.slice(0, -1).trim();
  }
  const between = /^between\s+(.+?)\s+and\s+(.+)$/i.exec(cell);
  const range = between ?? /^(.+?)\s*(?:–|—|-|\bto\b)\s*(.+)$/i.exec(cell);
  if (range) {
    const low = parseNumber(range[1]!);
    const high = parseNumber(range[2]!);
    if (!low.ok) return { ok: false, reason: `range start: ${low.reason}` };
    if (!high.ok) return { ok: false, reason: `range end: ${high.reason}` };
    if (low.value > high.value) return { ok: false, reason: `range start ${low.value} exceeds its end ${high.value}` };
    return { ok: true, value: { value: null, low: low.value, high: high.value, qualifier } };
  }
  const number = parseNumber(cell);
  if (!number.ok) return number;
  return { ok: true, value: { value: number.value, low: null, high: null, qualifier } };
}
