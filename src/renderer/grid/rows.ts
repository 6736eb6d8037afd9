// The grid's rows: a saved figure (or the new-figure row at the bottom) with the analyst's pending edits, the text
// of cells that could not be read, and each cell's problem. Nothing reaches the workbook until the whole figure
// passes the same schema the store checks (src/shared/schemas.ts, applied to rows by ./rowRules.ts).
import type { FigureView } from '../../shared/domain';
import {
  EDIT_FIELDS,
  type EditField,
  FIGURE_FIELD,
  type FigureFieldSpec,
  GRID_COLUMN,
  GRID_COLUMNS,
  type GridColumnId,
  gridColumnOfField,
  STICKY_FIELDS,
} from '../../shared/fields';

export { EDIT_FIELDS, type EditField };
export type FigureValues = { [K in EditField]: FigureView[K] | null };

/** The grid's editable columns, in their default order (the field registry's). */
export const COLUMN_IDS: readonly GridColumnId[] = GRID_COLUMNS.map((c) => c.id);
export type ColumnId = GridColumnId;

export const COLUMN_FIELDS: Record<ColumnId, readonly EditField[]> = Object.fromEntries(COLUMN_IDS.map((id) => [id, GRID_COLUMN[id].fields])) as never;

export const columnOfField = (field: string | undefined): ColumnId => gridColumnOfField(field);

export const DRAFT_KEY = 'new-figure';

export interface GridRow {
  /** the figure's id, or DRAFT_KEY for the new-figure row */
  key: string;
  saved: FigureView | null;
  values: FigureValues;
  /** text typed into a cell that could not be read: shown as typed, with why it could not */
  raw: Partial<Record<ColumnId, { text: string; reason: string }>>;
  errors: Partial<Record<ColumnId, string>>;
  /** the cells the analyst has edited since the row was loaded or saved (on the new-figure row, filled in) */
  touched: Set<ColumnId>;
  saving: boolean;
}

function valuesOf(figure: FigureView): FigureValues {
  const values = {} as Record<EditField, unknown>;
  for (const field of EDIT_FIELDS) values[field] = figure[field];
  return values as FigureValues;
}

export function rowFromFigure(figure: FigureView): GridRow {
  return { key: figure.id, saved: figure, values: valuesOf(figure), raw: {}, errors: {}, touched: new Set(), saving: false };
}

export function emptyValues(): FigureValues {
  const values = {} as Record<EditField, unknown>;
  for (const field of EDIT_FIELDS) values[field] = null;
  for (const field of EDIT_FIELDS) {
    const spec: FigureFieldSpec = FIGURE_FIELD[field];
    if (spec.kind === 'enum' && spec.default !== undefined) values[field] = spec.default;
  }
  return values as FigureValues;
}

export function draftRow(defaults: Partial<FigureValues> = {}): GridRow {
  return { key: DRAFT_KEY, saved: null, values: { ...emptyValues(), ...defaults }, raw: {}, errors: {}, touched: new Set(), saving: false };
}

export function stickyValues(values: FigureValues): Partial<FigureValues> {
  const sticky: Partial<Record<EditField, unknown>> = {};
  for (const field of STICKY_FIELDS) if (field in values) sticky[field as EditField] = values[field as EditField];
  return sticky as Partial<FigureValues>;
}

/** The fields that differ from the saved figure. */
export function patchOf(row: GridRow): Partial<FigureValues> {
  const patch: Partial<Record<EditField, unknown>> = {};
  if (!row.saved) return row.values;
  for (const field of EDIT_FIELDS) {
    if ((row.values[field] ?? null) !== (row.saved[field] ?? null)) patch[field] = row.values[field];
  }
  return patch as Partial<FigureValues>;
}

/** Edits not in the workbook: typed text, or values that differ from the saved ones. Asked of every row a filter
 * hides, so it allocates nothing. */
export function isDirty(row: GridRow): boolean {
  for (const _ in row.raw) return true;
  // every edit goes through applyEdit, which marks its column touched: an untouched row is as it was loaded (the
  // filter asks this of every row the grid holds)
  if (!row.saved || row.touched.size === 0) return false;
  for (const field of EDIT_FIELDS) if ((row.values[field] ?? null) !== (row.saved[field] ?? null)) return true;
  return false;
}

export function hasErrors(row: GridRow): boolean {
  return Object.keys(row.errors).length > 0;
}

/** What createFigure takes for a new-figure row. */
export function figureInput(values: FigureValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of EDIT_FIELDS) if (values[field] !== null && values[field] !== undefined) input[field] = values[field];
  return input;
}
