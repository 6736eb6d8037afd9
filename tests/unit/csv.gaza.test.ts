// Point 7, the wide file: the real gaza-daily-casualties.csv imported through mappings/gaza-daily-casualties.json —
// one figure per filled measure cell, the claimant from report_source through the value map, 'missing' rows skipped.
// The expectations are computed from the CSV itself, read here with papaparse, not copied from an import's output.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/shared/api';
import { Mapping, type MappingParsed } from '../../src/shared/mapping';
import { PROJECT, type TempWorkbook, tempWorkbook, workbookState } from '../support/tempWorkbook';

const CSV_PATH = join(PROJECT, 'demo', 'gaza-daily-casualties.csv');
const MAPPING_JSON = JSON.parse(readFileSync(join(PROJECT, 'mappings', 'gaza-daily-casualties.json'), 'utf8')) as unknown;
const mapping: MappingParsed = Mapping.parse(MAPPING_JSON);
const CSV_TEXT = readFileSync(CSV_PATH, 'utf8');
const rows = Papa.parse<Record<string, string>>(CSV_TEXT, { header: true, skipEmptyLines: true }).data;
const measures = mapping.measures.map((m) => m.column);
const claimantOf = mapping.value_maps.source!;

/** What the file states, row by row: its spreadsheet row number (header = 1) and its filled measure cells. */
const stated = rows.map((row, index) => ({
  row: index + 2,
  date: row.report_date!,
  source: row.report_source!,
  filled: measures.filter((m) => (row[m] ?? '').trim() !== ''),
  cells: row,
}));
const claimed = stated.filter((r) => claimantOf[r.source] !== null && r.filled.length > 0);
const missing = stated.filter((r) => r.source === 'missing');

describe('importing the wide Gaza daily file with its mapping', () => {
  let t: TempWorkbook;
  let report: ImportReport;
  beforeAll(async () => {
    t = await tempWorkbook();
    report = await t.api.importCsv({ file: { path: CSV_PATH }, mapping: MAPPING_JSON as never });
  });
  afterAll(() => t.cleanup());

  it('the file is what these tests think it is: daily rows, some with report_source "missing"', () => {
    expect(rows.length).toBeGreaterThan(1000);
    expect(missing.length).toBeGreaterThan(0);
    expect(new Set(stated.map((r) => r.source))).toEqual(new Set(Object.keys(claimantOf).filter((k) => stated.some((r) => r.source === k))));
  });

  it('imports one figure per filled measure cell, and skips the rows that name no claimant or state nothing', () => {
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      written: true,
      rows: rows.length,
      created: claimed.reduce((n, r) => n + r.filled.length, 0),
      skipped: rows.length - claimed.length,
      rejected: 0,
    });
    expect(t.db.prepare('SELECT count(*) FROM figure').pluck().get()).toBe(report.created);
    expect(report.new_entities.metrics).toEqual(mapping.metrics.map((m) => m.code));
  });

  it("attributes nothing to a 'missing' row: no figure comes from one, and there is no source called missing", () => {
    const importedRows = new Set(t.db.prepare('SELECT DISTINCT import_row FROM figure').pluck().all() as number[]);
    for (const row of missing) expect(importedRows.has(row.row), `row ${row.row}`).toBe(false);
    expect(importedRows).toEqual(new Set(claimed.map((r) => r.row)));
    const sources = t.db.prepare('SELECT name FROM source ORDER BY name').pluck().all();
    const expectedClaimants = [...new Set(claimed.map((r) => claimantOf[r.source]!))];
    expect(sources).toEqual([...expectedClaimants, 'Tech for Palestine'].sort());
  });

  it('gives each figure its claimant from the value map, the relay, location, citation, date and templated excerpt', async () => {
    const may19 = stated.find((r) => r.date === '2024-05-19')!;
    const { rows: figures } = await t.api.listFigures({ from: '2024-05-19', to: '2024-05-19' });
    expect(figures.map((f) => f.metric).sort()).toEqual(may19.filled.map((column) => mapping.measures.find((m) => m.column === column)!.metric).sort());
    const killed = figures.find((f) => f.metric === 'killed_total')!;
    expect(killed).toMatchObject({
      value: Number(may19.cells.killed_cum),
      source: claimantOf[may19.source],
      relayed_via: 'Tech for Palestine',
      location: 'Gaza Strip',
      as_of: '2024-05-19',
      citation_title: mapping.constants.citation_title,
      url: mapping.constants.url,
      method: 'reported_count',
      qualifier: 'exact',
      import_row: may19.row,
      excerpt: `report_date=2024-05-19, report_source=${may19.source}, report_period=${may19.cells.report_period}h: killed_cum=${may19.cells.killed_cum}`,
    });
  });

  it('shows up in compare: the Gaza Ministry of Health at 35,456 killed as of 2024-05-19', async () => {
    const result = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19' });
    expect(result.rows.find((r) => r.source === 'Gaza Ministry of Health')).toMatchObject({ value: 35456, date: '2024-05-19' });
  });

  it("shows up in series: the Ministry's killed_total series, one point per report with a figure, 2024-05-19 = 35,456", async () => {
    const { series } = await t.api.series({ metric: 'killed_total', source: ['Gaza Ministry of Health'] });
    const points = series[0]!.points;
    const expected = claimed.filter((r) => r.source === 'mohtel' && r.filled.includes('killed_cum'));
    expect(points.map((p) => [p.date, p.value])).toEqual(expected.map((r) => [r.date, Number(r.cells.killed_cum)]));
    expect(points.find((p) => p.date === '2024-05-19')?.value).toBe(35456);
  });

  it('records the mapping used in the import batch', async () => {
    const [batch] = await t.api.listImportBatches({});
    expect(batch).toMatchObject({ file_name: 'gaza-daily-casualties.csv', rows: rows.length, created: report.created });
    expect(JSON.parse(batch!.mapping!)).toEqual(mapping);
  });

  it('importing the file again with the same mapping creates no duplicates', async () => {
    const again = await t.api.importCsv({ file: { path: CSV_PATH }, mapping: MAPPING_JSON as never });
    expect(again).toMatchObject({ written: true, created: 0, unchanged: report.created, problems: [] });
    expect(t.db.prepare('SELECT count(*) FROM figure').pluck().get()).toBe(report.created);
  });
});

describe('a wide file the mapping does not fit', () => {
  let t: TempWorkbook;
  beforeAll(async () => {
    t = await tempWorkbook();
  });
  afterAll(() => t.cleanup());

  const lines = CSV_TEXT.split('\n');
  const header = lines[0]!;
  const headerCells = header.split(',');

  it('refuses a claimant code outside the value map, naming row, column report_source, the code and the known codes', async () => {
    const path = join(t.dir, 'unknown-claimant.csv');
    const row3 = lines[2]!.split(',');
    row3[headerCells.indexOf('report_source')] = 'telegram';
    writeFileSync(path, [header, lines[1], row3.join(','), ''].join('\n'));
    const before = workbookState(t);
    const report = await t.api.importCsv({ file: { path }, mapping: MAPPING_JSON as never });
    expect(report.problems).toEqual([
      {
        row: 3,
        column: 'report_source',
        value: 'telegram',
        reason: `not in the mapping's value map for source (${Object.keys(claimantOf).join(', ')})`,
      },
    ]);
    expect(report.written).toBe(false);
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a measure cell that is not a number, naming the measure column', async () => {
    const path = join(t.dir, 'bad-measure.csv');
    const row2 = lines[1]!.split(',');
    row2[headerCells.indexOf('killed_cum')] = 'n/a';
    writeFileSync(path, [header, row2.join(','), ''].join('\n'));
    const before = workbookState(t);
    const report = await t.api.importCsv({ file: { path }, mapping: MAPPING_JSON as never });
    expect(report.problems).toEqual([{ row: 2, column: 'killed_cum', value: 'n/a', reason: 'not a number' }]);
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses a file without a column the mapping reads, at the header', async () => {
    const path = join(t.dir, 'no-date.csv');
    writeFileSync(path, `${header.replace('report_date', 'date')}\n${lines[1]}\n`);
    const before = workbookState(t);
    const report = await t.api.importCsv({ file: { path }, mapping: MAPPING_JSON as never });
    expect(report.problems).toContainEqual({
      row: 1,
      column: 'report_date',
      reason: 'the mapping reads as_of from this column, but the file has no such column',
    });
    expect(workbookState(t)).toEqual(before);
  });
});
