// Point 10: the demo workbook a new user first sees — the seed article's cited claims (IDF ~20,000 civilians and
// ~15,000 combatants as relayed by the Times of Israel, two aid workers killed, the crossings it names) and the Gaza
// Ministry of Health's daily series beside them, so compare has something to compare; and the aid claims of late May
// 2024 (demo/aid-claims.csv), imported through the real import path with their claimants, relays and periods.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/core/session';
import type { FigureView } from '../../src/shared/domain';
import { PROJECT, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

const article = readFileSync(join(PROJECT, 'demo', 'seed-article.txt'), 'utf8');

describe('the demo workbook', () => {
  let t: TempWorkbook;
  let figures: FigureView[];
  beforeAll(async () => {
    t = await tempWorkbook({ demo: true, name: 'demo.fwb' });
    figures = (await t.api.listFigures({})).rows;
  });
  afterAll(() => t.cleanup());

  const seedFigures = () => figures.filter((f) => f.import_batch_id === null);

  it("holds the IDF's ~20,000 civilians and ~15,000 combatants, relayed by the Times of Israel, quoting the article", () => {
    const idf = seedFigures().filter((f) => f.source === 'Israel Defense Forces');
    expect(idf.map((f) => [f.metric, f.value, f.qualifier, f.relayed_via, f.location, f.as_of, f.method]).sort()).toEqual([
      ['killed_civilian', 20000, 'approximately', 'The Times of Israel', 'Gaza Strip', '2024-05-19', 'estimate'],
      ['killed_combatant', 15000, 'approximately', 'The Times of Israel', 'Gaza Strip', '2024-05-19', 'estimate'],
    ]);
    for (const figure of idf) {
      expect(figure.excerpt).toBeTruthy();
      // the excerpt is the article's own words, character for character
      expect(article).toContain(figure.excerpt!);
      expect(figure.excerpt).toContain('IDF estimates putting the number of civilians killed in the war at 20,000');
      expect(figure.excerpt).toContain('some 15,000 combatants');
      expect(figure.citation_title).toMatch(/Times of Israel/);
      expect(figure.publisher).toBe('The Times of Israel');
    }
  });

  it('holds the two aid workers killed, claimed by the Times of Israel, in the words of the article', () => {
    const aid = seedFigures().filter((f) => f.metric === 'aid_workers_killed');
    expect(aid).toHaveLength(1);
    expect(aid[0]).toMatchObject({ value: 2, qualifier: 'exact', source: 'The Times of Israel', relayed_via: null });
    expect(article).toContain(aid[0]!.excerpt!);
    expect(aid[0]!.excerpt).toContain('another pair of humanitarian staff were killed');
  });

  it('names the crossings of the article as locations of kind crossing, and the Strip with Rafah inside it', async () => {
    const locations = await t.api.listLocations({});
    const kind = Object.fromEntries(locations.map((l) => [l.name, l.kind]));
    expect(kind['Kerem Shalom crossing']).toBe('crossing');
    expect(kind['Rafah crossing']).toBe('crossing');
    expect(article).toContain('Kerem Shalom');
    expect(article).toContain('Rafah Crossing');
    const gaza = locations.find((l) => l.name === 'Gaza Strip')!;
    expect(gaza.kind).toBe('territory');
    expect(locations.find((l) => l.name === 'Rafah')).toMatchObject({ kind: 'city', parent_id: gaza.id });
  });

  it("holds the Ministry of Health's daily series, every report of the file with a killed total", async () => {
    const text = readFileSync(join(PROJECT, 'demo', 'gaza-daily-casualties.csv'), 'utf8');
    const reports = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data.filter(
      (r) => r.report_source === 'mohtel' && r.killed_cum !== '',
    );
    const { series } = await t.api.series({ metric: 'killed_total', location: 'Gaza Strip', source: ['Gaza Ministry of Health'] });
    expect(series[0]!.points.map((p) => [p.date, p.value])).toEqual(reports.map((r) => [r.report_date, Number(r.killed_cum)]));
    expect(series[0]!.points.find((p) => p.date === '2024-05-19')?.value).toBe(35456);
    const batch = (await t.api.listImportBatches({})).find((b) => b.file_name === 'gaza-daily-casualties.csv');
    expect(batch).toMatchObject({ rejected: 0 });
  });

  it('holds every aid claim of demo/aid-claims.csv as one import batch, each with its claimant, relay, citation, words, method and period', async () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(PROJECT, 'demo', 'aid-claims.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(8);
    const batch = (await t.api.listImportBatches({})).find((b) => b.file_name === 'aid-claims.csv');
    expect(batch).toMatchObject({ rows: 8, created: 8, updated: 0, unchanged: 0, rejected: 0 });
    const aid = figures.filter((f) => f.import_batch_id === batch!.id).sort((a, b) => a.import_row! - b.import_row!);
    // the header is row 1: the file's rows 2 to 9, in order, nothing left out or added
    expect(aid.map((f) => f.import_row)).toEqual(rows.map((_, i) => i + 2));
    const provenance = (f: FigureView) => [
      f.metric,
      f.value,
      f.qualifier,
      f.location,
      f.as_of,
      f.period_start,
      f.period_end,
      f.source,
      f.relayed_via,
      f.citation_title,
      f.publisher,
      f.url,
      f.published,
      f.excerpt,
      f.method,
      f.note,
    ];
    const cell = (v: string | undefined) => (v === '' || v === undefined ? null : v);
    expect(aid.map(provenance)).toEqual(
      rows.map((r) => [
        r.metric,
        Number(r.value),
        r.qualifier,
        r.location,
        cell(r.as_of),
        cell(r.period_start),
        cell(r.period_end),
        r.source,
        r.relayed_via,
        r.citation_title,
        r.publisher,
        r.url,
        r.published,
        r.excerpt,
        r.method,
        r.note,
      ]),
    );
    // what a reader of the compare view relies on, said plainly
    const at = (source: string, location: string) => aid.filter((f) => f.source === source && f.location === location);
    expect(at('Egyptian Red Crescent Society', 'Kerem Shalom crossing')).toMatchObject([
      { value: 200, qualifier: 'approximately', method: 'projection', relayed_via: 'Reuters', period_start: '2024-05-26', period_end: '2024-05-26' },
    ]);
    expect(at('COGAT', 'Kerem Shalom crossing')).toMatchObject([
      { value: 764, relayed_via: 'Israel National News', method: 'reported_count', period_start: '2024-05-26', period_end: '2024-06-01' },
    ]);
    expect(at('Israel Defense Forces', 'Maritime corridor (US floating pier)')).toMatchObject([{ value: 127, relayed_via: 'i24NEWS' }]);
  });

  it('gives the aid claimants and relays their kinds, and the crossings and the corridor theirs, with no second maritime corridor', async () => {
    const sources = Object.fromEntries((await t.api.listSources({})).map((s) => [s.name, s.kind]));
    expect(sources).toMatchObject({
      COGAT: 'military',
      'Israel Defense Forces': 'military',
      'Egyptian Red Crescent Society': 'ngo',
      'Al Qahera News': 'media',
      'Israel National News': 'media',
      i24NEWS: 'media',
      Reuters: 'media',
      'Unnamed sources (Reuters)': 'other',
    });
    const locations = await t.api.listLocations({});
    expect(locations.filter((l) => /maritime/i.test(l.name)).map((l) => [l.name, l.kind])).toEqual([['Maritime corridor (US floating pier)', 'corridor']]);
    const aidPlaces = new Set(figures.filter((f) => f.metric === 'aid_trucks').map((f) => f.location));
    expect([...aidPlaces].sort()).toEqual(['Gaza Strip', 'Kerem Shalom crossing', 'Maritime corridor (US floating pier)']);
  });

  it('counts what a relaying source relays apart from what it claims: Tech for Palestine claims none, relays the daily series', async () => {
    const sources = Object.fromEntries((await t.api.listSources({})).map((s) => [s.name, s]));
    const relayedBy = (name: string) => figures.filter((f) => f.relayed_via === name).length;
    expect(sources['Tech for Palestine']).toMatchObject({ figures: 0, relays: relayedBy('Tech for Palestine') });
    expect(relayedBy('Tech for Palestine')).toBeGreaterThan(2700);
    expect(sources['The Times of Israel']).toMatchObject({ figures: 1, relays: 2 });
    expect(sources['Israel Defense Forces']).toMatchObject({ figures: figures.filter((f) => f.source === 'Israel Defense Forces').length, relays: 0 });
  });

  it('has over 2,700 figures and passes its own check (every row matches its change_log entry)', async () => {
    const info = await t.api.getWorkbookInfo({});
    expect(info.counts.figures).toBeGreaterThan(2700);
    expect(info.counts.figures).toBe(figures.length);
    const report = await t.api.check({});
    expect(report.integrity).toEqual(['ok']);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.ok).toBe(true);
  });

  // last in this block: it closes the workbook the others use
  it('is created only for a new file: opening it again with demo on adds nothing', async () => {
    const before = (await t.api.getWorkbookInfo({})).counts;
    const changes = t.db.prepare('SELECT count(*) FROM change_log').pluck().get();
    t.workbook.close();
    const again = await openSession(t.path, { user: 'test', demo: true });
    try {
      expect((await again.api.getWorkbookInfo({})).counts).toEqual(before);
      expect(again.workbook.db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(changes);
    } finally {
      again.workbook.close();
    }
  });
});

describe('a workbook opened without the demo', () => {
  it('is empty but for the built-in metrics', async () => {
    const t = await tempWorkbook();
    try {
      const info = await t.api.getWorkbookInfo({});
      expect(info.counts).toEqual({ figures: 0, retracted: 0, sources: 0, citations: 0, metrics: 7, locations: 0 });
    } finally {
      t.cleanup();
    }
  });
});
