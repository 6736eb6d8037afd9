// Backups: on demand into <file>.backups/ with rotation, before migrations (never rotated), listed newest first,
// restored end to end into the open workbook (and the restore undone), and — when a workbook will not open — the
// newest sound backup found and put in its place with the damaged file kept.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBackupName } from '../../src/core/store/backupNames';
import { backupNow, latestBackup, listBackups, recoverFromBackup, restoreBackup, rotateBackups } from '../../src/core/store/backups';
import { backupTo } from '../../src/core/store/database';
import { latestVersion, loadMigrations } from '../../src/core/store/migrations';
import { Workbook } from '../../src/core/store/workbook';
import { openSession } from '../../src/core/session';
import { dumpTables, rejection, seedBasics, tempDir, type TempWorkbook, tempWorkbook, workbookState } from '../support/tempWorkbook';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function workbookWithFigure(): Promise<TempWorkbook & { figureId: string }> {
  const t = await tempWorkbook();
  cleanups.push(t.cleanup);
  const basics = await seedBasics(t.api);
  const figure = await t.api.createFigure({
    metric_id: basics.metric('killed_total'),
    source_id: basics.sourceA.id,
    citation_id: basics.citation.id,
    value: 35_456,
    as_of: '2024-05-19',
    excerpt: 'killed_cum=35456',
  });
  return { ...t, figureId: figure.value.id };
}

/** Overwrites `count` bytes at `offset` with `byte`. */
function scribble(path: string, offset: number, count: number, byte = 0xab): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(count, byte), 0, count, offset);
  } finally {
    closeSync(fd);
  }
}

describe('a backup on demand', () => {
  it('is one self-contained file in <file>.backups/ (rollback journal, integrity ok), listed with its time, size and label', async () => {
    const t = await workbookWithFigure();
    const before = Date.now();
    const { backup, removed } = await backupNow(t.workbook);
    expect(removed).toEqual([]);
    expect(backup.path).toBe(join(`${t.path}.backups`, backup.name));
    expect(backup.name).toMatch(/^test\.fwb\.\d{8}T\d{9}Z\.manual\.bak$/);
    expect(Date.parse(backup.at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1);
    expect(backup.bytes).toBe(readFileSync(backup.path).length);
    expect(readdirSync(`${t.path}.backups`)).toEqual([backup.name]); // no -wal, -shm or .partial left beside it
    // bytes 18-19 of the header: 1 = rollback journal (2 would need a -wal beside it to be read)
    expect([...readFileSync(backup.path).subarray(18, 20)]).toEqual([1, 1]);

    const copy = new Database(backup.path, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(dumpTables(copy)).toEqual(dumpTables(t.db));
    copy.close();
    expect(readdirSync(`${t.path}.backups`)).toEqual([backup.name]);
    expect(listBackups(t.path)).toEqual([backup]);
  });

  it('keeps the newest N on-demand backups and deletes older ones, never a backup made before a migration', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'w.fwb');
    const v1 = await Workbook.open(path, { user: 'test' });
    v1.close();
    const real = loadMigrations();
    const next = latestVersion(real) + 1; // one migration more than the app has
    const migrations = [...real, { version: next, name: 'test.sql', sql: 'CREATE TABLE test_extra (x TEXT);' }];
    const workbook = await Workbook.open(path, { user: 'test', migrations });
    cleanups.push(() => workbook.close());
    expect(workbook.migrationBackupPath).not.toBeNull();

    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.push((await backupNow(workbook, { keep: 3 })).backup.name);
    const listed = listBackups(path);
    expect(listed.map((b) => b.label)).toEqual(['manual', 'manual', 'manual', `before-v${next}`]);
    expect(listed.slice(0, 3).map((b) => b.name)).toEqual(made.slice(2).reverse()); // newest first
    expect(existsSync(join(`${path}.backups`, made[0]!))).toBe(false);
    expect(existsSync(workbook.migrationBackupPath!)).toBe(true);

    expect(rotateBackups(path, 1)).toEqual(made.slice(2, 4).reverse());
    expect(listBackups(path).map((b) => b.label)).toEqual(['manual', `before-v${next}`]);
  });

  it('gives two backups in the same millisecond different names, and refuses to overwrite a file', async () => {
    const t = await workbookWithFigure();
    const names = new Set<string>();
    for (let i = 0; i < 4; i += 1) names.add((await backupNow(t.workbook, { keep: 100 })).backup.name);
    expect(names.size).toBe(4);
    const [newest] = listBackups(t.path);
    const error = await rejection(backupTo(t.db, newest!.path));
    expect(error.code).toBe('conflict');
  });

  it('clears the temporary copies a killed backup left (its process gone), never those of a live process', async () => {
    const t = await workbookWithFigure();
    const dir = `${t.path}.backups`;
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
    const { backup } = await backupNow(t.workbook);
    writeFileSync(join(dir, `${backup.name}.partial-${gone}`), 'half a copy');
    writeFileSync(join(dir, `${backup.name}.partial-${gone}-journal`), 'its journal');
    writeFileSync(join(dir, `${backup.name}.partial-${process.pid}`), 'a copy under way');
    const { backup: next } = await backupNow(t.workbook);
    expect(readdirSync(dir).sort()).toEqual([backup.name, `${backup.name}.partial-${process.pid}`, next.name].sort());
  });

  it('ignores files in the folder that are not finished backups of this workbook', async () => {
    const t = await workbookWithFigure();
    const { backup } = await backupNow(t.workbook);
    const dir = `${t.path}.backups`;
    writeFileSync(join(dir, `${backup.name}.partial-12345`), 'half');
    writeFileSync(join(dir, 'other.fwb.20240101T000000000Z.manual.bak'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect(listBackups(t.path).map((b) => b.name)).toEqual([backup.name]);
    expect(parseBackupName('w.fwb.20241119T101530Z.before-v2.bak')?.at).toBe('2024-11-19T10:15:30.000Z'); // older names
  });
});

describe('restoring a backup into the open workbook', () => {
  it('brings back the figures, sources and change_log of the backup, keeps the state before as a backup, and can be undone', async () => {
    const t = await workbookWithFigure();
    const { backup } = await backupNow(t.workbook);
    // the tables at rest: the warnings' upkeep of the writes before done (a backup does it first too)
    const atRest = () => {
      t.workbook.findPendingWarnings();
      return dumpTables(t.db);
    };
    const atBackup = atRest();

    await t.api.updateFigure({ id: t.figureId, patch: { value: 36_000 }, why: 'later report' });
    await t.api.createSource({ name: 'Source Gamma' });
    const afterEdits = atRest();
    expect(afterEdits).not.toEqual(atBackup);

    const result = await restoreBackup(t.workbook, backup.name);
    expect(result.restored.name).toBe(backup.name);
    expect(result.safety.label).toBe('before-restore');
    expect(dumpTables(t.db)).toEqual(atBackup); // the same connection sees the backup at once
    expect((await t.api.getFigure({ id: t.figureId })).value).toBe(35_456);
    expect((await t.api.check({})).ok).toBe(true);

    // the restore is undone by restoring the safety backup
    await restoreBackup(t.workbook, result.safety.name);
    expect(dumpTables(t.db)).toEqual(afterEdits);
    expect((await t.api.getFigure({ id: t.figureId })).value).toBe(36_000);

    // and the workbook keeps working and survives a reopen
    await t.api.updateFigure({ id: t.figureId, patch: { note: 'after restore' } });
    t.workbook.close();
    const reopened = await openSession(t.path, { user: 'test' });
    expect((await reopened.api.getFigure({ id: t.figureId })).note).toBe('after restore');
    expect((await reopened.api.check({})).ok).toBe(true);
    reopened.workbook.close();
  });

  it('refuses a damaged backup (corrupt) and an unknown name (not_found), leaving the workbook and the folder as they were', async () => {
    const t = await workbookWithFigure();
    const { backup } = await backupNow(t.workbook);
    scribble(backup.path, 4096 * 2, 4096 * 2); // pages 3 and 4
    const before = workbookState(t);
    const folder = readdirSync(`${t.path}.backups`).sort();

    const damaged = await rejection(restoreBackup(t.workbook, backup.name));
    expect(damaged.code).toBe('corrupt');
    expect(damaged.message).toContain(backup.name);
    const unknown = await rejection(restoreBackup(t.workbook, 'nothing-here.bak'));
    expect(unknown.code).toBe('not_found');

    expect(workbookState(t)).toEqual(before);
    expect(readdirSync(`${t.path}.backups`).sort()).toEqual(folder);
  });
});

describe('a workbook that will not open', () => {
  it('offers the newest sound backup (skipping a damaged newer one) and recovers it, keeping the damaged file and its -wal', async () => {
    const t = await workbookWithFigure();
    const { backup: good } = await backupNow(t.workbook);
    const atGood = dumpTables(t.db);
    await t.api.createSource({ name: 'Made after the good backup' });
    const { backup: bad } = await backupNow(t.workbook);
    scribble(bad.path, 4096, 4096 * 3);
    // a committed change still in the -wal when the main file is damaged: the -wal must not be replayed into the backup
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    await t.api.updateFigure({ id: t.figureId, patch: { value: 1 } });
    const wal = readFileSync(`${t.path}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    t.workbook.close();
    writeFileSync(`${t.path}-wal`, wal); // close() folded the -wal in; put one back as a crash would leave it
    scribble(t.path, 0, 16, 0x5a); // the header's magic string

    const error = await rejection(Workbook.open(t.path, { user: 'test' }));
    expect(error.code).toBe('corrupt');

    const latest = latestBackup(t.path);
    expect(latest?.name).toBe(good.name);
    expect(latest?.schema_version).toBe(latestVersion(loadMigrations()));
    const { restored, damaged } = recoverFromBackup(t.path, latest);
    expect(restored.name).toBe(good.name);
    expect(damaged).toMatch(/test\.fwb\.damaged-\d{8}T\d{9}Z$/);
    expect(existsSync(damaged!)).toBe(true);
    expect(readFileSync(`${damaged}-wal`)).toEqual(wal);
    expect(existsSync(`${t.path}-wal`)).toBe(false);

    const session = await openSession(t.path, { user: 'test' });
    expect(dumpTables(session.workbook.db)).toEqual(atGood);
    expect((await session.api.check({})).ok).toBe(true);
    session.workbook.close();
  });

  it('says so when there is no sound backup', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    expect(latestBackup(join(dir, 'never-backed-up.fwb'))).toBeNull();
    expect(() => recoverFromBackup(join(dir, 'never-backed-up.fwb'))).toThrow(/no sound backup/);
  });
});

describe('through WorkbenchApi', () => {
  it('backupNow, listBackups and restoreBackup: back up, edit, restore, and the edit is gone while the state before stays a backup', async () => {
    const t = await workbookWithFigure();
    const first = await t.api.backupNow({ keep: 2 });
    await t.api.updateFigure({ id: t.figureId, patch: { value: 40_000 } });
    const second = await t.api.backupNow({ keep: 2 });
    const third = await t.api.backupNow({ keep: 2 });
    expect(third.removed).toEqual([first.backup.name]);
    expect((await t.api.listBackups({})).map((b) => b.name)).toEqual([third.backup.name, second.backup.name]);

    await t.api.updateFigure({ id: t.figureId, patch: { value: 50_000 } });
    const restored = await t.api.restoreBackup({ name: second.backup.name, keep: 2 });
    expect((await t.api.getFigure({ id: t.figureId })).value).toBe(40_000);
    expect(restored.safety.label).toBe('before-restore');
    const names = (await t.api.listBackups({})).map((b) => b.name);
    expect(names).toContain(restored.safety.name);
    // the backup restored from is not rotated away, though it is the oldest: one over `keep` until the next backup
    expect(names).toEqual([restored.safety.name, third.backup.name, second.backup.name]);

    const error = await rejection(t.api.restoreBackup({ name: '../test.fwb' }));
    expect(error.code).toBe('validation'); // a name, never a path
  });
});
