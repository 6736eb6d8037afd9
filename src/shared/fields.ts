// The field registry: each figure field declared once — its SQL column, how its input is checked, its CSV column and
// HXL tag, how the grid shows and edits it, the names a pasted header may give it. The CSV column list, the HXL row,
// the export row, the input schema (schemas.ts), the grid's columns and every other field list are derived from it.
// tests/unit/fields.test.ts holds it against the SQL schema. No zod here: the renderer reads this before zod loads.
import { CONFIDENCES, type Entity, METHODS, QUALIFIERS, STATUSES } from './domain';

export const LIMITS = {
  name: 300,
  title: 1_000,
  url: 2_048,
  text: 20_000,
  /** the words a vague quantity was read from ("several hundred") */
  vague: 300,
  /** a citation's document: a long report's text */
  document: 5_000_000,
  /** a document's file given as its bytes (a PDF), in bytes */
  document_file: 64 * 1024 * 1024,
} as const;

/** Entities a figure names by id. */
export type RefEntity = Extract<Entity, 'metric' | 'source' | 'citation' | 'location'>;

/** How a field's cells read (the one cell reader, shared/cells.ts) and how its input is checked (schemas.ts). */
export type FieldKind =
  | { kind: 'id' }
  | { kind: 'ref'; entity: RefEntity }
  | { kind: 'count' }
  | { kind: 'enum'; values: readonly string[]; default?: string }
  | { kind: 'date' }
  | { kind: 'text'; max: number }
  | { kind: 'batch' }
  | { kind: 'row' };

/** The grid column a field is edited in. Two fields can share one (low and high: the Range column). */
export interface GridSpec {
  column: string;
  header: string;
  tip: string;
  width: number;
  /** hidden until the analyst shows it */
  hide?: boolean;
  placeholder?: string;
  /** the place of the column in the grid: the order an analyst types a figure from an article */
  order: number;
}

interface FieldBase {
  name: string;
  /** NOT NULL in SQL, and required (or defaulted) in the input schema */
  required: boolean;
  /** the CSV column of the same name and its HXL tag; absent: not a CSV column of its own */
  hxl?: string;
  /** the analyst enters it (grid, paste, createFigure); the others are written by the store */
  input: boolean;
  /** a second field in a column another field declares names only the column */
  grid?: GridSpec | { column: string };
  /** a new figure row keeps it from the figure entered before (the same article, claimant, place and date) */
  sticky?: boolean;
  /** header names a pasted table may give the field, besides its name and grid header */
  paste?: readonly string[];
  /** numbers: written bare in CSV, never guarded as formulas */
  numeric?: boolean;
  /** what to tell an analyst who left a required field empty */
  missing?: string;
}
export type FigureFieldSpec = FieldBase & FieldKind;

/** A CSV column that names what a figure refers to: the metric's code, the citation's title, the source's name. */
export interface NameColumnSpec {
  name: string;
  /** the figure field holding the id */
  ref: string;
  /** the referenced entity's column */
  column: string;
  hxl: string;
  /** how its cells read, when not as plain text */
  kind?: 'date';
}

const field = <const F extends FigureFieldSpec>(spec: F) => ({ ...spec, type: 'field' as const });
const names = <const N extends NameColumnSpec>(spec: N) => ({ ...spec, type: 'name' as const });

/**
 * In CSV column order: the figure's own fields and the columns naming what it refers to. Fields with no `hxl` and
 * name columns absent here are not CSV columns. Appending a field keeps every older export importable.
 */
export const FIGURE_REGISTRY = [
  field({ name: 'id', kind: 'id', required: true, input: false, hxl: '#meta+id' }),
  field({
    name: 'metric_id',
    kind: 'ref',
    entity: 'metric',
    required: true,
    input: true,
    missing: 'pick the metric: what is counted',
    paste: ['metric'],
    grid: {
      column: 'metric',
      header: 'Metric',
      order: 1,
      width: 170,
      tip: 'What is counted (killed_civilian, aid_trucks…). Type to search; "New metric" adds one.',
    },
  }),
  names({ name: 'metric', ref: 'metric_id', column: 'code', hxl: '#indicator+code' }),
  field({
    name: 'value',
    kind: 'count',
    required: false,
    input: true,
    numeric: true,
    hxl: '#indicator+num',
    grid: {
      column: 'value',
      header: 'Value',
      order: 2,
      width: 140,
      placeholder: '20,000',
      tip: 'The number as stated. Thousands separators are fine; "at least 2" or "~20,000" also sets the qualifier, and 14,000–15,000 the range. Vague words ("dozens") read by the rule table in Sources & citations, and are kept.',
    },
  }),
  field({
    name: 'low',
    kind: 'count',
    required: false,
    input: true,
    numeric: true,
    hxl: '#indicator+num+min',
    paste: ['min', 'minimum'],
    grid: {
      column: 'range',
      header: 'Range',
      order: 3,
      width: 130,
      placeholder: '14,000–15,000',
      tip: 'Low–high when the source gives a range (14,000–15,000). Empty when it gives one number.',
    },
  }),
  field({
    name: 'high',
    kind: 'count',
    required: false,
    input: true,
    numeric: true,
    hxl: '#indicator+num+max',
    paste: ['max', 'maximum'],
    grid: { column: 'range' },
  }),
  field({
    name: 'qualifier',
    kind: 'enum',
    values: QUALIFIERS,
    default: 'exact',
    required: true,
    input: true,
    hxl: '#indicator+qualifier',
    grid: { column: 'qualifier', header: 'Qualifier', order: 4, width: 120, tip: 'How the source words it: exact, approximately, at least, up to…' },
  }),
  field({
    name: 'location_id',
    kind: 'ref',
    entity: 'location',
    required: false,
    input: true,
    sticky: true,
    paste: ['location', 'place'],
    grid: { column: 'location', header: 'Location', order: 6, width: 150, tip: 'Where: the Gaza Strip, a city, a crossing…' },
  }),
  names({ name: 'location', ref: 'location_id', column: 'name', hxl: '#loc+name' }),
  field({
    name: 'as_of',
    kind: 'date',
    required: false,
    input: true,
    sticky: true,
    hxl: '#date+reported',
    paste: ['as of', 'date'],
    grid: {
      column: 'as_of',
      header: 'As of',
      order: 5,
      width: 110,
      placeholder: 'YYYY-MM-DD',
      tip: 'The date the figure speaks for: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.',
    },
  }),
  field({
    name: 'period_start',
    kind: 'date',
    required: false,
    input: true,
    sticky: true,
    hxl: '#date+start',
    grid: {
      column: 'period_start',
      header: 'Period start',
      order: 11,
      width: 110,
      hide: true,
      placeholder: 'YYYY-MM-DD',
      tip: 'For flows (trucks per day, per week): the first day counted.',
    },
  }),
  field({
    name: 'period_end',
    kind: 'date',
    required: false,
    input: true,
    sticky: true,
    hxl: '#date+end',
    grid: { column: 'period_end', header: 'Period end', order: 12, width: 110, hide: true, placeholder: 'YYYY-MM-DD', tip: 'For flows: the last day counted.' },
  }),
  names({ name: 'source', ref: 'source_id', column: 'name', hxl: '#org+name+reporting' }),
  names({ name: 'citation_title', ref: 'citation_id', column: 'title', hxl: '#meta+source' }),
  names({ name: 'publisher', ref: 'citation_id', column: 'publisher', hxl: '#org+name+publisher' }),
  names({ name: 'url', ref: 'citation_id', column: 'url', hxl: '#meta+url' }),
  names({ name: 'published', ref: 'citation_id', column: 'published', hxl: '#date+published', kind: 'date' }),
  field({
    name: 'excerpt',
    kind: 'text',
    max: LIMITS.text,
    required: false,
    input: true,
    hxl: '#description+excerpt',
    paste: ['quote', 'quoted'],
    grid: {
      column: 'excerpt',
      header: 'Excerpt',
      order: 10,
      width: 320,
      placeholder: 'Paste the sentence that states the figure',
      tip: 'The exact words of the citation that state this figure.',
    },
  }),
  field({
    name: 'method',
    kind: 'enum',
    values: METHODS,
    required: false,
    input: true,
    sticky: true,
    hxl: '#meta+method',
    grid: { column: 'method', header: 'Method', order: 13, width: 130, tip: 'Reported count, estimate or projection.' },
  }),
  field({
    name: 'status',
    kind: 'enum',
    values: STATUSES,
    default: 'draft',
    required: true,
    input: true,
    sticky: true,
    hxl: '#status',
    grid: { column: 'status', header: 'Status', order: 15, width: 100, tip: 'draft, checked or disputed. Retracting needs a reason: use Retract….' },
  }),
  field({
    name: 'note',
    kind: 'text',
    max: LIMITS.text,
    required: false,
    input: true,
    hxl: '#description+note',
    grid: { column: 'note', header: 'Note', order: 16, width: 220, tip: 'Your note on the figure (not part of the claim).' },
  }),
  names({ name: 'relayed_via', ref: 'relayed_via_id', column: 'name', hxl: '#org+name+relayed' }),
  field({
    name: 'confidence',
    kind: 'enum',
    values: CONFIDENCES,
    required: false,
    input: true,
    hxl: '#meta+confidence',
    grid: { column: 'confidence', header: 'Confidence', order: 14, width: 110, hide: true, tip: 'Your confidence in the figure: high, medium, low.' },
  }),
  field({ name: 'retracted_reason', kind: 'text', max: LIMITS.text, required: false, input: true, hxl: '#description+retracted' }),
  field({
    name: 'source_id',
    kind: 'ref',
    entity: 'source',
    required: true,
    input: true,
    sticky: true,
    hxl: '#org+id+reporting',
    missing: 'pick the source: who makes the claim',
    paste: ['source', 'claimant'],
    grid: { column: 'source', header: 'Source', order: 7, width: 190, tip: 'Who makes the claim (the claimant), not who relays it.' },
  }),
  field({
    name: 'citation_id',
    kind: 'ref',
    entity: 'citation',
    required: true,
    input: true,
    sticky: true,
    hxl: '#meta+source+id',
    missing: 'pick the citation: where the claim was published',
    paste: ['citation', 'citation_title', 'url'],
    grid: { column: 'citation', header: 'Citation', order: 9, width: 240, tip: 'The document where the claim was published.' },
  }),
  field({
    name: 'relayed_via_id',
    kind: 'ref',
    entity: 'source',
    required: false,
    input: true,
    sticky: true,
    hxl: '#org+id+relayed',
    paste: ['relayed_via', 'relayed by'],
    grid: {
      column: 'relayed_via',
      header: 'Relayed via',
      order: 8,
      width: 160,
      tip: 'Who passed the claim on (a newspaper quoting the army): one claim, not two.',
    },
  }),
  names({ name: 'metric_label', ref: 'metric_id', column: 'label', hxl: '#indicator+name' }),
  names({ name: 'metric_unit', ref: 'metric_id', column: 'unit', hxl: '#indicator+unit' }),
  // Shown and edited in the Value column: typing "dozens" there sets the value, the qualifier and these words.
  field({
    name: 'vague_words',
    kind: 'text',
    max: LIMITS.vague,
    required: false,
    input: true,
    hxl: '#description+vague',
    grid: { column: 'value' },
  }),
  field({ name: 'import_batch_id', kind: 'batch', required: false, input: false }),
  field({ name: 'import_row', kind: 'row', required: false, input: false }),
] as const;

type Entry = (typeof FIGURE_REGISTRY)[number];
type FieldEntry = Extract<Entry, { type: 'field' }>;
type CsvEntry = Extract<Entry, { type: 'name' }> | Extract<FieldEntry, { hxl: string }>;

export type FigureFieldName = FieldEntry['name'];
export type InputFieldName = Extract<FieldEntry, { input: true }>['name'];
export type CsvColumn = CsvEntry['name'];

type FieldValue<F> = F extends { kind: 'enum'; values: readonly (infer V)[] } ? V : F extends { kind: 'count' | 'row' } ? number : string;
/** A figure's own stored fields, typed from the registry. */
export type FigureFieldValues = { [F in FieldEntry as F['name']]: F extends { required: true } ? FieldValue<F> : FieldValue<F> | null };

export const FIGURE_FIELDS: readonly FieldEntry[] = FIGURE_REGISTRY.filter((e): e is FieldEntry => e.type === 'field');
export const FIGURE_FIELD: { readonly [K in FigureFieldName]: Extract<FieldEntry, { name: K }> } = Object.fromEntries(
  FIGURE_FIELDS.map((f) => [f.name, f]),
) as never;

/** The fields an analyst enters, in registry order. */
export const INPUT_FIELDS = FIGURE_FIELDS.filter((f) => f.input).map((f) => f.name) as InputFieldName[];

/** The workbook's CSV format: these columns, in this order. An export writes all of them; an import reads any subset. */
export const CSV_COLUMNS = FIGURE_REGISTRY.filter((e): e is CsvEntry => 'hxl' in e && e.hxl !== undefined).map((e) => e.name) as CsvColumn[];

/** How a CSV column's cells are made: from the figure's own field, or from what it refers to. */
export const CSV_SPEC: { readonly [C in CsvColumn]: Extract<CsvEntry, { name: C }> } = Object.fromEntries(
  FIGURE_REGISTRY.filter((e): e is CsvEntry => 'hxl' in e && e.hxl !== undefined).map((e) => [e.name, e]),
) as never;

/** Numeric columns: written as bare numbers, never neutralised as formulas. */
export const NUMERIC_COLUMNS: ReadonlySet<CsvColumn> = new Set(CSV_COLUMNS.filter((c) => 'numeric' in CSV_SPEC[c] && CSV_SPEC[c].numeric));

/** HXL hashtags for the export's optional second row. */
export const HXL_TAGS = Object.fromEntries(CSV_COLUMNS.map((c) => [c, CSV_SPEC[c].hxl])) as Record<CsvColumn, string>;

/** The CSV columns that name what a figure's id field refers to (metric_id → metric, metric_label, metric_unit). */
export function nameColumnsOf(ref: FigureFieldName): CsvColumn[] {
  return CSV_COLUMNS.filter((c) => {
    const spec = CSV_SPEC[c];
    return spec.type === 'name' && spec.ref === ref;
  });
}

/** The column a problem with a figure field is shown in: a reference by the name column a reader sees first. */
export function csvColumnOfField(name: string): CsvColumn | null {
  const named = nameColumnsOf(name as FigureFieldName)[0];
  if (named) return named;
  return (CSV_COLUMNS as string[]).includes(name) ? (name as CsvColumn) : null;
}

/**
 * What an import needs, each entry one alternative set: metric; value or low and high; source; citation_title or
 * url; as_of or period_start. The required references and the rules that span fields (schemas.ts) decide it.
 */
export const REQUIRED_FOR_IMPORT: ReadonlyArray<ReadonlyArray<ReadonlyArray<CsvColumn>>> = [
  [['metric']],
  [['value'], ['low', 'high']],
  [['source'], ['source_id']],
  [['citation_title'], ['url'], ['citation_id']],
  [['as_of'], ['period_start']],
];

/** A figure is "the same claim" as another when these agree (import's duplicate check). */
export const CLAIM_KEY = [
  'metric_id',
  'source_id',
  'citation_id',
  'location_id',
  'as_of',
  'period_start',
  'period_end',
  'value',
  'low',
  'high',
  'qualifier',
] as const satisfies readonly FigureFieldName[];

/** The fields a new figure row keeps from the one entered before it. */
export const STICKY_FIELDS = FIGURE_FIELDS.filter((f) => 'sticky' in f && f.sticky).map((f) => f.name) as InputFieldName[];

// ---- the grid ----

type GridEntry = Extract<FieldEntry, { grid: { column: string } }>;
export type GridColumnId = GridEntry['grid']['column'];
export type EditField = GridEntry['name'];

export interface GridColumn {
  id: GridColumnId;
  header: string;
  tip: string;
  width: number;
  hide: boolean;
  placeholder: string | undefined;
  /** the fields this column edits (two for the range) */
  fields: EditField[];
  /** the field that decides how the column reads, shows and edits */
  spec: FigureFieldSpec;
}

/** The grid's editable columns, in their default order. */
export const GRID_COLUMNS: readonly GridColumn[] = (() => {
  const byColumn = new Map<string, GridColumn>();
  for (const f of FIGURE_FIELDS) {
    if (!('grid' in f)) continue;
    const known = byColumn.get(f.grid.column);
    if (known) {
      known.fields.push(f.name as EditField);
      continue;
    }
    const g = f.grid as GridSpec;
    byColumn.set(g.column, {
      id: g.column as GridColumnId,
      header: g.header,
      tip: g.tip,
      width: g.width,
      hide: g.hide ?? false,
      placeholder: g.placeholder,
      fields: [f.name as EditField],
      spec: f as FigureFieldSpec,
    });
  }
  const order = (c: GridColumn) => (FIGURE_FIELD[c.fields[0]!] as { grid: GridSpec }).grid.order;
  return [...byColumn.values()].sort((a, b) => order(a) - order(b));
})();

export const GRID_COLUMN: Readonly<Record<GridColumnId, GridColumn>> = Object.fromEntries(GRID_COLUMNS.map((c) => [c.id, c])) as never;
export const EDIT_FIELDS = GRID_COLUMNS.flatMap((c) => c.fields);

/** The grid column a field is edited in (a problem with `low` shows in Range); the value column when none. */
export function gridColumnOfField(field: string | undefined): GridColumnId {
  return GRID_COLUMNS.find((c) => (c.fields as string[]).includes(field ?? ''))?.id ?? 'value';
}
