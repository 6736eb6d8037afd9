// "As recorded on": every read (the grid's pages, compare, series, period compare, export) put at a past moment gives
// exactly what that read returned at that moment. A hand-built history — inserts, several edits, a rename, a merge
// (which deletes a source), an import, an edit of an imported figure, a retraction, undo and redo, the import undone —
// is read back at every moment between its writes and compared with what the API answered then.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkbenchApi } from '../../src/shared/api';
import type { FigureInput } from '../../src/shared/schemas';
import { openSession } from '../../src/core/session';
import { rejection, seedBasics, sha256File, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

let t: TempWorkbook;
let clock = Date.parse('2024-05-01T08:00:00.000Z');
/** Each write one second after the last, so that every moment between two writes has a time of its own. */
const tick = () => {
  clock += 1000;
  vi.setSystemTime(clock);
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(clock);
});
afterEach(() => {
  t?.cleanup();
  vi.useRealTimers();
});

/** Every read a view makes, as the API answers it now (or as recorded on `at`). */
async function reads(api: WorkbenchApi, at?: string) {
  const on = at ? { recorded_on: at } : {};
  const strip = <T extends object>(value: T) => {
    const { recorded: _, ...rest } = value as T & { recorded?: unknown };
    return rest;
  };
  // the scoped reads first (one metric, at a place), each after another scope, then the whole workbook
  const compareAtGaza = strip(await api.compare({ metric: 'killed_total', location: 'Gaza Strip', as_of: '2024-12-31', ...on }));
  const compare = strip(await api.compare({ metric: 'killed_total', as_of: '2024-12-31', ...on }));
  const seriesAtRafah = strip(await api.series({ metric: 'killed_total', location: 'Rafah', ...on }));
  const pageOne = await api.listFigures({ limit: 2, ...on });
  const last = pageOne.rows.at(-1);
  const pageTwo = last
    ? await api.listFigures({ limit: 2, after: { date: (last.as_of ?? last.period_start)!, id: last.id }, ...on })
    : { rows: [], total: null };
  return {
    all: strip(await api.listFigures({ include_retracted: true, ...on })),
    standing: strip(await api.listFigures({ ...on })),
    bySource: strip(await api.listFigures({ source: ['Source Alpha'], ...on })),
    pages: [strip(pageOne), strip(pageTwo)],
    compareAtGaza,
    compare,
    seriesAtRafah,
    ids: (await api.figureIds({ include_retracted: true, ...on })).sort(),
    series: strip(await api.series({ metric: 'killed_total', ...on })),
    period: strip(await api.comparePeriod({ metric: 'killed_total', from: '2024-01-01', to: '2024-12-31', ...on })),
    csv: (await api.exportCsv({ filter: { include_retracted: true, ...on }, options: { hxl: false, bom: false, manifest: false }, to: 'text' })).text,
  };
}

describe('as recorded on a moment', () => {
  let basics: Awaited<ReturnType<typeof seedBasics>>;
  const figure = (overrides: Partial<FigureInput> = {}): FigureInput => ({
    metric_id: basics.metric('killed_total'),
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    location_id: basics.gaza.id,
    value: 100,
    as_of: '2024-01-10',
    ...overrides,
  });

  beforeEach(async () => {
    t = await tempWorkbook();
    tick();
    basics = await seedBasics(t.api);
  });

  it('gives, at every moment between the writes of a history, what every read returned at that moment', async () => {
    const seen: Array<{ at: string; expected: Awaited<ReturnType<typeof reads>> }> = [];
    /** a write, then what every read answers after it, as of half a second later */
    const write = async <T>(work: () => Promise<T>): Promise<T> => {
      tick();
      const value = await work();
      seen.push({ at: new Date(clock + 500).toISOString(), expected: await reads(t.api) });
      return value;
    };
    seen.push({ at: new Date(clock + 500).toISOString(), expected: await reads(t.api) });

    const a = (await write(() => t.api.createFigure(figure()))).value;
    const b = (await write(() => t.api.createFigure(figure({ source_id: basics.sourceB.id, value: 120, as_of: '2024-01-12' })))).value;
    await write(() => t.api.updateFigure({ id: a.id, patch: { value: 150 } }));
    await write(() => t.api.updateFigure({ id: a.id, patch: { value: 175, note: 'revised upwards', as_of: '2024-02-01' } }));
    await write(() => t.api.updateSource({ id: basics.sourceB.id, patch: { name: 'Source Beta (renamed)' } }));
    // a duplicate source with a claim, merged away: the merge deletes the source that figure named then
    const dup = (await write(() => t.api.createSource({ name: 'Alpha duplicate' }))).value;
    const c = (await write(() => t.api.createFigure(figure({ source_id: dup.id, value: 90, as_of: '2024-01-20', location_id: basics.rafah.id })))).value;
    await write(() => t.api.mergeSources({ keep_id: basics.sourceA.id, merge_ids: [dup.id] }));
    // figures that move into and out of what a compare of one metric at one place reads
    const moved = (await write(() => t.api.createFigure(figure({ metric_id: basics.metric('injured'), value: 40, location_id: basics.rafah.id })))).value;
    await write(() => t.api.updateFigure({ id: moved.id, patch: { metric_id: basics.metric('killed_total') } }));
    await write(() => t.api.updateFigure({ id: c.id, patch: { location_id: basics.gaza.id } }));
    await write(() => t.api.updateFigure({ id: moved.id, patch: { location_id: basics.gaza.id, value: 45 } }));
    const csv =
      'metric,value,as_of,source,citation_title,location\n' +
      'killed_total,300,2024-03-01,Imported claimant,Imported report,Gaza Strip\n' +
      'killed_total,310,2024-03-02,Imported claimant,Imported report,Gaza Strip\n';
    const imported = await write(() => t.api.importCsv({ file: { name: 'later.csv', text: csv } }));
    const importedId = t.db.prepare('SELECT id FROM figure WHERE import_batch_id = ? ORDER BY import_row').pluck().get(imported.batch_id) as string;
    await write(() => t.api.updateFigure({ id: importedId, patch: { value: 305 } }));
    const retraction = await write(() => t.api.retractFigure({ id: b.id, reason: 'double count' }));
    const undo = await write(() => t.api.undo({ txn: retraction.txn }));
    await write(() => t.api.undo({ txn: undo.txn })); // redo
    await write(() => t.api.undo({ txn: imported.txn! }));
    await write(() => t.api.updateFigure({ id: c.id, patch: { status: 'checked' } }));
    expect(seen).toHaveLength(20);

    for (const { at, expected } of seen) {
      expect(await reads(t.api, at), `as recorded on ${at}`).toEqual(expected);
    }
    // a moment before the workbook was made: nothing recorded yet
    const before = await t.api.listFigures({ include_retracted: true, recorded_on: '2024-04-30T00:00:00Z' });
    expect(before).toMatchObject({ rows: [], total: 0, recorded: { log_position: 0, hash: null } });
  });

  it('says which log position a read was put at, and that entry’s hash', async () => {
    tick();
    const { value } = await t.api.createFigure(figure());
    const at = new Date(clock + 500).toISOString();
    tick();
    await t.api.updateFigure({ id: value.id, patch: { value: 200 } });
    const entry = t.db.prepare("SELECT id, lower(hex(hash)) AS hash FROM change_log WHERE entity_id = ? AND op = 'insert'").get(value.id) as {
      id: number;
      hash: string;
    };
    const list = await t.api.listFigures({ recorded_on: at });
    expect(list.recorded).toEqual({ recorded_on: at, log_position: entry.id, hash: entry.hash });
    expect(list.rows.map((r) => r.value)).toEqual([100]);
    expect((await t.api.listFigures({})).recorded).toBeUndefined();
  });

  it('compare as recorded on a moment shows then beside now: revised, retracted, superseded, unchanged and added since', async () => {
    tick();
    const revised = (await t.api.createFigure(figure({ value: 100 }))).value;
    const retracted = (await t.api.createFigure(figure({ source_id: basics.sourceB.id, value: 120 }))).value;
    const steady = (await t.api.createSource({ name: 'Source Gamma' })).value;
    await t.api.createFigure(figure({ source_id: steady.id, value: 130 }));
    const superseded = (await t.api.createSource({ name: 'Source Delta' })).value;
    await t.api.createFigure(figure({ source_id: superseded.id, value: 140 }));
    const then = new Date(clock + 500).toISOString();
    tick();
    await t.api.updateFigure({ id: revised.id, patch: { value: 110, excerpt: 'some 110 killed' } });
    await t.api.retractFigure({ id: retracted.id, reason: 'withdrawn by the source' });
    await t.api.createFigure(figure({ source_id: superseded.id, value: 160, as_of: '2024-01-15' }));
    const added = (await t.api.createSource({ name: 'Source Epsilon' })).value;
    await t.api.createFigure(figure({ source_id: added.id, value: 170 }));

    // a window wide enough that no claim here is stale: the spread is then's, not the window's
    const result = await t.api.compare({ metric: 'killed_total', as_of: '2024-06-30', window_days: 1000, recorded_on: then });
    expect(result.rows.map((r) => [r.source, r.value])).toEqual([
      ['Source Alpha', 100],
      ['Source Beta', 120],
      ['Source Delta', 140],
      ['Source Gamma', 130],
    ]);
    expect(result.spread).toMatchObject({ sources: 4, min: 100, max: 140 });
    const since = result.recorded!.since.map((s) => [s.source, s.change, s.recorded?.value ?? null, s.now?.value ?? null, s.fields]);
    expect(since).toEqual([
      ['Source Alpha', 'revised', 100, 110, ['value', 'excerpt']],
      ['Source Beta', 'retracted', 120, null, []],
      ['Source Delta', 'superseded', 140, 160, []],
      ['Source Gamma', 'unchanged', 130, 130, []],
      ['Source Epsilon', 'added', null, 170, []],
    ]);
    expect(result.recorded!.now.map((r) => r.value)).toEqual([110, 160, 170, 130]);
    expect(result.recorded!.now_spread).toMatchObject({ sources: 4, min: 110, max: 170 });
  });

  it('a write after a read as recorded on a moment leaves that moment as it was: the rows rebuilt follow the head', async () => {
    tick();
    const { value: first } = await t.api.createFigure(figure({ value: 100 }));
    const { value: second } = await t.api.createFigure(figure({ source_id: basics.sourceB.id, value: 200 }));
    const at = new Date(clock + 500).toISOString();
    tick();
    await t.api.updateFigure({ id: first.id, patch: { value: 110 } });
    // (both figures' ids are of one millisecond of the test's clock: their order is not theirs to keep)
    const values = async () => (await t.api.listFigures({ recorded_on: at })).rows.map((r) => r.value ?? 0).sort((a, b) => a - b);
    const compared = async () => (await t.api.compare({ metric: 'killed_total', as_of: '2024-12-31', recorded_on: at })).rows.map((r) => r.value);
    expect(await values()).toEqual([100, 200]);
    expect(await compared()).toEqual([100, 200]);
    // the second figure had no entry after the moment when the rows were rebuilt; now it has one
    await t.api.updateFigure({ id: second.id, patch: { value: 220 } });
    expect(await values()).toEqual([100, 200]);
    expect(await compared()).toEqual([100, 200]);
  });

  it('refuses a moment that is not one, naming the field, and a time without a zone', async () => {
    const notADate = await rejection(t.api.listFigures({ recorded_on: 'last tuesday' }));
    expect(notADate.code).toBe('validation');
    expect(notADate.place?.field).toBe('recorded_on');
    const noZone = await rejection(t.api.compare({ metric: 'killed_total', recorded_on: '2024-05-20T12:00' }));
    expect(noZone.message).toMatch(/add Z for UTC/);
    // a date alone is the end of that day, UTC; an offset is converted
    expect((await t.api.listFigures({ recorded_on: '2024-05-20' })).recorded?.recorded_on).toBe('2024-05-20T23:59:59.999Z');
    expect((await t.api.listFigures({ recorded_on: '2024-05-20T14:30+02:00' })).recorded?.recorded_on).toBe('2024-05-20T12:30:00.000Z');
  });

  it('reads a workbook opened for reading only as recorded on a moment, and leaves its file as it was', async () => {
    tick();
    const { value } = await t.api.createFigure(figure());
    const at = new Date(clock + 500).toISOString();
    tick();
    await t.api.updateFigure({ id: value.id, patch: { value: 200 } });
    t.workbook.close();
    const bytes = sha256File(t.path);
    const reader = await openSession(t.path, { create: false, readOnly: true, backgroundCheck: false });
    try {
      expect((await reader.api.listFigures({ recorded_on: at })).rows.map((r) => r.value)).toEqual([100]);
      expect((await reader.api.compare({ metric: 'killed_total', as_of: '2024-12-31', recorded_on: at })).rows.map((r) => r.value)).toEqual([100]);
    } finally {
      reader.workbook.close();
    }
    expect(sha256File(t.path)).toBe(bytes);
  });
});
