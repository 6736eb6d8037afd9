// Input schemas: every value that crosses into the store from the UI, a CSV file or the CLI passes one of these.
import { z } from 'zod';
import { LOCATION_KINDS, METRIC_CATEGORIES, METRIC_KINDS, QUALIFIERS, SOURCE_KINDS, STATUSES } from './domain';
import type { Problem } from './errors';
import { isClaimDate } from './claimDate';
import { readRecordedOn } from './recordedOn';
import { FIGURE_FIELDS, type FigureFieldSpec, type FigureFieldValues, type InputFieldName, LIMITS } from './fields';

export { LIMITS };

/** A claim date: a full ISO date, or YYYY-MM / YYYY when only the month or year is known. */
export const claimDate = z.string().trim().refine(isClaimDate, { message: 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)' });

/** A past moment of the change log (see recordedOn.ts), as the log writes it: UTC with milliseconds. */
export const recordedOn = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    const read = readRecordedOn(text);
    if (read.ok) return read.value;
    ctx.addIssue({ code: 'custom', message: read.reason });
    return z.NEVER;
  });

const id = z.string().trim().min(1, 'required').max(64, 'too long for an id');
/** An id as a figure's reference fields (metric_id, source_id…) take it. */
export const referenceId = id;
const text = (max: number) => z.string().trim().max(max, `longer than ${max} characters`);
const requiredText = (max: number) => text(max).min(1, 'required');
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v === '' || v === undefined ? null : v));
const optionalDate = claimDate
  .nullish()
  .or(z.literal('').transform(() => null))
  .transform((v) => v ?? null);
const count = z
  .number({ message: 'expected a number' })
  .refine(Number.isFinite, 'expected a finite number')
  .refine((n) => n >= 0, 'a count cannot be negative');
const optionalCount = count.nullish().transform((v) => v ?? null);
const url = z
  .string()
  .trim()
  .max(LIMITS.url, `longer than ${LIMITS.url} characters`)
  .refine((v) => v === '' || /^(https?|ftp|file):\/\/\S+$/i.test(v), 'expected a URL starting with http:// or https://')
  .nullish()
  .transform((v) => (v === '' || v === undefined ? null : v));

// ---- sources, citations, metrics, locations ----

export const SourceFields = z
  .object({
    name: requiredText(LIMITS.name),
    short_name: optionalText(LIMITS.name),
    kind: z.enum(SOURCE_KINDS).default('other'),
    party_to_conflict: z
      .union([z.literal(0), z.literal(1), z.boolean().transform((b) => (b ? 1 : 0))])
      .nullish()
      .transform((v) => (v === undefined ? null : v) as 0 | 1 | null),
    note: optionalText(LIMITS.text),
  })
  .strict();
export type SourceInput = z.input<typeof SourceFields>;
export type SourceFieldsParsed = z.output<typeof SourceFields>;

export const CitationObject = z
  .object({
    title: optionalText(LIMITS.title),
    publisher: optionalText(LIMITS.name),
    url,
    published: optionalDate,
    accessed: optionalDate,
    language: optionalText(35),
    local_path: optionalText(LIMITS.url),
    local_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex')
      .nullish()
      .transform((v) => v ?? null),
    note: optionalText(LIMITS.text),
  })
  .strict();
export const CitationFields = CitationObject.refine((c) => c.title !== null || c.url !== null, {
  message: 'a citation needs a title or a URL',
  path: ['title'],
});
export type CitationInput = z.input<typeof CitationFields>;
export type CitationFieldsParsed = z.output<typeof CitationObject>;

/** A rule of the vague-quantity table: the words, and the number and qualifier they read as. */
export const VagueRuleFields = z
  .object({
    word: z
      .string()
      .trim()
      .min(1, 'required')
      .max(100)
      .regex(/^[^\d]*$/, 'words, not digits: a number is read as a number')
      .transform((w) => w.replace(/\s+/g, ' ')),
    value: z.number().finite().min(0, 'a count cannot be negative'),
    qualifier: z.enum(QUALIFIERS).default('at_least'),
  })
  .strict();
export type VagueRuleInput = z.input<typeof VagueRuleFields>;
export type VagueRuleFieldsParsed = z.output<typeof VagueRuleFields>;

const metricCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'expected a code of lower-case letters, digits and _ (e.g. killed_civilian)');

/**
 * The metrics a metric is part of: codes as a list, as the JSON the workbook stores, or written in a form as
 * "killed_civilian, killed_total". Stored as a JSON array (null when none).
 */
const partOf = z
  .preprocess((v) => {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    if (t.startsWith('[')) {
      try {
        return JSON.parse(t) as unknown;
      } catch {
        return v;
      }
    }
    return t === '' ? [] : t.split(/[\s,;]+/);
  }, z.array(metricCode, { message: 'expected metric codes, such as killed_civilian, killed_total' }).max(20).nullish())
  .transform((codes) => (codes && codes.length > 0 ? JSON.stringify([...new Set(codes)]) : null));

/** How far above the recent daily rises a cumulative rise must be to be a retroactive jump: a multiple above 1. */
const jumpFactor = z
  .preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v)) : v),
    z.number({ message: 'expected a number' }).finite().gt(1, 'expected a multiple above 1 (e.g. 10)').nullish(),
  )
  .transform((v) => v ?? null);

export const MetricFields = z
  .object({
    code: metricCode,
    label: requiredText(LIMITS.name),
    unit: requiredText(60).default('people'),
    category: z.enum(METRIC_CATEGORIES).default('other'),
    hxl: z
      .string()
      .trim()
      .regex(/^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/, 'expected an HXL hashtag such as #affected+killed')
      .nullish()
      .transform((v) => v ?? null),
    /** cumulative (a running total as of a date) or flow (counted over a period); null: not said */
    kind: z
      .enum(METRIC_KINDS)
      .nullish()
      .or(z.literal('').transform(() => null))
      .transform((v) => v ?? null),
    part_of: partOf,
    jump_factor: jumpFactor,
    note: optionalText(LIMITS.text),
  })
  .strict();
export type MetricInput = z.input<typeof MetricFields>;
export type MetricFieldsParsed = z.output<typeof MetricFields>;

export const LocationFields = z
  .object({
    name: requiredText(LIMITS.name),
    kind: z.enum(LOCATION_KINDS).default('other'),
    parent_id: id.nullish().transform((v) => v ?? null),
    note: optionalText(LIMITS.text),
  })
  .strict();
export type LocationInput = z.input<typeof LocationFields>;
export type LocationFieldsParsed = z.output<typeof LocationFields>;

/**
 * The schema a patch of an entity is checked with: every field optional, none defaulted. zod 4 applies a field's
 * default even when a partial object lacks the field, so `{ value: 1 }` would parse as `{ value: 1, qualifier:
 * 'exact', status: 'draft' }` and an edit of one field would silently reset others.
 */
export function patchSchema<S extends z.core.$ZodLooseShape>(object: z.ZodObject<S>): ReturnType<z.ZodObject<S>['partial']> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(object.shape)) shape[key] = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
  return z.object(shape).partial().strict() as unknown as ReturnType<z.ZodObject<S>['partial']>;
}

// ---- figures: the input schema, derived field by field from the registry (fields.ts) ----

function figureFieldSchema(spec: FigureFieldSpec): z.ZodType {
  switch (spec.kind) {
    case 'ref':
      return spec.required ? id : id.nullish().transform((v) => v ?? null);
    case 'count':
      return optionalCount;
    case 'enum': {
      const values = z.enum(spec.values as [string, ...string[]]);
      return spec.default !== undefined ? values.default(spec.default) : values.nullish().transform((v) => v ?? null);
    }
    case 'date':
      return optionalDate;
    case 'text':
      return optionalText(spec.max);
    default:
      throw new Error(`${spec.name} is not an input field`);
  }
}

const figureShape: Record<string, z.ZodType> = Object.fromEntries(
  FIGURE_FIELDS.filter((f) => f.input).map((f) => [f.name, figureFieldSchema(f as FigureFieldSpec)]),
);

type InputField = (typeof FIGURE_FIELDS)[number] & { input: true };
type Defaulted = Extract<InputField, { default: string }>['name'];
type Needed = Exclude<Extract<InputField, { required: true }>['name'], Defaulted>;
/** A figure's fields as the store keeps them. */
export type FigureFieldsParsed = Pick<FigureFieldValues, InputFieldName>;
/** What createFigure takes: the required references, and any other field (null or absent when not stated). */
export type FigureInput = Pick<FigureFieldValues, Needed> & { [K in Defaulted]?: FigureFieldValues[K] } & {
  [K in Exclude<InputFieldName, Needed | Defaulted>]?: FigureFieldValues[K] | null | '';
};

export const FigureFields = z
  .object(figureShape)
  .strict()
  .superRefine((figure, ctx) => {
    for (const problem of figureRuleProblems(figure as unknown as FigureRuleSubject)) {
      ctx.addIssue({ code: 'custom', message: problem.reason, path: [problem.field ?? 'value'] });
    }
  }) as unknown as z.ZodType<FigureFieldsParsed, FigureInput>;

/** A partial figure: only the fields present are checked here; the whole figure is re-checked after merging. */
export const FigurePatch = patchSchema(z.object(figureShape)) as unknown as z.ZodType<Partial<FigureFieldsParsed>, Partial<FigureInput>>;
export type FigurePatchInput = Partial<FigureInput>;

type FigureRuleSubject = {
  value: number | null;
  low: number | null;
  high: number | null;
  as_of: string | null;
  period_start: string | null;
  period_end: string | null;
  status: string;
  retracted_reason: string | null;
};

/** The rules that span fields. Checked on create, and again on the merged figure on update. */
export function figureRuleProblems(f: FigureRuleSubject): Problem[] {
  const problems: Problem[] = [];
  const hasRange = f.low !== null || f.high !== null;
  if (f.value === null && !hasRange) {
    problems.push({ field: 'value', reason: 'a figure needs a value or a low–high range' });
  }
  if (hasRange && (f.low === null || f.high === null)) {
    problems.push({ field: f.low === null ? 'low' : 'high', reason: 'a range needs both low and high' });
  }
  if (f.low !== null && f.high !== null && f.low > f.high) {
    problems.push({ field: 'low', value: String(f.low), reason: `low (${f.low}) exceeds high (${f.high})` });
  }
  if (f.value !== null && f.low !== null && f.high !== null && (f.value < f.low || f.value > f.high)) {
    problems.push({ field: 'value', value: String(f.value), reason: `value lies outside the range ${f.low}–${f.high}` });
  }
  if (f.as_of === null && f.period_start === null) {
    problems.push({ field: 'as_of', reason: 'a figure needs an as-of date or a period start' });
  }
  if (f.period_end !== null && f.period_start === null) {
    problems.push({ field: 'period_start', reason: 'a period end needs a period start' });
  }
  if (f.period_start !== null && f.period_end !== null && f.period_start > f.period_end) {
    problems.push({
      field: 'period_end',
      value: f.period_end,
      reason: `period end ${f.period_end} is before period start ${f.period_start}`,
    });
  }
  if (f.status === 'retracted' && !f.retracted_reason) {
    problems.push({ field: 'retracted_reason', reason: 'a retracted figure needs a reason' });
  }
  return problems;
}

// ---- queries ----

export const FigureFilter = z
  .object({
    metric: z.array(z.string().trim().min(1)).optional(),
    source: z.array(z.string().trim().min(1)).optional(),
    location: z.array(z.string().trim().min(1)).optional(),
    citation_id: z.string().trim().min(1).optional(),
    /** only these figures (those an undo changed, read again), if they match the rest of the filter */
    ids: z.array(z.string().trim().min(1).max(64)).max(1000).optional(),
    status: z.array(z.enum(STATUSES)).optional(),
    from: claimDate.optional(),
    to: claimDate.optional(),
    include_retracted: z.boolean().optional(),
    search: z.string().max(LIMITS.name).optional(),
    limit: z.number().int().min(1).max(1_000_000).optional(),
    offset: z.number().int().min(0).optional(),
    /** keyset paging: only figures after this one in list order (effective date, then id) */
    after: z
      .object({ date: z.string().min(1).max(10), id: z.string().min(1).max(64) })
      .strict()
      .optional(),
    /** the figures as they were recorded at this moment, rebuilt from the change log */
    recorded_on: recordedOn.optional(),
  })
  .strict()
  .default({});
export type FigureFilterInput = z.input<typeof FigureFilter>;
export type FigureFilterParsed = z.output<typeof FigureFilter>;

export const CompareQuery = z
  .object({
    metric: z.string().trim().min(1, 'required'),
    location: z.string().trim().min(1).optional(),
    as_of: claimDate.optional(),
    /** compare the figures as they were recorded at this moment, beside those of now */
    recorded_on: recordedOn.optional(),
    /** figures older than this many days before as_of are shown apart and left out of the spread (default 30) */
    window_days: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export type CompareQueryInput = z.input<typeof CompareQuery>;

/** Every figure of a metric for a period: the flows (trucks a day, a week) that a latest-as-of compare cannot line up. */
export const PeriodQuery = z
  .object({
    metric: z.string().trim().min(1, 'required'),
    location: z.string().trim().min(1).optional(),
    from: claimDate,
    to: claimDate,
    recorded_on: recordedOn.optional(),
  })
  .strict();
export type PeriodQueryInput = z.input<typeof PeriodQuery>;

export const SeriesQuery = z
  .object({
    metric: z.string().trim().min(1, 'required'),
    location: z.string().trim().min(1).optional(),
    source: z.array(z.string().trim().min(1)).optional(),
    from: claimDate.optional(),
    to: claimDate.optional(),
    recorded_on: recordedOn.optional(),
  })
  .strict();
export type SeriesQueryInput = z.input<typeof SeriesQuery>;

/** Zod issues as problems with the field they concern. */
export function zodProblems(error: z.ZodError, rowOrPrefix?: { row?: number }): Problem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || undefined;
    const problem: Problem = { reason: issue.message };
    if (field) problem.field = field;
    if (rowOrPrefix?.row !== undefined) problem.row = rowOrPrefix.row;
    return problem;
  });
}
