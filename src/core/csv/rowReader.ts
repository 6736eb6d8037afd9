// One CSV record → the figure drafts it states (one for a long row, one per filled measure cell of a wide row),
// each with the problems found in its cells, named by row, column and value.
import { CONFIDENCES, METHODS, STATUSES } from '../../shared/domain';
import type { CsvColumn } from '../../shared/csvColumns';
import type { Problem } from '../../shared/errors';
import { isClaimDate } from '../../shared/claimDate';
import { LIMITS } from '../../shared/schemas';
import type { ColumnPlan } from './columnPlan';
import { unneutralise } from './formula';
import { parseNumber, parseQualifier, parseQuantity, type Quantity } from './values';

export interface FigureDraft {
  row: number;
  id: string | null;
  metric: string;
  /** the metric's label and unit, when the file says them: an unknown metric code is then created */
  metric_label: string | null;
  metric_unit: string | null;
  quantity: Quantity;
  as_of: string | null;
  period_start: string | null;
  period_end: string | null;
  source_id: string | null;
  source: string | null;
  relayed_via: string | null;
  relayed_via_id: string | null;
  citation_id: string | null;
  citation_title: string | null;
  publisher: string | null;
  url: string | null;
  published: string | null;
  location: string | null;
  excerpt: string | null;
  method: string | null;
  confidence: string | null;
  status: string | null;
  retracted_reason: string | null;
  note: string | null;
  /** the CSV column each workbook column came from, to name it in a problem */
  columnOf: (column: CsvColumn) => string;
}

export type RowOutcome =
  | { kind: 'figures'; drafts: FigureDraft[] }
  | { kind: 'skipped'; reason: string }
  | { kind: 'rejected'; problems: Problem[] };

const MAX_PROBLEM_VALUE = 200;

export function readRow(plan: ColumnPlan, row: number, cells: string[]): RowOutcome {
  const problems: Problem[] = [];
  const problem = (column: string, value: string | undefined, reason: string) => {
    const p: Problem = { row, column, reason };
    if (value !== undefined) p.value = value.length > MAX_PROBLEM_VALUE ? `${value.slice(0, MAX_PROBLEM_VALUE)}…` : value;
    problems.push(p);
  };

  if (cells.length !== plan.header.length) {
    return {
      kind: 'rejected',
      // the column named is the first one without a field, or the first field beyond the header
      problems: [{ row, column: plan.header[cells.length] || `#${Math.min(cells.length, plan.header.length) + 1}`, reason: `has ${cells.length} fields; the header has ${plan.header.length}` }],
    };
  }

  const columnOf = (column: CsvColumn): string => {
    const index = plan.cells.get(column);
    if (index !== undefined) return plan.header[index]!;
    return plan.constants.has(column) ? `(mapping constant ${column})` : column;
  };

  let skip: string | null = null;
  /** a cell's text after the mapping's value map: null when empty or mapped to "no claim" */
  const get = (column: CsvColumn): string | null => {
    const index = plan.cells.get(column);
    let text = index !== undefined ? unneutralise(cells[index]!.trim()) : (plan.constants.get(column) ?? '');
    const map = plan.valueMaps.get(column);
    if (map && index !== undefined) {
      if (!(text in map)) {
        problem(columnOf(column), text, `not in the mapping's value map for ${column} (${Object.keys(map).join(', ')})`);
        return null;
      }
      const mapped = map[text];
      if (mapped === null || mapped === undefined) {
        skip = `${columnOf(column)} is "${text}", which the mapping marks as no claim`;
        return null;
      }
      text = mapped;
    }
    if (text === '') return null;
    if (text.length > LIMITS.text) {
      problem(columnOf(column), text, `longer than ${LIMITS.text} characters (${text.length})`);
      return null;
    }
    return text;
  };
  const date = (column: CsvColumn): string | null => {
    const text = get(column);
    if (text !== null && !isClaimDate(text)) {
      problem(columnOf(column), text, 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)');
      return null;
    }
    return text;
  };
  const oneOf = (column: CsvColumn, allowed: readonly string[]): string | null => {
    const text = get(column);
    if (text === null) return null;
    const name = text.toLowerCase().replace(/[\s-]+/g, '_');
    if (!allowed.includes(name)) {
      problem(columnOf(column), text, `expected one of ${allowed.join(', ')}`);
      return null;
    }
    return name;
  };

  const base = {
    row,
    id: get('id'),
    as_of: date('as_of'),
    period_start: date('period_start'),
    period_end: date('period_end'),
    source_id: get('source_id'),
    source: get('source'),
    relayed_via: get('relayed_via'),
    relayed_via_id: get('relayed_via_id'),
    metric_label: get('metric_label'),
    metric_unit: get('metric_unit'),
    citation_id: get('citation_id'),
    citation_title: get('citation_title'),
    publisher: get('publisher'),
    url: get('url'),
    published: date('published'),
    location: get('location'),
    method: oneOf('method', METHODS),
    confidence: oneOf('confidence', CONFIDENCES),
    status: oneOf('status', STATUSES),
    retracted_reason: get('retracted_reason'),
    note: get('note'),
    columnOf,
  };
  const columnQualifier = (() => {
    const text = get('qualifier');
    if (text === null) return null;
    const parsed = parseQualifier(text);
    if (!parsed.ok) problem(columnOf('qualifier'), text, parsed.reason);
    return parsed.ok ? parsed.value : null;
  })();
  if (skip) return { kind: 'skipped', reason: skip };

  const drafts: FigureDraft[] = [];
  if (plan.measures.length === 0) {
    const quantity = readQuantity(get('value'), get('low'), get('high'), columnQualifier, columnOf, problem);
    const metric = get('metric');
    if (metric === null) problem(columnOf('metric'), '', 'required');
    // base is this row's only draft: completed in place rather than copied (a million rows, a million copies)
    const excerpt = plan.excerptTemplate ? plan.excerptTemplate(cells) : get('excerpt');
    if (quantity && metric !== null) drafts.push(Object.assign(base, { metric, quantity, excerpt }));
  } else {
    for (const measure of plan.measures) {
      const cell = cells[measure.index]!.trim();
      if (cell === '') continue; // not reported that day
      const quantity = readQuantity(cell, null, null, columnQualifier, () => measure.header, problem);
      if (!quantity) continue;
      const excerpt = plan.excerptTemplate ? plan.excerptTemplate(cells, { header: measure.header, cell }) : get('excerpt');
      const note = [base.note, measure.note].filter(Boolean).join(' — ') || null;
      drafts.push({ ...base, metric: measure.metric, quantity, excerpt, note, columnOf: (c) => (c === 'value' || c === 'metric' ? measure.header : columnOf(c)) });
    }
    if (drafts.length === 0 && problems.length === 0) return { kind: 'skipped', reason: 'no measure reported in this row' };
  }
  if (problems.length) return { kind: 'rejected', problems };
  return { kind: 'figures', drafts };
}

function readQuantity(
  valueText: string | null,
  lowText: string | null,
  highText: string | null,
  columnQualifier: Quantity['qualifier'],
  columnOf: (c: CsvColumn) => string,
  problem: (column: string, value: string | undefined, reason: string) => void,
): Quantity | null {
  let quantity: Quantity = { value: null, low: null, high: null, qualifier: null };
  if (valueText !== null) {
    const parsed = parseQuantity(valueText);
    if (!parsed.ok) {
      problem(columnOf('value'), valueText, parsed.reason);
      return null;
    }
    quantity = parsed.value;
  }
  for (const [column, text] of [['low', lowText], ['high', highText]] as const) {
    if (text === null) continue;
    const parsed = parseNumber(text);
    if (!parsed.ok) {
      problem(columnOf(column), text, parsed.reason);
      return null;
    }
    if (quantity[column] !== null && quantity[column] !== parsed.value) {
      problem(columnOf(column), text, `disagrees with the range in ${columnOf('value')} (${quantity[column]})`);
      return null;
    }
    quantity[column] = parsed.value;
  }
  if (quantity.value === null && quantity.low === null && quantity.high === null) {
    problem(columnOf('value'), '', 'required: a value, or low and high');
    return null;
  }
  if (columnQualifier !== null && quantity.qualifier !== null && columnQualifier !== quantity.qualifier) {
    problem(columnOf('qualifier'), columnQualifier, `disagrees with the qualifier written in the value (${quantity.qualifier})`);
    return null;
  }
  quantity.qualifier = columnQualifier ?? quantity.qualifier;
  return quantity;
}
