// One cell's edit into the row's values: the editor's result (or a pasted cell's text) read for its column. A text
// that cannot be read is kept as typed, with its reason; the figure's values stay as they were.
import type { Catalog } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import { CONFIDENCES, METHODS, QUALIFIERS, STATUSES } from '../../shared/domain';
import { QUALIFIER_LABELS, words } from '../ui/format';
import type { EditResult } from './editors';
import { parseClaimDate, parseQuantity, parseRange } from './parse';
import { type ColumnId, type EditField, type GridRow } from './rows';

const CHOICE_FIELD: Partial<Record<ColumnId, EditField>> = {
  metric: 'metric_id',
  source: 'source_id',
  relayed_via: 'relayed_via_id',
  citation: 'citation_id',
  location: 'location_id',
  qualifier: 'qualifier',
  method: 'method',
  confidence: 'confidence',
  status: 'status',
};

const NOUN: Partial<Record<ColumnId, string>> = {
  metric: 'metric',
  source: 'source',
  relayed_via: 'source',
  citation: 'citation',
  location: 'location',
  qualifier: 'qualifier',
  method: 'method',
  confidence: 'confidence',
  status: 'status',
};

/** Empty choice cells that fall back to a default instead of staying empty. */
const DEFAULTS: Partial<Record<EditField, string>> = { qualifier: 'exact', status: 'draft' };

export function isChoiceColumn(column: ColumnId): boolean {
  return CHOICE_FIELD[column] !== undefined;
}

export function applyEdit(row: GridRow, column: ColumnId, result: EditResult | null, catalog: Catalog): void {
  delete row.raw[column];
  row.touched.add(column);
  const v = row.values as Record<EditField, unknown>;
  const choiceField = CHOICE_FIELD[column];
  if (choiceField) {
    let value: string | null;
    if (result === null) value = null;
    else if (result.kind === 'choice') value = result.value;
    else {
      const text = result.text;
      value = text.trim() === '' ? null : resolveChoice(column, text, catalog);
      if (value === null && text.trim() !== '') {
        row.raw[column] = { text, reason: `no ${NOUN[column]} “${text.trim()}” in this workbook: pick one from the list${column === 'qualifier' || column === 'method' || column === 'confidence' || column === 'status' ? '' : ', or add it with “New…”'}` };
        return;
      }
    }
    v[choiceField] = value ?? DEFAULTS[choiceField] ?? null;
    return;
  }
  const text = result === null ? '' : result.kind === 'choice' ? (result.value ?? '') : result.text;
  const fail = (reason: string) => (row.raw[column] = { text, reason });
  switch (column) {
    case 'value': {
      const parsed = parseQuantity(text);
      if (!parsed.ok) return void fail(parsed.reason);
      v.value = parsed.value.value;
      if (parsed.value.qualifier) v.qualifier = parsed.value.qualifier;
      return;
    }
    case 'range': {
      const parsed = parseRange(text);
      if (!parsed.ok) return void fail(parsed.reason);
      v.low = parsed.value.low;
      v.high = parsed.value.high;
      return;
    }
    case 'as_of':
    case 'period_start':
    case 'period_end': {
      const parsed = parseClaimDate(text);
      if (!parsed.ok) return void fail(parsed.reason);
      v[column] = parsed.value;
      return;
    }
    case 'excerpt':
    case 'note':
      v[column] = text.trim() === '' ? null : text.trim();
      return;
  }
}

/** A name typed or pasted for a choice column: matched on code, name, short name, title or URL, ignoring case. */
export function resolveChoice(column: ColumnId, text: string, catalog: Catalog): string | null {
  const wanted = text.trim().toLowerCase();
  const same = (...names: Array<string | null | undefined>) => names.some((n) => n !== null && n !== undefined && n.trim().toLowerCase() === wanted);
  const enumMatch = (values: readonly string[], label: (v: string) => string = words) =>
    values.find((value) => same(value, label(value))) ?? null;
  switch (column) {
    case 'metric':
      return catalog.metrics.find((m) => same(m.code, m.label, m.id))?.id ?? null;
    case 'source':
    case 'relayed_via':
      return catalog.sources.find((s) => same(s.name, s.short_name, s.id))?.id ?? null;
    case 'citation':
      return catalog.citations.find((c) => same(citationLabel(c), c.title, c.url, c.id))?.id ?? null;
    case 'location':
      return catalog.locations.find((l) => same(l.name, l.id))?.id ?? null;
    case 'qualifier':
      return enumMatch(QUALIFIERS, (q) => QUALIFIER_LABELS[q as keyof typeof QUALIFIER_LABELS]);
    case 'method':
      return enumMatch(METHODS);
    case 'confidence':
      return enumMatch(CONFIDENCES);
    case 'status':
      return enumMatch(STATUSES.filter((s) => s !== 'retracted'));
    default:
      return null;
  }
}
