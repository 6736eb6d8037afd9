// One cell's edit into the row's values: the editor's result (or a pasted cell's text) read for its column. A text
// that cannot be read is kept as typed, with its reason; the figure's values stay as they were.
import type { Catalog } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import { cellText, DEFAULT_NUMBER_FORMAT, type NumberReading, readChoice, readClaimDate, readQualifier, readQuantity, readRange } from '../../shared/cells';
import { type FigureFieldSpec, GRID_COLUMN, type RefEntity } from '../../shared/fields';
import type { EditResult } from './editors';
import type { ColumnId, EditField, GridRow } from './rows';

/** The field a choice column picks (a reference or one of a fixed list), from the registry; none for other columns. */
function choiceSpec(column: ColumnId): FigureFieldSpec | null {
  const spec = GRID_COLUMN[column].spec;
  return spec.kind === 'ref' || spec.kind === 'enum' ? spec : null;
}

export function isChoiceColumn(column: ColumnId): boolean {
  return choiceSpec(column) !== null;
}

/**
 * One cell's edit, read by the one cell reader (shared/cells.ts) exactly as an import reads the same text: a value
 * cell takes a range and a qualifier too ("some 15,000", "14,000–15,000", "20,000+").
 */
export function applyEdit(row: GridRow, column: ColumnId, result: EditResult | null, catalog: Catalog, numbers: NumberReading = DEFAULT_NUMBER_FORMAT): void {
  delete row.raw[column];
  row.touched.add(column);
  const v = row.values as Record<EditField, unknown>;
  const choice = choiceSpec(column);
  if (choice) {
    const choiceField = choice.name as EditField;
    let value: string | null;
    if (result === null) value = null;
    else if (result.kind === 'choice') value = result.value;
    else {
      const text = result.text;
      value = text.trim() === '' ? null : resolveChoice(column, text, catalog);
      if (value === null && text.trim() !== '') {
        const reason =
          choice.kind === 'ref'
            ? `no ${choice.entity} “${text.trim()}” in this workbook: pick one from the list, or add it with “New…”`
            : `no ${choice.name} “${text.trim()}”: pick one from the list`;
        row.raw[column] = { text, reason };
        return;
      }
    }
    v[choiceField] = value ?? (choice.kind === 'enum' ? choice.default : undefined) ?? null;
    return;
  }
  const text = result === null ? '' : result.kind === 'choice' ? (result.value ?? '') : result.text;
  const fail = (reason: string) => (row.raw[column] = { text, reason });
  const { spec, fields } = GRID_COLUMN[column];
  if (spec.kind === 'count' && fields.includes('low')) {
    const parsed = readRange(text, numbers);
    if (!parsed.ok) return void fail(parsed.reason);
    [v.low, v.high] = [parsed.value.low, parsed.value.high];
  } else if (spec.kind === 'count') {
    if (cellText(text) === '') {
      v.value = null;
      v.vague_words = null;
      return;
    }
    const parsed = readQuantity(text, numbers, catalog.vagueRules);
    if (!parsed.ok) return void fail(parsed.reason);
    v.value = parsed.value.value;
    // a number typed over "dozens" is no longer read from those words
    v.vague_words = parsed.value.words;
    if (parsed.value.low !== null) [v.low, v.high] = [parsed.value.low, parsed.value.high];
    if (parsed.value.qualifier) v.qualifier = parsed.value.qualifier;
  } else if (spec.kind === 'date') {
    const parsed = readClaimDate(text);
    if (!parsed.ok) return void fail(parsed.reason);
    v[spec.name as EditField] = parsed.value;
  } else if (spec.kind === 'text') {
    v[spec.name as EditField] = cellText(text) || null;
  }
}

/** The names a reference can be typed or pasted by, per entity: code, name, short name, title, URL or id. */
function namesOf(entity: RefEntity, catalog: Catalog): Array<{ id: string; names: Array<string | null> }> {
  switch (entity) {
    case 'metric':
      return catalog.metrics.map((m) => ({ id: m.id, names: [m.code, m.label, m.id] }));
    case 'source':
      return catalog.sources.map((s) => ({ id: s.id, names: [s.name, s.short_name, s.id] }));
    case 'citation':
      return catalog.citations.map((c) => ({ id: c.id, names: [citationLabel(c), c.title, c.url, c.id] }));
    case 'location':
      return catalog.locations.map((l) => ({ id: l.id, names: [l.name, l.id] }));
  }
}

/**
 * A name typed or pasted for a choice column: a reference matched on its names ignoring case; one of a fixed list
 * read as an import reads it (a qualifier's words and signs too). Status cannot be typed as retracted: that needs a
 * reason (Retract…).
 */
export function resolveChoice(column: ColumnId, text: string, catalog: Catalog): string | null {
  const spec = choiceSpec(column);
  if (!spec) return null;
  if (spec.kind === 'ref') {
    const wanted = cellText(text).toLowerCase();
    return namesOf(spec.entity, catalog).find((e) => e.names.some((n) => n !== null && n.trim().toLowerCase() === wanted))?.id ?? null;
  }
  if (spec.kind !== 'enum') return null;
  if (spec.name === 'qualifier') {
    const read = readQualifier(text);
    return read.ok ? read.value : null;
  }
  const read = readChoice(text, spec.name === 'status' ? spec.values.filter((s) => s !== 'retracted') : spec.values);
  return read.ok ? read.value : null;
}
