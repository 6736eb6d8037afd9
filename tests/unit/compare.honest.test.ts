// An honest compare (issue 17, part 2): each claim's age against the as-of date, old claims shown apart and out of
// the spread; ranges and qualifiers read as intervals, claims that cannot both be true marked contested; a claim
// relayed by several outlets counted once, for its claimant. On a real workbook file.
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageInDays, lastDayOf } from '../../src/shared/claimDate';
import { intervalOf, overlaps } from '../../src/shared/quantity';
import type { FigureInput } from '../../src/shared/schemas';
import { seedBasics, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

describe('a claim read as an interval', () => {
  const q = (value: number | null, qualifier: FigureInput['qualifier'] & string, low: number | null = null, high: number | null = null) => ({
    value,
    low,
    high,
    qualifier,
  });
  it('takes "at least" and "more than" as no upper bound, "up to" as from 0, "about" as the value, a range as its ends', () => {
    expect(intervalOf(q(200, 'at_least'))).toEqual({ low: 200, high: null });
    expect(intervalOf(q(200, 'more_than'))).toEqual({ low: 200, high: null });
    expect(intervalOf(q(200, 'up_to'))).toEqual({ low: 0, high: 200 });
    expect(intervalOf(q(200, 'less_than'))).toEqual({ low: 0, high: 200 });
    expect(intervalOf(q(200, 'approximately'))).toEqual({ low: 200, high: 200 });
    expect(intervalOf(q(null, 'exact', 14000, 15000))).toEqual({ low: 14000, high: 15000 });
    // a best estimate with its range: the range is what the claim allows
    expect(intervalOf(q(23000, 'approximately', 21000, 27000))).toEqual({ low: 21000, high: 27000 });
    expect(intervalOf(q(null, 'at_least', 14000, 15000))).toEqual({ low: 14000, high: null });
  });

  it('overlaps where the two share a number, an open end included, and not where a gap lies between', () => {
    expect(overlaps({ low: 200, high: null }, { low: 150, high: 200 })).toBe(true);
    expect(overlaps({ low: 200, high: null }, { low: 150, high: 199 })).toBe(false);
    expect(overlaps({ low: 0, high: 100 }, { low: 100, high: 100 })).toBe(true);
    expect(overlaps({ low: 5, high: 5 }, { low: 6, high: 6 })).toBe(false);
  });
});

describe('the age of a claim', () => {
  it('counts whole days to the as-of date, a month or a year at its last day (the youngest it can be)', () => {
    expect(ageInDays('2024-05-19', '2024-05-19')).toBe(0);
    expect(ageInDays('2024-04-19', '2024-05-19')).toBe(30);
    expect(ageInDays('2024-04', '2024-05-19')).toBe(19);
    expect(ageInDays('2023', '2024-01-31')).toBe(31);
    expect(ageInDays('2024-02-10', '2024-02')).toBe(19); // an as-of month is its last day too
    expect([lastDayOf('2024-02'), lastDayOf('2023-02'), lastDayOf('2024-12')]).toEqual(['2024-02-29', '2023-02-28', '2024-12-31']);
  });
});

describe('an honest compare on a small workbook', () => {
  let t: TempWorkbook;
  const ids: Record<string, string> = {};
  const AS_OF = '2024-05-19';

  beforeAll(async () => {
    t = await tempWorkbook();
    const basics = await seedBasics(t.api);
    const source = async (name: string) => (await t.api.createSource({ name })).value.id;
    const [moh, gamma, outletA, outletB] = [await source('Ministry'), await source('Source Gamma'), await source('Outlet A'), await source('Outlet B')];
    const citation = async (title: string) => (await t.api.createCitation({ title, publisher: title })).value.id;
    const add = async (name: string, input: Partial<FigureInput>) => {
      ids[name] = (
        await t.api.createFigure({
          metric_id: basics.metric('killed_total'),
          source_id: basics.sourceA.id,
          citation_id: basics.citation.id,
          location_id: basics.gaza.id,
          ...input,
        } as FigureInput)
      ).value.id;
    };
    // The Ministry's one figure, relayed by two outlets (two citations): one claim, two relays. A third copy was
    // retracted: it is no relay.
    await add('moh-a', { source_id: moh, relayed_via_id: outletA, citation_id: await citation('Outlet A report'), value: 35000, as_of: '2024-05-18' });
    await add('moh-b', { source_id: moh, relayed_via_id: outletB, citation_id: await citation('Outlet B report'), value: 35000, as_of: '2024-05-18' });
    await add('moh-c', { source_id: moh, relayed_via_id: outletB, citation_id: await citation('Outlet B, again'), value: 35000, as_of: '2024-05-18' });
    await t.api.retractFigure({ id: ids['moh-c']!, reason: 'entered twice' });
    // Alpha: "at least 36,000" — above the Ministry's 35,000: the two cannot both be true
    await add('alpha', { value: 36000, qualifier: 'at_least', as_of: '2024-05-10' });
    // Beta: 34,000–36,500, exactly 30 days old: inside the window, and overlapping both
    await add('beta', { source_id: basics.sourceB.id, low: 34000, high: 36500, as_of: '2024-04-19' });
    // Gamma: 18,800, five months old
    await add('gamma', { source_id: gamma, value: 18800, as_of: '2023-12-15' });
    // Outlet A's own claim, made in its own name: independent of the Ministry figure it relays
    await add('outlet-a', { source_id: outletA, value: 35500, qualifier: 'approximately', as_of: '2024-05-19' });
    // Gamma's vague claim at Rafah, for the words' place in compare
    await add('gamma-rafah', {
      source_id: gamma,
      value: 100,
      qualifier: 'at_least',
      vague_words: 'hundreds',
      location_id: basics.rafah.id,
      as_of: '2024-05-19',
    });
  });
  afterAll(() => t.cleanup());

  it('gives each claim its age, and shows a claim older than the window apart, after the current ones', async () => {
    const result = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: AS_OF });
    expect(result.window_days).toBe(30);
    expect(result.rows.map((r) => [r.source, r.date, r.age_days, r.stale])).toEqual([
      ['Ministry', '2024-05-18', 1, false],
      ['Outlet A', '2024-05-19', 0, false],
      ['Source Alpha', '2024-05-10', 9, false],
      ['Source Beta', '2024-04-19', 30, false],
      ['Source Gamma', '2023-12-15', 156, true],
    ]);
    expect(result.stale).toBe(1);
  });

  it('leaves a stale claim out of the spread; a wider window lets it in, a narrower one leaves out more', async () => {
    const current = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: AS_OF });
    expect(current.spread).toMatchObject({ sources: 4, min: 34000 });
    const wide = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: AS_OF, window_days: 200 });
    expect(wide.spread).toMatchObject({ sources: 5, min: 18800 });
    expect(wide.stale).toBe(0);
    const narrow = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: AS_OF, window_days: 29 });
    expect(narrow.rows.filter((r) => r.stale).map((r) => r.source)).toEqual(['Source Beta', 'Source Gamma']);
  });

  it('computes the spread on intervals, and marks contested the claims whose intervals miss another current one', async () => {
    const result = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: AS_OF });
    const by = Object.fromEntries(result.rows.map((r) => [r.source, r]));
    expect(by['Source Alpha']!.interval).toEqual({ low: 36000, high: null });
    expect(by['Source Beta']!.interval).toEqual({ low: 34000, high: 36500 });
    // the highest lower bound (Alpha's 36,000) above the lowest upper bound (the Ministry's 35,000)
    expect(result.spread).toEqual({ sources: 4, min: 34000, max: 36500, open_above: true, spread: 1000, ratio: 36000 / 35000, contested: true });
    expect(result.rows.map((r) => [r.source, r.contested])).toEqual([
      ['Ministry', true],
      ['Outlet A', true],
      ['Source Alpha', true],
      ['Source Beta', false],
      ['Source Gamma', false], // stale: not set against the current claims
    ]);
  });

  it('counts a claim relayed by two outlets once, for its claimant: N independent claimants (M relays)', async () => {
    const result = await t.api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: AS_OF });
    const ministry = result.rows.find((r) => r.source === 'Ministry')!;
    const copies = [ministry, ...ministry.relays];
    expect(copies.map((r) => r.relayed_via).sort()).toEqual(['Outlet A', 'Outlet B']);
    expect(copies.map((r) => r.figure_id)).not.toContain(ids['moh-c']);
    expect(result.rows.filter((r) => r.source === 'Ministry')).toHaveLength(1);
    // Ministry, Outlet A (its own claim), Alpha, Beta; Gamma is stale
    expect(result.independent).toEqual({ claimants: 4, relays: 2 });
  });

  it('exports the same reading as CSV: age, window, stale, interval, contested, and each relay as a row not independent', async () => {
    const { text, rows } = await t.api.exportCompareCsv({ query: { metric: 'killed_total', location: 'Gaza Strip', as_of: AS_OF }, to: 'text' });
    const data = Papa.parse<Record<string, string>>(text!, { header: true, skipEmptyLines: true }).data;
    expect(rows).toBe(6);
    expect(data.map((r) => [r.source, r.relayed_via, r.date, r.age_days, r.stale, r.interval_low, r.interval_high, r.contested, r.independent])).toEqual([
      ['Ministry', expect.any(String), '2024-05-18', '1', 'false', '35000', '35000', 'true', 'true'],
      ['Ministry', expect.any(String), '2024-05-18', '1', 'false', '35000', '35000', 'true', 'false'],
      ['Outlet A', '', '2024-05-19', '0', 'false', '35500', '35500', 'true', 'true'],
      ['Source Alpha', '', '2024-05-10', '9', 'false', '36000', '', 'true', 'true'],
      ['Source Beta', '', '2024-04-19', '30', 'false', '34000', '36500', 'false', 'true'],
      ['Source Gamma', '', '2023-12-15', '156', 'true', '18800', '18800', 'false', 'true'],
    ]);
    expect(new Set(data.map((r) => r.window_days))).toEqual(new Set(['30']));
    const rafah = await t.api.exportCompareCsv({ query: { metric: 'killed_total', location: 'Rafah', as_of: AS_OF }, to: 'text' });
    const [vague] = Papa.parse<Record<string, string>>(rafah.text!, { header: true, skipEmptyLines: true }).data;
    expect([vague!.value, vague!.qualifier, vague!.vague_words, vague!.interval_low, vague!.interval_high]).toEqual(['100', 'at_least', 'hundreds', '100', '']);
    expect([data[0]!.relayed_via, data[1]!.relayed_via].sort()).toEqual(['Outlet A', 'Outlet B']);
  });
});
