// Comparing sources: each source's latest claim on or before a date, the spread between them, the
// civilian:combatant ratio each source's own figures imply, and each source's series over time; and for flows (aid
// trucks a day, a week), every figure of a period, grouped by location and by the period each counts.
import type Database from 'better-sqlite3';
import type {
  ComparedRow,
  CompareResult,
  CompareRow,
  CompareSpread,
  ContestedDate,
  PeriodComparison,
  PeriodGroup,
  PeriodRow,
  RatioRow,
  SeriesPoint,
  SeriesResult,
} from '../../shared/api';
import { ageInDays, DEFAULT_WINDOW_DAYS, periodDays } from '../../shared/claimDate';
import type { Location, Metric } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import { intervalOf, overlaps } from '../../shared/quantity';
import type { CompareQueryInput, PeriodQueryInput, SeriesQueryInput } from '../../shared/schemas';
import { endOfPrecision } from './figures';
import { type FigureTables, HEAD_TABLES } from './figureTables';
import type { Lookups } from './lookups';

/**
 * Each source's latest figure for each of the metrics in @metric_ids (a JSON array), in one pass; at @location_id,
 * or anywhere. Two statements, not one with "@location_id IS NULL OR …": that OR keeps SQLite from using the
 * location column of figure_compare, and a million-figure workbook then reads every figure of the metric.
 */
export function latestPerSourceSql(atLocation: boolean, t: FigureTables = HEAD_TABLES): string {
  return `
  WITH ranked AS (
    -- rank narrow rows; the figures that win are read whole below
    SELECT f.id, row_number() OVER (
             PARTITION BY f.metric_id, f.source_id
             ORDER BY f.effective_date DESC, f.updated_at DESC, f.id DESC) AS rank
      FROM ${t.figure} f
     WHERE f.metric_id IN (SELECT value FROM json_each(@metric_ids))
       ${atLocation ? 'AND f.location_id = @location_id' : ''}
       AND f.status <> 'retracted'
       AND f.effective_date <= @as_of
  )
  SELECT r.metric_id, r.source_id, s.name AS source, s.kind AS source_kind, r.id AS figure_id, r.value, r.low, r.high,
         r.qualifier, r.vague_words, r.effective_date AS date, l.name AS location, rv.name AS relayed_via, r.citation_id,
         c.title AS citation_title, c.publisher, c.url, r.excerpt, r.status
    FROM ranked w
    JOIN ${t.figureById} r ON r.id = w.id
    JOIN ${t.source} s ON s.id = r.source_id
    JOIN ${t.citation} c ON c.id = r.citation_id
    LEFT JOIN ${t.source} rv ON rv.id = r.relayed_via_id
    LEFT JOIN ${t.location} l ON l.id = r.location_id
   WHERE w.rank = 1
   ORDER BY r.metric_id, s.name COLLATE NOCASE, r.source_id`;
}

/** The statement at one location: what the compare view runs (the benchmark's bare SQL). */
export const LATEST_PER_SOURCE = latestPerSourceSql(true);

/**
 * Every figure of @metric_id whose period (or as-of date) overlaps @from–@to, ordered into groups: location, then
 * period, then source. A month or year date reaches to the end of its month or year, hence its end is compared with
 * @from cut to the same precision.
 */
function periodSql(atLocation: boolean, t: FigureTables): string {
  return `
  SELECT f.source_id, s.name AS source, s.kind AS source_kind, f.id AS figure_id, f.value, f.low, f.high, f.qualifier,
         f.vague_words, f.effective_date AS date, f.as_of, f.period_start, f.period_end, l.name AS location, rv.name AS relayed_via,
         f.citation_id, c.title AS citation_title, c.publisher, c.url, f.excerpt, f.status, f.method, f.note
    FROM ${t.figure} f
    JOIN ${t.source} s ON s.id = f.source_id
    JOIN ${t.citation} c ON c.id = f.citation_id
    LEFT JOIN ${t.source} rv ON rv.id = f.relayed_via_id
    LEFT JOIN ${t.location} l ON l.id = f.location_id
   WHERE f.metric_id = @metric_id
     ${atLocation ? 'AND f.location_id = @location_id' : ''}
     AND f.status <> 'retracted'
     AND coalesce(f.period_start, f.as_of) <= @to
     AND f.effective_date >= substr(@from, 1, length(f.effective_date))
   ORDER BY l.name COLLATE NOCASE, f.location_id, f.as_of IS NOT NULL, coalesce(f.period_start, f.as_of), f.period_end,
            s.name COLLATE NOCASE, f.id`;
}

/**
 * The same claimant's other figures of a figure's claim (metric, place, date): one claim that reached us through
 * several citations (two outlets relaying one ministry figure), which counts once. The claim's key is read first
 * (claimKeySql) and given as values: as recorded on a moment, the figures are a UNION ALL view, which SQLite reads
 * through its indexes for a WHERE on values, but reads whole as the inner side of a join.
 */
function relaysSql(t: FigureTables): string {
  return `
  SELECT f.source_id, s.name AS source, s.kind AS source_kind, f.id AS figure_id, f.value, f.low, f.high, f.qualifier,
         f.vague_words, f.effective_date AS date, l.name AS location, rv.name AS relayed_via, f.citation_id, c.title AS citation_title,
         c.publisher, c.url, f.excerpt, f.status
    FROM ${t.figure} f
    JOIN ${t.source} s ON s.id = f.source_id
    JOIN ${t.citation} c ON c.id = f.citation_id
    LEFT JOIN ${t.source} rv ON rv.id = f.relayed_via_id
    LEFT JOIN ${t.location} l ON l.id = f.location_id
   WHERE f.metric_id = @metric_id AND f.location_id IS @location_id AND f.effective_date = @effective_date
     AND f.source_id = @source_id AND f.id <> @figure_id AND f.status <> 'retracted'
   ORDER BY rv.name IS NOT NULL, rv.name COLLATE NOCASE, f.id`;
}

const claimKeySql = (t: FigureTables) => `SELECT id AS figure_id, metric_id, location_id, effective_date, source_id FROM ${t.figureById} WHERE id = ?`;

/** The metrics whose latest figures make up the civilian:combatant table. */
const RATIO_METRICS = ['killed_civilian', 'killed_combatant', 'killed_total'] as const;

export class Comparisons {
  private readonly tables: FigureTables;
  private readonly latestAt: Database.Statement;
  private readonly latestAnywhere: Database.Statement;
  private readonly seriesAt: Database.Statement;
  private readonly seriesAnywhere: Database.Statement;
  private readonly periodAt: Database.Statement;
  private readonly periodAnywhere: Database.Statement;
  private readonly relays: Database.Statement;
  private readonly claimKey: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly lookups: Lookups,
    /** the head's tables, or the workbook as recorded on a moment */
    t: FigureTables = HEAD_TABLES,
  ) {
    this.tables = t;
    this.latestAt = db.prepare(latestPerSourceSql(true, t));
    this.latestAnywhere = db.prepare(latestPerSourceSql(false, t));
    const series = (atLocation: boolean) => `
      SELECT f.source_id, s.name AS source, f.id AS figure_id, f.effective_date AS date, f.value, f.low, f.high,
             f.qualifier, l.name AS location, c.title AS citation_title
        FROM ${t.figure} f
        JOIN ${t.source} s ON s.id = f.source_id
        JOIN ${t.citation} c ON c.id = f.citation_id
        LEFT JOIN ${t.location} l ON l.id = f.location_id
       WHERE f.metric_id = @metric_id
         ${atLocation ? 'AND f.location_id = @location_id' : ''}
         AND f.status <> 'retracted'
         AND (@from IS NULL OR f.effective_date >= @from)
         AND (@to IS NULL OR f.effective_date <= @to)
       ORDER BY s.name COLLATE NOCASE, f.source_id, f.effective_date, f.id`;
    this.seriesAt = db.prepare(series(true));
    this.seriesAnywhere = db.prepare(series(false));
    this.periodAt = db.prepare(periodSql(true, t));
    this.periodAnywhere = db.prepare(periodSql(false, t));
    this.relays = db.prepare(relaysSql(t));
    this.claimKey = db.prepare(claimKeySql(t));
  }

  period(query: PeriodQueryInput): PeriodComparison {
    const metric = this.metric(query.metric);
    const location = query.location ? this.location(query.location) : null;
    if (query.from > query.to) {
      throw new WorkbenchError('validation', `the period starts (${query.from}) after it ends (${query.to})`, {
        place: { field: 'from', value: query.from },
      });
    }
    const params = { metric_id: metric.id, from: query.from, to: endOfPrecision(query.to) };
    const rows = (location ? this.periodAt.all({ ...params, location_id: location.id }) : this.periodAnywhere.all(params)) as PeriodRow[];
    const groups: PeriodGroup[] = [];
    for (const row of rows) {
      const as_of = row.as_of;
      const [start, end] = as_of ? [null, null] : [row.period_start, row.period_end];
      const last = groups.at(-1);
      if (last && last.location === row.location && last.as_of === as_of && last.period_start === start && last.period_end === end) {
        last.rows.push(row);
      } else {
        groups.push({ location: row.location, period_start: start, period_end: end, as_of, days: periodDays(start, end), rows: [row] });
      }
    }
    return { metric, location: location?.name ?? null, from: query.from, to: query.to, groups, figures: rows.length };
  }

  compare(query: CompareQueryInput): CompareResult {
    const metric = this.metric(query.metric);
    const location = query.location ? this.location(query.location) : null;
    const asOf = query.as_of ?? new Date().toISOString().slice(0, 10);
    const ratioMetrics = RATIO_METRICS.map((code) => this.lookups.metric(code));
    const metricIds = [...new Set([metric.id, ...ratioMetrics.flatMap((m) => (m ? [m.id] : []))])];
    const params = { metric_ids: JSON.stringify(metricIds), as_of: endOfPrecision(asOf) };
    const latest = (location ? this.latestAt.all({ ...params, location_id: location.id }) : this.latestAnywhere.all(params)) as Array<
      CompareRow & { metric_id: string }
    >;
    const windowDays = query.window_days ?? DEFAULT_WINDOW_DAYS;
    const rowsOf = (metricId: string | undefined) =>
      latest.filter((r) => r.metric_id === metricId).map(({ metric_id: _, ...row }) => this.read(row, asOf, windowDays));
    const rows = honestRows(rowsOf(metric.id));
    const current = rows.filter((r) => !r.stale);
    const [civilian, combatant, total] = ratioMetrics.map((m) => rowsOf(m?.id));
    return {
      metric,
      location: location?.name ?? null,
      as_of: asOf,
      window_days: windowDays,
      rows,
      spread: spreadOf(current),
      independent: { claimants: current.length, relays: current.reduce((n, r) => n + relayCount(r), 0) },
      stale: rows.length - current.length,
      ratios: ratiosOf(civilian!, combatant!, total!),
    };
  }

  /** A latest figure with its age against the as-of date, its interval and the other figures of the same claim. */
  private read(row: CompareRow, asOf: string, windowDays: number): ComparedRow {
    const age = ageInDays(row.date, asOf);
    const key = this.claimKey.get(row.figure_id);
    const relays = (key ? this.relays.all(key) : []) as CompareRow[];
    return { ...row, age_days: age, stale: age > windowDays, interval: intervalOf(row), contested: false, relays };
  }

  series(query: SeriesQueryInput): SeriesResult {
    const metric = this.metric(query.metric);
    const location = query.location ? this.location(query.location) : null;
    const params = { metric_id: metric.id, from: query.from ?? null, to: query.to ? endOfPrecision(query.to) : null };
    const points = (location ? this.seriesAt.all({ ...params, location_id: location.id }) : this.seriesAnywhere.all(params)) as Array<
      SeriesPoint & { source_id: string; source: string }
    >;
    const wanted = query.source?.length ? new Set(query.source.map((s) => s.toLowerCase())) : null;
    const series: SeriesResult['series'] = [];
    for (const { source_id, source, ...point } of points) {
      if (wanted && !wanted.has(source.toLowerCase()) && !wanted.has(source_id)) continue;
      let current = series.at(-1);
      if (current?.source_id !== source_id) {
        current = { source_id, source, points: [] };
        series.push(current);
      }
      current.points.push(point);
    }
    return { metric, location: location?.name ?? null, series };
  }

  /**
   * The latest day on which two or more sources make claims of one kind (casualties, aid): the moment a new reader
   * sees claims compete. Only whole days count (a month or a year is not one moment); retracted figures do not.
   * Casualty claims come first where there are any: they speak as of a day, while aid claims count periods, which
   * Compare ▸ Aid sets side by side.
   */
  latestContestedDate(): ContestedDate | null {
    const t = this.tables;
    // Walks the days from the latest back (figure_date's order) and stops at the first on which two sources make
    // claims of one kind, casualties before any other kind: a few days read, not every figure grouped.
    const day = (category: string | null) =>
      this.db
        .prepare(
          `WITH days AS (SELECT DISTINCT effective_date AS date FROM ${t.figure} WHERE length(effective_date) = 10 ORDER BY effective_date DESC)
           SELECT d.date FROM days d
            WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT category FROM ${t.metric}) k
                     WHERE ${category ? 'k.category = @category AND' : ''} (SELECT count(DISTINCT f.source_id) FROM ${t.figure} f JOIN ${t.metric} m ON m.id = f.metric_id
                            WHERE f.effective_date = d.date AND f.status <> 'retracted' AND m.category = k.category) > 1)
            LIMIT 1`,
        )
        .pluck()
        .get(category ? { category } : {}) as string | undefined;
    const date = day('casualties') ?? day(null);
    const found =
      date === undefined
        ? undefined
        : (this.db
            .prepare(
              `SELECT f.effective_date AS date, m.category
                 FROM ${t.figure} f JOIN ${t.metric} m ON m.id = f.metric_id
                WHERE f.effective_date = ? AND f.status <> 'retracted'
                GROUP BY m.category
               HAVING count(DISTINCT f.source_id) > 1
                ORDER BY m.category = 'casualties' DESC, count(DISTINCT f.source_id) DESC, m.category
                LIMIT 1`,
            )
            .get(date) as { date: string; category: Metric['category'] } | undefined);
    if (!found) return null;
    const sources = this.db
      .prepare(
        `SELECT s.name, count(*) AS figures
           FROM ${t.figure} f JOIN ${t.metric} m ON m.id = f.metric_id JOIN ${t.source} s ON s.id = f.source_id
          WHERE f.status <> 'retracted' AND f.effective_date = ? AND m.category = ?
          GROUP BY s.id
          ORDER BY s.name COLLATE NOCASE`,
      )
      .all(found.date, found.category) as ContestedDate['sources'];
    return { ...found, sources };
  }

  /** The metrics and the location a query reads: what a read as recorded on a moment needs rebuilt. */
  scopeOf(query: { metric?: string; location?: string }): { metric_ids: string[] | null; location_id: string | null } {
    const metric = query.metric ? this.metric(query.metric) : null;
    const ratios = RATIO_METRICS.flatMap((code) => this.lookups.metric(code)?.id ?? []);
    return { metric_ids: metric ? [...new Set([metric.id, ...ratios])] : null, location_id: query.location ? this.location(query.location).id : null };
  }

  private metric(codeOrId: string): Metric {
    const metric = this.lookups.metric(codeOrId);
    if (!metric) throw new WorkbenchError('not_found', `no metric "${codeOrId}"`, { place: { field: 'metric', value: codeOrId } });
    return metric;
  }

  private location(nameOrId: string): Location {
    const location = this.lookups.location(nameOrId);
    if (!location) throw new WorkbenchError('not_found', `no location "${nameOrId}"`, { place: { field: 'location', value: nameOrId } });
    return location;
  }
}

/**
 * The current claims first, then the stale ones, each kept in source order; a current claim is contested when its
 * interval overlaps none of some other current claim's interval.
 */
function honestRows(rows: ComparedRow[]): ComparedRow[] {
  const current = rows.filter((r) => !r.stale);
  for (const row of current) row.contested = current.some((other) => other !== row && !overlaps(row.interval, other.interval));
  return [...current, ...rows.filter((r) => r.stale)];
}

/** The figures of one claim that reached us through a relay: the row itself and its copies. */
export function relayCount(row: ComparedRow): number {
  return (row.relayed_via ? 1 : 0) + row.relays.filter((r) => r.relayed_via).length;
}

/** Civilians, combatants and the total, per source, each the source's latest as of the date; the ratio where both. */
function ratiosOf(civilian: CompareRow[], combatant: CompareRow[], total: CompareRow[]): RatioRow[] {
  const table = new Map<string, RatioRow>();
  const slot = (row: CompareRow): RatioRow => {
    let entry = table.get(row.source_id);
    if (!entry) {
      entry = { source_id: row.source_id, source: row.source, civilian: null, combatant: null, total: null, ratio: null, ratio_from_ranges: false };
      table.set(row.source_id, entry);
    }
    return entry;
  };
  for (const row of civilian) slot(row).civilian = row;
  for (const row of combatant) slot(row).combatant = row;
  for (const row of total) slot(row).total = row;
  for (const entry of table.values()) {
    if (entry.civilian && entry.combatant) {
      const combatants = pointOf(entry.combatant);
      if (combatants > 0) entry.ratio = pointOf(entry.civilian) / combatants;
      entry.ratio_from_ranges = entry.civilian.value === null || entry.combatant.value === null;
    }
  }
  return [...table.values()].sort((a, b) => a.source.localeCompare(b.source));
}

/** A claim as one number: its value, else the midpoint of its range. */
function pointOf(row: { value: number | null; low: number | null; high: number | null }): number {
  return row.value ?? ((row.low ?? 0) + (row.high ?? 0)) / 2;
}

/**
 * The spread of claims read as intervals: lowest lower bound to highest finite bound, and how far apart they are at
 * the least — the highest lower bound minus the lowest upper bound (0 when every two overlap). For plain numbers
 * that is highest minus lowest, as before; "at least 150" beside 120–180 is no disagreement at all.
 */
export function spreadOf(rows: ComparedRow[]): CompareSpread {
  if (rows.length === 0) return { sources: 0, min: null, max: null, open_above: false, spread: null, ratio: null, contested: false };
  const intervals = rows.map((r) => r.interval);
  const lows = intervals.map((i) => i.low);
  const highs = intervals.flatMap((i) => (i.high === null ? [] : [i.high]));
  const highestLow = Math.max(...lows);
  const lowestHigh = highs.length ? Math.min(...highs) : null;
  const gap = lowestHigh === null ? 0 : Math.max(0, highestLow - lowestHigh);
  const ratio = lowestHigh === null ? 1 : lowestHigh > 0 ? Math.max(1, highestLow / lowestHigh) : null;
  return {
    sources: rows.length,
    min: Math.min(...lows),
    max: Math.max(...lows, ...highs),
    open_above: highs.length < intervals.length,
    spread: gap,
    ratio,
    contested: gap > 0,
  };
}
