// A grid row's problems by the same schema the store checks (src/shared/schemas.ts). Loaded apart from the grid, by
// ./rowRulesLoader.ts, once the first rows are drawn: zod and the schemas are a large part of the window's start,
// and nothing on screen needs them before the first edit.
import '../zodConfig';
import { EDIT_FIELDS, FIGURE_FIELD, type FigureFieldSpec } from '../../shared/fields';
import { FigureFields } from '../../shared/schemas';
import { type ColumnId, columnOfField, type EditField, type FigureValues, type GridRow } from './rows';

/**
 * The row's problems: the schema's rules (on a new row, only in the cells filled so far, unless `all`) and the
 * cells whose text could not be read.
 */
export function validate(row: GridRow, all = false): void {
  const errors: Partial<Record<ColumnId, string>> = {};
  for (const [column, reason] of Object.entries(figureProblems(row.values)) as Array<[ColumnId, string]>) {
    if (row.saved || all || row.touched.has(column)) errors[column] = reason;
  }
  for (const [column, raw] of Object.entries(row.raw) as Array<[ColumnId, { reason: string }]>) errors[column] = raw.reason;
  row.errors = errors;
}

/** The references a figure cannot be saved without, and what to tell the analyst (the field registry's words). */
const REQUIRED = EDIT_FIELDS.flatMap((field): Array<[EditField, string]> => {
  const spec = FIGURE_FIELD[field] as FigureFieldSpec;
  return spec.kind === 'ref' && spec.required ? [[field, spec.missing ?? `pick the ${spec.entity}`]] : [];
});

/** Every problem of the figure as it stands, by column: the shared schema's rules, worded for a cell. */
export function figureProblems(values: FigureValues): Partial<Record<ColumnId, string>> {
  const problems: Partial<Record<ColumnId, string>> = {};
  const input: Record<string, unknown> = { ...values };
  for (const [field, reason] of REQUIRED) {
    if (!values[field]) {
      problems[columnOfField(field)] = reason;
      input[field] = 'missing'; // checked above; keep the schema's other rules in view
    }
  }
  const parsed = FigureFields.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = columnOfField(String(issue.path[0] ?? 'value'));
      problems[column] ??= issue.message;
    }
  }
  return problems;
}
