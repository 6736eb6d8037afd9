// Points 6 and 7: CSV import — what a row may say (numbers, ranges, qualifiers, dates), what it needs, how sources and
// citations are found or created, dry run, all-or-nothing and partial imports, import batches, encodings and the
// RFC 4180 corner cases, and bad input: each refused with a clear (row, column, value, reason) and the workbook as it was.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duplicateKeyHash, importsAtLeastTheWorkbook } from '../../src/core/csv/importCsv';
import type { ImportReport } from '../../src/shared/api';
import type { Problem } from '../../src/shared/errors';
import { fixture, rejection, seedBasics, sha256, type TempWorkbook, tempWorkbook, workbookState } from '../support/tempWorkbook';

let t: TempWorkbook;
beforeEach(async () => {
  t = await tempWorkbook();
  await seedBasics(t.api);
});
afterEach(() => t.cleanup());

const figuresInDb = () =>
  t.db
    .prepare(
      `SELECT m.code AS metric, f.value, f.low, f.high, f.qualifier, f.as_of, f.period_start, f.period_end,
              s.name AS source, c.title AS citation_title, c.url, l.name AS location, f.excerpt, f.note
         FROM figure f JOIN metric m ON m.id = f.metric_id JOIN source s ON s.id = f.source_id
         JOIN citation c ON c.id = f.citation_id LEFT JOIN location l ON l.id = f.location_id
        ORDER BY f.import_row`,
    )
    .all() as Array<Record<string, unknown>>;

const importFile = (path: string, extra: Record<string, unknown> = {}) =>
  t.api.importCsv({ file: { path }, ...extra } as Parameters<typeof t.api.importCsv>[0]);

describe('reading what a row says', () => {
  it('reads "20,000", "14,000-15,000", "at least 2", "some 15,000", "~300", low/high columns, periods and partial dates', async () => {
    const report = await importFile(fixture('import', 'long-values.csv'));
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ written: true, rows: 8, figures: 8, created: 8, rejected: 0, dry_run: false, mode: 'all' });
    const rows = figuresInDb().map((f) => [f.metric, f.value, f.low, f.high, f.qualifier, f.as_of, f.period_start, f.period_end]);
    expect(rows).toEqual([
      ['killed_civilian', 20000, null, null, 'exact', '2024-05-19', null, null],
      ['killed_combatant', 15000, null, null, 'approximately', '2024-05-19', null, null],
      ['killed_total', null, 14000, 15000, 'exact', '2024-05', null, null],
      ['aid_workers_killed', 2, null, null, 'at_least', '2024', null, null],
      ['injured', 300, null, null, 'approximately', '2024-05-19', null, null],
      ['killed_total', null, 100, 200, 'at_least', '2024-05-19', null, null],
      ['aid_trucks', 1250, null, null, 'approximately', null, '2024-05-01', '2024-05-07'],
      ['aid_tonnes', 1500, null, null, 'exact', '2024-05-07', null, null],
    ]);
    expect(figuresInDb()[0]).toMatchObject({ excerpt: 'civilians killed in the war at 20,000', note: 'thousands separator' });
  });

  it('matches known sources (by name or short name), citations (by URL) and locations, and creates the unknown ones', async () => {
    const before = {
      sources: t.db.prepare('SELECT count(*) FROM source').pluck().get() as number,
      citations: t.db.prepare('SELECT count(*) FROM citation').pluck().get() as number,
    };
    const report = await importFile(fixture('import', 'long-values.csv'));
    expect(report.new_entities).toEqual({
      sources: ['Israel Defense Forces', 'Source Delta'],
      citations: ['Sullivan briefing', 'Crossings dashboard'],
      locations: ['Kerem Shalom crossing'],
      metrics: [],
    });
    expect(t.db.prepare('SELECT count(*) FROM source').pluck().get()).toBe(before.sources + 2);
    expect(t.db.prepare('SELECT count(*) FROM citation').pluck().get()).toBe(before.citations + 2);
    // "SA" is Source Alpha's short name: the figure is Alpha's, not a new source called SA
    expect(figuresInDb()[4]).toMatchObject({ source: 'Source Alpha', location: 'Rafah' });
    expect(figuresInDb()[2]).toMatchObject({ citation_title: 'Situation report 1', url: 'https://example.org/report-1' });
    const created = t.db.prepare("SELECT publisher FROM citation WHERE title = 'Sullivan briefing'").get();
    expect(created).toEqual({ publisher: 'The Times of Israel' });
  });

  it('matches a source by name when its id is unknown but an earlier row created it as a relay (no clash, no duplicate)', async () => {
    const betaId = '01900000-0000-7000-8000-0000000000be';
    const csv =
      'metric,value,as_of,source,source_id,relayed_via,citation_title\n' +
      'killed_total,10,2024-01-01,Source Alpha,,Source Gamma,Report\n' +
      `killed_total,20,2024-01-02,Source Gamma,${betaId},,Report\n`;
    const report = await t.api.importCsv({ file: { name: 'relay-first.csv', text: csv } });
    expect(report.problems).toEqual([]);
    expect(report.new_entities.sources).toEqual(['Source Gamma']);
    const gamma = t.db.prepare("SELECT id FROM source WHERE name = 'Source Gamma'").pluck().all();
    expect(gamma).toHaveLength(1);
    const rows = (await t.api.listFigures({})).rows.map((f) => [f.value, f.source, f.relayed_via]);
    expect(rows).toEqual([
      [10, 'Source Alpha', 'Source Gamma'],
      [20, 'Source Gamma', null],
    ]);
  });

  it('needs only metric, a value, source, a citation title or URL, and a date', async () => {
    const csv = 'metric,value,source,url,as_of\nkilled_total,12,Source Alpha,https://example.org/minimal,2024-02-02\n';
    const report = await t.api.importCsv({ file: { name: 'minimal.csv', text: csv } });
    expect(report).toMatchObject({ written: true, created: 1 });
    expect(figuresInDb()).toEqual([
      expect.objectContaining({ metric: 'killed_total', value: 12, source: 'Source Alpha', url: 'https://example.org/minimal', citation_title: null }),
    ]);
  });

  it('reads Arabic and Hebrew text in every text column, with or without a BOM, with CRLF or LF line ends', async () => {
    const lf = readFileSync(fixture('import', 'i18n.csv'));
    expect(lf.includes(Buffer.from('\r\n'))).toBe(false);
    const crlf = Buffer.from(lf.toString('utf8').replace(/\n/g, '\r\n'), 'utf8');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const variants: Array<[string, Buffer]> = [
      ['lf.csv', lf],
      ['crlf.csv', crlf],
      ['bom-lf.csv', Buffer.concat([bom, lf])],
      ['bom-crlf.csv', Buffer.concat([bom, crlf])],
    ];
    const expected = [
      {
        metric: 'killed_total',
        value: 35456,
        qualifier: 'exact',
        location: 'قطاع غزة',
        source: 'وزارة الصحة الفلسطينية',
        citation_title: 'التقرير اليومي',
        excerpt: 'ارتفاع حصيلة الشهداء إلى 35,456 شهيدا',
      },
      {
        metric: 'killed_combatant',
        value: 15000,
        qualifier: 'approximately',
        location: 'רצועת עזה',
        source: 'צבא ההגנה לישראל',
        citation_title: 'דו"ח יומי',
        excerpt: 'כ-15,000 מחבלים, לפי ההערכה',
      },
    ];
    for (const [name, bytes] of variants) {
      const other = await tempWorkbook();
      try {
        const path = join(other.dir, name);
        writeFileSync(path, bytes);
        const report = await other.api.importCsv({ file: { path } });
        expect(report.problems, name).toEqual([]);
        expect(report.sha256, name).toBe(sha256(bytes));
        const { rows } = await other.api.listFigures({});
        const byMetric = (m: string) => rows.find((r) => r.metric === m);
        for (const want of expected) expect(byMetric(want.metric), name).toMatchObject(want);
        // the same bytes as text (a file picked in a browser) read the same
        const viaText = await other.api.importCsv({ file: { name, text: bytes.toString('utf8') }, dry_run: true });
        expect(viaText.problems, `${name} as text`).toEqual([]);
        expect(viaText.unchanged, `${name} as text`).toBe(2);
      } finally {
        other.cleanup();
      }
    }
  });

  describe('the csv-spectrum cases', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['comma_in_quotes', { source: 'Source, with a comma', citation_title: 'Report, part 1', excerpt: 'a, b, c', note: null }],
      ['escaped_quotes', { citation_title: 'The "daily" report', excerpt: 'He said "twenty thousand"' }],
      ['newlines', { excerpt: 'line one\nline two', note: 'a\nb\nc' }],
      ['newlines_crlf', { excerpt: 'line one\r\nline two', note: 'a\r\nb\r\nc' }],
      ['quotes_and_newlines', { excerpt: 'she said "stop"\nthen left', note: '"' }],
      ['utf8', { source: 'Médecins Sans Frontières', citation_title: 'Rapport de l’ONU — été', excerpt: 'naïve café ✓ 😀 ∑', note: '日本語' }],
      ['empty', { excerpt: null, note: null }],
      ['empty_crlf', { excerpt: null, note: null }],
      ['json', { excerpt: '{"a": 1, "b": ["x", "y"]}', note: '[1,2,3]' }],
    ];
    for (const [name, want] of cases) {
      it(`${name}: one figure, its text cells exactly as written`, async () => {
        const report = await importFile(fixture('csv-spectrum', `${name}.csv`));
        expect(report.problems).toEqual([]);
        expect(report).toMatchObject({ rows: 1, created: 1, written: true });
        const [figure] = figuresInDb();
        expect(figure).toMatchObject({ metric: 'killed_total', value: 5, as_of: '2024-01-01', ...want });
      });
    }
  });
});

describe('dry run, all or nothing, partial', () => {
  it('a dry run lists every problem as (row, column, value, reason), counts what would be created, and writes nothing', async () => {
    const before = workbookState(t);
    const report = await importFile(fixture('import', 'partial.csv'), { dry_run: true });
    expect(report).toMatchObject({ dry_run: true, written: false, batch_id: null, txn: null, rows: 4, created: 2, rejected: 2 });
    expect(report.problems).toEqual([
      { row: 3, column: 'value', value: 'lots', reason: 'not a number' },
      {
        row: 4,
        column: 'metric',
        value: 'killed_aliens',
        reason: expect.stringMatching(
          /^unknown metric; add it to the workbook first, or give its label in a metric_label column \(built-in: killed_civilian, /,
        ),
      },
    ]);
    expect(workbookState(t)).toEqual(before);
  });

  it('a dry run of a clean file reports what it would do and still writes nothing', async () => {
    const before = workbookState(t);
    const report = await importFile(fixture('import', 'long-values.csv'), { dry_run: true });
    expect(report).toMatchObject({ written: false, problems: [], created: 8 });
    expect(report.new_entities.sources).toEqual(['Israel Defense Forces', 'Source Delta']);
    expect(workbookState(t)).toEqual(before);
  });

  it('by default imports all or nothing: one bad row of four and not one figure is written', async () => {
    const before = workbookState(t);
    const report = await importFile(fixture('import', 'partial.csv'));
    expect(report).toMatchObject({ mode: 'all', written: false, batch_id: null, rejected: 2, errors_path: null });
    expect(report.problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'value'],
      [4, 'metric'],
    ]);
    expect(workbookState(t)).toEqual(before);
  });

  it('in partial mode imports the valid rows and writes the rejected rows, with reasons, to an errors CSV', async () => {
    const input = join(t.dir, 'partial.csv');
    copyFileSync(fixture('import', 'partial.csv'), input);
    const errorsPath = join(t.dir, 'rejected.csv');
    const report = await importFile(input, { mode: 'partial', errors_path: errorsPath });
    expect(report).toMatchObject({ mode: 'partial', written: true, rows: 4, created: 2, rejected: 2, errors_path: errorsPath });
    expect(figuresInDb().map((f) => [f.value, f.excerpt])).toEqual([
      [100, 'first valid row'],
      [300, 'second valid row'],
    ]);

    const errors = Papa.parse<string[]>(readFileSync(errorsPath, 'utf8'), { skipEmptyLines: true }).data;
    expect(errors[0]).toEqual(['metric', 'value', 'as_of', 'source', 'citation_title', 'excerpt', 'error_row', 'error_column', 'error_reason']);
    expect(errors.slice(1).map((r) => r.slice(0, 8))).toEqual([
      // the formula-like cell is written neutralised: the errors file is opened in spreadsheets too
      ['killed_total', 'lots', '2024-01-02', 'Source Alpha', 'Report', `'=HYPERLINK("http://x")`, '3', 'value'],
      ['killed_aliens', '5', '2024-01-03', 'Source Alpha', 'Report', 'unknown metric', '4', 'metric'],
    ]);
    expect(errors[1]![8]).toBe('not a number');
    expect(errors[2]![8]).toMatch(/^unknown metric/);

    // fixing the rejected rows and importing the errors file brings in the rest (its extra columns aside)
    const [batch] = await t.api.listImportBatches({});
    expect(batch).toMatchObject({ id: report.batch_id, rows: 4, created: 2, rejected: 2, mode: 'partial' });
  });

  it('quotes a rejected cell that holds a line break in the errors CSV, so the record stays one record', async () => {
    const input = join(t.dir, 'multiline.csv');
    writeFileSync(input, 'metric,value,as_of,source,citation_title,excerpt\nkilled_total,n/a,2024-01-01,Source Alpha,Report,"line one\nline two"\n');
    const report = await importFile(input, { mode: 'partial' });
    expect(report.rejected).toBe(1);
    const text = readFileSync(`${input}.errors.csv`, 'utf8');
    expect(text).toContain(',"line one\nline two",2,value,not a number\r\n');
  });

  it('in partial mode without an errors path, writes the errors CSV next to the file', async () => {
    const input = join(t.dir, 'partial.csv');
    copyFileSync(fixture('import', 'partial.csv'), input);
    const report = await importFile(input, { mode: 'partial' });
    expect(report.errors_path).toBe(`${input}.errors.csv`);
    expect(existsSync(`${input}.errors.csv`)).toBe(true);
  });

  it('a partial dry run writes neither figures nor an errors file', async () => {
    const input = join(t.dir, 'partial.csv');
    copyFileSync(fixture('import', 'partial.csv'), input);
    const before = workbookState(t);
    const report = await importFile(input, { mode: 'partial', dry_run: true });
    expect(report).toMatchObject({ written: false, created: 2, rejected: 2, errors_path: null });
    expect(existsSync(`${input}.errors.csv`)).toBe(false);
    expect(workbookState(t)).toEqual(before);
  });
});

describe('import batches and re-imports', () => {
  it('records each import as an import_batch with the file name, its sha256 and row counts, and marks its figures', async () => {
    const path = fixture('import', 'long-values.csv');
    const report = await importFile(path);
    const [batch] = await t.api.listImportBatches({});
    expect(batch).toMatchObject({
      id: report.batch_id,
      file_name: 'long-values.csv',
      sha256: sha256(readFileSync(path)),
      rows: 8,
      created: 8,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      mapping: null,
      mode: 'all',
      by: 'test',
    });
    expect(report.sha256).toBe(batch!.sha256);
    const rows = t.db.prepare('SELECT import_batch_id, import_row FROM figure ORDER BY import_row').all();
    expect(rows).toEqual([2, 3, 4, 5, 6, 7, 8, 9].map((row) => ({ import_batch_id: report.batch_id, import_row: row })));
  });

  it('importing the same file again creates no duplicate figures', async () => {
    const path = fixture('import', 'long-values.csv');
    await importFile(path);
    const figures = figuresInDb();
    const again = await importFile(path);
    expect(again).toMatchObject({ written: true, created: 0, unchanged: 8, new_entities: { sources: [], citations: [], locations: [], metrics: [] } });
    expect(figuresInDb()).toEqual(figures);
  });

  it('into a workbook with no figures yet, a row repeating an earlier row of the same file is not a second figure', async () => {
    const id = '01900000-0000-7000-8000-000000000001';
    const row = 'killed_total,7,2024-01-01,Source Alpha,Report';
    const text = ['id,metric,value,as_of,source,citation_title', `${id},${row}`, `,${row}`, `,${row}`, ',killed_total,8,2024-01-01,Source Alpha,Report'].join(
      '\n',
    );
    expect((await t.api.getWorkbookInfo({})).counts.figures).toBe(0);
    const report = await t.api.importCsv({ file: { name: 'repeats.csv', text } });
    expect(report).toMatchObject({ written: true, created: 2, unchanged: 2 });
    expect(figuresInDb().map((f) => f.value)).toEqual([7, 8]);
  });

  it('into a workbook with no figures yet, two different rows whose keys share a hash are both kept, and a repeat of each is recognised', async () => {
    const metricId = t.db.prepare(`SELECT id FROM metric WHERE code = 'killed_total'`).pluck().get() as string;
    const sourceId = t.db.prepare(`SELECT id FROM source WHERE name = 'Source Alpha'`).pluck().get() as string;
    const citationId = t.db.prepare(`SELECT id FROM citation WHERE url = 'https://example.org/report-1'`).pluck().get() as string;
    const key = (value: number) => ({
      metric_id: metricId,
      source_id: sourceId,
      citation_id: citationId,
      location_id: null,
      as_of: '2024-01-01',
      period_start: null,
      period_end: null,
      value,
      low: null,
      high: null,
      qualifier: 'exact',
    });
    // two values whose keys collide in the 32-bit pre-check (found by a birthday search, ~77,000 tries expected)
    const seen = new Map<number, number>();
    let pair: [number, number] | null = null;
    for (let value = 1; !pair; value += 1) {
      const hash = duplicateKeyHash(key(value));
      const earlier = seen.get(hash);
      if (earlier !== undefined) pair = [earlier, value];
      else seen.set(hash, value);
    }
    const [a, b] = pair;
    const row = (value: number) => `,killed_total,${value},2024-01-01,Source Alpha,https://example.org/report-1`;
    const text = ['id,metric,value,as_of,source,url', row(a), row(b), row(b), row(a), row(b + 1)].join('\n');
    const report = await t.api.importCsv({ file: { name: 'collision.csv', text } });
    expect(report).toMatchObject({ written: true, created: 3, unchanged: 2, problems: [] });
    const kept = t.db.prepare('SELECT * FROM figure ORDER BY import_row').all() as Array<Record<string, unknown>>;
    expect(kept.map((f) => f.value)).toEqual([a, b, b + 1]);
    // the collision was real for the rows as stored, so the lookup by rowid is what told them apart
    expect(duplicateKeyHash(kept[0]!)).toBe(duplicateKeyHash(kept[1]!));
  });

  it('an import into an empty workbook leaves every index as it was, consistent with its rows; a refused one leaves the file as it was', async () => {
    const indexes = () => t.db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name`).all();
    const before = indexes();
    expect(before.map((i) => (i as { name: string }).name)).toContain('figure_compare');
    const refused = workbookState(t);
    const bad = await t.api.importCsv({
      file: {
        name: 'bad.csv',
        text: 'metric,value,as_of,source,citation_title\nkilled_total,5,2024-01-01,Source Alpha,Report\nkilled_total,-1,2024-01-01,Source Alpha,Report\n',
      },
    });
    expect(bad.written).toBe(false);
    expect(workbookState(t)).toEqual(refused);
    const report = await importFile(fixture('import', 'long-values.csv'));
    expect(report).toMatchObject({ written: true, created: 8 });
    expect(indexes()).toEqual(before);
    expect(t.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // the planner uses them again: the compare index answers a lookup by metric
    const plan = t.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM figure WHERE metric_id = ?`).all('x') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX figure_compare/);
  });

  // A large file builds the figure indexes once instead of row by row, and then finds duplicates through hashes of
  // the keys and lookups by rowid; a small one into a larger workbook asks figure_compare. Both must agree.
  for (const [mode, existing, padding] of [
    ['bulk', 3, 12],
    ['row by row', 300, 0],
  ] as const) {
    it(`into a workbook that has figures (${mode}): repeats of existing and of just-updated figures are recognised, an updated figure's old key is free`, async () => {
      const row = (id: string, value: number, note = '') => `${id},killed_total,${value},2024-01-01,Source Alpha,https://example.org/report-1,${note}`;
      const header = 'id,metric,value,as_of,source,url,note';
      const first = [header, ...Array.from({ length: existing }, (_, i) => row('', i + 1))].join('\n');
      expect(await t.api.importCsv({ file: { name: 'first.csv', text: first } })).toMatchObject({ written: true, created: existing });
      const figureOne = t.db.prepare('SELECT id FROM figure WHERE value = 1').pluck().get() as string;
      const lines = [
        header,
        row('', 2), // already in the workbook
        row(figureOne, 100000), // updates figure one's value
        row('', 100000), // repeats figure one as it is now
        row('', 1), // figure one's old key: no figure has it any more
        ...Array.from({ length: padding }, (_, i) => row('', 1000 + i, 'a longer note so that this file is the larger part of the workbook')),
      ];
      const source = { name: 'second.csv', text: lines.join('\n') };
      expect(importsAtLeastTheWorkbook(t.db, source)).toBe(mode === 'bulk');
      const report = await t.api.importCsv({ file: source });
      expect(report).toMatchObject({ written: true, problems: [], created: 1 + padding, updated: 1, unchanged: 2 });
      const values = t.db.prepare('SELECT value FROM figure ORDER BY value').pluck().all() as number[];
      expect(values.filter((v) => v === 1 || v === 2 || v === 100000)).toEqual([1, 2, 100000]);
      expect(values).toHaveLength(existing + 1 + padding);
      expect(t.db.pragma('integrity_check', { simple: true })).toBe('ok');
    });
  }

  it('refuses a file whose id column repeats an id, naming both rows', async () => {
    const id = '01900000-0000-7000-8000-00000000abcd';
    const csv = `id,metric,value,as_of,source,citation_title\n${id},killed_total,5,2024-01-01,Source Alpha,Report\n${id},killed_total,6,2024-01-02,Source Alpha,Report\n`;
    const before = workbookState(t);
    const report = await t.api.importCsv({ file: { name: 'ids.csv', text: csv } });
    expect(report.problems).toEqual([{ row: 3, column: 'id', value: id, reason: 'the same id as row 2 of this file' }]);
    expect(workbookState(t)).toEqual(before);
  });

  it('skips an HXL hashtag row under the header', async () => {
    const csv =
      'metric,value,as_of,source,citation_title\n#indicator+code,#indicator+num,#date+reported,#org+name+reporting,#meta+source\n' +
      'killed_total,5,2024-01-01,Source Alpha,Report\n';
    const report = await t.api.importCsv({ file: { name: 'hxl.csv', text: csv } });
    expect(report).toMatchObject({ rows: 1, created: 1, problems: [] });
  });

  it('stops when cancelled and writes nothing', async () => {
    const before = workbookState(t);
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(t.api.importCsv({ file: { path: fixture('import', 'long-values.csv') } }, { signal: controller.signal }));
    expect(error.code).toBe('cancelled');
    expect(workbookState(t)).toEqual(before);
  });
});

describe('bad input: a clear message and an unchanged workbook', () => {
  /** Imports for real and as a dry run; both must report `problems` and leave the workbook exactly as it was. */
  async function expectRefused(path: string, problems: Problem[]): Promise<ImportReport> {
    const before = workbookState(t);
    const dry = await importFile(path, { dry_run: true });
    expect(dry.problems).toEqual(problems);
    const report = await importFile(path);
    expect(report.problems).toEqual(problems);
    expect(report).toMatchObject({ written: false, batch_id: null, txn: null, created: dry.created, rejected: dry.rejected });
    expect(workbookState(t)).toEqual(before);
    return report;
  }

  it('a non-numeric value: row 3, column value, "lots", not a number', async () => {
    await expectRefused(fixture('bad', 'non-numeric.csv'), [{ row: 3, column: 'value', value: 'lots', reason: 'not a number' }]);
  });

  it('low above high: row 3, column low, 15000, low exceeds high', async () => {
    await expectRefused(fixture('bad', 'low-above-high.csv'), [{ row: 3, column: 'low', value: '15000', reason: 'low (15000) exceeds high (14000)' }]);
  });

  it('a range written backwards in the value cell ("15,000-14,000")', async () => {
    const path = join(t.dir, 'backwards.csv');
    writeFileSync(path, 'metric,value,as_of,source,citation_title\nkilled_total,"15,000-14,000",2024-01-01,Source Alpha,Report\n');
    await expectRefused(path, [{ row: 2, column: 'value', value: '15,000-14,000', reason: 'range start 15000 exceeds its end 14000' }]);
  });

  it('an unknown metric: row 2, column metric, the code, and the built-in codes to choose from', async () => {
    await expectRefused(fixture('bad', 'unknown-metric.csv'), [
      {
        row: 2,
        column: 'metric',
        value: 'killed_aliens',
        reason:
          'unknown metric; add it to the workbook first, or give its label in a metric_label column (built-in: killed_civilian, killed_combatant, killed_total, injured, aid_trucks, aid_tonnes, aid_workers_killed)',
      },
    ]);
  });

  it('a missing source: row 3, column source, required', async () => {
    await expectRefused(fixture('bad', 'missing-source.csv'), [{ row: 3, column: 'source', value: '', reason: 'required: who makes the claim' }]);
  });

  it('a missing citation: row 2, column citation_title, required', async () => {
    await expectRefused(fixture('bad', 'missing-citation.csv'), [
      { row: 2, column: 'citation_title', value: '', reason: 'required: the citation title or URL of the document that states the figure' },
    ]);
  });

  it('a URL that is not one: row 2, column url, the text, and what a URL looks like', async () => {
    const path = join(t.dir, 'bad-url.csv');
    writeFileSync(path, 'metric,value,as_of,source,url\nkilled_total,5,2024-01-01,Source Alpha,www.example.org/report\n');
    await expectRefused(path, [{ row: 2, column: 'url', value: 'www.example.org/report', reason: 'expected a URL starting with http:// or https://' }]);
  });

  it('a date that is not ISO: row 2, column as_of, the text', async () => {
    const path = join(t.dir, 'bad-date.csv');
    writeFileSync(path, 'metric,value,as_of,source,citation_title\nkilled_total,5,19/05/2024,Source Alpha,Report\n');
    await expectRefused(path, [
      {
        row: 2,
        column: 'as_of',
        value: '19/05/2024',
        reason: 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY when only that is known), year first: day and month could be either way round',
      },
    ]);
  });

  it('a day the month does not have: row 2, column as_of, "2024 has no 30 February"', async () => {
    const path = join(t.dir, 'bad-day.csv');
    writeFileSync(path, 'metric,value,as_of,source,citation_title\nkilled_total,5,2024-02-30,Source Alpha,Report\n');
    await expectRefused(path, [{ row: 2, column: 'as_of', value: '2024-02-30', reason: '2024 has no 30 February' }]);
  });

  it('a duplicate header: row 1, column value, and where the first one is', async () => {
    await expectRefused(fixture('bad', 'duplicate-header.csv'), [{ row: 1, column: 'value', value: 'value', reason: 'duplicate column name (also column 2)' }]);
  });

  it('a required column missing from the header: row 1, which columns could do', async () => {
    await expectRefused(fixture('bad', 'missing-column.csv'), [{ row: 1, column: 'source or source_id', reason: 'required column missing' }]);
  });

  it('a misspelt column name is not silently ignored', async () => {
    await expectRefused(fixture('bad', 'misspelt-column.csv'), [
      { row: 1, column: 'valeu', value: 'valeu', reason: 'not a workbook column; rename it, or import with a mapping file (--mapping)' },
      { row: 1, column: 'value or low + high', reason: 'required column missing' },
    ]);
  });

  it('ragged rows: each row with too few or too many fields, and how many the header has', async () => {
    await expectRefused(fixture('bad', 'ragged.csv'), [
      { row: 3, column: 'citation_title', reason: 'has 4 fields; the header has 5' },
      { row: 4, column: '#6', reason: 'has 6 fields; the header has 5' },
    ]);
  });

  it('a truncated file ending inside a quoted field: the last row, and that the file may be cut short', async () => {
    const bytes = readFileSync(fixture('bad', 'truncated.csv'));
    expect(bytes.at(-1)).not.toBe(0x0a); // the fixture really ends mid-field
    await expectRefused(fixture('bad', 'truncated.csv'), [
      { row: 3, column: 'excerpt', reason: 'Quoted field unterminated (MissingQuotes); is the file cut short?' },
    ]);
  });

  it('an empty file: no header row', async () => {
    const path = join(t.dir, 'empty.csv');
    writeFileSync(path, '');
    await expectRefused(path, [{ row: 1, reason: 'the file is empty: no header row' }]);
  });

  it('a non-UTF-8 file (Latin-1 bytes) is refused as a whole, saying how to save it, and nothing is written', async () => {
    const path = join(t.dir, 'latin1.csv');
    const latin1 = Buffer.from('metric,value,as_of,source,citation_title\nkilled_total,5,2024-01-01,Médecins Sans Frontières,Rapport été\n', 'latin1');
    expect(latin1.includes(0xe9)).toBe(true); // é as one Latin-1 byte, invalid in UTF-8 here
    writeFileSync(path, latin1);
    const before = workbookState(t);
    for (const dry_run of [true, false]) {
      const error = await rejection(importFile(path, { dry_run }));
      expect(error.code).toBe('validation');
      const offset = latin1.indexOf(0xe9);
      expect(error.message).toBe(`the file is not UTF-8: byte ${offset} (line 2) is 0xe9; save it as "CSV UTF-8" and import again`);
      expect(error.place).toEqual({ row: 2, column: 'source', value: `byte ${offset}` });
      expect(error.problems).toEqual([{ row: 2, column: 'source', value: `byte ${offset}`, reason: error.message }]);
    }
    expect(workbookState(t)).toEqual(before);
    expect(await t.api.listImportBatches({})).toEqual([]);
  });

  it('a 10 MB field: row 3, column excerpt, the start of the value, and the limit it exceeds', async () => {
    const path = join(t.dir, 'huge-field.csv');
    const huge = `${'x'.repeat(10 * 1024 * 1024 - 2)}, `;
    writeFileSync(
      path,
      `metric,value,as_of,source,citation_title,excerpt\nkilled_total,5,2024-01-01,Source Alpha,Report,fine\nkilled_total,6,2024-01-02,Source Alpha,Report,"${huge}"\n`,
    );
    const started = Date.now();
    const report = await expectRefused(path, [
      { row: 3, column: 'excerpt', value: `${'x'.repeat(200)}…`, reason: `longer than 20000 characters (${huge.trim().length})` },
    ]);
    expect(report.rows).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a problem in every row of a long file: the first 1000 listed, the rest counted', async () => {
    const path = join(t.dir, 'many.csv');
    const lines = ['metric,value,as_of,source,citation_title'];
    for (let i = 0; i < 1200; i += 1) lines.push(`killed_total,n/a,2024-01-01,Source Alpha,Report`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const before = workbookState(t);
    const report = await importFile(path, { dry_run: true });
    expect(report.problems).toHaveLength(1000);
    expect(report.more_problems).toBe(200);
    expect(report.rejected).toBe(1200);
    expect(report.problems.at(-1)).toEqual({ row: 1001, column: 'value', value: 'n/a', reason: 'not a number' });
    expect(workbookState(t)).toEqual(before);
  });
});
