// The warnings' upkeep after the write (src/core/checks/pending.ts) on real workbook files: a write is acknowledged
// with what it touched recorded beside it, the warnings are found once it has committed, anything that reads
// warnings sees them found, a crash between the two loses nothing, and a large batch across many series is
// checked once and exactly as a search of the whole workbook finds.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/core/session';
import { expectWarningsAsFoundAfresh, seedBasics, type TempWorkbook, tempDir, tempWorkbook } from '../support/tempWorkbook';

let t: TempWorkbook;
let basics: Awaited<ReturnType<typeof seedBasics>>;

beforeEach(async () => {
  t = await tempWorkbook();
  basics = await seedBasics(t.api);
});
afterEach(() => t.cleanup());

const pending = () => t.db.prepare('SELECT count(*) FROM check_pending').pluck().get() as number;
const stored = () => t.db.prepare('SELECT kind, figure_ids FROM warning ORDER BY kind, figure_ids').all();

function figureInput(value: number, as_of: string, extra: Record<string, unknown> = {}) {
  return {
    metric_id: basics.metric('killed_total'),
    value,
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    location_id: basics.gaza.id,
    as_of,
    ...extra,
  };
}

const expectSameAsFoundAfresh = () => expectWarningsAsFoundAfresh(t, expect);

describe('the warnings after a write', () => {
  it('are recorded as pending in the write, found once it has committed, and seen by every read of warnings', async () => {
    await t.api.createFigure(figureInput(100, '2024-01-01'));
    t.workbook.findPendingWarnings();
    expect(pending()).toBe(0);
    const fall = (await t.api.createFigure(figureInput(90, '2024-01-02'))).value.id;
    // acknowledged: the figure is there, what it touched waits beside it, the warning is not found yet
    expect(pending()).toBe(1);
    expect(stored()).toEqual([]);
    const list = await t.api.listWarnings({ kind: 'cumulative_step_down' });
    expect(list.warnings.map((w) => w.figure_ids.includes(fall))).toEqual([true]);
    expect(pending()).toBe(0);
    expect((await t.api.figureWarnings({ figure_ids: [fall] })).map((w) => w.kinds)).toEqual([['cumulative_step_down']]);
  });

  it('are found on their own, after the calls queued, with no read asking', async () => {
    await t.api.createFigure(figureInput(100, '2024-01-01'));
    await t.api.createFigure(figureInput(90, '2024-01-02'));
    await new Promise((resolve) => setImmediate(resolve));
    await t.workbook.lock.run(() => undefined);
    expect(pending()).toBe(0);
    expect(stored()).toHaveLength(1);
  });

  it('of a burst of writes are found once, from where each figure stood before the first', async () => {
    const id = (await t.api.createFigure(figureInput(100, '2024-01-01'))).value.id;
    await t.api.createFigure(figureInput(150, '2024-01-02'));
    t.workbook.findPendingWarnings();
    // three writes before the upkeep runs: the figure moves to another claimant and back, then falls below
    const calls = [
      t.api.updateFigure({ id, patch: { source_id: basics.sourceB.id } }),
      t.api.updateFigure({ id, patch: { source_id: basics.sourceA.id } }),
      t.api.updateFigure({ id, patch: { value: 200 } }),
    ];
    await Promise.all(calls);
    expect(pending()).toBe(3);
    expectSameAsFoundAfresh();
    expect(stored()).toHaveLength(1);
  });

  it('left by a crash after the commit are found when the workbook opens again', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'crash.fwb');
      const first = await openSession(path, { user: 'test' });
      const b = await seedBasics(first.api);
      const input = (value: number, as_of: string) => ({
        metric_id: b.metric('killed_total'),
        value,
        source_id: b.sourceA.id,
        citation_id: b.citation.id,
        location_id: b.gaza.id,
        as_of,
      });
      await first.api.createFigure(input(100, '2024-01-01'));
      await first.api.createFigure(input(90, '2024-01-02'));
      // the process dies before the upkeep: the connection goes without the workbook's close
      expect(first.workbook.db.prepare('SELECT count(*) FROM check_pending').pluck().get()).toBeGreaterThan(0);
      first.workbook.db.close();

      const again = await openSession(path, { user: 'test', create: false });
      try {
        expect((await again.api.listWarnings({})).warnings.map((w) => w.kind)).toEqual(['cumulative_step_down']);
        expect(again.workbook.db.prepare('SELECT count(*) FROM check_pending').pluck().get()).toBe(0);
        expect((await again.api.check({})).ok).toBe(true);
      } finally {
        again.workbook.close();
      }
    } finally {
      cleanup();
    }
  });

  it('of one batch across hundreds of series and days are those a search of the whole workbook finds', async () => {
    const sources = [basics.sourceA.id, basics.sourceB.id];
    const locations = [basics.gaza.id, basics.rafah.id, null];
    const metrics = ['killed_total', 'killed_civilian', 'killed_combatant'].map((code) => basics.metric(code));
    const rows = [];
    for (const source_id of sources)
      for (const location_id of locations)
        for (const metric_id of metrics)
          for (let day = 1; day <= 20; day += 1) {
            rows.push(figureInput(1000 + day * 10, `2024-01-${String(day).padStart(2, '0')}`, { source_id, location_id, metric_id }));
          }
    const ids: string[] = [];
    for (const row of rows) ids.push((await t.api.createFigure(row)).value.id);
    expectSameAsFoundAfresh();
    const before = stored().length;
    // one write: every third figure falls, moves a day or changes claimant
    const updates = ids.flatMap((id, i): Array<{ id: string; patch: Record<string, unknown> }> => {
      if (i % 3 === 0) return [{ id, patch: { value: 5 } }];
      if (i % 7 === 0) return [{ id, patch: { source_id: sources[(i + 1) % 2] } }];
      if (i % 11 === 0) return [{ id, patch: { as_of: '2024-02-01' } }];
      return [];
    });
    await t.api.updateFigures({ updates } as Parameters<typeof t.api.updateFigures>[0]);
    expectSameAsFoundAfresh();
    expect(stored().length).toBeGreaterThan(before + 50); // the falls among them
  });
});

describe('the warnings of an import', () => {
  it('into sources and a citation the workbook has are found, as a search of the whole workbook finds them', async () => {
    await t.api.createFigure(figureInput(100, '2024-01-01'));
    t.workbook.findPendingWarnings();
    const csv = `metric,value,as_of,source,citation_id,location\nkilled_total,90,2024-01-02,Source Alpha,${basics.citation.id},Gaza Strip\n`;
    const report = await t.api.importCsv({ file: { name: 'fall.csv', text: csv } });
    expect([report.written, report.created]).toEqual([true, 1]);
    expect((await t.api.listWarnings({ kind: 'cumulative_step_down' })).total).toBe(1);
    expectSameAsFoundAfresh();
  });
});
