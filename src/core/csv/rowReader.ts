// One CSV record → the figure drafts it states (one for a long row, one per filled measure cell of a wide row),
// each with the problems found in its cells, named by row, column and value.
import {
  type CellQuantity,
  cellText,
  type NumberReading,
  readChoice,
  readClaimDate,
  readNumber,
  readQualifier,
  readQuantity,
  type VagueRules,
} from '../../shared/cells';
import type { Problem } from '../../shared/errors';
import { CSV_COLUMNS, CSV_SPEC, type CsvColumn, LIMITS } from '../../shared/fields';
import type { ColumnPlan } from './columnPlan';
import type { DraftCheck } from './draftCheck';

/** The columns a value cell, a range or a qualifier feed: read together, as one quantity. */
const QUANTITY_COLUMNS = ['value', 'low', 'high', 'qualifier'] as const;
type TextColumn = Exclude<CsvColumn, (typeof QUANTITY_COLUMNS)[number]>;

/** How each other column's cells read, from the field registry. */
const READERS: Array<[TextColumn, 'date' | readonly string[] | 'text']> = CSV_COLUMNS.filter(
  (c): c is TextColumn => !(QUANTITY_COLUMNS as readonly string[]).includes(c),
).map((c) => {
  const spec = CSV_SPEC[c] as { kind?: string; values?: readonly string[] };
  if (spec.kind === 'date') return [c, 'date'];
  if (spec.kind === 'enum') return [c, spec.values!];
  return [c, 'text'];
});

/** One figure as a row states it: each column's cell read (null when empty), the quantity read as one. */
export type FigureDraft = { [C in TextColumn]: string | null } & {
  row: number;
  metric: string;
  quantity: CellQuantity;
  /** a wide row's measure column this draft's value came from (null in a long row): see columnOfDraft */
  measure: string | null;
  /** the schema's verdict on its fields, from the reading thread (draftCheck.ts) */
  check?: DraftCheck;
};

export type RowOutcome = { kind: 'figures'; drafts: FigureDraft[] } | { kind: 'skipped'; reason: string } | { kind: 'rejected'; problems: Problem[] };

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
      problems: [
        {
          row,
          column: plan.header[cells.length] || `#${Math.min(cells.length, plan.header.length) + 1}`,
          reason: `has ${cells.length} fields; the header has ${plan.header.length}`,
        },
      ],
    };
  }

  const columnOf = (column: CsvColumn): string => columnOfDraft(plan, null, column);

  let skip: string | null = null;
  /** a cell's text after the mapping's value map: null when empty or mapped to "no claim" */
  const get = (column: CsvColumn): string | null => {
    const index = plan.cells.get(column);
    let text = index !== undefined ? cellText(cells[index]!) : (plan.constants.get(column) ?? '');
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
  // plain data, no functions: a draft crosses from the reading thread to the writing one (rowOutcomes.ts)
  const base = { row, measure: null } as unknown as FigureDraft;
  const cellsOf = base as unknown as Record<TextColumn, string | null>;
  for (const [column, reader] of READERS) {
    const text = get(column);
    if (text === null || reader === 'text') {
      cellsOf[column] = text;
      continue;
    }
    const read = reader === 'date' ? readClaimDate(text) : readChoice(text, reader);
    if (!read.ok) problem(columnOf(column), text, read.reason);
    cellsOf[column] = read.ok ? read.value : null;
  }
  const columnQualifier = (() => {
    const text = get('qualifier');
    if (text === null) return null;
    const parsed = readQualifier(text);
    if (!parsed.ok) problem(columnOf('qualifier'), text, parsed.reason);
    return parsed.ok ? parsed.value : null;
  })();
  if (skip) return { kind: 'skipped', reason: skip };

  const drafts: FigureDraft[] = [];
  if (plan.measures.length === 0) {
    const quantity = readQuantityCells(plan.numbers, plan.vague, get('value'), get('low'), get('high'), columnQualifier, columnOf, problem);
    if (base.metric === null) problem(columnOf('metric'), '', 'required');
    // base is this row's only draft: completed in place rather than copied (a million rows, a million copies)
    if (plan.excerptTemplate) base.excerpt = plan.excerptTemplate(cells);
    if (quantity && base.metric !== null) drafts.push(Object.assign(base, { quantity }));
  } else {
    for (const measure of plan.measures) {
      const cell = cells[measure.index]!.trim();
      if (cell === '') continue; // not reported that day
      const quantity = readQuantityCells(plan.numbers, plan.vague, cell, null, null, columnQualifier, () => measure.header, problem);
      if (!quantity) continue;
      const excerpt = plan.excerptTemplate ? plan.excerptTemplate(cells, { header: measure.header, cell }) : base.excerpt;
      const note = [base.note, measure.note].filter(Boolean).join(' — ') || null;
      drafts.push({
        ...base,
        metric: measure.metric,
        quantity,
        excerpt,
        note,
        measure: measure.header,
      });
    }
    if (drafts.length === 0 && problems.length === 0) return { kind: 'skipped', reason: 'no measure reported in this row' };
  }
  if (problems.length) return { kind: 'rejected', problems };
  return { kind: 'figures', drafts };
}

/** The CSV column a draft's workbook column came from, to name it in a problem. */
export function columnOfDraft(plan: ColumnPlan, measure: string | null, column: CsvColumn): string {
  if (measure !== null && (column === 'value' || column === 'metric')) return measure;
  const index = plan.cells.get(column);
  if (index !== undefined) return plan.header[index]!;
  return plan.constants.has(column) ? `(mapping constant ${column})` : column;
}

function readQuantityCells(
  numbers: NumberReading,
  vague: VagueRules,
  valueText: string | null,
  lowText: string | null,
  highText: string | null,
  columnQualifier: CellQuantity['qualifier'],
  columnOf: (c: CsvColumn) => string,
  problem: (column: string, value: string | undefined, reason: string) => void,
): CellQuantity | null {
  let quantity: CellQuantity = { value: null, low: null, high: null, qualifier: null, words: null };
  if (valueText !== null) {
    const parsed = readQuantity(valueText, numbers, vague);
    if (!parsed.ok) {
      problem(columnOf('value'), valueText, parsed.reason);
      return null;
    }
    quantity = parsed.value;
  }
  for (const [column, text] of [
    ['low', lowText],
    ['high', highText],
  ] as const) {
    if (text === null) continue;
    const parsed = readNumber(text, numbers);
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
