// Point 8: CSV export — the provenance columns in the issue's order, filters, BOM, HXL row, formula-like text
// neutralised while numbers stay numbers, files written whole or not at all, and export → import into an empty
// workbook → export giving the same bytes (on the whole demo workbook).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { exportRecords } from '../../src/core/csv/exportRecords';
import { neutralise } from '../../src/shared/cells';
import { figureCsvQuery } from '../../src/core/store/figures';
import { CSV_COLUMNS, HXL_TAGS, NUMERIC_COLUMNS } from '../../src/shared/fields';
import { FigureFilter, type FigureFilterInput, type FigureInput } from '../../src/shared/schemas';
import { rejection, seedBasics, sha256, sha256File, type TempWorkbook, tempDir, tempWorkbook } from '../support/tempWorkbook';

/** The columns the issue names, in its order: the export must start with exactly these. */
const ISSUE_COLUMNS = [
  'id',
  'metric',
  'value',
  'low',
  'high',
  'qualifier',
  'location',
  'as_of',
  'period_start',
  'period_end',
  'source',
  'citation_title',
  'publisher',
  'url',
  'published',
  'excerpt',
  'method',
  'status',
  'note',
];

const parse = (text: string) => Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;

describe('exporting figures', () => {
  let t: TempWorkbook;
  let basics: Awaited<ReturnType<typeof seedBasics>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await tempWorkbook();
    basics = await seedBasics(t.api);
    const { value: dated } = await t.api.createCitation({
      title: 'Weekly, "annotated" update',
      publisher: 'Beta Agency',
      url: 'https://example.org/weekly?x=1&y=2',
      published: '2024-03-02',
    });
    const at = (o: Partial<FigureInput>): FigureInput => ({
      metric_id: basics.metric('killed_total'),
      source_id: basics.sourceA.id,
      citation_id: basics.citation.id,
      location_id: basics.gaza.id,
      as_of: '2024-01-10',
      ...o,
    });
    const add = async (name: string, input: FigureInput) => {
      ids[name] = (await t.api.createFigure(input)).value.id;
    };
    await add(
      'full',
      at({
        value: 20000,
        qualifier: 'approximately',
        relayed_via_id: basics.sourceB.id,
        citation_id: dated.id,
        excerpt: 'IDF estimates putting the number of civilians killed in the war at 20,000, compared to some 15,000 combatants.',
        method: 'estimate',
        confidence: 'medium',
        status: 'checked',
        note: 'line one\nline two',
        metric_id: basics.metric('killed_civilian'),
      }),
    );
    await add('range', at({ value: null, low: 14000, high: 15000, as_of: '2024-02-01', source_id: basics.sourceB.id }));
    await add('rafah', at({ value: 7, location_id: basics.rafah.id, as_of: '2024-03-01', status: 'disputed' }));
    await add('period', at({ metric_id: basics.metric('aid_trucks'), value: 1.5, as_of: null, period_start: '2024-04-01', period_end: '2024-04-07' }));
    await add(
      'formula',
      at({
        value: 3,
        as_of: '2024-05-01',
        excerpt: '=HYPERLINK("http://evil.example","click")',
        note: '+44 20 7946 0000',
        qualifier: 'exact',
      }),
    );
    await add('retracted', at({ value: 99, as_of: '2024-06-01' }));
    await t.api.retractFigure({ id: ids.retracted!, reason: '-duplicate of another report' });
    const { value: odd } = await t.api.createSource({ name: '@spokesperson' });
    const { value: oddCitation } = await t.api.createCitation({ title: '-minus title', publisher: '+plus publisher' });
    await add('oddNames', at({ value: 11, as_of: '2024-07-01', source_id: odd.id, citation_id: oddCitation.id, excerpt: '@at first' }));
  });
  afterAll(() => t.cleanup());

  const exportText = async (filter: Record<string, unknown> = {}, options: Record<string, unknown> = {}) => {
    const result = await t.api.exportCsv({ filter, options, to: 'text' } as never);
    return { ...result, text: result.text! };
  };

  it("starts with the issue's 19 provenance columns in order, then the extra ones", async () => {
    const { text } = await exportText();
    const header = text.slice(0, text.indexOf('\r\n')).split(',');
    expect(header.slice(0, ISSUE_COLUMNS.length)).toEqual(ISSUE_COLUMNS);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(header.slice(ISSUE_COLUMNS.length)).toEqual([
      'relayed_via',
      'confidence',
      'retracted_reason',
      'source_id',
      'citation_id',
      'relayed_via_id',
      'metric_label',
      'metric_unit',
      'vague_words',
    ]);
  });

  it('writes every provenance field of a figure', async () => {
    const { text } = await exportText({ metric: ['killed_civilian'] });
    const [row] = parse(text);
    expect(row).toEqual({
      id: ids.full,
      metric: 'killed_civilian',
      value: '20000',
      low: '',
      high: '',
      qualifier: 'approximately',
      location: 'Gaza Strip',
      as_of: '2024-01-10',
      period_start: '',
      period_end: '',
      source: 'Source Alpha',
      citation_title: 'Weekly, "annotated" update',
      publisher: 'Beta Agency',
      url: 'https://example.org/weekly?x=1&y=2',
      published: '2024-03-02',
      excerpt: 'IDF estimates putting the number of civilians killed in the war at 20,000, compared to some 15,000 combatants.',
      method: 'estimate',
      status: 'checked',
      note: 'line one\nline two',
      relayed_via: 'Source Beta',
      confidence: 'medium',
      retracted_reason: '',
      source_id: basics.sourceA.id,
      citation_id: expect.any(String),
      relayed_via_id: expect.any(String),
      metric_label: 'Civilians killed',
      metric_unit: 'people',
      vague_words: '',
    });
  });

  it('is RFC 4180: CRLF after every record, quotes only around cells that need them, doubled quotes inside', async () => {
    const { text, rows } = await exportText({ metric: ['killed_civilian'] });
    expect(rows).toBe(1);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(3); // header, the record (its quoted \n is not a record end), ''
    expect(text).toContain(',"Weekly, ""annotated"" update",');
    expect(text).toContain(',"line one\nline two",');
    expect(text).toContain(`${ids.full},killed_civilian,20000,,,approximately,Gaza Strip,2024-01-10,`);
  });

  it('orders rows by date, then metric, then source, so the same data always gives the same file', async () => {
    const { text } = await exportText();
    expect(parse(text).map((r) => r.id)).toEqual([ids.full, ids.range, ids.rafah, ids.period, ids.formula, ids.oddNames]);
  });

  it.each([
    ['metric', { metric: ['aid_trucks'] }, ['period']],
    ['source by name', { source: ['Source Beta'] }, ['range']],
    ['source by short name', { source: ['SA'] }, ['full', 'rafah', 'period', 'formula']],
    ['location', { location: ['Rafah'] }, ['rafah']],
    ['date range (the period counts by its end)', { from: '2024-02-01', to: '2024-04' }, ['range', 'rafah', 'period']],
    ['status', { status: ['disputed', 'checked'] }, ['full', 'rafah']],
    ['status retracted', { status: ['retracted'] }, ['retracted']],
    ['everything, retracted too', { include_retracted: true }, ['full', 'range', 'rafah', 'period', 'formula', 'retracted', 'oddNames']],
  ])('filters by %s', async (_label, filter, expected) => {
    const { text, rows } = await exportText(filter);
    expect(parse(text).map((r) => r.id)).toEqual(expected.map((name) => ids[name]));
    expect(rows).toBe(expected.length);
  });

  it('leaves retracted figures out unless asked, and writes their reason when asked', async () => {
    expect(parse((await exportText()).text).map((r) => r.id)).not.toContain(ids.retracted);
    const [row] = parse((await exportText({ status: ['retracted'] })).text);
    expect(row).toMatchObject({ status: 'retracted', retracted_reason: "'-duplicate of another report" });
  });

  it('adds a UTF-8 BOM only when asked', async () => {
    const plain = Buffer.from((await exportText()).text, 'utf8');
    expect(plain.subarray(0, 3).equals(Buffer.from('id,'))).toBe(true);
    const withBom = await exportText({}, { bom: true });
    const bytes = Buffer.from(withBom.text, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).equals(plain)).toBe(true);
    expect(withBom.bytes).toBe(bytes.length);
    expect(withBom.sha256).toBe(sha256(bytes));
  });

  it('adds an HXL hashtag row under the header only when asked, one tag per column', async () => {
    const { text } = await exportText({}, { hxl: true });
    const lines = text.split('\r\n');
    const tags = lines[1]!.split(',');
    expect(tags).toEqual(CSV_COLUMNS.map((c) => HXL_TAGS[c]));
    for (const tag of tags) expect(tag).toMatch(/^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/);
    expect(tags.slice(0, 3)).toEqual(['#meta+id', '#indicator+code', '#indicator+num']);
    expect((await exportText()).text.split('\r\n')[1]!.startsWith('#')).toBe(false);
  });

  // A leading tab or CR cannot reach the store (text is trimmed on the way in); cells.test.ts covers them.
  it('neutralises formula-like text (= + - @) with a leading apostrophe in every text column, numbers untouched', async () => {
    const rows = parse((await exportText({ include_retracted: true })).text);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[ids.formula!]).toMatchObject({
      excerpt: `'=HYPERLINK("http://evil.example","click")`,
      note: "'+44 20 7946 0000",
      value: '3',
    });
    expect(byId[ids.oddNames!]).toMatchObject({
      source: "'@spokesperson",
      citation_title: "'-minus title",
      publisher: "'+plus publisher",
      excerpt: "'@at first",
    });
    expect(byId[ids.retracted!]!.retracted_reason).toBe("'-duplicate of another report");
    // every cell that a spreadsheet would run starts with the apostrophe now
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes numbers as bare numbers: no apostrophe, no quotes, no thousands separator', async () => {
    const { text } = await exportText();
    expect(text).toContain(`,killed_total,,14000,15000,exact,`);
    expect(text).toContain(`,aid_trucks,1.5,,,exact,`);
    const values = parse(text)
      .flatMap((r) => [r.value, r.low, r.high])
      .filter((v) => v !== '');
    for (const v of values) expect(v).toMatch(/^\d+(\.\d+)?$/);
  });

  it('gets the words back on re-import: formula-like text round-trips without the apostrophe', async () => {
    const other = await tempWorkbook();
    try {
      const { text } = await exportText({ include_retracted: true });
      const report = await other.api.importCsv({ file: { name: 'export.csv', text } });
      expect(report.problems).toEqual([]);
      const formula = await other.api.getFigure({ id: ids.formula! });
      expect(formula).toMatchObject({ excerpt: '=HYPERLINK("http://evil.example","click")', note: '+44 20 7946 0000' });
      const odd = await other.api.getFigure({ id: ids.oddNames! });
      expect(odd).toMatchObject({ source: '@spokesperson', citation_title: '-minus title', publisher: '+plus publisher', excerpt: '@at first' });
      const retracted = await other.api.getFigure({ id: ids.retracted! });
      expect(retracted).toMatchObject({ status: 'retracted', retracted_reason: '-duplicate of another report' });
    } finally {
      other.cleanup();
    }
  });

  it('re-imports its own HXL export, skipping the hashtag row', async () => {
    const other = await tempWorkbook();
    try {
      const { text, rows } = await exportText({}, { hxl: true, bom: true });
      const report = await other.api.importCsv({ file: { name: 'hxl.csv', text } });
      expect(report).toMatchObject({ problems: [], rows, created: rows });
    } finally {
      other.cleanup();
    }
  });

  it('writes a file whole, with the bytes and sha256 it reports, and leaves no temporary file', async () => {
    const out = tempDir();
    try {
      const path = join(out.dir, 'figures.csv');
      const result = await t.api.exportCsv({ filter: {}, to: { path } });
      expect(result).toMatchObject({ path, text: null, rows: 6 });
      expect(readFileSync(path).length).toBe(result.bytes);
      expect(sha256File(path)).toBe(result.sha256);
      expect(readFileSync(path, 'utf8')).toBe((await exportText()).text);
      expect(readdirSync(out.dir)).toEqual(['figures.csv']);
    } finally {
      out.cleanup();
    }
  });

  it('says where it cannot write (io) and leaves nothing behind', async () => {
    const out = tempDir();
    try {
      const error = await rejection(t.api.exportCsv({ filter: {}, to: { path: join(out.dir, 'no', 'such', 'dir', 'x.csv') } }));
      expect(error.code).toBe('io');
      expect(error.message).toMatch(/cannot write/);
      expect(readdirSync(out.dir)).toEqual([]);
    } finally {
      out.cleanup();
    }
  });

  it('counts the rows of a comparison export correctly when an excerpt holds a CRLF line break', async () => {
    const { value: cited } = await t.api.createCitation({ title: 'Multi-line' });
    const { value: source } = await t.api.createSource({ name: 'Source Multiline' });
    await t.api.createFigure({
      metric_id: basics.metric('injured'),
      source_id: source.id,
      citation_id: cited.id,
      value: 4,
      as_of: '2024-01-01',
      excerpt: 'first line\r\nsecond line',
    });
    const result = await t.api.exportCompareCsv({ query: { metric: 'injured' }, to: 'text' });
    expect(parse(result.text!)).toHaveLength(1);
    expect(result.rows).toBe(1);
  });
});

describe('export → import into an empty workbook → export, on the demo workbook', () => {
  let demo: TempWorkbook;
  let empty: TempWorkbook;
  beforeAll(async () => {
    demo = await tempWorkbook({ demo: true });
    empty = await tempWorkbook({ name: 'empty.fwb' });
  });
  afterAll(() => {
    demo.cleanup();
    empty.cleanup();
  });

  it('gives identical bytes for all 2,700+ figures, with every id kept', async () => {
    const first = join(demo.dir, 'first.csv');
    const exported = await demo.api.exportCsv({ filter: {}, options: { bom: true, hxl: true }, to: { path: first } });
    expect(exported.rows).toBeGreaterThan(2700);

    // The demo's daily series uses metrics its mapping added (killed_children, …): the export carries their labels
    // and units, so the empty workbook needs nothing first.
    const counts = (await empty.api.getWorkbookInfo({})).counts;
    expect([counts.figures, counts.sources, counts.citations, counts.locations]).toEqual([0, 0, 0, 0]);

    const report = await empty.api.importCsv({ file: { path: first } });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ written: true, rows: exported.rows, created: exported.rows });
    expect(report.new_entities.metrics.sort()).toEqual([
      'civil_defence_killed',
      'journalists_killed',
      'killed_children',
      'killed_women',
      'medical_staff_killed',
    ]);

    const second = join(empty.dir, 'second.csv');
    const again = await empty.api.exportCsv({ filter: {}, options: { bom: true, hxl: true }, to: { path: second } });
    expect(again.sha256).toBe(exported.sha256);
    expect(readFileSync(second).equals(readFileSync(first))).toBe(true);

    const demoIds = (await demo.api.listFigures({})).rows.map((r) => r.id).sort();
    const copiedIds = (await empty.api.listFigures({})).rows.map((r) => r.id).sort();
    expect(copiedIds).toEqual(demoIds);
  });

  it('keeps the id of a source that relays before it claims, so the round trip is exact', async () => {
    const book = await tempWorkbook();
    const other = await tempWorkbook();
    try {
      const relay = (await book.api.createSource({ name: 'Aaa Relay Agency' })).value;
      const claimant = (await book.api.createSource({ name: 'Zzz Ministry' })).value;
      const citation = (await book.api.createCitation({ title: 'Bulletin' })).value;
      const metric = (await book.api.listMetrics({})).find((m) => m.code === 'injured')!;
      const base = { metric_id: metric.id, citation_id: citation.id, excerpt: 'words' };
      await book.api.createFigure({ ...base, source_id: claimant.id, relayed_via_id: relay.id, value: 10, as_of: '2024-01-01' });
      await book.api.createFigure({ ...base, source_id: relay.id, value: 12, as_of: '2024-02-01' });
      const first = (await book.api.exportCsv({ filter: {}, to: 'text' })).text!;
      expect((await other.api.importCsv({ file: { name: 'relay.csv', text: first } })).problems).toEqual([]);
      expect((await other.api.listSources({})).map((s) => s.id).sort()).toEqual([relay.id, claimant.id].sort());
      expect((await other.api.exportCsv({ filter: {}, to: 'text' })).text).toBe(first);
    } finally {
      book.cleanup();
      other.cleanup();
    }
  });

  it('re-importing the export into the workbook it came from creates no duplicates: every row is found by its id', async () => {
    const { text, rows } = await demo.api.exportCsv({ filter: {}, to: 'text' });
    const before = (await demo.api.getWorkbookInfo({})).counts.figures;
    const report = await demo.api.importCsv({ file: { name: 'own-export.csv', text: text! } });
    expect(report).toMatchObject({ problems: [], created: 0, updated: 0, unchanged: rows });
    expect((await demo.api.getWorkbookInfo({})).counts.figures).toBe(before);
  });

  it('stops a cancelled export without leaving a file or a partial file', async () => {
    const path = join(demo.dir, 'cancelled.csv');
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(demo.api.exportCsv({ filter: {}, to: { path } }, { signal: controller.signal }));
    expect(error.code).toBe('cancelled');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(demo.dir).filter((f) => f.startsWith('cancelled'))).toEqual([]);
    // The export reads with a small page cache; the workbook gets its own back, cancelled or not.
    expect(demo.db.pragma('cache_size', { simple: true })).toBe(-65536);
  });

  it('gives the same bytes as text and as a file, across many chunks of the reused write buffer', async () => {
    // Long notes make the demo's export several MiB: the writer hands out one buffer again and again, and the
    // text export must keep a copy of each chunk, not a view of the buffer.
    const book = await tempWorkbook({ demo: true });
    try {
      book.db.prepare("UPDATE figure SET note = printf('%.*c', 1000, 'ש') || id").run();
      const asText = await book.api.exportCsv({ filter: {}, to: 'text' });
      const path = join(book.dir, 'chunks.csv');
      await book.api.exportCsv({ filter: {}, to: { path } });
      expect(asText.bytes).toBeGreaterThan(4 * 1024 * 1024);
      expect(Buffer.from(asText.text!, 'utf8').equals(readFileSync(path))).toBe(true);
      expect(asText.sha256).toBe(sha256File(path));
      const notes = parse(asText.text!).map((row) => row.note);
      expect(new Set(notes).size).toBe(asText.rows);
      expect(book.db.pragma('cache_size', { simple: true })).toBe(-65536);
    } finally {
      book.cleanup();
    }
  });
});

describe('the export records without joins, against the joined query', () => {
  let demo: TempWorkbook;
  beforeAll(async () => {
    demo = await tempWorkbook({ demo: true });
    // a figure with no location and one relayed, a formula-looking note and a quoted excerpt
    const [a, b] = demo.db.prepare('SELECT id FROM source ORDER BY name LIMIT 2').pluck().all() as string[];
    await demo.api.createFigure({
      metric_id: demo.db.prepare("SELECT id FROM metric WHERE code = 'killed_total'").pluck().get() as string,
      source_id: a!,
      relayed_via_id: b!,
      citation_id: demo.db.prepare('SELECT id FROM citation LIMIT 1').pluck().get() as string,
      as_of: '2024-02-01',
      low: 10,
      high: 12.5,
      note: '=HYPERLINK("x")',
      excerpt: 'between 10 and 12.5, "roughly"',
    });
  });
  afterAll(() => demo.cleanup());

  /** What figureCsvQuery gives, as cells: the reference the join-free records must equal. */
  const joined = (filter: FigureFilterInput) => {
    const query = figureCsvQuery(FigureFilter.parse(filter));
    const rows = demo.db
      .prepare(query.sql)
      .raw(true)
      .all(...query.params) as unknown[][];
    return rows.map((row) => row.map((v, i) => (v === null ? '' : NUMERIC_COLUMNS.has(CSV_COLUMNS[i]!) ? String(v) : neutralise(String(v)))));
  };

  it.each([
    ['every figure', {}],
    ['one metric and a date range', { metric: ['killed_total'], from: '2024-01-01', to: '2024-06-30' }],
    ['retracted included', { include_retracted: true }],
  ] as Array<[string, FigureFilterInput]>)('%s: the same cells with citations in memory and with the citation join', (_, filter) => {
    const expected = joined(filter);
    expect(expected.length).toBeGreaterThan(0);
    const parsed = FigureFilter.parse(filter);
    expect([...exportRecords(demo.db, parsed)]).toEqual(expected);
    expect([...exportRecords(demo.db, parsed, 0)]).toEqual(expected);
  });

  it('refuses, naming the figure, when a figure names a source the workbook lacks (never a row without its source)', () => {
    const copy = join(demo.dir, 'broken.fwb');
    demo.db.prepare('VACUUM INTO ?').run(copy);
    const broken = new Database(copy);
    try {
      broken.pragma('foreign_keys = OFF');
      const figure = broken.prepare('SELECT id, source_id FROM figure LIMIT 1').get() as { id: string; source_id: string };
      broken.prepare('UPDATE figure SET source_id = ? WHERE id = ?').run('no-such-source', figure.id);
      expect(() => [...exportRecords(broken, FigureFilter.parse({}))]).toThrow(
        new RegExp(`figure ${figure.id}: its source no-such-source is not in the workbook`),
      );
    } finally {
      broken.close();
    }
  });
});
