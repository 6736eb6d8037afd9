// Merging two workbook files: real SQLite files in a temp dir, one a copy of the other changed apart (their common
// history), or two made apart. Every change the target lacks lands in its log with its own author, time and reason;
// the same entity changed on both sides is a conflict that keeps both versions.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkbenchApi } from '../../src/shared/api';
import { openSession, type Session } from '../../src/core/session';
import { readChangesets } from '../../src/core/sync/changesets';
import { loadMigrations } from '../../src/core/store/migrations';
import { Workbook } from '../../src/core/store/workbook';
import { changeLogCount, dumpTables, rejection, seedBasics, sha256File, type TempWorkbook, tempWorkbook } from '../support/tempWorkbook';

let a: TempWorkbook;
let basics: Awaited<ReturnType<typeof seedBasics>>;
let figureId: string;
const opened: Session[] = [];

beforeEach(async () => {
  a = await tempWorkbook({ name: 'a.fwb' });
  basics = await seedBasics(a.api);
  figureId = (await a.api.createFigure(figureInput({ value: 100, as_of: '2024-01-01' }))).value.id;
});
afterEach(() => {
  for (const session of opened.splice(0)) session.workbook.close();
  a.cleanup();
});

function figureInput(fields: Record<string, unknown>) {
  return {
    metric_id: basics.metric('killed_total'),
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    location_id: basics.gaza.id,
    ...fields,
  } as never;
}

/** A copy of workbook a as it is now, opened as another analyst: the two share their history up to here. */
async function copyOfA(name = 'b.fwb', user = 'other'): Promise<Session> {
  const path = join(a.dir, name);
  await a.api.backup({ to: path });
  return open(path, user);
}

async function open(path: string, user: string): Promise<Session> {
  const session = await openSession(path, { user });
  opened.push(session);
  return session;
}

async function exported(api: WorkbenchApi): Promise<string> {
  const result = await api.exportCsv({ filter: { include_retracted: true }, options: { bom: false, hxl: true }, to: 'text' });
  return result.text!;
}

const rows = (db: Database.Database, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();

describe('merging a copy changed apart', () => {
  it('gives both files the same data, merged both ways, each change with its own author, time and reason', async () => {
    const b = await copyOfA();
    const mine = (await a.api.createFigure(figureInput({ value: 7, as_of: '2024-01-02' }))).value;
    await a.api.updateSource({ id: basics.sourceA.id, patch: { note: 'the claimant' }, why: 'a note on the source' });
    const theirs = await b.api.updateFigure({ id: figureId, patch: { note: 'checked against the PDF' }, why: 'checked by a second analyst' });
    const csv =
      'metric,value,as_of,source,citation_title,location\nkilled_civilian,60,2024-01-05,Source Beta,Situation report 1,Rafah\ninjured,90,2024-01-05,Source Beta,Situation report 1,Rafah\n';
    const imported = await b.api.importCsv({ file: { name: 'their.csv', text: csv } });
    expect(imported.created).toBe(2);

    const intoA = await a.api.mergeWorkbook({ from: b.workbook.path });
    expect(intoA).toMatchObject({ applied: 2, conflicts: 0, duplicates: [] });
    const intoB = await b.api.mergeWorkbook({ from: a.path });
    expect(intoB).toMatchObject({ applied: 2, conflicts: 0 });
    expect(intoB.skipped).toBeGreaterThan(2); // the common history and the two of b's that came back

    expect(await exported(a.api)).toBe(await exported(b.api));
    for (const table of ['figure', 'source', 'citation', 'location', 'metric', 'import_batch'])
      expect(rows(a.db, table), table).toEqual(rows(b.workbook.db, table));
    expect(rows(b.workbook.db, 'figure').map((f) => (f as { id: string }).id)).toContain(mine.id);

    // b's edit, in a's log: b's author, time, reason and transaction
    const edit = (await a.api.history({ entity: 'figure', id: figureId })).at(-1)!;
    const original = (await b.api.history({ entity: 'figure', id: figureId })).at(-1)!;
    expect(edit).toMatchObject({ txn: theirs.txn, by: 'other', at: original.at, why: 'checked by a second analyst', op: 'update' });
    expect(edit.after).toMatchObject({ note: 'checked against the PDF', updated_by: 'other', updated_at: original.at });

    // the imported batch travelled: its record, its figures, each figure's history an insert of that import
    expect((await a.api.listImportBatches({})).map((batch) => batch.id)).toEqual([imported.batch_id]);
    const batchFigures = a.db.prepare('SELECT id FROM figure WHERE import_batch_id = ?').pluck().all(imported.batch_id) as string[];
    expect(batchFigures).toHaveLength(2);
    const [inserted] = await a.api.history({ entity: 'figure', id: batchFigures[0]! });
    expect(inserted).toMatchObject({ op: 'insert', txn: imported.txn, by: 'other', import_batch_id: imported.batch_id });

    expect((await a.api.check({})).ok).toBe(true);
    expect((await b.api.check({})).ok).toBe(true);
  });

  it('is idempotent: merging again changes nothing and adds nothing to the log', async () => {
    const b = await copyOfA();
    await b.api.createFigure(figureInput({ value: 5, as_of: '2024-01-09' }));
    await a.api.mergeWorkbook({ from: b.workbook.path });
    const log = changeLogCount(a.db);
    const tables = dumpTables(a.db);
    const again = await a.api.mergeWorkbook({ from: b.workbook.path });
    expect(again).toMatchObject({ applied: 0, changes: 0, conflicts: 0, aliases: [] });
    expect(changeLogCount(a.db)).toBe(log);
    expect(dumpTables(a.db)).toEqual(tables);
  });

  it('reads the log as changesets in order, leaving out the transactions the other side knows', async () => {
    const b = await copyOfA();
    const update = await b.api.updateFigure({ id: figureId, patch: { value: 101 }, why: 'revised' });
    const all = [...readChangesets(b.workbook.db)];
    expect(all.map((c) => c.position)).toEqual([...all.map((c) => c.position)].sort((x, y) => x - y));
    const known = new Set(all.slice(0, -1).map((c) => c.txn));
    const [only] = [...readChangesets(b.workbook.db, { known })];
    expect(only).toMatchObject({ txn: update.txn, by: 'other', why: 'revised' });
    expect(only!.entries).toEqual([expect.objectContaining({ entity: 'figure', id: figureId, op: 'update' })]);
    expect(only!.entries[0]!.before).toMatchObject({ value: 100 });
    expect(only!.entries[0]!.after).toMatchObject({ value: 101 });
    expect([...readChangesets(b.workbook.db, { after: all.at(-2)!.position })].map((c) => c.txn)).toEqual([update.txn]);
  });
});

describe('the same figure changed on both sides', () => {
  it('is one conflict holding both versions; nothing is overwritten, in either file', async () => {
    const b = await copyOfA();
    await a.api.updateFigure({ id: figureId, patch: { value: 110 }, why: 'our reading' });
    await b.api.updateFigure({ id: figureId, patch: { value: 120 }, why: 'their reading' });

    const intoA = await a.api.mergeWorkbook({ from: b.workbook.path });
    expect(intoA.conflicts).toBe(1);
    expect((await a.api.getFigure({ id: figureId })).value).toBe(110);
    const [conflict] = await a.api.listConflicts({});
    expect(conflict).toMatchObject({ entity: 'figure', entity_id: figureId, fields: ['value'], resolution: null });
    expect([conflict!.a.state?.value, conflict!.b.state?.value].sort()).toEqual([110, 120]);
    expect(conflict!.base).toMatchObject({ value: 100 });
    expect(conflict![conflict!.ours!].state).toMatchObject({ value: 110 });

    const intoB = await b.api.mergeWorkbook({ from: a.path });
    expect(intoB.conflict_ids).toEqual([conflict!.id]); // the same conflict, under the same id
    expect((await b.api.getFigure({ id: figureId })).value).toBe(120);
    expect((await a.api.mergeWorkbook({ from: b.workbook.path })).conflicts).toBe(0);
    expect(await a.api.listConflicts({})).toHaveLength(1);
    expect((await a.api.check({})).ok).toBe(true);
    expect((await b.api.check({})).ok).toBe(true);
  });

  it('is resolved as a logged change that undo takes back, and the resolution reaches the other file', async () => {
    const b = await copyOfA();
    await a.api.updateFigure({ id: figureId, patch: { value: 110 } });
    await b.api.updateFigure({ id: figureId, patch: { value: 120 } });
    await a.api.mergeWorkbook({ from: b.workbook.path });
    await b.api.mergeWorkbook({ from: a.path });
    const [conflict] = await a.api.listConflicts({});

    const resolved = await a.api.resolveConflict({ id: conflict!.id, pick: 'theirs', why: 'their count is the newer report' });
    expect((await a.api.getFigure({ id: figureId })).value).toBe(120);
    expect(resolved.value.resolved_by_txn).toBe(resolved.txn);
    const last = (await a.api.history({ entity: 'figure', id: figureId })).at(-1)!;
    expect(last).toMatchObject({ txn: resolved.txn, why: 'their count is the newer report', by: 'test' });
    expect(await a.api.listConflicts({})).toEqual([]);

    await a.api.undo({ txn: resolved.txn });
    expect((await a.api.getFigure({ id: figureId })).value).toBe(110);
    expect((await a.api.listConflicts({})).map((c) => c.id)).toEqual([conflict!.id]);

    // picked again, keeping ours this time: the other file takes the version picked
    await a.api.resolveConflict({ id: conflict!.id, pick: 'ours' });
    await b.api.mergeWorkbook({ from: a.path });
    expect((await b.api.getFigure({ id: figureId })).value).toBe(110);
    expect(await b.api.listConflicts({})).toEqual([]);
    await a.api.mergeWorkbook({ from: b.workbook.path });
    expect(await exported(a.api)).toBe(await exported(b.api));
    expect((await a.api.check({})).ok).toBe(true);
    expect((await b.api.check({})).ok).toBe(true);
  });
});

describe('a conflict merged again', () => {
  it('takes the newer version of a side changed since, in both files alike, and is never found twice', async () => {
    const b = await copyOfA();
    await a.api.updateFigure({ id: figureId, patch: { value: 110 } });
    await b.api.updateFigure({ id: figureId, patch: { value: 120 } });
    await a.api.mergeWorkbook({ from: b.workbook.path });
    await b.api.mergeWorkbook({ from: a.path });
    const [first] = await a.api.listConflicts({});

    await b.api.updateFigure({ id: figureId, patch: { value: 125 }, why: 'a later report' });
    const again = await a.api.mergeWorkbook({ from: b.workbook.path });
    expect(again.conflict_ids).toEqual([first!.id]);
    const [updated] = await a.api.listConflicts({});
    expect(updated!.id).toBe(first!.id);
    expect([updated!.a.state?.value, updated!.b.state?.value].sort()).toEqual([110, 125]);
    expect((await a.api.getFigure({ id: figureId })).value).toBe(110);

    await b.api.mergeWorkbook({ from: a.path });
    expect(rows(b.workbook.db, 'conflict')).toEqual(rows(a.db, 'conflict'));

    // an edit here since, then the same merge again: the changes of theirs it holds are not found anew
    await a.api.updateFigure({ id: figureId, patch: { value: 111 } });
    const log = changeLogCount(a.db);
    expect((await a.api.mergeWorkbook({ from: b.workbook.path })).conflict_ids).toEqual([]);
    expect(changeLogCount(a.db)).toBe(log);
    expect(await a.api.listConflicts({})).toHaveLength(1);
    expect((await a.api.check({})).ok).toBe(true);
    expect((await b.api.check({})).ok).toBe(true);
  });
});

describe('the same thing under two ids', () => {
  it('is offered for merging, not merged; merging it repoints the figures', async () => {
    const b = await copyOfA();
    const ours = (await a.api.createSource({ name: 'Ministry of Health, Gaza', short_name: 'Gaza MoH', kind: 'health_authority' })).value;
    const theirs = (await b.api.createSource({ name: 'Gaza MoH', kind: 'health_authority' })).value;
    const claim = (await b.api.createFigure(figureInput({ source_id: theirs.id, value: 35_456, as_of: '2024-05-19' }))).value;

    const report = await a.api.mergeWorkbook({ from: b.workbook.path });
    expect(report.duplicates).toEqual([
      expect.objectContaining({ entity: 'source', ids: [ours.id, theirs.id].sort(), reason: expect.stringContaining('short name') }),
    ]);
    expect((await a.api.listSources({})).filter((s) => s.id === ours.id || s.id === theirs.id)).toHaveLength(2);
    expect(await a.api.listDuplicates({})).toEqual(report.duplicates);

    const merged = await a.api.mergeSources({ keep_id: ours.id, merge_ids: [theirs.id] });
    expect((await a.api.getFigure({ id: claim.id })).source_id).toBe(ours.id);
    expect((await a.api.listSources({})).some((s) => s.id === theirs.id)).toBe(false);
    expect(await a.api.listDuplicates({})).toEqual([]);
    expect((await a.api.history({ entity: 'figure', id: claim.id })).at(-1)!.txn).toBe(merged.txn);
    expect((await a.api.check({})).ok).toBe(true);

    // the other analyst goes on with the source merged away here: the figure lands on the one kept
    const later = (await b.api.createFigure(figureInput({ source_id: theirs.id, value: 35_500, as_of: '2024-05-20' }))).value;
    expect((await a.api.mergeWorkbook({ from: b.workbook.path })).applied).toBe(1);
    expect((await a.api.getFigure({ id: later.id })).source_id).toBe(ours.id);
    // and the merge reaches the other file: its figures repointed, its duplicate gone
    await b.api.mergeWorkbook({ from: a.path });
    expect((await b.api.getFigure({ id: later.id })).source_id).toBe(ours.id);
    expect((await b.api.listSources({})).some((s) => s.id === theirs.id)).toBe(false);
    expect(await exported(a.api)).toBe(await exported(b.api));
    expect((await a.api.check({})).ok).toBe(true);
    expect((await b.api.check({})).ok).toBe(true);
  });
});

describe('possible duplicates', () => {
  it('are names alike but for case, accents, punctuation and word order, and citations of one URL', async () => {
    const one = (await a.api.createLocation({ name: 'Khan Yunis, city' })).value;
    const two = (await a.api.createLocation({ name: 'City Khān Yūnis' })).value;
    await a.api.createLocation({ name: 'Khan Yunis camp' });
    const page = (await a.api.createCitation({ title: 'Daily report', url: 'https://www.example.org/report/' })).value;
    const same = (await a.api.createCitation({ title: 'The daily report', url: 'http://example.org/report' })).value;
    await a.api.createCitation({ title: 'Another', url: 'https://example.org/Report' });
    const found = await a.api.listDuplicates({});
    // ids made in one millisecond are in no set order: compare each pair as a set
    expect(found.map((d) => [d.entity, [...d.ids].sort()])).toEqual([
      ['citation', [page.id, same.id].sort()],
      ['location', [one.id, two.id].sort()],
    ]);
  });
});

describe('two workbooks made apart', () => {
  it('take each other’s built-in metrics as their own by code, and end with the same export', async () => {
    const c = await open(join(a.dir, 'c.fwb'), 'third');
    const source = (await c.api.createSource({ name: 'UNRWA', kind: 'un_agency' })).value;
    const citation = (await c.api.createCitation({ title: 'Situation report 99', url: 'https://example.org/99' })).value;
    const metrics = await c.api.listMetrics({});
    const total = metrics.find((m) => m.code === 'killed_total')!;
    const theirs = (await c.api.createFigure({ metric_id: total.id, source_id: source.id, citation_id: citation.id, value: 3, as_of: '2024-02-01' })).value;

    const report = await a.api.mergeWorkbook({ from: c.workbook.path });
    expect(report.conflicts).toBe(0);
    expect(report.aliases.filter((alias) => alias.entity === 'metric').map((alias) => alias.matched)).toContain('code=killed_total');
    expect((await a.api.getFigure({ id: theirs.id })).metric_id).toBe(basics.metric('killed_total'));
    expect((await a.api.listMetrics({})).filter((m) => m.code === 'killed_total')).toHaveLength(1);

    await c.api.mergeWorkbook({ from: a.path });
    expect((await c.api.getFigure({ id: figureId })).metric_id).toBe(total.id);
    expect(await exported(a.api)).toBe(await exported(c.api));
    // their later edit of a figure reaches a through the alias
    await c.api.updateFigure({ id: theirs.id, patch: { value: 4 } });
    await a.api.mergeWorkbook({ from: c.workbook.path });
    expect((await a.api.getFigure({ id: theirs.id })).value).toBe(4);
    expect((await a.api.check({})).ok).toBe(true);
    expect((await c.api.check({})).ok).toBe(true);
  });
});

describe('a merge refused', () => {
  const unchanged = async (work: () => Promise<unknown>) => {
    const log = changeLogCount(a.db);
    const tables = dumpTables(a.db);
    const error = await rejection(work() as Promise<unknown>);
    expect(changeLogCount(a.db)).toBe(log);
    expect(dumpTables(a.db)).toEqual(tables);
    return error;
  };

  it('names a file that is not a workbook, the workbook itself, and a workbook of a newer version; nothing changes', async () => {
    const notes = join(a.dir, 'notes.txt');
    writeFileSync(notes, 'not a workbook\n');
    expect((await unchanged(() => a.api.mergeWorkbook({ from: notes }))).message).toContain('notes.txt');
    expect((await unchanged(() => a.api.mergeWorkbook({ from: join(a.dir, 'missing.fwb') }))).code).toBe('not_found');
    const self = await unchanged(() => a.api.mergeWorkbook({ from: join(a.dir, '.', 'a.fwb') }));
    expect(self).toMatchObject({ code: 'validation' });
    expect(self.message).toContain('it is the workbook merged into');

    const newer = join(a.dir, 'newer.fwb');
    await a.api.backup({ to: newer });
    const raw = new Database(newer);
    raw.pragma('user_version = 99');
    raw.close();
    const refused = await unchanged(() => a.api.mergeWorkbook({ from: newer }));
    expect(refused.code).toBe('newer_version');
  });

  it('reads a workbook of an older version through an upgraded copy, leaving the file as it was', async () => {
    const path = join(a.dir, 'old.fwb');
    const old = await Workbook.open(path, { user: 'old', migrations: loadMigrations().filter((m) => m.version <= 6) });
    old.transact({ why: 'a source of schema 6' }, (tx) => {
      tx.insert('source', {
        id: '01900000-0000-7000-8000-000000000001',
        name: 'Old source',
        short_name: null,
        kind: 'other',
        party_to_conflict: null,
        note: null,
      });
    });
    old.close();
    const before = sha256File(path);
    const report = await a.api.mergeWorkbook({ from: path });
    expect(report.applied).toBeGreaterThan(0);
    expect((await a.api.listSources({})).map((s) => s.name)).toContain('Old source');
    expect(sha256File(path)).toBe(before);
    expect((await a.api.check({})).ok).toBe(true);
  });
});
