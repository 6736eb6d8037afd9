// How numbers, quantities and dates read in the UI: thousands separators in the analyst's locale, a qualifier in
// words, a range with an en dash.
import type { Qualifier } from '../../shared/domain';
import { describeQuantity, type Quantity } from '../../shared/quantity';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const ratioFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : integer.format(value);
}

export function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : `${ratioFormat.format(value)} : 1`;
}

export function formatRange(low: number | null, high: number | null): string {
  if (low === null && high === null) return '';
  return `${formatNumber(low)}–${formatNumber(high)}`;
}

export const QUALIFIER_LABELS: Record<Qualifier, string> = {
  exact: 'exact',
  approximately: 'approximately',
  at_least: 'at least',
  more_than: 'more than',
  at_most: 'at most',
  up_to: 'up to',
  less_than: 'less than',
};

/** "~20,000", "at least 2", "14,000–15,000", "~20,000 (18,000–22,000)", in the analyst's locale */
export function formatQuantity(q: Quantity): string {
  return describeQuantity(q, formatNumber);
}

/** Words for enum values stored with underscores: health_authority → health authority. */
export function words(code: string | null | undefined): string {
  return code ? code.replace(/_/g, ' ') : '';
}

/** "2024-05-19 14:02" from an ISO time, in local time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
