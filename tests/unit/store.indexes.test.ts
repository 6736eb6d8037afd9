// The figure indexes and what each one serves: the queries the app runs, asked of SQLite's planner (EXPLAIN QUERY
// PLAN) on a real workbook, so an index a query needs cannot go without a test saying which query lost it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUPLICATE_SQL } from '../../src/core/csv/importCsv';
import { latestPerSourceSql } from '../../src/core/store/compare';
import { FIGURE_ORDER, figureCountsBy, figureCsvQuery, figureWhere } from '../../src/core/store/figures';
import { FigureFilter, type FigureFilterInput } from '../../src/shared/schemas';
import { type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

describe('figure indexes', () => {
  let t: TempWorkbook;
  beforeAll(async () => {
    t = await tempWorkbook({ demo: true });
  });
  afterAll(() => t.cleanup());

  /** The plan of `sql`, its parameters all null: a plan depends on the statement and the schema, not the values. */
  const plan = (sql: string) => {
    const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1]!, null]));
    const positional = (sql.match(/\?/g) ?? []).map(() => null);
    const statement = t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    const rows = (Object.keys(named).length ? statement.all(named) : statement.all(...positional)) as Array<{ detail: string }>;
    return rows.map((row) => row.detail).join('\n');
  };
  const listing = (filter: FigureFilterInput) => {
    const where = figureWhere(FigureFilter.parse(filter));
    return `SELECT f.id FROM figure f ${where.sql} ${FIGURE_ORDER} LIMIT 200`;
  };

  it('are these and no more: the primary key, date, compare, source, citation and relayed-via', () => {
    const names = t.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'figure' ORDER BY name").pluck().all();
    expect(names).toEqual(['figure_citation', 'figure_compare', 'figure_date', 'figure_relayed_via', 'figure_source', 'sqlite_autoindex_figure_1']);
  });

  it('figure_date: the list and the export walk it in order, page after page, without a sort', () => {
    expect(plan(listing({}))).toMatch(/^SCAN f USING INDEX figure_date$/);
    expect(plan(listing({ after: { date: '2024-01-01', id: 'x' } }))).toMatch(/SEARCH f USING INDEX figure_date \(\(effective_date,id\)>\(\?,\?\)\)/);
    expect(plan(listing({ from: '2024-01-01', to: '2024-02' }))).toMatch(/SEARCH f USING INDEX figure_date \(effective_date>\? AND effective_date<\?\)/);
    const exported = plan(figureCsvQuery(FigureFilter.parse({})).sql);
    expect(exported).toMatch(/SCAN f USING INDEX figure_date/);
    expect(exported).not.toMatch(/TEMP B-TREE/);
  });

  it("figure_compare: each source's latest figure at a location stops at the as-of date; a metric's figures at once", () => {
    expect(plan(latestPerSourceSql(true))).toMatch(/SEARCH f USING INDEX figure_compare \(metric_id=\? AND location_id=\? AND effective_date<\?\)/);
    expect(plan(latestPerSourceSql(false))).toMatch(/SEARCH f USING INDEX figure_compare \(metric_id=\?\)/);
    expect(plan(listing({ metric: ['killed_total'] }))).toMatch(/SEARCH f USING INDEX figure_compare \(metric_id=\?\)/);
    // a small import's duplicate check: the claim's metric, location and date
    expect(plan(DUPLICATE_SQL)).toMatch(/SEARCH figure USING INDEX figure_compare \(metric_id=\? AND location_id=\? AND effective_date=\? AND source_id=\?\)/);
    // whether a metric is in use, before it may be deleted
    expect(plan('SELECT 1 FROM figure WHERE metric_id = ? LIMIT 1')).toMatch(/figure_compare \(metric_id=\?\)/);
  });

  it('figure_source and figure_citation: the counts beside each source and citation read the index alone', () => {
    expect(plan(figureCountsBy('source_id'))).toBe('SCAN figure USING COVERING INDEX figure_source');
    expect(plan(figureCountsBy('citation_id'))).toBe('SCAN figure USING COVERING INDEX figure_citation');
    expect(plan(listing({ source: ['IDF'] }))).toMatch(/SEARCH f USING INDEX figure_source \(source_id=\?\)/);
    expect(plan(listing({ citation_id: 'x' }))).toMatch(/SEARCH f USING INDEX figure_citation \(citation_id=\?\)/);
    // a merge moves a source's figures; a source in use (as claimant or relay) is not deleted
    expect(plan('SELECT 1 FROM figure WHERE source_id = @id OR relayed_via_id = @id LIMIT 1')).toMatch(
      /figure_source \(source_id=\?\)[\s\S]*figure_relayed_via \(relayed_via_id=\?\)/,
    );
  });

  it('the primary key: a figure by id, and its history by its id in change_log_entity', () => {
    expect(plan('SELECT * FROM figure WHERE id = ?')).toMatch(/sqlite_autoindex_figure_1 \(id=\?\)/);
    expect(plan("SELECT * FROM change_log WHERE entity_id = ? AND entity = 'figure' ORDER BY id")).toMatch(/change_log_entity \(entity_id=\?\)/);
  });
});
