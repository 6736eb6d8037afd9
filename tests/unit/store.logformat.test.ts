// The change log as reverse deltas with a hash chain: every past state of a figure rebuilt from the head, the chain
// verified by check, an entry or a row altered outside the app named, and schema-1 workbooks converted with nothing
// of their history lost.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestVersion, loadMigrations } from '../../src/core/store/migrations';
import { openSession } from '../../src/core/session';
import type { ChangeLogEntry, Entity } from '../../src/shared/domain';
import { fixture, rejection, seedBasics, sha256File, type TempWorkbook, tempDir, tempWorkbook } from '../support/tempWorkbook';

let t: TempWorkbook;
afterEach(() => t?.cleanup());

const row = (id: string) => {
  const stored = t.db.prepare('SELECT * FROM figure WHERE id = ?').get(id) as Record<string, unknown>;
  delete stored.effective_date; // generated, not stored
  return stored;
};
const sqlite3 = (path: string, sql: string) => execFileSync('sqlite3', [path, sql], { encoding: 'utf8' });

describe('rebuilding every past state from the head', () => {
  let basics: Awaited<ReturnType<typeof seedBasics>>;
  beforeEach(async () => {
    t = await tempWorkbook();
    basics = await seedBasics(t.api);
  });

  it('gives, for a figure edited sixty times (edits, retraction, undo, redo, revert, re-import), each state it had after each call', async () => {
    const { value: created, txn: createTxn } = await t.api.createFigure({
      metric_id: basics.metric('killed_total'),
      source_id: basics.sourceA.id,
      citation_id: basics.citation.id,
      value: 100,
      as_of: '2024-01-01',
    });
    const id = created.id;
    // what the old format logged as each entry's after: the row read right after each call
    const recorded: Array<{ txn: string; state: Record<string, unknown> }> = [{ txn: createTxn, state: row(id) }];
    // a call that changes nothing is not logged (as in the old format)
    const record = (txn: string) => {
      const state = row(id);
      if (JSON.stringify(state) !== JSON.stringify(recorded.at(-1)!.state)) recorded.push({ txn, state });
    };
    const patches = [
      { value: 120 },
      { low: 110, high: 130, qualifier: 'approximately' as const },
      { note: 'checked against the daily report' },
      { status: 'checked' as const, confidence: 'high' as const },
      { excerpt: 'some 120 people were killed', note: null },
      { value: null },
      { location_id: basics.rafah.id, as_of: '2024-01-02' },
      { relayed_via_id: basics.sourceB.id, method: 'estimate' as const },
      { value: 130, low: null, high: null, qualifier: 'exact' as const, relayed_via_id: null, location_id: basics.gaza.id },
    ];
    for (let i = 0; i < 40; i += 1)
      record((await t.api.updateFigure({ id, patch: { ...patches[i % patches.length]!, note: `edit ${i}` }, why: `edit ${i}` })).txn);
    record((await t.api.retractFigure({ id, reason: 'withdrawn' })).txn);
    const undo = await t.api.undo({ txn: recorded.at(-1)!.txn });
    record(undo.txn);
    const redo = await t.api.undo({ txn: undo.txn });
    record(redo.txn);
    record((await t.api.undo({ txn: redo.txn })).txn);
    const history = await t.api.history({ entity: 'figure', id });
    record((await t.api.revertFigure({ id, change_id: history[7]!.id })).txn);
    const csv = `id,metric,value,as_of,source,citation_title,url\r\n${id},killed_total,777,2024-01-05,Source Alpha,Situation report 1,https://example.org/report-1\r\n`;
    const report = await t.api.importCsv({ file: { name: 'update.csv', text: csv } });
    expect(report.updated).toBe(1);
    record(report.txn!);
    for (let i = 0; i < 13; i += 1) record((await t.api.updateFigure({ id, patch: { value: 800 + i, note: i % 2 ? 'odd' : null } })).txn);

    const rebuilt = await t.api.history({ entity: 'figure', id });
    expect(rebuilt.map((h) => h.txn)).toEqual(recorded.map((r) => r.txn));
    expect(rebuilt.length).toBeGreaterThanOrEqual(60);
    rebuilt.forEach((entry, i) => {
      expect(entry.after, `state after change ${i}`).toEqual(recorded[i]!.state);
      expect(entry.before, `state before change ${i}`).toEqual(i === 0 ? null : recorded[i - 1]!.state);
    });
    // the log holds deltas, not rows: no update entry carries a field it did not change
    const deltas = t.db.prepare("SELECT delta FROM change_log WHERE entity_id = ? AND op = 'update'").pluck().all(id) as string[];
    for (const delta of deltas) {
      for (const [before, after] of Object.values(JSON.parse(delta) as Record<string, [unknown, unknown]>)) expect(before).not.toEqual(after);
    }
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('gives an imported figure its state at the import from the one entry of the import, then each later edit', async () => {
    const csv = 'metric,value,as_of,source,citation_title\r\nkilled_total,10,2024-01-01,Imported,Doc\r\nkilled_total,20,2024-01-02,Imported,Doc\r\n';
    const report = await t.api.importCsv({ file: { name: 'two.csv', text: csv } });
    const [first, second] = t.db.prepare('SELECT id FROM figure WHERE import_batch_id = ? ORDER BY import_row').pluck().all(report.batch_id) as string[];
    const atImport = row(first!);
    await t.api.updateFigure({ id: first!, patch: { value: 11 } });
    const history = await t.api.history({ entity: 'figure', id: first! });
    expect(history.map((h) => [h.op, h.import_batch_id])).toEqual([
      ['insert', report.batch_id],
      ['update', null],
    ]);
    expect(history[0]!.after).toEqual(atImport);
    expect(history[1]).toMatchObject({ before: atImport, after: row(first!) });
    expect((await t.api.history({ entity: 'figure', id: second! }))[0]!.after).toEqual(row(second!));
    // one undo of the import's entry retracts its figures, each retraction logged
    const undo = await t.api.undo({ change_id: history[0]!.id });
    expect(undo.reverted).toBe(2);
    expect((await t.api.check({})).ok).toBe(true);
  });
});

describe('the hash chain', () => {
  let figureId: string;
  beforeEach(async () => {
    t = await tempWorkbook();
    const basics = await seedBasics(t.api);
    figureId = (
      await t.api.createFigure({
        metric_id: basics.metric('injured'),
        source_id: basics.sourceA.id,
        citation_id: basics.citation.id,
        value: 5,
        as_of: '2024-01-01',
      })
    ).value.id;
    await t.api.updateFigure({ id: figureId, patch: { value: 6 } });
    await t.api.updateFigure({ id: figureId, patch: { value: 7 } });
    await t.api.createSource({ name: 'Later source' });
  });

  it('is whole after ordinary work: check is ok', async () => {
    expect((await t.api.check({})).ok).toBe(true);
  });

  it('names the entry a delta was altered in with the sqlite3 CLI (append-only trigger dropped first)', async () => {
    const middle = t.db.prepare("SELECT min(id) FROM change_log WHERE entity_id = ? AND op = 'update'").pluck().get(figureId) as number;
    sqlite3(t.path, `DROP TRIGGER change_log_no_update; UPDATE change_log SET delta = '{"value":[5,60]}' WHERE id = ${middle};`);
    const report = await t.api.check({});
    expect(report.ok).toBe(false);
    const errors = report.problems.filter((p) => p.severity === 'error');
    expect(errors[0]).toEqual({
      entity: 'figure',
      id: figureId,
      severity: 'error',
      reason: `change_log entry #${middle} does not match its hash: the log was altered outside the app`,
    });
  });

  it('names the entry whose hash was forged to hide an altered delta: the next one no longer chains', async () => {
    const middle = t.db.prepare("SELECT min(id) FROM change_log WHERE entity_id = ? AND op = 'update'").pluck().get(figureId) as number;
    // recompute the altered entry's own hash as the app would; the entry after it still holds the old one
    sqlite3(t.path, `DROP TRIGGER change_log_no_update; UPDATE change_log SET why = 'forged' WHERE id = ${middle};`);
    const { entryHash } = await import('../../src/core/store/logChain');
    const db = new Database(t.path);
    const entry = db.prepare('SELECT * FROM change_log WHERE id = ?').get(middle) as Parameters<typeof entryHash>[1] & { state_hash: Buffer };
    const previous = db
      .prepare('SELECT hash FROM change_log WHERE id = ?')
      .pluck()
      .get(middle - 1) as Buffer;
    db.prepare('UPDATE change_log SET hash = ? WHERE id = ?').run(entryHash(previous, entry, entry.state_hash), middle);
    db.close();
    const errors = (await t.api.check({})).problems.filter((p) => p.severity === 'error');
    expect(errors[0]!.reason).toBe(`change_log entry #${middle + 1} does not match its hash: the log was altered outside the app`);
  });

  it('names the latest entry of a figure row altered with the sqlite3 CLI', async () => {
    const latest = t.db.prepare('SELECT max(id) FROM change_log WHERE entity_id = ?').pluck().get(figureId) as number;
    sqlite3(t.path, `UPDATE figure SET value = 70 WHERE id = '${figureId}';`);
    const report = await t.api.check({});
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([
      {
        entity: 'figure',
        id: figureId,
        severity: 'error',
        reason: `differs from its latest change_log entry (#${latest}): changed around the single write path`,
      },
    ]);
  });

  it('names the import entry when an imported figure row was altered with the sqlite3 CLI', async () => {
    const csv = 'metric,value,as_of,source,citation_title\r\nkilled_total,10,2024-01-01,Imported,Doc\r\nkilled_total,20,2024-01-02,Imported,Doc\r\n';
    const report = await t.api.importCsv({ file: { name: 'two.csv', text: csv } });
    const entry = t.db.prepare("SELECT id FROM change_log WHERE op = 'import' AND entity_id = ?").pluck().get(report.batch_id) as number;
    sqlite3(t.path, `UPDATE figure SET excerpt = 'invented' WHERE import_batch_id = '${report.batch_id}' AND import_row = 3;`);
    const errors = (await t.api.check({})).problems.filter((p) => p.severity === 'error');
    expect(errors).toEqual([
      {
        entity: 'import_batch',
        id: report.batch_id,
        severity: 'error',
        reason: `a figure of this import differs from what change_log entry #${entry} recorded: changed around the single write path`,
      },
    ]);
  });

  it('names the gap when entries were deleted from the log', async () => {
    const last = t.db.prepare('SELECT max(id) FROM change_log').pluck().get() as number;
    sqlite3(t.path, `DROP TRIGGER change_log_no_delete; DELETE FROM change_log WHERE id = ${last - 1};`);
    const errors = (await t.api.check({})).problems.filter((p) => p.severity === 'error');
    expect(errors[0]!.reason).toBe(`change_log entries #${last - 1} to #${last - 1} are missing: the log was altered outside the app`);
  });
});

describe('migrating a schema-1 workbook', () => {
  /** Every entity's history as schema 1 recorded it: full before and after on every entry. */
  function v1Histories(path: string) {
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM change_log ORDER BY id').all() as Array<Record<string, unknown>>;
    db.close();
    const histories = new Map<string, Array<Record<string, unknown>>>();
    for (const r of rows) {
      const key = `${r.entity}:${r.entity_id}`;
      histories.set(key, [...(histories.get(key) ?? []), r]);
    }
    return { rows, histories };
  }
  /** A state without the columns added since schema 1 while they are empty: a null there is no change. */
  const sinceSchema1 = (state: Record<string, unknown> | null, old: Record<string, unknown> | null) =>
    state && old ? Object.fromEntries(Object.entries(state).filter(([k, v]) => v !== null || k in old)) : state;
  const comparable = (e: Pick<ChangeLogEntry, 'txn' | 'at' | 'by' | 'why' | 'op' | 'import_batch_id'>) => [e.txn, e.at, e.by, e.why, e.op, e.import_batch_id];

  it('keeps every entity’s full history (every state, who, when, why, what it undid), backs up first, and passes check', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'history.fwb');
      copyFileSync(fixture('v1', 'history.fwb'), path);
      const old = v1Histories(path);
      expect(old.rows.length).toBeGreaterThan(100);

      const { api, workbook } = await openSession(path, { user: 'test', create: false });
      try {
        const latest = latestVersion(loadMigrations());
        expect(workbook.schemaVersion).toBe(latest);
        const backups = readdirSync(`${path}.backups`);
        expect(backups.some((name) => name.includes(`before-v${latest}`))).toBe(true);
        expect(v1Histories(join(`${path}.backups`, backups[0]!)).rows).toEqual(old.rows); // the backup is the old file

        const migrated = new Map<string, ChangeLogEntry[]>();
        for (const [key, entries] of old.histories) {
          const [entity, id] = key.split(':') as [Entity, string];
          const full = await api.history({ entity, id });
          // schema 4 then says what each known metric is (cumulative, part of what): one logged update after its history
          const history = full.slice(0, entries.length);
          for (const added of full.slice(entries.length)) {
            expect([entity, added.op, added.by, added.why?.startsWith('schema 4')], key).toEqual(['metric', 'update', 'figures-workbench', true]);
          }
          migrated.set(key, history);
          expect(history.map(comparable), key).toEqual(entries.map((e) => comparable(e as unknown as ChangeLogEntry)));
          history.forEach((entry, i) => {
            const was = entries[i]!;
            const [before, after] = [was.before, was.after].map((state) => (state === null ? null : (JSON.parse(state as string) as Record<string, unknown>)));
            expect(sinceSchema1(entry.before, before!), `${key} #${was.id} before`).toEqual(before);
            expect(sinceSchema1(entry.after, after!), `${key} #${was.id} after`).toEqual(after);
          });
        }
        // what each undo undid: the same change, though an import's figure inserts became its one entry
        const newIdOf = new Map<number, number>();
        for (const [key, entries] of old.histories) migrated.get(key)!.forEach((e, i) => newIdOf.set(entries[i]!.id as number, e.id));
        for (const [key, entries] of old.histories) {
          migrated.get(key)!.forEach((e, i) => expect(e.undoes, key).toBe(entries[i]!.undoes === null ? null : newIdOf.get(entries[i]!.undoes as number)));
        }
        const imports = workbook.db.prepare("SELECT count(*) FROM change_log WHERE op = 'import'").pluck().get();
        expect(imports).toBe(2);
        expect(workbook.db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBeLessThan(old.rows.length);
        expect(existsSync(path)).toBe(true);
        const report = await api.check({});
        expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(report.ok).toBe(true);
        // and the converted log goes on: undo and redo still work on converted entries
        const [edited] = workbook.db
          .prepare("SELECT entity_id FROM change_log WHERE entity = 'figure' AND op = 'update' ORDER BY id DESC")
          .pluck()
          .all() as string[];
        const last = (await api.history({ entity: 'figure', id: edited! })).at(-1)!;
        const undo = await api.undo({ change_id: last.id });
        await api.undo({ txn: undo.txn });
        expect((await api.check({})).ok).toBe(true);
      } finally {
        workbook.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe('compacting after the migration', () => {
  it('gives back the space the schema-1 log took: the migrated file is smaller than the old one, and sound', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'history.fwb');
      copyFileSync(fixture('v1', 'history.fwb'), path);
      const before = statSync(path).size;
      const { api, workbook } = await openSession(path, { user: 'test', create: false });
      try {
        expect(workbook.db.pragma('freelist_count', { simple: true })).toBe(0);
        expect((await api.check({})).ok).toBe(true);
      } finally {
        workbook.close();
      }
      expect(existsSync(`${path}-wal`)).toBe(false);
      const after = statSync(path).size;
      // the old log's space given back; the newer schema's own (empty) tables take a few pages of their own
      expect(after).toBeLessThan(before * 0.8);
      const backup = readdirSync(`${path}.backups`)[0]!;
      expect(statSync(join(`${path}.backups`, backup)).size).toBe(before); // the backup keeps the old file whole
    } finally {
      cleanup();
    }
  });
});

describe('the export manifest', () => {
  beforeEach(async () => {
    t = await tempWorkbook({ demo: true });
  });

  it('names the log position and head hash the export was made at, beside OUT.csv; the entry there keeps that hash as the log grows', async () => {
    const out = join(t.dir, 'report.csv');
    const result = await t.api.exportCsv({ filter: { metric: ['killed_total'] }, options: { manifest: true }, to: { path: out } });
    const manifest = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Record<string, unknown>;
    const head = t.db.prepare('SELECT id, hex(hash) AS hash FROM change_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string };
    expect(manifest).toMatchObject({
      format: 'figures-workbench-export/1',
      file: 'report.csv',
      rows: result.rows,
      bytes: result.bytes,
      sha256: sha256File(out),
      schema_version: t.workbook.schemaVersion,
      log_position: head.id,
      head_hash: head.hash.toLowerCase(),
      filter: { metric: ['killed_total'] },
    });
    const [figure] = (await t.api.listFigures({ metric: ['killed_total'], limit: 1 })).rows;
    await t.api.updateFigure({ id: figure!.id, patch: { note: 'after the report' } });
    const at = t.db.prepare('SELECT hex(hash) FROM change_log WHERE id = ?').pluck().get(manifest.log_position) as string;
    expect(at.toLowerCase()).toBe(manifest.head_hash);
    expect(t.db.prepare('SELECT max(id) FROM change_log').pluck().get()).toBeGreaterThan(manifest.log_position as number);
  });

  it('writes no manifest unless asked, and refuses one for an export to text', async () => {
    const out = join(t.dir, 'plain.csv');
    await t.api.exportCsv({ filter: {}, options: {}, to: { path: out } });
    expect(existsSync(`${out}.json`)).toBe(false);
    const error = await rejection(t.api.exportCsv({ filter: {}, options: { manifest: true }, to: 'text' }));
    expect(error.code).toBe('validation');
  });
});
