// A figure's quantity as a reader says it: "~20,000", "at least 2", "14,000–15,000", "~20,000 (18,000–22,000)".
// One wording for the terminal and the window; each brings its own number format.
import type { Qualifier } from './domain';

export interface Quantity {
  value: number | null;
  low: number | null;
  high: number | null;
  qualifier: Qualifier;
}

const QUALIFIER_PREFIX: Record<Qualifier, string> = {
  exact: '',
  approximately: '~',
  at_least: 'at least ',
  more_than: 'more than ',
  at_most: 'at most ',
  up_to: 'up to ',
  less_than: 'less than ',
};

export function describeQuantity(q: Quantity, formatNumber: (n: number) => string): string {
  const range = q.low !== null && q.high !== null ? `${formatNumber(q.low)}–${formatNumber(q.high)}` : '';
  const main = q.value !== null ? formatNumber(q.value) : range;
  const extra = q.value !== null && range ? ` (${range})` : '';
  return `${QUALIFIER_PREFIX[q.qualifier] ?? ''}${main}${extra}`;
}

/** What a claim allows, as an interval: [low, high], high null when it has no upper bound. */
export interface Interval {
  low: number;
  high: number | null;
}

/**
 * A claim as what it says: a range is [low, high]; "at least 200" (or "more than") is [200, ∞); "up to 200" (at
 * most, less than) is [0, 200], a count being never negative; "about 200" and an exact 200 are [200, 200]. The
 * bounds are taken as closed, "more than 200" as [200, ∞): an edge shared is not called a contradiction.
 */
export function intervalOf(q: Quantity): Interval {
  const hasRange = q.low !== null && q.high !== null;
  const low = hasRange ? q.low! : (q.value ?? q.low ?? q.high ?? 0);
  const high = hasRange ? q.high! : (q.value ?? q.high ?? q.low ?? 0);
  switch (q.qualifier) {
    case 'at_least':
    case 'more_than':
      return { low, high: null };
    case 'at_most':
    case 'up_to':
    case 'less_than':
      return { low: 0, high };
    default:
      return { low, high };
  }
}

/** Two intervals share at least one number. */
export function overlaps(a: Interval, b: Interval): boolean {
  return (b.high === null || a.low <= b.high) && (a.high === null || b.low <= a.high);
}

/** "[200, ∞)", "[14,000, 15,000]", "20,000": the interval as a reader says it. */
export function describeInterval(i: Interval, formatNumber: (n: number) => string): string {
  if (i.high === i.low) return formatNumber(i.low);
  return i.high === null ? `[${formatNumber(i.low)}, ∞)` : `[${formatNumber(i.low)}, ${formatNumber(i.high)}]`;
}
