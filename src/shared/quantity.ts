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
