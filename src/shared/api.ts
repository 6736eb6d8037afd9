// The one contract between the UI (and the CLI) and the store: a table of calls, each with its input schema and the
// type it returns. IPC, the HTTP host, the preload and the renderer's HTTP client are loops over API_CALLS.
import { z } from 'zod';
import type {
  ChangeLogEntry,
  Citation,
  CitationDocument,
  Entity,
  FigureView,
  ImportBatch,
  Location,
  Method,
  Metric,
  Qualifier,
  Source,
  SourceKind,
  Stamped,
  Status,
  VagueRule,
} from './domain';
import { DOCUMENT_MEDIA_TYPES, ENTITIES } from './domain';
import type { Problem } from './errors';
import { Mapping } from './mapping';
import type { Interval } from './quantity';
import {
  CitationFields,
  CitationObject,
  CompareQuery,
  FigureFields,
  FigureFilter,
  FigurePatch,
  LIMITS,
  LocationFields,
  MetricFields,
  patchSchema,
  PeriodQuery,
  SeriesQuery,
  SourceFields,
  VagueRuleFields,
} from './schemas';
import { WARNING_KINDS, type WarningKind } from './warnings';

// ---- results ----

export interface WorkbookInfo {
  path: string;
  schema_version: number;
  /** SQLite's quick_check of the file: a large workbook is checked in the background after it opens */
  integrity: 'ok' | 'checking' | 'unchecked' | { damaged: string };
  counts: { figures: number; retracted: number; sources: number; citations: number; metrics: number; locations: number };
  last_change_at: string | null;
}

/** Every write says which transaction it was: undo({ txn }) reverses all of it. */
export interface WriteResult<T> {
  value: T;
  txn: string;
}

export interface SourceSummary extends Source {
  /** the figures it claims (not retracted) */
  figures: number;
  /** the figures it relays: claims of other sources that reached us through it (not retracted) */
  relays: number;
}
export interface CitationSummary extends Citation {
  figures: number;
  /** the sha256 of its document's text, null when it holds none */
  document_sha256: string | null;
}

export interface FigureList {
  rows: FigureView[];
  /** all figures the filter matches; null on a keyset page (`after` given): the first page already said */
  total: number | null;
  /** set when the filter asked for the figures as recorded on a moment */
  recorded?: RecordedMoment;
}

/** The moment a read was put at: "as recorded on", the workbook rebuilt from the change log. */
export interface RecordedMoment {
  /** the moment asked for, UTC */
  recorded_on: string;
  /** the last change_log entry written at or before it (0: before the first); the read is the workbook right after it */
  log_position: number;
  /** that entry's hash, hex (it covers every entry before it); null before the first */
  hash: string | null;
}

/** What became, by now, of a source's claim in a compare as recorded on a moment. */
export type CompareChange = 'unchanged' | 'revised' | 'retracted' | 'superseded' | 'added';

export interface CompareSince {
  source_id: string;
  source: string;
  /** unchanged; revised (the same figure, edited since); retracted since; superseded (a later claim recorded since);
   * added (the source had no claim then) */
  change: CompareChange;
  recorded: CompareRow | null;
  /** the source's row in the compare of now (null: none) */
  now: CompareRow | null;
  /** revised: the fields of the figure that differ between then and now */
  fields: string[];
}

/** A compare as recorded on a moment (the result's rows), beside the same compare now. */
export interface RecordedCompare extends RecordedMoment {
  now: CompareRow[];
  now_spread: CompareSpread;
  /** one per source of then or now: then's claim first, in then's order, then the sources added since */
  since: CompareSince[];
}

export interface CompareRow {
  source_id: string;
  source: string;
  source_kind: SourceKind;
  figure_id: string;
  value: number | null;
  low: number | null;
  high: number | null;
  qualifier: Qualifier;
  /** the words the value was read from ("dozens"), when it was */
  vague_words: string | null;
  date: string;
  location: string | null;
  relayed_via: string | null;
  citation_id: string;
  citation_title: string | null;
  publisher: string | null;
  url: string | null;
  excerpt: string | null;
  status: Status;
}

/** A source's latest claim in a compare, read honestly: how old it is, what it allows, whether it stands apart. */
export interface ComparedRow extends CompareRow {
  /** days from the figure's date to the as-of date */
  age_days: number;
  /** older than the window: shown apart, not in the spread */
  stale: boolean;
  /** the numbers the claim allows (high null: no upper bound) */
  interval: Interval;
  /** its interval overlaps none of some other current claim's: they cannot both be true */
  contested: boolean;
  /** the same claim through other citations — the claimant's other figures of the same metric, place and date (a
   * second outlet relaying it, or its own release beside a relay): it counts once, for its claimant */
  relays: CompareRow[];
}

export interface CompareSpread {
  /** independent claimants counted: one per claimant, current figures only */
  sources: number;
  /** the lowest lower bound across the current claims */
  min: number | null;
  /** the highest finite bound across the current claims */
  max: number | null;
  /** some current claim has no upper bound ("at least …"): the claims reach above max */
  open_above: boolean;
  /** how far apart the claims are at the least: the highest lower bound minus the lowest upper bound, 0 when every
   * two claims' intervals overlap (for plain numbers, highest minus lowest) */
  spread: number | null;
  /** the highest lower bound ÷ the lowest upper bound, 1 when they overlap; null when an upper bound is 0 */
  ratio: number | null;
  /** some two current claims' intervals do not overlap */
  contested: boolean;
}

export interface RatioRow {
  source_id: string;
  source: string;
  civilian: CompareRow | null;
  combatant: CompareRow | null;
  total: CompareRow | null;
  /** civilians killed per combatant killed, from the point values (or range midpoints, flagged) */
  ratio: number | null;
  ratio_from_ranges: boolean;
}

export interface CompareResult {
  metric: Metric;
  location: string | null;
  as_of: string;
  /** figures older than this many days before as_of are stale */
  window_days: number;
  /** every source's latest claim, the current ones first, then the stale ones, each by source */
  rows: ComparedRow[];
  spread: CompareSpread;
  /** "N independent claimants (M relays)": claimants of current claims, and the figures among them relayed */
  independent: { claimants: number; relays: number };
  /** claims left out of the spread for their age */
  stale: number;
  ratios: RatioRow[];
  /** set when the query asked for the figures as recorded on a moment: then (the rows above) beside now */
  recorded?: RecordedCompare;
}

/** A figure in a period compare: a compare row with the period it counts, how it was arrived at, and its note. */
export interface PeriodRow extends CompareRow {
  as_of: string | null;
  period_start: string | null;
  period_end: string | null;
  method: Method | null;
  note: string | null;
}

/** The figures at one location that count the same period (or the same as-of date): the claims that compete. */
export interface PeriodGroup {
  location: string | null;
  period_start: string | null;
  period_end: string | null;
  /** set for a count as of a date, which states no period */
  as_of: string | null;
  /** days in the period, both ends counted; null for an as-of count, an open period, or month or year precision */
  days: number | null;
  rows: PeriodRow[];
}

export interface PeriodComparison {
  metric: Metric;
  location: string | null;
  from: string;
  to: string;
  /** by location, then period: figures of different periods are never added together */
  groups: PeriodGroup[];
  figures: number;
  recorded?: RecordedMoment;
}

/** A day on which several sources make claims of one kind: what a first look at a workbook shows. */
export interface ContestedDate {
  date: string;
  category: Metric['category'];
  /** the sources claiming that day, with how many figures each */
  sources: Array<{ name: string; figures: number }>;
}

export interface SeriesPoint {
  figure_id: string;
  date: string;
  value: number | null;
  low: number | null;
  high: number | null;
  qualifier: Qualifier;
  location: string | null;
  citation_title: string | null;
}

export interface SeriesResult {
  metric: Metric;
  location: string | null;
  series: Array<{ source_id: string; source: string; points: SeriesPoint[] }>;
  recorded?: RecordedMoment;
}

export interface ImportReport {
  batch_id: string | null;
  file_name: string;
  sha256: string;
  dry_run: boolean;
  mode: 'all' | 'partial';
  /** data rows in the file (the header and an HXL row not counted) */
  rows: number;
  /** figures the rows stated (a wide row can state several) */
  figures: number;
  created: number;
  updated: number;
  unchanged: number;
  /** rows the mapping says state no claim (e.g. a day with no report) */
  skipped: number;
  rejected: number;
  problems: Problem[];
  /** problems beyond those listed */
  more_problems: number;
  new_entities: { sources: string[]; citations: string[]; locations: string[]; metrics: string[] };
  errors_path: string | null;
  /** true when nothing was written (a dry run, or an all-or-nothing import with problems) */
  written: boolean;
  txn: string | null;
}

export interface ExportResult {
  rows: number;
  bytes: number;
  sha256: string;
  path: string | null;
  /** the CSV itself, when the call asked for text rather than a file */
  text: string | null;
}

export interface BackupResult {
  path: string;
  bytes: number;
}

/** One backup in the workbook's `<file>.backups/` folder. */
export interface BackupInfo {
  /** the file name; restoreBackup takes it */
  name: string;
  path: string;
  /** when it was made, ISO 8601 UTC */
  at: string;
  bytes: number;
  /** manual, before-restore, or before-v<N> (made before a migration; never rotated away) */
  label: string;
}

export interface BackupNowResult {
  backup: BackupInfo;
  /** older on-demand backups deleted to keep the newest `keep` */
  removed: string[];
}

export interface RestoreResult {
  restored: BackupInfo;
  /** the workbook as it was just before the restore, so the restore can be undone */
  safety: BackupInfo;
  removed: string[];
}

export interface CheckReport {
  ok: boolean;
  integrity: string[];
  /** errors break a promise (integrity, provenance, the change log); warnings are gaps a reader would notice */
  problems: Array<{ entity: Entity; id: string; severity: 'error' | 'warning'; reason: string }>;
}

export interface WarningCount {
  kind: WarningKind;
  /** warnings of the kind not dismissed */
  open: number;
  dismissed: number;
}

/** A warning: its kind, the figures that cannot all be true (or that a reader would look at twice), and why. */
export interface WarningView {
  kind: WarningKind;
  /** sorted; with the kind, what names the warning (a dismissal names it so) */
  figure_ids: string[];
  message: string;
  dismissal: { id: string; reason: string; by: string; at: string } | null;
}

export interface WarningList {
  /** every kind's counts over the whole workbook, whatever the query (empty when the query said counts: false) */
  counts: WarningCount[];
  /** the warnings the query matches */
  total: number;
  warnings: WarningView[];
}

/** A dismissed warning, as stored: its kind and figures, and why it was dismissed. */
export interface Dismissal extends Stamped {
  id: string;
  kind: WarningKind;
  /** a JSON array of the figures' ids, sorted */
  figure_ids: string;
  reason: string;
}

export interface UndoResult {
  txn: string;
  reverted: number;
  /** the figures the undo changed, so a view can read just those again; null when more than UNDO_FIGURES_LISTED */
  figure_ids: string[] | null;
  /** it also changed sources, citations, metrics or locations: names and lists are to be read again */
  entities: boolean;
}

/** An undo that changed more figures than this (an import's) says so with figure_ids null: reload them all. */
export const UNDO_FIGURES_LISTED = 1000;

// ---- merging workbooks ----

/** An entity of the other workbook taken as this one's: they share a key the workbook holds unique (a metric's code). */
export interface AliasView {
  entity: Entity;
  /** the other workbook's id */
  id: string;
  /** this workbook's */
  target_id: string;
  /** the key they share, "column=value" */
  matched: string;
}

export type DuplicateEntity = 'source' | 'citation' | 'metric' | 'location';

/** Two entities that may be the same thing under two ids: offered for merging, never merged by themselves. */
export interface DuplicateCandidate {
  entity: DuplicateEntity;
  ids: [string, string];
  names: [string, string];
  /** what they share, in words */
  reason: string;
}

/** What applying another workbook's changesets did. */
export interface ApplyReport {
  /** transactions of which at least one change was applied */
  applied: number;
  /** transactions already in this workbook's log */
  skipped: number;
  /** transactions whose every change this workbook already holds, or that only conflicted */
  unchanged: number;
  /** changes applied */
  changes: number;
  /** conflicts new to this workbook: found by this apply, or come recorded with the other side's changes */
  conflicts: number;
  conflict_ids: string[];
  /** entities matched by a unique key in this apply */
  aliases: AliasView[];
  /** pairs that may be the same thing under two ids, one of them new here */
  duplicates: DuplicateCandidate[];
}

export interface MergeReport extends ApplyReport {
  /** the workbook merged from */
  from: string;
}

/** One side of a conflict: the last transaction of that side that changed the entity, and the state it left. */
export interface ConflictSide {
  txn: string;
  /** who made that change and when (from this workbook's log, else the version's own stamps; null: not known) */
  by: string | null;
  at: string | null;
  /** null: that side deleted it */
  state: Record<string, unknown> | null;
}

/** An entity changed on both sides of a merge since their common history; both versions are kept. */
export interface ConflictView {
  id: string;
  entity: Entity;
  entity_id: string;
  /** when the later of the two changes was made */
  at: string;
  /** the state both changed, null when they had none in common */
  base: Record<string, unknown> | null;
  /** the sides, ordered by transaction id (the same in both workbooks) */
  a: ConflictSide;
  b: ConflictSide;
  /** the side this workbook holds now; null when the entity has changed since */
  ours: 'a' | 'b' | null;
  /** the fields the two versions differ in */
  fields: string[];
  resolved_by_txn: string | null;
  resolution: 'a' | 'b' | 'combined' | null;
}

export interface SyncReport {
  /** the server as shown: user, host, port, database */
  server: string;
  synced_at: string;
  /** this workbook's transactions the server took */
  pushed: number;
  /** why the server refused this workbook's transactions (a viewer's login), null when it took them */
  push_refused: string | null;
  /** this workbook's transactions the server lacks after the sync (those of a refused push) */
  unpushed: number;
  /** transactions of others received and applied (those already here not counted) */
  pulled: number;
  /** changes those transactions made here */
  changes: number;
  /** who made what came in: analyst → transactions */
  pulled_by: Record<string, number>;
  /** conflicts found: the same thing changed here and there; both versions kept (the `conflict` table) */
  conflicts: number;
  conflict_ids: string[];
  /** the server's last seq this workbook holds */
  last_seq: number;
}

/** A team server this workbook has synced with: its URL without user or password, and what its last sync did. */
export interface SyncState {
  server_id: string;
  url: string;
  last_seq: number;
  last_sync_at: string | null;
  last_report: SyncReport | null;
}

/** What another's push left waiting on the team server (watchSyncServer's answer): the app offers to sync. */
export interface ServerPushes {
  server: string;
  /** the transactions on the server this workbook has not pulled */
  transactions: number;
  /** true: at least that many (one look reads a bounded number) */
  more: boolean;
  /** of those, how many each analyst (the server login) pushed */
  by: Record<string, number>;
  /** the server's highest seq looked at */
  seq: number;
}

export const CONFLICT_PICKS = ['ours', 'theirs', 'a', 'b', 'combined'] as const;
/** ours: the version this workbook holds; theirs: the other; a, b: by side; combined: the one held with `fields` set over it */
export type ConflictPick = (typeof CONFLICT_PICKS)[number];

// ---- inputs that are not entity fields ----

const id = z.string().trim().min(1, 'required').max(64);
const why = z.string().trim().max(LIMITS.text).optional();
const none = z.object({}).strict().default({});
const keep = z.number().int().min(1).max(1000).optional();
/** a file name in the backups folder, never a path */
const backupName = z
  .string()
  .min(1, 'required')
  .max(255)
  .regex(/^[^/\\]+\.bak$/, 'expected the file name of a backup (from listBackups)')
  .refine((v) => v !== '..' && !v.startsWith('.'), 'expected the file name of a backup (from listBackups)');

/** Where a CSV comes from: a path the core can read, or the text itself (a file picked in a browser). */
export const CsvInput = z.union([
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ name: z.string().min(1).max(LIMITS.url), text: z.string() }).strict(),
]);

/** Where a CSV goes: a path, or back as text (a download in the browser). */
export const CsvOutput = z.union([z.object({ path: z.string().min(1) }).strict(), z.literal('text')]);

export const ImportRequest = z
  .object({
    file: CsvInput,
    mapping: Mapping.optional(),
    dry_run: z.boolean().default(false),
    mode: z.enum(['all', 'partial']).default('all'),
    /** partial mode: where the rejected rows go, with their reasons */
    errors_path: z.string().min(1).optional(),
  })
  .strict();

/**
 * A document for a citation: its text (pasted, or a .txt or .html file's contents: an HTML page's markup is read
 * off), or a PDF file's bytes as base64, whose text the core reads. Either way the workbook keeps plain text.
 */
export const DocumentRequest = z
  .object({
    citation_id: id,
    text: z.string().min(1, 'required').max(LIMITS.document, `longer than ${LIMITS.document} characters`).optional(),
    base64: z
      .string()
      .min(1, 'required')
      .max(Math.ceil(LIMITS.document_file / 3) * 4, `a file larger than ${LIMITS.document_file} bytes`)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected the bytes of a file as base64')
      .optional(),
    media_type: z.enum(DOCUMENT_MEDIA_TYPES).default('text/plain'),
    /** the file's name (no folder), when it came from a file */
    name: z
      .string()
      .trim()
      .max(LIMITS.name)
      .nullish()
      .transform((v) => v || null),
    why,
  })
  .strict()
  .superRefine((input, ctx) => {
    const pdf = input.media_type === 'application/pdf';
    if (input.text === undefined && input.base64 === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'required' });
    else if (input.text !== undefined && input.base64 !== undefined)
      ctx.addIssue({ code: 'custom', path: ['base64'], message: 'give the text or the bytes, not both' });
    else if (pdf !== (input.base64 !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['media_type'], message: 'a PDF is given as its bytes (base64), a text or HTML page as its text' });
    }
  });

export const ExportOptions = z
  .object({
    bom: z.boolean().default(false),
    hxl: z.boolean().default(false),
    /** also write OUT.csv.json beside a file export: the change log's position and head hash it was made at */
    manifest: z.boolean().default(false),
  })
  .strict()
  .default({ bom: false, hxl: false, manifest: false });

export const ExportRequest = z.object({ filter: FigureFilter, options: ExportOptions, to: CsvOutput }).strict();

export const ExportCompareRequest = z.object({ query: CompareQuery, options: ExportOptions, to: CsvOutput }).strict();

export const WarningQuery = z
  .object({
    kind: z.enum(WARNING_KINDS).optional(),
    /** only the warnings this figure is in */
    figure_id: id.optional(),
    /** dismissed warnings too */
    dismissed: z.boolean().default(false),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    /** false: leave out the counts per kind (a figure's own warnings need none) */
    counts: z.boolean().default(true),
  })
  .strict()
  .default({ dismissed: false, offset: 0, limit: 100, counts: true });
export type WarningQuery = z.output<typeof WarningQuery>;

// ---- the table ----

// Each call's kind (read, write, task) is in calls.ts, which the renderer loads before this module.
interface CallSpec<I extends z.ZodType, O> {
  input: I;
  /** type-level only: what the call resolves to */
  output: O;
}
const call = <I extends z.ZodType>(input: I) => ({
  returns: <O>(): CallSpec<I, O> => ({ input, output: undefined as unknown as O }),
});

const update = <F extends z.ZodType>(patch: F) => z.object({ id, patch, why }).strict();
const merge = z.object({ keep_id: id, merge_ids: z.array(id).min(1), why }).strict();

export const API_CALLS = {
  getWorkbookInfo: call(none).returns<WorkbookInfo>(),

  listMetrics: call(none).returns<Metric[]>(),
  createMetric: call(MetricFields).returns<WriteResult<Metric>>(),
  updateMetric: call(update(patchSchema(MetricFields))).returns<WriteResult<Metric>>(),
  mergeMetrics: call(merge).returns<WriteResult<Metric>>(),

  listLocations: call(none).returns<Location[]>(),
  createLocation: call(LocationFields).returns<WriteResult<Location>>(),
  updateLocation: call(update(patchSchema(LocationFields))).returns<WriteResult<Location>>(),
  mergeLocations: call(merge).returns<WriteResult<Location>>(),

  listSources: call(none).returns<SourceSummary[]>(),
  createSource: call(SourceFields).returns<WriteResult<Source>>(),
  updateSource: call(update(patchSchema(SourceFields))).returns<WriteResult<Source>>(),
  mergeSources: call(merge).returns<WriteResult<Source>>(),

  listCitations: call(none).returns<CitationSummary[]>(),
  createCitation: call(CitationFields).returns<WriteResult<Citation>>(),
  updateCitation: call(update(patchSchema(CitationObject))).returns<WriteResult<Citation>>(),
  mergeCitations: call(merge).returns<WriteResult<Citation>>(),
  /** the citation's document, null when it holds none */
  getDocument: call(z.object({ citation_id: id }).strict()).returns<CitationDocument | null>(),
  /** attaches a document's text to a citation, or replaces the text it holds */
  attachDocument: call(DocumentRequest).returns<WriteResult<CitationDocument>>(),

  /** the rule table of vague quantities ("dozens": at least 12) that value cells are read by, on every path */
  listVagueRules: call(none).returns<VagueRule[]>(),
  createVagueRule: call(VagueRuleFields).returns<WriteResult<VagueRule>>(),
  updateVagueRule: call(update(patchSchema(VagueRuleFields))).returns<WriteResult<VagueRule>>(),
  /** figures read by the rule keep their number and words */
  deleteVagueRule: call(z.object({ id, why }).strict()).returns<WriteResult<VagueRule>>(),

  listFigures: call(FigureFilter).returns<FigureList>(),
  /** the ids of a filter's figures (a set: no order, no paging); the grid narrows the rows it holds to them */
  figureIds: call(FigureFilter).returns<string[]>(),
  getFigure: call(z.object({ id }).strict()).returns<FigureView>(),
  createFigure: call(FigureFields).returns<WriteResult<FigureView>>(),
  /** all or nothing: every problem is reported with row = the 1-based position in `figures` */
  createFigures: call(z.object({ figures: z.array(z.unknown()).min(1).max(10_000), why }).strict()).returns<WriteResult<FigureView[]>>(),
  updateFigure: call(update(FigurePatch)).returns<WriteResult<FigureView>>(),
  /** several figures' patches in one transaction (a paste over them), all or nothing: each problem's row is the
   * 1-based position in `updates` */
  updateFigures: call(
    z
      .object({
        updates: z
          .array(z.object({ id, patch: z.unknown() }).strict())
          .min(1)
          .max(10_000),
        why,
      })
      .strict(),
  ).returns<WriteResult<FigureView[]>>(),
  retractFigure: call(z.object({ id, reason: z.string().trim().min(1, 'required').max(LIMITS.text) }).strict()).returns<WriteResult<FigureView>>(),
  /** make a figure what it was right after the given change */
  revertFigure: call(z.object({ id, change_id: z.number().int().positive(), why }).strict()).returns<WriteResult<FigureView>>(),

  history: call(z.object({ entity: z.enum(ENTITIES), id }).strict()).returns<ChangeLogEntry[]>(),
  /** reverse a whole transaction, or one change; the reversal is itself logged (and can be undone: redo) */
  undo: call(z.union([z.object({ txn: id, why }).strict(), z.object({ change_id: z.number().int().positive(), why }).strict()])).returns<UndoResult>(),

  compare: call(CompareQuery).returns<CompareResult>(),
  /** every figure whose period (or as-of date) falls in or overlaps from–to, grouped by location and period */
  comparePeriod: call(PeriodQuery).returns<PeriodComparison>(),
  series: call(SeriesQuery).returns<SeriesResult>(),
  /** the latest day on which two or more sources make claims of one kind; null when there is none */
  latestContestedDate: call(none).returns<ContestedDate | null>(),

  listImportBatches: call(none).returns<ImportBatch[]>(),
  importCsv: call(ImportRequest).returns<ImportReport>(),
  exportCsv: call(ExportRequest).returns<ExportResult>(),
  exportCompareCsv: call(ExportCompareRequest).returns<ExportResult>(),
  backup: call(z.object({ to: z.string().min(1) }).strict()).returns<BackupResult>(),
  /** the backups in the workbook's backups folder, newest first */
  listBackups: call(none).returns<BackupInfo[]>(),
  /** a backup into the backups folder now; on-demand backups beyond the newest `keep` (default 10) are deleted */
  backupNow: call(z.object({ keep }).strict().default({})).returns<BackupNowResult>(),
  /** make the workbook what a backup holds (the current state is backed up first) */
  restoreBackup: call(z.object({ name: backupName, keep }).strict()).returns<RestoreResult>(),
  check: call(none).returns<CheckReport>(),

  /** merge another workbook file into this one: every change of its log this one lacks, conflicts kept apart */
  mergeWorkbook: call(z.object({ from: z.string().trim().min(1, 'required').max(4096) }).strict()).returns<MergeReport>(),
  /** the conflicts merges found (open ones unless `all`) */
  listConflicts: call(
    z
      .object({ all: z.boolean().default(false) })
      .strict()
      .default({ all: false }),
  ).returns<ConflictView[]>(),
  /** settle a conflict: pick a version or combine them (a logged change: undo opens it again) */
  resolveConflict: call(
    z
      .object({
        id,
        pick: z.enum(CONFLICT_PICKS),
        /** with pick 'combined': the fields to set over the version this workbook holds */
        fields: z.record(z.string().max(64), z.union([z.string().max(LIMITS.text), z.number(), z.null()])).optional(),
        why,
      })
      .strict(),
  ).returns<WriteResult<ConflictView>>(),
  /** entities that may be the same thing under two ids (the same name, short name, URL …), for merging */
  listDuplicates: call(none).returns<DuplicateCandidate[]>(),

  /** the team servers this workbook has synced with, the last sync first */
  listSyncServers: call(none).returns<SyncState[]>(),
  /**
   * pull the others' transactions from the team's PostgreSQL server, then push this workbook's; `server` left out:
   * the one server synced with before. `password` is used for this sync only, never stored (else PGPASSWORD,
   * ~/.pgpass).
   */
  syncWorkbook: call(
    z
      .object({ server: z.string().trim().min(1, 'required').max(4096).optional(), password: z.string().min(1).max(1024).optional() })
      .strict()
      .default({}),
  ).returns<SyncReport>(),
  /**
   * wait, listening to the team server (LISTEN/NOTIFY), until it holds transactions from others this workbook has
   * not pulled; answers at once if some are waiting. Runs until then or until cancelled; changes nothing.
   */
  watchSyncServer: call(
    z
      .object({ server: z.string().trim().min(1, 'required').max(4096).optional(), password: z.string().min(1).max(1024).optional() })
      .strict()
      .default({}),
  ).returns<ServerPushes>(),

  /** the warnings the checks found: counts per kind and a page of them, messages written */
  listWarnings: call(WarningQuery).returns<WarningList>(),
  /** the kinds of the open warnings of each of these figures that has any (a grid's markers) */
  figureWarnings: call(z.object({ figure_ids: z.array(id).max(10_000) }).strict()).returns<Array<{ figure_id: string; kinds: WarningKind[] }>>(),
  /** dismiss a warning, with the reason (a logged change: undo brings it back) */
  dismissWarning: call(
    z
      .object({ kind: z.enum(WARNING_KINDS), figure_ids: z.array(id).min(1).max(10_000), reason: z.string().trim().min(1, 'required').max(LIMITS.text) })
      .strict(),
  ).returns<WriteResult<Dismissal>>(),
  /** take a dismissal back: the warning is open again */
  reopenWarning: call(z.object({ dismissal_id: id, why }).strict()).returns<WriteResult<Dismissal>>(),
} as const;

export type ApiCallName = keyof typeof API_CALLS;
export { API_CALL_NAMES, CALL_KINDS, type CallKind } from './calls';
export type ApiInput<K extends ApiCallName> = z.input<(typeof API_CALLS)[K]['input']>;
export type ApiParsedInput<K extends ApiCallName> = z.output<(typeof API_CALLS)[K]['input']>;
export type ApiOutput<K extends ApiCallName> = (typeof API_CALLS)[K]['output'];

export interface Progress {
  done: number;
  /** null when the total is not known in advance */
  total: number | null;
  phase: string;
}

/** In-process extras for long tasks; transports carry them as progress events and a cancel call. */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** in-process only: an export asked for as 'text' streams its bytes here instead (the CLI's stdout) */
  sink?: (chunk: Buffer) => void | Promise<void>;
}

export type WorkbenchApi = {
  [K in ApiCallName]: (input: ApiInput<K>, options?: CallOptions) => Promise<ApiOutput<K>>;
};
