// The grid's rows: a saved figure (or the new-figure row at the bottom) with the analyst's pending edits, the text
// of cells that could not be read, and each cell's problem. Nothing reaches the workbook until the whole figure
// passes the same schema the store checks (src/shared/schemas.ts, applied to rows by ./rowRules.ts).
import type { FigureView } from '../../shared/domain';

export const EDIT_FIELDS = [
  'metric_id',
  'source_id',
  'relayed_via_id',
  'citation_id',
  'location_id',
  'value',
  'low',
  'high',
  'qualifier',
  'as_of',
  'period_start',
  'period_end',
  'excerpt',
  'method',
  'confidence',
  'status',
  'note',
] as const;
export type EditField = (typeof EDIT_FIELDS)[number];
export type FigureValues = { [K in EditField]: FigureView[K] | null };

/** The grid's editable columns, in their default order: the order an analyst types a figure from an article. */
export const COLUMN_IDS = [
  'metric',
  'value',
  'range',
  'qualifier',
  'as_of',
  'location',
  'source',
  'relayed_via',
  'citation',
  'excerpt',
  'period_start',
  'period_end',
  'method',
  'confidence',
  'status',
  'note',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export const COLUMN_FIELDS: Record<ColumnId, EditField[]> = {
  metric: ['metric_id'],
  value: ['value'],
  range: ['low', 'high'],
  qualifier: ['qualifier'],
  as_of: ['as_of'],
  location: ['location_id'],
  source: ['source_id'],
  relayed_via: ['relayed_via_id'],
  citation: ['citation_id'],
  excerpt: ['excerpt'],
  period_start: ['period_start'],
  period_end: ['period_end'],
  method: ['method'],
  confidence: ['confidence'],
  status: ['status'],
  note: ['note'],
};

export function columnOfField(field: string | undefined): ColumnId {
  const found = COLUMN_IDS.find((c) => (COLUMN_FIELDS[c] as string[]).includes(field ?? ''));
  return found ?? 'value';
}

export const DRAFT_KEY = 'new-figure';

export interface GridRow {
  /** the figure's id, or DRAFT_KEY for the new-figure row */
  key: string;
  saved: FigureView | null;
  values: FigureValues;
  /** text typed into a cell that could not be read: shown as typed, with why it could not */
  raw: Partial<Record<ColumnId, { text: string; reason: string }>>;
  errors: Partial<Record<ColumnId, string>>;
  /** new-figure row: the cells the analyst has filled (problems show there first, everywhere on save) */
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
  values.qualifier = 'exact';
  values.status = 'draft';
  return values as FigureValues;
}

export function draftRow(defaults: Partial<FigureValues> = {}): GridRow {
  return { key: DRAFT_KEY, saved: null, values: { ...emptyValues(), ...defaults }, raw: {}, errors: {}, touched: new Set(), saving: false };
}

/** The fields a new figure keeps from the one entered before it: the same article, claimant, place and date. */
export const STICKY_FIELDS: EditField[] = ['source_id', 'relayed_via_id', 'citation_id', 'location_id', 'as_of', 'period_start', 'period_end', 'method', 'status'];

export function stickyValues(values: FigureValues): Partial<FigureValues> {
  const sticky: Partial<Record<EditField, unknown>> = {};
  for (const field of STICKY_FIELDS) sticky[field] = values[field];
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

export function isDirty(row: GridRow): boolean {
  return Object.keys(row.raw).length > 0 || (row.saved !== null && Object.keys(patchOf(row)).length > 0);
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
