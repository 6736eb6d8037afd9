// The domain vocabulary of a workbook: one word per thing, the same in SQL, TypeScript, CSV and the UI.
import type { FigureFieldValues } from './fields';
import type { CitationFieldsParsed, LocationFieldsParsed, MetricFieldsParsed, SourceFieldsParsed, VagueRuleFieldsParsed } from './schemas';

export const SOURCE_KINDS = ['military', 'government', 'health_authority', 'un_agency', 'ngo', 'media', 'academic', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const QUALIFIERS = ['exact', 'approximately', 'at_least', 'more_than', 'at_most', 'up_to', 'less_than'] as const;
export type Qualifier = (typeof QUALIFIERS)[number];

export const METHODS = ['reported_count', 'estimate', 'projection', 'other'] as const;
export type Method = (typeof METHODS)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const STATUSES = ['draft', 'checked', 'disputed', 'retracted'] as const;
export type Status = (typeof STATUSES)[number];

export const METRIC_CATEGORIES = ['casualties', 'aid', 'other'] as const;
export type MetricCategory = (typeof METRIC_CATEGORIES)[number];

export const LOCATION_KINDS = ['territory', 'governorate', 'city', 'crossing', 'corridor', 'other'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const METRIC_KINDS = ['cumulative', 'flow'] as const;
/** cumulative: a running total as of a date (killed since the war began); flow: counted over a period (trucks a day) */
export type MetricKind = (typeof METRIC_KINDS)[number];

export const ENTITIES = [
  'source',
  'citation',
  'metric',
  'location',
  'figure',
  'import_batch',
  'dismissal',
  'vague_rule',
  'document',
  'conflict',
  'alias',
] as const;
export type Entity = (typeof ENTITIES)[number];

export const CHANGE_OPS = ['insert', 'update', 'retract', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** Who wrote a row and when: ISO 8601 UTC times. */
export interface Stamped {
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

// An entity's fields are declared once, in its input schema (schemas.ts); the stored row adds its id and stamps.
export type Source = { id: string } & SourceFieldsParsed & Stamped;
export type Citation = { id: string } & CitationFieldsParsed & Stamped;
export type Metric = { id: string } & MetricFieldsParsed & Stamped;
export type Location = { id: string } & LocationFieldsParsed & Stamped;
/** A row of the workbook's rule table of vague quantities: "dozens" reads as at least 12. */
export type VagueRule = { id: string } & VagueRuleFieldsParsed & Stamped;

/** What a document was given as; the stored text is always plain (an HTML file's text without its markup, a PDF's
 * text read off its pages). */
export const DOCUMENT_MEDIA_TYPES = ['text/plain', 'text/html', 'application/pdf'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** A citation's document (the entity `document`): its text as read, kept in the workbook with the text's sha256. */
export interface CitationDocument extends Stamped {
  id: string;
  citation_id: string;
  /** the file it was read from, null when pasted */
  name: string | null;
  media_type: DocumentMediaType;
  text: string;
  /** sha256 of the text, UTF-8, hex */
  sha256: string;
}

/** One claim: its fields are declared once, in the field registry (fields.ts). */
export type Figure = FigureFieldValues & Stamped;

/** A figure with the names a reader needs next to it (what the grid and the export show). */
export type FigureView = Figure & {
  metric: string;
  metric_label: string;
  metric_unit: string;
  source: string;
  relayed_via: string | null;
  citation_title: string | null;
  publisher: string | null;
  url: string | null;
  published: string | null;
  location: string | null;
};

export interface ImportBatch {
  id: string;
  file_name: string;
  sha256: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  mapping: string | null;
  mode: 'all' | 'partial';
  at: string;
  by: string;
}

export interface ChangeLogEntry {
  id: number;
  txn: string;
  at: string;
  by: string;
  why: string | null;
  entity: Entity;
  entity_id: string;
  op: ChangeOp;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  import_batch_id: string | null;
  undoes: number | null;
}

/** The built-in metric codes every workbook starts with; users add more. */
export const BUILT_IN_METRICS: ReadonlyArray<Pick<Metric, 'code' | 'label' | 'unit' | 'category' | 'hxl'>> = [
  { code: 'killed_civilian', label: 'Civilians killed', unit: 'people', category: 'casualties', hxl: '#affected+killed+civilians' },
  { code: 'killed_combatant', label: 'Combatants killed', unit: 'people', category: 'casualties', hxl: '#affected+killed+combatants' },
  { code: 'killed_total', label: 'Killed (total)', unit: 'people', category: 'casualties', hxl: '#affected+killed' },
  { code: 'injured', label: 'Injured', unit: 'people', category: 'casualties', hxl: '#affected+injured' },
  { code: 'aid_trucks', label: 'Aid trucks', unit: 'trucks', category: 'aid', hxl: '#output+num+trucks' },
  { code: 'aid_tonnes', label: 'Aid tonnes', unit: 'tonnes', category: 'aid', hxl: '#output+num+tonnes' },
  { code: 'aid_workers_killed', label: 'Aid workers killed', unit: 'people', category: 'casualties', hxl: '#affected+killed+aid_workers' },
];

/**
 * The rule table a workbook starts with: ACLED's conservative floors for vague words (a plural is at least its
 * lowest reading: "dozens" at least 12), and "a dozen" as about 12. The analyst edits them; they travel with the file.
 */
export const DEFAULT_VAGUE_RULES: ReadonlyArray<Pick<VagueRule, 'word' | 'value' | 'qualifier'>> = [
  { word: 'tens', value: 10, qualifier: 'at_least' },
  { word: 'a dozen', value: 12, qualifier: 'approximately' },
  { word: 'dozens', value: 12, qualifier: 'at_least' },
  { word: 'scores', value: 20, qualifier: 'at_least' },
  { word: 'hundreds', value: 100, qualifier: 'at_least' },
  { word: 'several hundred', value: 200, qualifier: 'at_least' },
  { word: 'thousands', value: 1000, qualifier: 'at_least' },
  { word: 'several thousand', value: 2000, qualifier: 'at_least' },
  { word: 'tens of thousands', value: 10000, qualifier: 'at_least' },
];

/**
 * What known metrics are: cumulative or a flow, and the wholes each is part of. New workbooks get these for the
 * built-in metrics, the demo for the metrics of its daily series, and older workbooks (schema 4's migration) for
 * any of these codes they hold. A user edits them like any field of a metric. Aid workers killed is left unsaid:
 * the demo's is an incident count, and aid workers are counted among civilians, so no sum with them bounds a total.
 */
export const METRIC_SHAPES: Readonly<Record<string, { kind: MetricKind; part_of: string[] }>> = {
  killed_total: { kind: 'cumulative', part_of: [] },
  killed_civilian: { kind: 'cumulative', part_of: ['killed_total'] },
  killed_combatant: { kind: 'cumulative', part_of: ['killed_total'] },
  injured: { kind: 'cumulative', part_of: [] },
  aid_trucks: { kind: 'flow', part_of: [] },
  aid_tonnes: { kind: 'flow', part_of: [] },
  killed_children: { kind: 'cumulative', part_of: ['killed_civilian', 'killed_total'] },
  killed_women: { kind: 'cumulative', part_of: ['killed_civilian', 'killed_total'] },
  medical_staff_killed: { kind: 'cumulative', part_of: [] },
  journalists_killed: { kind: 'cumulative', part_of: [] },
  civil_defence_killed: { kind: 'cumulative', part_of: [] },
};

/** The codes of the metrics a metric is part of, from its stored part_of (a JSON array of codes). */
export function metricWholes(metric: Pick<Metric, 'part_of'>): string[] {
  if (!metric.part_of) return [];
  try {
    const codes = JSON.parse(metric.part_of) as unknown;
    return Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

/** The date a figure speaks for: its as-of date, else the end (or start) of its period. */
export function effectiveDate(f: Pick<Figure, 'as_of' | 'period_start' | 'period_end'>): string | null {
  return f.as_of ?? f.period_end ?? f.period_start;
}
