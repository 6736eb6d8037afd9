// Point 5: compare by source — each source's latest non-retracted figure on or before a date, the spread between
// sources, the civilian:combatant ratio per source, and each source's series over time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FigureInput } from '../../src/shared/schemas';
import { PROJECT, rejection, seedBasics, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

describe('compare on a small, known workbook', () => {
  let t: TempWorkbook;
  let basics: Awaited<ReturnType<typeof seedBasics>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await tempWorkbook();
    basics = await seedBasics(t.api);
    const { value: sourceC } = await t.api.createSource({ name: 'Source Gamma' });
    const at = (overrides: Partial<FigureInput>): FigureInput => ({
      metric_id: basics.metric('killed_total'),
      source_id: basics.sourceA.id,
      citation_id: basics.citation.id,
      location_id: basics.gaza.id,
      ...overrides,
    });
    const add = async (name: string, input: FigureInput) => {
      ids[name] = (await t.api.createFigure(input)).value.id;
    };
    // Source Alpha: a rising series, a later figure after the compare date, and a retracted outlier.
    await add('a-jan', at({ value: 100, as_of: '2024-01-01' }));
    await add('a-mar', at({ value: 150, as_of: '2024-03-01', qualifier: 'at_least' }));
    await add('a-apr-retracted', at({ value: 999, as_of: '2024-04-01' }));
    await t.api.retractFigure({ id: ids['a-apr-retracted']!, reason: 'typo' });
    await add('a-jun', at({ value: 200, as_of: '2024-06-01' }));
    // Source Beta: a range; Source Gamma: only at another location (Rafah).
    await add('b-feb', at({ source_id: basics.sourceB.id, value: null, low: 120, high: 180, as_of: '2024-02-15' }));
    await add('c-rafah', at({ source_id: sourceC.id, value: 40, as_of: '2024-02-01', location_id: basics.rafah.id }));
    // Civilians and combatants: Alpha states both (points); Beta states both, civilians as a range; Gamma only civilians.
    await add('a-civ', at({ metric_id: basics.metric('killed_civilian'), value: 90, as_of: '2024-03-01' }));
    await add('a-com', at({ metric_id: basics.metric('killed_combatant'), value: 60, as_of: '2024-02-01' }));
    await add('b-civ', at({ metric_id: basics.metric('killed_civilian'), source_id: basics.sourceB.id, value: null, low: 80, high: 120, as_of: '2024-03-01' }));
    await add('b-com', at({ metric_id: basics.metric('killed_combatant'), source_id: basics.sourceB.id, value: 50, as_of: '2024-03-01' }));
    await add('c-civ', at({ metric_id: basics.metric('killed_civilian'), source_id: sourceC.id, value: 10, as_of: '2024-03-01' }));
  });
  afterAll(() => t.cleanup());

  it("picks each source's latest non-retracted figure on or before the date, with its range, qualifier and citation", async () => {
    const result = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-01' });
    expect(result.metric.code).toBe('killed_total');
    expect(result.location).toBe('Gaza Strip');
    expect(result.as_of).toBe('2024-05-01');
    // a-apr (retracted) and a-jun (after the date) are passed over; Gamma has nothing in Gaza Strip
    expect(result.rows.map((r) => [r.source, r.figure_id, r.value, r.low, r.high, r.qualifier, r.date])).toEqual([
      ['Source Alpha', ids['a-mar'], 150, null, null, 'at_least', '2024-03-01'],
      ['Source Beta', ids['b-feb'], null, 120, 180, 'exact', '2024-02-15'],
    ]);
    expect(result.rows[0]).toMatchObject({
      citation_id: basics.citation.id,
      citation_title: 'Situation report 1',
      publisher: 'Alpha Press',
      url: 'https://example.org/report-1',
      location: 'Gaza Strip',
      status: 'draft',
    });
  });

  it('counts a figure dated on the compare date itself, and a month as-of date covers the whole month', async () => {
    const onTheDay = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-06-01' });
    expect(onTheDay.rows.find((r) => r.source === 'Source Alpha')?.figure_id).toBe(ids['a-jun']);
    const dayBefore = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-31' });
    expect(dayBefore.rows.find((r) => r.source === 'Source Alpha')?.figure_id).toBe(ids['a-mar']);
    const month = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-06' });
    expect(month.rows.find((r) => r.source === 'Source Alpha')?.figure_id).toBe(ids['a-jun']);
  });

  it('reads the claims as intervals: the lowest low, the highest bound, and how far apart they are at the least', async () => {
    // a window wide enough for the March and February figures to count
    const { spread } = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-01', window_days: 365 });
    // Alpha "at least 150" = [150, ∞) overlaps Beta's 120–180: no disagreement, though the numbers differ
    expect(spread).toEqual({ sources: 2, min: 120, max: 180, open_above: true, spread: 0, ratio: 1, contested: false });
    const before = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2023-12-31' });
    expect(before.rows).toEqual([]);
    expect(before.spread).toEqual({ sources: 0, min: null, max: null, open_above: false, spread: null, ratio: null, contested: false });
  });

  it('compares every location when none is given', async () => {
    const result = await t.api.compare({ metric: 'killed_total', as_of: '2024-05-01' });
    expect(result.location).toBeNull();
    expect(result.rows.map((r) => [r.source, r.location])).toEqual([
      ['Source Alpha', 'Gaza Strip'],
      ['Source Beta', 'Gaza Strip'],
      ['Source Gamma', 'Rafah'],
    ]);
  });

  it("gives each source's civilian:combatant ratio from its own figures, only where it states both", async () => {
    const { ratios } = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-01' });
    const by = Object.fromEntries(ratios.map((r) => [r.source, r]));
    expect(by['Source Alpha']).toMatchObject({ ratio: 90 / 60, ratio_from_ranges: false });
    expect(by['Source Alpha']!.civilian?.figure_id).toBe(ids['a-civ']);
    expect(by['Source Alpha']!.combatant?.figure_id).toBe(ids['a-com']);
    expect(by['Source Alpha']!.total?.figure_id).toBe(ids['a-mar']);
    // Beta's civilians are a range 80–120: its midpoint (100) is used, and the ratio says so
    expect(by['Source Beta']).toMatchObject({ ratio: 100 / 50, ratio_from_ranges: true });
    // Gamma states civilians only: no ratio
    expect(by['Source Gamma']).toMatchObject({ ratio: null, combatant: null });
    expect(by['Source Gamma']!.civilian?.value).toBe(10);
  });

  it('takes the ratio as of the date too: before a source stated both, it has no ratio', async () => {
    const { ratios } = await t.api.compare({ metric: 'killed_civilian', location: 'Gaza Strip', as_of: '2024-02-20' });
    const by = Object.fromEntries(ratios.map((r) => [r.source, r]));
    expect(by['Source Alpha']?.civilian).toBeNull(); // Alpha's civilians are dated 2024-03-01
    expect(by['Source Alpha']?.ratio).toBeNull();
    // Beta's civilians and combatants are dated 2024-03-01: only its total (2024-02-15) counts yet
    expect(by['Source Beta']).toMatchObject({ civilian: null, combatant: null, ratio: null });
    expect(by['Source Beta']!.total?.figure_id).toBe(ids['b-feb']);
  });

  it("gives each source's series in date order, leaving out retracted figures, filtered by date and source", async () => {
    const { series } = await t.api.series({ metric: 'killed_total', location: 'Gaza Strip' });
    expect(series.map((s) => [s.source, s.points.map((p) => [p.date, p.value ?? `${p.low}-${p.high}`])])).toEqual([
      [
        'Source Alpha',
        [
          ['2024-01-01', 100],
          ['2024-03-01', 150],
          ['2024-06-01', 200],
        ],
      ],
      ['Source Beta', [['2024-02-15', '120-180']]],
    ]);
    const window = await t.api.series({ metric: 'killed_total', location: 'Gaza Strip', from: '2024-02', to: '2024-03' });
    expect(window.series.map((s) => [s.source, s.points.map((p) => p.date)])).toEqual([
      ['Source Alpha', ['2024-03-01']],
      ['Source Beta', ['2024-02-15']],
    ]);
    const alphaOnly = await t.api.series({ metric: 'killed_total', source: ['source alpha'] });
    expect(alphaOnly.series.map((s) => s.source)).toEqual(['Source Alpha']);
  });

  it('says which metric or location it does not know (not_found)', async () => {
    const metric = await rejection(t.api.compare({ metric: 'killed_aliens' }));
    expect([metric.code, metric.message]).toEqual(['not_found', 'no metric "killed_aliens"']);
    const location = await rejection(t.api.series({ metric: 'killed_total', location: 'Atlantis' }));
    expect([location.code, location.message]).toEqual(['not_found', 'no location "Atlantis"']);
  });

  it('exports the comparison table as CSV, one row per source with its ratio and the words behind it', async () => {
    const { text, rows } = await t.api.exportCompareCsv({
      query: { metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-01' },
      to: 'text',
    });
    const parsed = Papa.parse<Record<string, string>>(text!, { header: true, skipEmptyLines: true });
    expect(rows).toBe(2);
    expect(parsed.data.map((r) => [r.source, r.value, r.low, r.high, r.qualifier, r.civilian_combatant_ratio])).toEqual([
      ['Source Alpha', '150', '', '', 'at_least', (90 / 60).toFixed(3)],
      ['Source Beta', '', '120', '180', 'exact', (100 / 50).toFixed(3)],
    ]);
  });
});

describe('the latest contested date', () => {
  let t: TempWorkbook;
  let basics: Awaited<ReturnType<typeof seedBasics>>;
  beforeAll(async () => {
    t = await tempWorkbook();
    basics = await seedBasics(t.api);
  });
  afterAll(() => t.cleanup());

  const add = async (overrides: Partial<FigureInput>) =>
    (
      await t.api.createFigure({
        metric_id: basics.metric('killed_total'),
        source_id: basics.sourceA.id,
        citation_id: basics.citation.id,
        value: 10,
        ...overrides,
      } as FigureInput)
    ).value;

  it('is the latest whole day on which two sources claim the same kind of count, not a day one source has alone', async () => {
    expect(await t.api.latestContestedDate({})).toBeNull();
    await add({ as_of: '2024-02-01' });
    await add({ as_of: '2024-02-01', source_id: basics.sourceB.id, metric_id: basics.metric('killed_civilian') });
    await add({ as_of: '2024-03-01' });
    // a later day with two sources, but one counts aid and the other casualties: they do not compete
    await add({ as_of: '2024-04-01', metric_id: basics.metric('aid_trucks') });
    await add({ as_of: '2024-04-01', source_id: basics.sourceB.id });
    // a month is not one moment
    await add({ as_of: '2024-05' });
    await add({ as_of: '2024-05', source_id: basics.sourceB.id });
    expect(await t.api.latestContestedDate({})).toEqual({
      date: '2024-02-01',
      category: 'casualties',
      sources: [
        { name: basics.sourceA.name, figures: 1 },
        { name: basics.sourceB.name, figures: 1 },
      ],
    });
  });

  it('leaves out retracted figures: a day stops being contested when one side is retracted', async () => {
    const later = await add({ as_of: '2024-06-01', source_id: basics.sourceB.id });
    await add({ as_of: '2024-06-01' });
    expect((await t.api.latestContestedDate({}))?.date).toBe('2024-06-01');
    await t.api.retractFigure({ id: later.id, reason: 'duplicate' });
    expect((await t.api.latestContestedDate({}))?.date).toBe('2024-02-01');
  });
});

describe('compare on the demo workbook', () => {
  let t: TempWorkbook;
  beforeAll(async () => {
    t = await tempWorkbook({ demo: true });
  });
  afterAll(() => t.cleanup());

  /** The as-reported daily series the demo imports, read straight from the file. */
  function dailyRows(): Array<Record<string, string>> {
    const text = readFileSync(join(PROJECT, 'demo', 'gaza-daily-casualties.csv'), 'utf8');
    return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  }

  it('killed_total at Gaza Strip as of 2024-05-19: the Gaza Ministry of Health says 35,456, as its daily report did', async () => {
    const reported = dailyRows().find((r) => r.report_date === '2024-05-19');
    expect(reported).toMatchObject({ report_source: 'mohtel', killed_cum: '35456' });

    const result = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19' });
    const moh = result.rows.find((r) => r.source === 'Gaza Ministry of Health');
    expect(moh).toMatchObject({ value: 35456, date: '2024-05-19', relayed_via: 'Tech for Palestine', qualifier: 'exact' });
    expect(moh!.excerpt).toContain('killed_cum=35456');
  });

  it("gives the Government Media Office its own latest killed_total on or before that date, from the file's own rows", async () => {
    const gmo = dailyRows()
      .filter((r) => r.report_source === 'gmotel' && r.killed_cum !== '' && r.report_date! <= '2024-05-19')
      .sort((a, b) => a.report_date!.localeCompare(b.report_date!))
      .at(-1)!;
    const result = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19' });
    const row = result.rows.find((r) => r.source === 'Gaza Government Media Office');
    expect(row).toMatchObject({ value: Number(gmo.killed_cum), date: gmo.report_date });
    expect(result.rows.map((r) => r.source).sort()).toEqual(['Gaza Government Media Office', 'Gaza Ministry of Health']);
    // five months older than the Ministry's figure: shown, but apart, and not in the spread
    expect(row).toMatchObject({ stale: true, age_days: 156 });
    expect(result.spread).toMatchObject({ sources: 1, min: 35456, max: 35456, spread: 0 });
    const wide = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-05-19', window_days: 200 });
    const values = wide.rows.map((r) => r.value!);
    expect(wide.spread).toMatchObject({ sources: 2, min: Math.min(...values), max: Math.max(...values), contested: true });
  });

  it("gives the IDF's civilian:combatant ratio as 20,000 / 15,000, relayed via the Times of Israel", async () => {
    const { ratios } = await t.api.compare({ metric: 'killed_civilian', location: 'Gaza Strip', as_of: '2024-05-19' });
    const idf = ratios.find((r) => r.source === 'Israel Defense Forces')!;
    expect(idf.civilian).toMatchObject({ value: 20000, qualifier: 'approximately', relayed_via: 'The Times of Israel' });
    expect(idf.combatant).toMatchObject({ value: 15000, qualifier: 'approximately', relayed_via: 'The Times of Israel' });
    expect(idf.ratio).toBeCloseTo(20000 / 15000, 12);
    expect(idf.ratio_from_ranges).toBe(false);
    // the Ministry states totals, not civilians and combatants: it has no ratio
    expect(ratios.find((r) => r.source === 'Gaza Ministry of Health')).toMatchObject({ ratio: null, civilian: null, combatant: null });
  });

  it("finds 2024-05-19, the seed article's date, as the latest day on which sources compete: the IDF beside the Ministry of Health", async () => {
    const contested = await t.api.latestContestedDate({});
    expect(contested?.date).toBe('2024-05-19');
    expect(contested?.category).toBe('casualties');
    const names = contested!.sources.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Israel Defense Forces', 'Gaza Ministry of Health']));
    expect(contested!.sources.find((s) => s.name === 'Israel Defense Forces')?.figures).toBe(2);
  });

  it("gives the Ministry of Health's killed_total series in date order, with the 2024-05-19 point", async () => {
    const { series } = await t.api.series({ metric: 'killed_total', location: 'Gaza Strip', source: ['Gaza Ministry of Health'] });
    expect(series).toHaveLength(1);
    const points = series[0]!.points;
    const expected = dailyRows().filter((r) => r.report_source === 'mohtel' && r.killed_cum !== '');
    expect(points).toHaveLength(expected.length);
    expect(points.map((p) => p.date)).toEqual([...points.map((p) => p.date)].sort());
    expect(points.find((p) => p.date === '2024-05-19')?.value).toBe(35456);
  });
});

describe('compare for a period (flows: trucks a day, a week)', () => {
  let t: TempWorkbook;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await tempWorkbook();
    const basics = await seedBasics(t.api);
    const crossing = (await t.api.createLocation({ name: 'Crossing North', kind: 'crossing' })).value;
    const at = (overrides: Partial<FigureInput>): FigureInput => ({
      metric_id: basics.metric('aid_trucks'),
      source_id: basics.sourceA.id,
      citation_id: basics.citation.id,
      location_id: crossing.id,
      ...overrides,
    });
    const add = async (name: string, input: FigureInput) => {
      ids[name] = (await t.api.createFigure(input)).value.id;
    };
    await add('a-week', at({ value: 700, period_start: '2024-05-26', period_end: '2024-06-01' }));
    await add('a-day', at({ value: 90, period_start: '2024-05-27', period_end: '2024-05-27' }));
    await add(
      'b-day',
      at({ source_id: basics.sourceB.id, value: 110, qualifier: 'approximately', period_start: '2024-05-27', period_end: '2024-05-27', method: 'projection' }),
    );
    await add('b-before', at({ source_id: basics.sourceB.id, value: 600, period_start: '2024-05-19', period_end: '2024-05-25' }));
    await add('b-straddles', at({ source_id: basics.sourceB.id, value: 650, period_start: '2024-05-22', period_end: '2024-05-28' }));
    await add('a-month', at({ value: 3000, period_start: '2024-05' }));
    await add('a-as-of', at({ value: 50, qualifier: 'more_than', as_of: '2024-05-30', location_id: basics.gaza.id }));
    await add('a-retracted', at({ value: 9999, period_start: '2024-05-28', period_end: '2024-05-28' }));
    await t.api.retractFigure({ id: ids['a-retracted']!, reason: 'typo' });
  });
  afterAll(() => t.cleanup());

  it('groups the figures by location and by the period each counts, with its days, and never adds them up', async () => {
    const result = await t.api.comparePeriod({ metric: 'aid_trucks', from: '2024-05-26', to: '2024-06-01' });
    expect(result.figures).toBe(6);
    expect(result.groups.map((g) => [g.location, g.period_start, g.period_end, g.as_of, g.days, g.rows.map((r) => [r.figure_id, r.value])])).toEqual([
      ['Crossing North', '2024-05', null, null, null, [[ids['a-month'], 3000]]],
      ['Crossing North', '2024-05-22', '2024-05-28', null, 7, [[ids['b-straddles'], 650]]],
      ['Crossing North', '2024-05-26', '2024-06-01', null, 7, [[ids['a-week'], 700]]],
      [
        'Crossing North',
        '2024-05-27',
        '2024-05-27',
        null,
        1,
        [
          [ids['a-day'], 90],
          [ids['b-day'], 110],
        ],
      ],
      ['Gaza Strip', null, null, '2024-05-30', null, [[ids['a-as-of'], 50]]],
    ]);
    // a period wholly before the one asked for, and a retracted figure, are left out
    const shown = result.groups.flatMap((g) => g.rows.map((r) => r.figure_id));
    expect(shown).not.toContain(ids['b-before']);
    expect(shown).not.toContain(ids['a-retracted']);
  });

  it('keeps each figure’s method, qualifier and period, so a projection reads as a projection', async () => {
    const result = await t.api.comparePeriod({ metric: 'aid_trucks', location: 'Crossing North', from: '2024-05-27', to: '2024-05-27' });
    expect(result.location).toBe('Crossing North');
    const day = result.groups.find((g) => g.days === 1)!;
    expect(day.rows.map((r) => [r.source, r.value, r.qualifier, r.method, r.period_start, r.period_end])).toEqual([
      ['Source Alpha', 90, 'exact', null, '2024-05-27', '2024-05-27'],
      ['Source Beta', 110, 'approximately', 'projection', '2024-05-27', '2024-05-27'],
    ]);
  });

  it('refuses a period that ends before it starts, naming from', async () => {
    const error = await rejection(t.api.comparePeriod({ metric: 'aid_trucks', from: '2024-06-02', to: '2024-06-01' }));
    expect(error).toMatchObject({ code: 'validation', place: { field: 'from', value: '2024-06-02' } });
  });
});

describe('compare for a period on the demo workbook', () => {
  let t: TempWorkbook;
  beforeAll(async () => {
    t = await tempWorkbook({ demo: true });
  });
  afterAll(() => t.cleanup());

  it("sets COGAT's week at Kerem Shalom beside the day's ~200 of Al Qahera News and the Red Crescent's projection", async () => {
    const result = await t.api.comparePeriod({ metric: 'aid_trucks', location: 'Kerem Shalom crossing', from: '2024-05-26', to: '2024-06-01' });
    expect(
      result.groups.map((g) => [g.period_start, g.period_end, g.days, g.rows.map((r) => [r.source, r.value, r.qualifier, r.method, r.relayed_via])]),
    ).toEqual([
      [
        '2024-05-26',
        '2024-05-26',
        1,
        [
          ['Al Qahera News', 200, 'approximately', 'reported_count', 'i24NEWS'],
          ['Egyptian Red Crescent Society', 200, 'approximately', 'projection', 'Reuters'],
        ],
      ],
      ['2024-05-26', '2024-06-01', 7, [['COGAT', 764, 'exact', 'reported_count', 'Israel National News']]],
    ]);
    expect(result.groups[1]!.rows[0]!.note).toMatch(/Egyptian trucks only/);
  });
});
