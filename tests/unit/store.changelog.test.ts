// Point 3: the change log — every insert, update and retraction of every entity, in the same transaction as the
// change; a figure's history; undo (and redo) of a change or a transaction; append-only; replayable into an empty file.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/store/database';
import { replayChangeLog } from '../../src/core/store/history';
import type { FigureInput } from '../../src/shared/schemas';
import type { LogRow } from '../../src/core/store/logStates';
import { changeLogCount, dumpTables, rejection, seedBasics, type TempWorkbook, tempWorkbook, thrown, workbookState } from '../support/tempWorkbook';

let t: TempWorkbook;
afterEach(() => t.cleanup());

const logSince = (afterId: number): LogRow[] => t.db.prepare('SELECT * FROM change_log WHERE id > ? ORDER BY id').all(afterId) as LogRow[];
const latestOf = (id: string): number => t.db.prepare('SELECT max(id) FROM change_log WHERE entity_id = ?').pluck().get(id) as number;
const lastLogId = (): number => t.db.prepare('SELECT coalesce(max(id), 0) FROM change_log').pluck().get() as number;
const row = (table: string, id: string) => t.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>;
const json = (text: string | null) => (text === null ? null : (JSON.parse(text) as Record<string, unknown>));
/** The full states of a logged change, rebuilt from the head through the API. */
const states = async (entity: string, id: string, changeId: number) =>
  (await t.api.history({ entity: entity as 'figure', id })).find((h) => h.id === changeId)!;

describe('every write lands in change_log', () => {
  let basics: Awaited<ReturnType<typeof seedBasics>>;
  beforeEach(async () => {
    t = await tempWorkbook();
    basics = await seedBasics(t.api);
  });

  const figure = (overrides: Partial<FigureInput> = {}): FigureInput => ({
    metric_id: basics.metric('killed_total'),
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    location_id: basics.gaza.id,
    value: 100,
    as_of: '2024-01-01',
    ...overrides,
  });

  it('logs the insert of a source, citation, metric, location and figure with who and the txn, and no copy of the row', async () => {
    const start = lastLogId();
    const writes = [
      ['source', await t.api.createSource({ name: 'Logged source' })],
      ['citation', await t.api.createCitation({ title: 'Logged citation' })],
      ['metric', await t.api.createMetric({ code: 'logged_metric', label: 'Logged' })],
      ['location', await t.api.createLocation({ name: 'Logged location' })],
      ['figure', await t.api.createFigure(figure())],
    ] as const;
    const entries = logSince(start);
    expect(entries).toHaveLength(writes.length);
    writes.forEach(([entity, result], index) => {
      const entry = entries[index]!;
      expect(entry).toMatchObject({ entity, entity_id: result.value.id, op: 'insert', by: 'test', delta: null, txn: result.txn });
      expect(Date.parse(entry.at)).not.toBeNaN();
    });
    for (const [index, [entity, result]] of writes.entries()) {
      const stored = row(entity, result.value.id);
      if (entity === 'figure') delete stored.effective_date; // generated, not stored
      const rebuilt = await states(entity, result.value.id, entries[index]!.id);
      expect(rebuilt.before).toBeNull();
      expect(rebuilt.after).toEqual(stored);
    }
    expect(new Set(entries.map((e) => e.txn)).size).toBe(writes.length); // one transaction per call
  });

  it('logs an update as the fields it changed, before and after, with the reason given, and only when something changed', async () => {
    const { value: source } = await t.api.createSource({ name: 'Before name' });
    const start = lastLogId();
    const { txn } = await t.api.updateSource({ id: source.id, patch: { name: 'After name' }, why: 'typo in the name' });
    const [entry, ...rest] = logSince(start);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ entity: 'source', op: 'update', why: 'typo in the name', txn, by: 'test' });
    const delta = json(entry!.delta)!;
    expect(delta.name).toEqual(['Before name', 'After name']);
    expect(Object.keys(delta).sort()).toEqual(['name', 'updated_at']); // the same user: updated_by did not change
    const rebuilt = await states('source', source.id, entry!.id);
    expect(rebuilt.before).toMatchObject({ name: 'Before name' });
    expect(rebuilt.after).toEqual(row('source', source.id));

    await t.api.updateSource({ id: source.id, patch: { name: 'After name' } }); // no change: nothing to log
    expect(logSince(start)).toHaveLength(1);
  });

  it('logs the update of a citation, metric, location and figure too, each rebuilt to the row before and after', async () => {
    const { value: created } = await t.api.createFigure(figure());
    const metricId = basics.metric('injured');
    const start = lastLogId();
    const updates = [
      ['citation', basics.citation.id, await t.api.updateCitation({ id: basics.citation.id, patch: { language: 'ar' }, why: 'w1' })],
      ['metric', metricId, await t.api.updateMetric({ id: metricId, patch: { label: 'Injured (all)' }, why: 'w2' })],
      ['location', basics.rafah.id, await t.api.updateLocation({ id: basics.rafah.id, patch: { note: 'south' }, why: 'w3' })],
      ['figure', created.id, await t.api.updateFigure({ id: created.id, patch: { value: 101 }, why: 'w4' })],
    ] as const;
    const entries = logSince(start);
    expect(entries.map((e) => [e.entity, e.entity_id, e.op, e.why])).toEqual(updates.map(([entity, id], i) => [entity, id, 'update', `w${i + 1}`]));
    for (const [i, entry] of entries.entries()) {
      const [entity, id, result] = updates[i]!;
      expect(entry.txn).toBe(result.txn);
      const stored = row(entity, id);
      if (entity === 'figure') delete stored.effective_date;
      const rebuilt = await states(entity, id, entry.id);
      expect(rebuilt.after).toEqual(stored);
      expect(rebuilt.before).not.toEqual(rebuilt.after);
    }
  });

  it('logs a retraction as op retract, with the reason as why', async () => {
    const { value } = await t.api.createFigure(figure());
    const start = lastLogId();
    await t.api.retractFigure({ id: value.id, reason: 'double-counted' });
    const [entry] = logSince(start);
    expect(entry).toMatchObject({ entity: 'figure', entity_id: value.id, op: 'retract', why: 'double-counted' });
    expect(json(entry!.delta)).toMatchObject({ status: ['draft', 'retracted'], retracted_reason: [null, 'double-counted'] });
  });

  it('writes the change and its log entry in one transaction: a failure after the write leaves neither', async () => {
    const before = workbookState(t);
    expect(() =>
      t.workbook.transact({ why: 'doomed' }, (tx) => {
        tx.insert('source', { id: 'doomed-source', name: 'Doomed', kind: 'other' });
        expect(tx.db.prepare('SELECT count(*) FROM change_log WHERE entity_id = ?').pluck().get('doomed-source')).toBe(1);
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(workbookState(t)).toEqual(before);
  });

  it('createFigures is all or nothing: one bad figure of three writes no figure and no log entry', async () => {
    const before = workbookState(t);
    const error = await rejection(t.api.createFigures({ figures: [figure(), figure({ value: null }), figure({ value: 300 })], why: 'batch' }));
    expect(error.code).toBe('validation');
    expect(error.problems).toEqual([{ row: 2, field: 'value', reason: 'a figure needs a value or a low–high range' }]);
    expect(workbookState(t)).toEqual(before);
  });

  it('updateFigures writes several figures in one transaction that one undo reverses; one bad patch writes nothing, naming its row', async () => {
    const ids: string[] = [];
    for (const value of [10, 20, 30]) ids.push((await t.api.createFigure(figure({ value }))).value.id);
    const values = () => ids.map((id) => row('figure', id).value);

    const before = workbookState(t);
    const refused = await rejection(
      t.api.updateFigures({
        updates: [
          { id: ids[0]!, patch: { value: 11 } },
          { id: ids[1]!, patch: { value: -5 } },
          { id: ids[2]!, patch: { metric_id: 'no-such-metric' } },
        ],
        why: 'paste',
      }),
    );
    expect(refused.code).toBe('validation');
    expect(refused.problems).toEqual([
      expect.objectContaining({ row: 2, field: 'value' }),
      expect.objectContaining({ row: 3, field: 'metric_id', reason: 'no metric with this id' }),
    ]);
    expect(workbookState(t)).toEqual(before);

    const start = lastLogId();
    const pasted = await t.api.updateFigures({
      updates: [
        { id: ids[0]!, patch: { value: 11 } },
        { id: ids[2]!, patch: { value: 33, note: 'pasted' } },
      ],
      why: 'paste over 2 figures',
    });
    expect(pasted.value.map((f) => [f.id, f.value])).toEqual([
      [ids[0], 11],
      [ids[2], 33],
    ]);
    expect(values()).toEqual([11, 20, 33]);
    const entries = logSince(start);
    expect(entries.map((e) => [e.op, e.txn, e.why])).toEqual([
      ['update', pasted.txn, 'paste over 2 figures'],
      ['update', pasted.txn, 'paste over 2 figures'],
    ]);
    await t.api.undo({ txn: pasted.txn });
    expect(values()).toEqual([10, 20, 30]);
  });

  it("marks an import's changes with its import_batch_id, logs its figures in one entry, and logs the import_batch itself", async () => {
    const start = lastLogId();
    const csv =
      'metric,value,as_of,source,citation_title\n' +
      'killed_total,10,2024-01-01,New claimant,New document\n' +
      'killed_total,20,2024-01-02,New claimant,New document\n';
    const report = await t.api.importCsv({ file: { name: 'two.csv', text: csv } });
    expect(report.written).toBe(true);
    const entries = logSince(start);
    // a new source, a new citation, one entry for both figures, the batch record: all one transaction, all marked
    expect(entries.map((e) => `${e.entity}:${e.op}`)).toEqual(['source:insert', 'citation:insert', 'figure:import', 'import_batch:insert']);
    expect(entries[2]).toMatchObject({ entity_id: report.batch_id, delta: null });
    for (const entry of entries) {
      expect(entry.import_batch_id).toBe(report.batch_id);
      expect(entry.txn).toBe(report.txn);
      expect(entry.why).toBe('import of two.csv');
    }
    const ids = t.db.prepare('SELECT id FROM figure WHERE import_batch_id = ? ORDER BY import_row').pluck().all(report.batch_id) as string[];
    const figures = await Promise.all(ids.map(async (id) => (await t.api.history({ entity: 'figure', id }))[0]!));
    expect(figures.every((f) => f.op === 'insert' && f.id === entries[2]!.id && f.before === null)).toBe(true);
    expect(figures.map((f) => [f.after!.import_batch_id, f.after!.import_row])).toEqual([
      [report.batch_id, 2],
      [report.batch_id, 3],
    ]);
  });
});

describe('history, undo and redo', () => {
  let basics: Awaited<ReturnType<typeof seedBasics>>;
  let figureId: string;
  beforeEach(async () => {
    t = await tempWorkbook();
    basics = await seedBasics(t.api);
    figureId = (
      await t.api.createFigure({
        metric_id: basics.metric('killed_total'),
        source_id: basics.sourceA.id,
        citation_id: basics.citation.id,
        value: 100,
        as_of: '2024-01-01',
      })
    ).value.id;
  });

  const current = () => row('figure', figureId);

  it("returns a figure's full history in order: insert, each update, the retraction", async () => {
    await t.api.updateFigure({ id: figureId, patch: { value: 120 }, why: 'corrected' });
    await t.api.updateFigure({ id: figureId, patch: { status: 'checked' } });
    await t.api.retractFigure({ id: figureId, reason: 'withdrawn by the source' });
    const history = await t.api.history({ entity: 'figure', id: figureId });
    expect(history.map((h) => [h.op, h.why])).toEqual([
      ['insert', null],
      ['update', 'corrected'],
      ['update', null],
      ['retract', 'withdrawn by the source'],
    ]);
    expect(history.map((h) => h.after?.value)).toEqual([100, 120, 120, 120]);
    expect(history[1]!.before?.value).toBe(100);
    expect(history.every((h) => h.entity === 'figure' && h.entity_id === figureId)).toBe(true);
    const missing = await rejection(t.api.history({ entity: 'figure', id: 'nope' }));
    expect(missing.code).toBe('not_found');
  });

  it('undoes a single change (logged, pointing at the change it undoes), and redo is the undo of the undo', async () => {
    await t.api.updateFigure({ id: figureId, patch: { value: 120 } });
    const [, update] = await t.api.history({ entity: 'figure', id: figureId });

    const undo = await t.api.undo({ change_id: update!.id, why: 'wrong number' });
    expect(undo.reverted).toBe(1);
    expect(current().value).toBe(100);
    const undoEntry = logSince(update!.id).at(-1)!;
    expect(undoEntry).toMatchObject({ op: 'update', undoes: update!.id, why: 'wrong number', txn: undo.txn });

    const redo = await t.api.undo({ change_id: undoEntry.id });
    expect(redo.reverted).toBe(1);
    expect(current().value).toBe(120);
    expect(logSince(undoEntry.id).at(-1)!.undoes).toBe(undoEntry.id);
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('undoes the creation of a figure by retracting it (never deleting), and redo brings it back', async () => {
    const [insert] = await t.api.history({ entity: 'figure', id: figureId });
    await t.api.undo({ change_id: insert!.id });
    expect(current()).toMatchObject({ status: 'retracted', retracted_reason: `undo of change #${insert!.id}` });
    const retraction = logSince(insert!.id).at(-1)!;
    expect(retraction.op).toBe('retract');
    await t.api.undo({ change_id: retraction.id });
    expect(current()).toMatchObject({ status: 'draft', retracted_reason: null });
  });

  it('undoes a whole transaction ({txn}) and redoes it by undoing the undo transaction', async () => {
    const common = { metric_id: basics.metric('injured'), source_id: basics.sourceB.id, citation_id: basics.citation.id };
    const batch = await t.api.createFigures({
      figures: [
        { ...common, value: 1, as_of: '2024-02-01' },
        { ...common, value: 2, as_of: '2024-02-02' },
        { ...common, value: 3, as_of: '2024-02-03' },
      ],
    });
    const ids = batch.value.map((f) => f.id);
    const statuses = () => ids.map((id) => row('figure', id).status);

    const undo = await t.api.undo({ txn: batch.txn });
    expect(undo.reverted).toBe(3);
    expect(statuses()).toEqual(['retracted', 'retracted', 'retracted']);
    expect(
      new Set(
        logSince(0)
          .filter((e) => e.txn === undo.txn)
          .map((e) => e.op),
      ),
    ).toEqual(new Set(['retract']));

    const redo = await t.api.undo({ txn: undo.txn });
    expect(redo.reverted).toBe(3);
    expect(statuses()).toEqual(['draft', 'draft', 'draft']);
    expect((await t.api.listFigures({ metric: ['injured'] })).total).toBe(3);
  });

  it('undoes the creation of a source nothing refers to by deleting it (logged), and redo re-creates it with its id', async () => {
    const { value: source, txn } = await t.api.createSource({ name: 'Short-lived' });
    const undo = await t.api.undo({ txn });
    expect(row('source', source.id)).toBeUndefined();
    const [deletion] = logSince(0).filter((e) => e.txn === undo.txn);
    expect(deletion).toMatchObject({ op: 'delete', entity: 'source', entity_id: source.id });
    expect(json(deletion!.delta)).toMatchObject({ id: source.id, name: 'Short-lived' }); // the row it removed
    await t.api.undo({ txn: undo.txn });
    expect(row('source', source.id)).toMatchObject({ name: 'Short-lived' });
  });

  it('refuses to undo a change when a field it changed has changed since (conflict naming the field), writing nothing', async () => {
    await t.api.updateFigure({ id: figureId, patch: { value: 200 } });
    await t.api.updateFigure({ id: figureId, patch: { value: 300 } });
    const [, first] = await t.api.history({ entity: 'figure', id: figureId });
    const before = workbookState(t);
    const error = await rejection(t.api.undo({ change_id: first!.id }));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(`cannot undo change #${first!.id}: value has changed since (now 300)`);
    expect(error.place).toEqual({ field: 'value', value: '300' });
    expect(workbookState(t)).toEqual(before);
  });

  it('refuses to undo the creation of a source that figures still name (conflict), writing nothing', async () => {
    const [insert] = await t.api.history({ entity: 'source', id: basics.sourceA.id });
    const before = workbookState(t);
    const error = await rejection(t.api.undo({ change_id: insert!.id }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/figures still refer to it/);
    expect(workbookState(t)).toEqual(before);
  });

  it('reverts a figure to what it was right after an earlier change, as a new logged update', async () => {
    await t.api.updateFigure({ id: figureId, patch: { value: 200, note: 'first edit' } });
    const [, firstEdit] = await t.api.history({ entity: 'figure', id: figureId });
    await t.api.updateFigure({ id: figureId, patch: { value: 300, note: null } });
    const { value } = await t.api.revertFigure({ id: figureId, change_id: firstEdit!.id });
    expect([value.value, value.note]).toEqual([200, 'first edit']);
    const last = logSince(0).at(-1)!;
    expect(last).toMatchObject({ op: 'update', why: `revert to change #${firstEdit!.id}` });
  });

  it('undoes an import as one transaction: its figures retracted, its import_batch record kept', async () => {
    const csv = 'metric,value,as_of,source,citation_title\nkilled_total,10,2024-01-01,Imported,Doc\nkilled_total,20,2024-01-02,Imported,Doc\n';
    const report = await t.api.importCsv({ file: { name: 'undo-me.csv', text: csv } });
    const undo = await t.api.undo({ txn: report.txn! });
    expect(undo.reverted).toBe(2);
    const imported = t.db.prepare('SELECT status FROM figure WHERE import_batch_id = ?').pluck().all(report.batch_id);
    expect(imported).toEqual(['retracted', 'retracted']);
    expect(await t.api.listImportBatches({})).toHaveLength(1);
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('merges duplicate sources by repointing figures (each logged) and deleting the duplicate; one undo restores all', async () => {
    const { value: dup } = await t.api.createSource({ name: 'Source A (duplicate)' });
    const { value: f } = await t.api.createFigure({
      metric_id: basics.metric('killed_total'),
      source_id: dup.id,
      citation_id: basics.citation.id,
      value: 5,
      as_of: '2024-03-01',
    });
    const merged = await t.api.mergeSources({ keep_id: basics.sourceA.id, merge_ids: [dup.id] });
    expect(row('figure', f.id).source_id).toBe(basics.sourceA.id);
    expect(row('source', dup.id)).toBeUndefined();
    const entries = logSince(0).filter((e) => e.txn === merged.txn);
    expect(entries.map((e) => `${e.entity}:${e.op}`)).toEqual(['figure:update', 'source:delete', 'alias:insert']);

    await t.api.undo({ txn: merged.txn });
    expect(row('source', dup.id)).toMatchObject({ name: 'Source A (duplicate)' });
    expect(row('figure', f.id).source_id).toBe(dup.id);
    expect((await t.api.check({})).ok).toBe(true);
  });
});

describe('change_log is append-only', () => {
  beforeEach(async () => {
    t = await tempWorkbook();
  });

  it('refuses UPDATE and DELETE on change_log at the SQL level', () => {
    const before = workbookState(t);
    expect(changeLogCount(t.db)).toBeGreaterThan(0);
    expect(String(thrown(() => t.db.prepare("UPDATE change_log SET why = 'rewritten'").run()))).toMatch(/change_log is append-only/);
    expect(String(thrown(() => t.db.prepare('DELETE FROM change_log').run()))).toMatch(/change_log is append-only/);
    expect(workbookState(t)).toEqual(before);
  });

  it('check() finds a row changed around the change log', async () => {
    const basics = await seedBasics(t.api);
    expect((await t.api.check({})).ok).toBe(true);
    t.db.prepare("UPDATE source SET note = 'sneaky' WHERE id = ?").run(basics.sourceB.id);
    const report = await t.api.check({});
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      entity: 'source',
      id: basics.sourceB.id,
      severity: 'error',
      reason: `differs from its latest change_log entry (#${latestOf(basics.sourceB.id)}): changed around the single write path`,
    });
  });
});

describe('replaying change_log', () => {
  beforeEach(async () => {
    t = await tempWorkbook({ demo: true });
  });

  it('into an empty, freshly migrated file gives the same contents in every table', async () => {
    // Give the log every kind of entry: updates, a retraction, undo and redo, a merge (a delete), a second import.
    const { api } = t;
    const figures = (await api.listFigures({ metric: ['killed_civilian'] })).rows;
    const idfCivilians = figures[0]!;
    await api.updateFigure({ id: idfCivilians.id, patch: { confidence: 'low' }, why: 'edit' });
    const { rows: moh } = await api.listFigures({ source: ['Gaza Ministry of Health'], metric: ['killed_total'], limit: 2 });
    await api.retractFigure({ id: moh[0]!.id, reason: 'test retraction' });
    const { txn: sourceTxn } = await api.createSource({ name: 'Temporary' });
    const undo = await api.undo({ txn: sourceTxn });
    await api.undo({ txn: undo.txn });
    const { value: dup } = await api.createSource({ name: 'IDF spokesperson' });
    await api.mergeSources({ keep_id: idfCivilians.source_id, merge_ids: [dup.id] });
    await api.importCsv({
      file: { name: 'extra.csv', text: 'metric,value,as_of,source,citation_title\nkilled_total,7,2024-06-01,Extra,Extra doc\n' },
    });
    const original = dumpTables(t.db);
    const count = changeLogCount(t.db);
    // the demo's figures came in one import: one entry, not one per figure
    expect(t.db.prepare('SELECT count(*) FROM figure').pluck().get()).toBeGreaterThan(2700);
    expect(count).toBeLessThan(100);

    // Schema only: openDatabase migrates a new file but, unlike Workbook.open, seeds nothing.
    const target = await openDatabase(join(t.dir, 'replayed.fwb'));
    try {
      const empty = dumpTables(target.db);
      expect(Object.values(empty).every((rows) => rows.length === 0)).toBe(true);
      expect(Object.keys(empty)).toEqual(Object.keys(original));

      expect(replayChangeLog(t.db, target.db)).toBe(count);
      const replayed = dumpTables(target.db);
      for (const table of Object.keys(original)) {
        expect(replayed[table], table).toEqual(original[table]);
      }
      expect(target.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      target.db.close();
    }
  });
});
