// The checks on a real workbook through the API: for each kind a case that must warn and a near case that must not,
// warnings kept in step with every write (edits, retractions, undo, metric and citation edits), and dismissals.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WarningView } from '../../src/shared/api';
import type { FigureInput } from '../../src/shared/schemas';
import type { WarningKind } from '../../src/shared/warnings';
import { warningCounts } from '../../src/core/checks/read';
import { openSession } from '../../src/core/session';
import { latestVersion, loadMigrations } from '../../src/core/store/migrations';
import { newId } from '../../src/core/store/ids';
import { Workbook } from '../../src/core/store/workbook';
import { expectWarningsAsFoundAfresh, rejection, seedBasics, type TempWorkbook, tempDir, tempWorkbook } from '../support/tempWorkbook';

let t: TempWorkbook;
let basics: Awaited<ReturnType<typeof seedBasics>>;

beforeEach(async () => {
  t = await tempWorkbook();
  basics = await seedBasics(t.api);
});
afterEach(() => t.cleanup());

/** A figure of Source Alpha, killed_total, Gaza Strip, Situation report 1, unless the patch says otherwise. */
async function figure(patch: Partial<FigureInput> & { metric?: string }): Promise<string> {
  const { metric = 'killed_total', ...rest } = patch;
  const input = {
    metric_id: basics.metric(metric),
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    location_id: basics.gaza.id,
    as_of: '2024-01-01',
    ...rest,
  } as FigureInput;
  return (await t.api.createFigure(input)).value.id;
}

async function warnings(kind: WarningKind): Promise<WarningView[]> {
  return (await t.api.listWarnings({ kind, limit: 1000 })).warnings;
}

const ids = (...figureIds: string[]) => [...figureIds].sort();

const expectSameAsFoundAfresh = () => expectWarningsAsFoundAfresh(t, expect);

describe('cumulative_step_down', () => {
  it('warns when a running total from one claimant and location falls from one date to the next', async () => {
    const a = await figure({ value: 100, as_of: '2024-01-01' });
    const b = await figure({ value: 90, as_of: '2024-01-02' });
    const [w, ...more] = await warnings('cumulative_step_down');
    expect(more).toEqual([]);
    expect(w!.figure_ids).toEqual(ids(a, b));
    expect(w!.message).toBe("Source Alpha's killed (total) (Gaza Strip) falls from 100 on 2024-01-01 to 90 on 2024-01-02: a running total cannot fall");
  });

  it('does not warn for a level total, another claimant, a flow, or an open-ended later figure', async () => {
    await figure({ value: 100, as_of: '2024-01-01' });
    await figure({ value: 100, as_of: '2024-01-02' });
    await figure({ value: 50, as_of: '2024-01-03', source_id: basics.sourceB.id });
    await figure({ value: 90, as_of: '2024-01-04', qualifier: 'at_least' }); // "at least 90" may be above 100
    await figure({ metric: 'aid_trucks', value: 300, as_of: '2024-01-01' });
    await figure({ metric: 'aid_trucks', value: 20, as_of: '2024-01-02' }); // trucks a day: a flow may fall
    expect(await warnings('cumulative_step_down')).toEqual([]);
  });

  it('follows the edits: gone when the figure is corrected, back with undo; a retraction brings its neighbours together', async () => {
    const a = await figure({ value: 100, as_of: '2024-01-01' });
    const b = await figure({ value: 95, as_of: '2024-01-02' });
    const c = await figure({ value: 120, as_of: '2024-01-03' });
    expect((await warnings('cumulative_step_down')).map((w) => w.figure_ids)).toEqual([ids(a, b)]);
    const fix = await t.api.updateFigure({ id: b, patch: { value: 105 }, why: 'misread' });
    expect(await warnings('cumulative_step_down')).toEqual([]);
    await t.api.undo({ txn: fix.txn });
    expect((await warnings('cumulative_step_down')).map((w) => w.figure_ids)).toEqual([ids(a, b)]);
    // c at 90 falls from b; retracting b leaves a (100) to c (90): a step no write touched a figure of
    await t.api.updateFigure({ id: c, patch: { value: 90 } });
    await t.api.updateFigure({ id: b, patch: { value: 98 } });
    expect((await warnings('cumulative_step_down')).map((w) => w.figure_ids)).toEqual([ids(a, b), ids(b, c)]);
    await t.api.retractFigure({ id: b, reason: 'duplicate report' });
    expect((await warnings('cumulative_step_down')).map((w) => w.figure_ids)).toEqual([ids(a, c)]);
    // moved to another location, c leaves the Gaza Strip's series
    await t.api.updateFigure({ id: c, patch: { location_id: basics.rafah.id } });
    expect(await warnings('cumulative_step_down')).toEqual([]);
    expectSameAsFoundAfresh();
  });

  it('is found again everywhere when a metric is said to be a flow, or cumulative again', async () => {
    await figure({ value: 100, as_of: '2024-01-01' });
    await figure({ value: 90, as_of: '2024-01-02' });
    const edit = await t.api.updateMetric({ id: basics.metric('killed_total'), patch: { kind: 'flow' } });
    expect(edit.value.kind).toBe('flow');
    expect(await warnings('cumulative_step_down')).toEqual([]);
    await t.api.undo({ txn: edit.txn });
    expect(await warnings('cumulative_step_down')).toHaveLength(1);
  });
});

describe('retroactive_jump', () => {
  /** A series rising by 10 a day for a week, then by `last`. */
  async function series(last: number): Promise<string[]> {
    const made: string[] = [];
    for (let day = 1; day <= 7; day += 1) made.push(await figure({ value: 1000 + day * 10, as_of: `2024-01-0${day}` }));
    made.push(await figure({ value: 1070 + last, as_of: '2024-01-08' }));
    return made;
  }

  it('warns at a rise far above the recent daily rises (ten times by default)', async () => {
    const made = await series(500);
    const [w, ...more] = await warnings('retroactive_jump');
    expect(more).toEqual([]);
    expect(w!.figure_ids).toEqual(ids(made[6]!, made[7]!));
    expect(w!.message).toBe(
      "Source Alpha's killed (total) (Gaza Strip) rises by 500 from 2024-01-07 to 2024-01-08, 50× its recent daily rise of 10 (threshold 10×): a retroactive addition?",
    );
  });

  it('does not warn at five times the recent rise, until the metric sets its threshold lower', async () => {
    await series(50);
    expect(await warnings('retroactive_jump')).toEqual([]);
    await t.api.updateMetric({ id: basics.metric('killed_total'), patch: { jump_factor: 4 }, why: 'a steadier series' });
    expect(await warnings('retroactive_jump')).toHaveLength(1);
    expect((await rejection(t.api.updateMetric({ id: basics.metric('killed_total'), patch: { jump_factor: 1 } }))).code).toBe('validation');
  });
});

describe('parts_exceed_whole', () => {
  it('warns when civilians killed exceed the total, or civilians and combatants together do', async () => {
    const total = await figure({ value: 100 });
    const civilians = await figure({ metric: 'killed_civilian', value: 60 });
    const combatants = await figure({ metric: 'killed_combatant', value: 50 });
    const [w, ...more] = await warnings('parts_exceed_whole');
    expect(more).toEqual([]);
    expect(w!.figure_ids).toEqual(ids(total, civilians, combatants));
    expect(w!.message).toMatch(/^Source Alpha, Gaza Strip, 2024-01-01: civilians killed 60 \+ combatants killed 50 = 110 exceed killed \(total\) 100$/);
  });

  it('does not warn when the parts add up to the whole, on another date, or from another claimant', async () => {
    await figure({ value: 100 });
    await figure({ metric: 'killed_civilian', value: 60 });
    await figure({ metric: 'killed_combatant', value: 40 });
    await figure({ metric: 'killed_civilian', value: 150, as_of: '2024-01-02' });
    await figure({ metric: 'killed_civilian', value: 150, source_id: basics.sourceB.id });
    expect(await warnings('parts_exceed_whole')).toEqual([]);
  });

  it('reads part_of as the user edits it: a new metric inside civilians, and a part taken out', async () => {
    const children = (
      await t.api.createMetric({ code: 'killed_children', label: 'Children killed', kind: 'cumulative', part_of: 'killed_civilian, killed_total' })
    ).value;
    expect(JSON.parse(children.part_of!)).toEqual(['killed_civilian', 'killed_total']);
    await figure({ value: 100 });
    await figure({ metric: 'killed_civilian', value: 30 });
    const kids = (await t.api.createFigure({ ...(await base()), metric_id: children.id, value: 40 })).value.id;
    const [w] = await warnings('parts_exceed_whole');
    expect(w!.message).toMatch(/children killed 40 exceeds civilians killed 30$/);
    expect(w!.figure_ids).toContain(kids);
    await t.api.updateMetric({ id: children.id, patch: { part_of: ['killed_total'] } });
    expect(await warnings('parts_exceed_whole')).toEqual([]);
    expect((await rejection(t.api.updateMetric({ id: basics.metric('killed_total'), patch: { part_of: ['killed_children'] } }))).message).toMatch(
      /cannot be part of itself/,
    );
    expect((await rejection(t.api.updateMetric({ id: children.id, patch: { part_of: ['no_such_metric'] } }))).code).toBe('not_found');
  });

  async function base() {
    return { source_id: basics.sourceA.id, citation_id: basics.citation.id, location_id: basics.gaza.id, as_of: '2024-01-01' };
  }
});

describe('claim_after_publication', () => {
  it('warns when the as-of date is after the citation was published, and follows an edit of the citation', async () => {
    await t.api.updateCitation({ id: basics.citation.id, patch: { published: '2024-05-01' } });
    const late = await figure({ value: 5, as_of: '2024-05-10' });
    const [w] = await warnings('claim_after_publication');
    expect(w).toMatchObject({
      figure_ids: [late],
      message: "Source Alpha's killed (total) is dated 2024-05-10, after its citation was published (2024-05-01)",
    });
    await t.api.updateCitation({ id: basics.citation.id, patch: { published: '2024-06-01' } });
    expect(await warnings('claim_after_publication')).toEqual([]);
  });

  it('does not warn on the day of publication, for a month that includes it, or for a projection', async () => {
    await t.api.updateCitation({ id: basics.citation.id, patch: { published: '2024-05-01' } });
    await figure({ value: 5, as_of: '2024-05-01' });
    await figure({ value: 6, as_of: '2024-05' });
    await figure({ value: 7, as_of: '2024-05-10', method: 'projection' });
    expect(await warnings('claim_after_publication')).toEqual([]);
  });
});

describe('future_date', () => {
  it('warns for a date after today, and only until that day comes', async () => {
    const later = await figure({ value: 5, as_of: '2999-01-02' });
    expect((await warnings('future_date')).map((w) => w.figure_ids)).toEqual([[later]]);
    expect(warningCounts(t.db, '2999-01-01').find((c) => c.kind === 'future_date')!.open).toBe(1);
    expect(warningCounts(t.db, '2999-01-02').find((c) => c.kind === 'future_date')!.open).toBe(0);
  });

  it('does not warn for today or the past', async () => {
    await figure({ value: 5, as_of: new Date().toISOString().slice(0, 10) });
    await figure({ value: 6, as_of: '2024-01-01' });
    expect(await warnings('future_date')).toEqual([]);
  });
});

describe('fractional_count', () => {
  it('warns for a fraction of people', async () => {
    const half = await figure({ value: 12.5 });
    expect(await warnings('fractional_count')).toMatchObject([
      { figure_ids: [half], message: "Source Alpha's killed (total) of 12.5 people: a count of people is a whole number" },
    ]);
  });

  it('does not warn for a whole count, or a fraction of a measure (tonnes)', async () => {
    await figure({ value: 12 });
    await figure({ metric: 'aid_tonnes', value: 12.5, as_of: undefined, period_start: '2024-01-01' });
    expect(await warnings('fractional_count')).toEqual([]);
  });
});

describe('duplicate_claim', () => {
  it('warns for the same claimant, metric, location, date and value from another citation', async () => {
    const relay = (await t.api.createCitation({ title: 'A relay of report 1', publisher: 'Beta Wire' })).value;
    const a = await figure({ value: 35456 });
    const b = await figure({ value: 35456, citation_id: relay.id });
    expect(await warnings('duplicate_claim')).toMatchObject([
      {
        figure_ids: ids(a, b),
        message: "Source Alpha's killed (total) (Gaza Strip) of 35,456 on 2024-01-01 is stated 2 times, from 2 citations: one claim, relayed or entered twice?",
      },
    ]);
  });

  it('does not warn for another value, another date or another claimant', async () => {
    await figure({ value: 35456 });
    await figure({ value: 35457 });
    await figure({ value: 35456, as_of: '2024-01-02' });
    await figure({ value: 35456, as_of: '2024-01-03', source_id: basics.sourceB.id });
    expect(await warnings('duplicate_claim')).toEqual([]);
  });
});

describe('excerpt_mismatch', () => {
  it('reads the number as people write it: 20,000, 20 000, 20.000, ٢٠٬٠٠٠, 20 thousand, and both ends of a range', async () => {
    for (const excerpt of ['killed at 20,000', 'killed: 20 000', 'tot. 20.000 morti', 'استشهاد ٢٠٬٠٠٠', 'some 20 thousand dead', '20000 killed']) {
      await figure({ value: 20000, excerpt });
    }
    await figure({ value: null, low: 14000, high: 15000, excerpt: 'between 14,000 and 15,000 killed', as_of: '2024-01-02' });
    expect(await warnings('excerpt_mismatch')).toEqual([]);
  });

  it('warns when the excerpt states another number, a number inside a date, or one end of a range', async () => {
    const other = await figure({ value: 20000, excerpt: 'some 2,000 killed' });
    const dated = await figure({ value: 7, excerpt: 'as of 2023-10-07, many were killed' });
    const oneEnd = await figure({ value: null, low: 14000, high: 15000, excerpt: 'at least 14,000 killed' });
    const found = await warnings('excerpt_mismatch');
    expect(found.map((w) => w.figure_ids[0]).sort()).toEqual(ids(other, dated, oneEnd));
    expect(found.find((w) => w.figure_ids[0] === oneEnd)!.message).toBe("Source Alpha's killed (total): the excerpt does not state 14,000–15,000");
  });
});

describe('dismissing a warning', () => {
  it('takes it off the open list with its reason, as a logged change that undo and redo reverse', async () => {
    const a = await figure({ value: 12.5 });
    const dismissed = await t.api.dismissWarning({ kind: 'fractional_count', figure_ids: [a], reason: 'an average over two reports' });
    const open = await t.api.listWarnings({});
    expect(open.warnings).toEqual([]);
    expect(open.counts.find((c) => c.kind === 'fractional_count')).toEqual({ kind: 'fractional_count', open: 0, dismissed: 1 });
    const all = await t.api.listWarnings({ dismissed: true });
    expect(all.warnings[0]!.dismissal).toMatchObject({ id: dismissed.value.id, reason: 'an average over two reports', by: 'test' });
    expect((await t.api.figureWarnings({ figure_ids: [a] })).length).toBe(0);

    const history = await t.api.history({ entity: 'dismissal', id: dismissed.value.id });
    expect(history.map((e) => [e.op, e.why])).toEqual([['insert', 'an average over two reports']]);

    const undo = await t.api.undo({ txn: dismissed.txn });
    expect((await t.api.listWarnings({})).warnings.map((w) => w.figure_ids)).toEqual([[a]]);
    expect(await t.api.figureWarnings({ figure_ids: [a] })).toEqual([{ figure_id: a, kinds: ['fractional_count'] }]);
    await t.api.undo({ txn: undo.txn }); // redo
    expect((await t.api.listWarnings({})).warnings).toEqual([]);
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('refuses a warning that is not there, and a second dismissal of one', async () => {
    const a = await figure({ value: 12 });
    expect((await rejection(t.api.dismissWarning({ kind: 'fractional_count', figure_ids: [a], reason: 'x' }))).code).toBe('not_found');
    await t.api.updateFigure({ id: a, patch: { value: 12.5 } });
    await t.api.dismissWarning({ kind: 'fractional_count', figure_ids: [a], reason: 'x' });
    expect((await rejection(t.api.dismissWarning({ kind: 'fractional_count', figure_ids: [a], reason: 'y' }))).code).toBe('conflict');
  });

  it('opens it again with reopenWarning', async () => {
    const a = await figure({ value: 12.5 });
    const dismissed = await t.api.dismissWarning({ kind: 'fractional_count', figure_ids: [a], reason: 'x' });
    await t.api.reopenWarning({ dismissal_id: dismissed.value.id, why: 'looked again' });
    expect((await t.api.listWarnings({})).total).toBe(1);
  });
});

describe('the warnings over time', () => {
  it('stay those a fresh search finds through a paste over several figures, an import and its undo', async () => {
    const a = await figure({ value: 100, as_of: '2024-01-01' });
    const b = await figure({ value: 120, as_of: '2024-01-02' });
    await t.api.updateFigures({
      updates: [
        { id: a, patch: { value: 130 } },
        { id: b, patch: { value: 12.5 } },
      ],
    });
    const csv =
      'metric,value,as_of,source,citation_title,location\n' +
      'killed_total,125,2024-01-03,Source Alpha,Situation report 1,Gaza Strip\n' +
      'killed_total,125,2024-01-03,Source Alpha,Situation report 1,Gaza Strip\n' +
      'killed_civilian,500,2024-01-03,Source Alpha,Situation report 1,Gaza Strip\n';
    const report = await t.api.importCsv({ file: { name: 'more.csv', text: csv } });
    expect(report.written).toBe(true);
    const kinds = (await t.api.listWarnings({})).counts.filter((c) => c.open > 0).map((c) => c.kind);
    expect(kinds).toEqual(['cumulative_step_down', 'parts_exceed_whole', 'fractional_count']);
    expectSameAsFoundAfresh();
    await t.api.undo({ txn: report.txn! });
    expectSameAsFoundAfresh();
  });
});

describe('a workbook of schema 3, opened by this version', () => {
  it('has its known metrics said cumulative (a logged change), its warnings found, and still passes check', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'old.fwb');
      const old = await Workbook.open(path, { user: 'test', migrations: loadMigrations().filter((m) => m.version <= 3) });
      old.writer.beforeCommit = null; // schema 3 has no warnings to keep
      // written through the change log as schema 3 knew it (the API of this version reads today's columns)
      const metricId = old.db.prepare("SELECT id FROM metric WHERE code = 'killed_total'").pluck().get() as string;
      old.transact({ why: 'a schema-3 workbook in use' }, (tx) => {
        const source = tx.insert('source', { id: newId(), name: 'Ministry', short_name: null, kind: 'other', note: null });
        const citation = tx.insert('citation', { id: newId(), title: 'Daily report', publisher: null, url: null, published: null, accessed: null, note: null });
        for (const [value, as_of] of [
          [100, '2024-01-01'],
          [90, '2024-01-02'],
        ] as const) {
          tx.insert('figure', {
            id: newId(),
            metric_id: metricId,
            source_id: source.id,
            relayed_via_id: null,
            citation_id: citation.id,
            location_id: null,
            value,
            low: null,
            high: null,
            qualifier: 'exact',
            as_of,
            period_start: null,
            period_end: null,
            excerpt: null,
            method: null,
            confidence: null,
            status: 'draft',
            retracted_reason: null,
            note: null,
          });
        }
      });
      old.close();

      const { api: now, workbook } = await openSession(path, { user: 'test', create: false });
      try {
        expect(workbook.schemaVersion).toBe(latestVersion(loadMigrations()));
        const killed = (await now.listMetrics({})).find((m) => m.code === 'killed_total')!;
        expect(killed).toMatchObject({ kind: 'cumulative', part_of: null });
        const civilians = (await now.listMetrics({})).find((m) => m.code === 'killed_civilian')!;
        expect(JSON.parse(civilians.part_of!)).toEqual(['killed_total']);
        const last = (await now.history({ entity: 'metric', id: killed.id })).at(-1)!;
        expect([last.op, last.by, last.after?.kind]).toEqual(['update', 'figures-workbench', 'cumulative']);
        expect((await now.listWarnings({})).warnings.map((w) => w.kind)).toEqual(['cumulative_step_down']);
        expect((await now.check({})).ok).toBe(true);
      } finally {
        workbook.close();
      }
    } finally {
      cleanup();
    }
  });
});
