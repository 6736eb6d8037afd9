// Point 1: the workbook file — pragmas, versioning by migrations, refusing files we must not touch, backup first.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID } from '../../src/core/store/database';
import { latestVersion, loadMigrations, type Migration } from '../../src/core/store/migrations';
import { Workbook } from '../../src/core/store/workbook';
import { openSession } from '../../src/core/session';
import { WorkbenchError } from '../../src/shared/errors';
import { BUILT_IN_METRICS } from '../../src/shared/domain';
import { fixture, PROJECT, rejection, sha256File, tempDir } from '../support/tempWorkbook';

const dirs: Array<() => void> = [];
const open: Workbook[] = [];
afterEach(() => {
  for (const workbook of open.splice(0)) workbook.close();
  for (const cleanup of dirs.splice(0)) cleanup();
});

function newDir(): string {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  return dir;
}

async function openWorkbook(path: string, options: Parameters<typeof Workbook.open>[1] = {}): Promise<Workbook> {
  const workbook = await Workbook.open(path, { user: 'test', ...options });
  open.push(workbook);
  return workbook;
}

/** A closed workbook file with one source in it, made with the app's own migrations. */
async function closedWorkbookFile(dir: string, name = 'w.fwb', migrations?: Migration[]): Promise<string> {
  const path = join(dir, name);
  const workbook = await Workbook.open(path, { user: 'test', migrations });
  workbook.transact({ why: 'fixture' }, (tx) => tx.insert('source', { id: '00000000-0000-7000-8000-000000000001', name: 'Fixture source', kind: 'other' }));
  workbook.close();
  return path;
}

/** The files in a directory, to show a refused open left no -wal/-shm or anything else behind. */
const listing = (dir: string) => readdirSync(dir).sort();

describe('a new workbook file', () => {
  it('is SQLite in WAL mode with synchronous=FULL, foreign keys on, our application_id and the latest migration version', async () => {
    const path = join(newDir(), 'new.fwb');
    const workbook = await openWorkbook(path);
    const db = workbook.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);

    // The latest version is the highest numbered file in migrations/, read from the folder here, not from the code.
    const numbered = readdirSync(join(PROJECT, 'migrations'))
      .map((name) => /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number);
    expect(numbered.length).toBeGreaterThan(0);
    const latest = Math.max(...numbered);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(workbook.schemaVersion).toBe(latest);
    expect(latestVersion(loadMigrations())).toBe(latest);
    expect(workbook.migrationBackupPath).toBeNull(); // nothing to back up in a new file

    // "FWKB" in the header at offset 68 (big-endian), as `file(1)` reads it.
    workbook.db.pragma('wal_checkpoint(TRUNCATE)');
    const header = Buffer.alloc(100);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
    expect(header.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(header.subarray(68, 72).toString('latin1')).toBe('FWKB');
  });

  it('starts with the seven built-in metrics, each logged in change_log', async () => {
    const workbook = await openWorkbook(join(newDir(), 'new.fwb'));
    const codes = workbook.db.prepare('SELECT code FROM metric ORDER BY code').pluck().all();
    expect(codes).toEqual(['aid_tonnes', 'aid_trucks', 'aid_workers_killed', 'injured', 'killed_civilian', 'killed_combatant', 'killed_total']);
    expect(codes).toHaveLength(BUILT_IN_METRICS.length);
    const logged = workbook.db.prepare("SELECT count(*) FROM change_log WHERE entity = 'metric' AND op = 'insert' AND by = 'test'").pluck().get();
    expect(logged).toBe(7);
  });

  it('reopens with its data, without seeding again and without a migration backup', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir);
    const workbook = await openWorkbook(path);
    expect(workbook.db.prepare('SELECT name FROM source').pluck().all()).toEqual(['Fixture source']);
    expect(workbook.db.prepare('SELECT count(*) FROM metric').pluck().get()).toBe(7);
    expect(workbook.migrationBackupPath).toBeNull();
    expect(existsSync(`${path}.backups`)).toBe(false);
    // the pragmas are per connection: set again on this one
    expect(workbook.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(workbook.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(workbook.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('refuses to open a missing file when asked not to create one', async () => {
    const dir = newDir();
    const error = await rejection(Workbook.open(join(dir, 'absent.fwb'), { create: false }));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('absent.fwb');
    expect(listing(dir)).toEqual([]);
  });
});

describe('a file this version must not open', () => {
  it('refuses a workbook from a newer version (user_version 999) with newer_version and leaves its bytes alone', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir);
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    const before = sha256File(path);
    const files = listing(dir);

    const error = await rejection(Workbook.open(path, { user: 'test' }));
    expect(error.code).toBe('newer_version');
    expect(error.message).toMatch(/newer Figures Workbench/);
    expect(error.message).toContain('999');
    expect(sha256File(path)).toBe(before);
    expect(listing(dir)).toEqual(files);
    expect(existsSync(`${path}.backups`)).toBe(false);
  });

  it('refuses a text file as corrupt ("not an SQLite file") and leaves it byte for byte', async () => {
    const dir = newDir();
    const path = join(dir, 'notes.fwb');
    writeFileSync(path, 'metric,value\nkilled_total,5\n'.repeat(200));
    const before = sha256File(path);

    const error = await rejection(Workbook.open(path, { user: 'test' }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/not an SQLite file/);
    expect(sha256File(path)).toBe(before);
    expect(listing(dir)).toEqual(['notes.fwb']);
  });

  it('refuses a short file that is not SQLite (under one page) as corrupt', async () => {
    const dir = newDir();
    const path = join(dir, 'tiny.fwb');
    writeFileSync(path, 'hello');
    const error = await rejection(Workbook.open(path));
    expect(error.code).toBe('corrupt');
    expect(readFileSync(path, 'utf8')).toBe('hello');
    expect(listing(dir)).toEqual(['tiny.fwb']);
  });

  it("refuses another program's SQLite database as corrupt (not a workbook) without changing it", async () => {
    const dir = newDir();
    const path = join(dir, 'other.sqlite');
    const raw = new Database(path);
    raw.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');");
    raw.close();
    const before = sha256File(path);

    const error = await rejection(Workbook.open(path));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/not a Figures Workbench workbook/);
    expect(sha256File(path)).toBe(before);
    const reread = new Database(path, { readonly: true });
    expect(reread.pragma('user_version', { simple: true })).toBe(0);
    expect(reread.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'figure'").pluck().get()).toBe(0);
    reread.close();
  });

  it('refuses a workbook whose table pages were overwritten with a clear corrupt error, without crashing or writing', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir);
    const pageSize = 4096;
    expect(statSync(path).size).toBeGreaterThan(pageSize * 6);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize * 3, 0xab), 0, pageSize * 3, pageSize * 2); // pages 3, 4, 5
    closeSync(fd);
    const before = sha256File(path);

    const error = await rejection(Workbook.open(path, { user: 'test' }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/damaged/);
    expect(error.message).toContain(path);
    expect(sha256File(path)).toBe(before);
    expect(listing(dir)).toEqual(['w.fwb']);
  });

  it('refuses a workbook whose schema page is damaged as corrupt', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir);
    const fd = openSync(path, 'r+');
    // page 1 after the 100-byte header holds sqlite_schema's b-tree
    writeSync(fd, Buffer.alloc(3000, 0x5a), 0, 3000, 100);
    closeSync(fd);
    const before = sha256File(path);

    const error = await rejection(Workbook.open(path, { user: 'test' }));
    expect(error).toBeInstanceOf(WorkbenchError);
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/damaged/);
    expect(sha256File(path)).toBe(before);
  });
});

describe('migrating an existing file', () => {
  const real = () => loadMigrations();
  // the test's migration follows the real ones
  const current = () => latestVersion(real());
  const extra = (sql: string): Migration => ({ version: current() + 1, name: `${String(current() + 1).padStart(4, '0')}_test_extra.sql`, sql });

  it('makes a backup with the online backup API in <file>.backups/ before applying a new migration', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir, 'w.fwb', real());
    const latest = current();
    expect(real().map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]); // the test's migration below follows the real ones

    const workbook = await openWorkbook(path, {
      migrations: [...real(), extra("CREATE TABLE test_extra (x TEXT); INSERT INTO test_extra VALUES ('migrated');")],
    });
    expect(workbook.schemaVersion).toBe(latest + 1);
    expect(workbook.db.pragma('user_version', { simple: true })).toBe(latest + 1);
    expect(workbook.db.prepare('SELECT x FROM test_extra').pluck().get()).toBe('migrated');

    const backup = workbook.migrationBackupPath;
    expect(backup).not.toBeNull();
    expect(backup!.startsWith(join(`${path}.backups`, 'w.fwb.'))).toBe(true);
    expect(readdirSync(`${path}.backups`)).toHaveLength(1);
    expect(backup).toMatch(new RegExp(`before-v${latest + 1}\\.bak$`));

    // The backup is the file as it was: the latest version, the data, no trace of the migration; and it opens.
    const copy = new Database(backup!, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(latest);
    expect(copy.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT name FROM source').pluck().all()).toEqual(['Fixture source']);
    expect(copy.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'test_extra'").pluck().get()).toBe(0);
    copy.close();
    const reopened = await openWorkbook(backup!, { create: false, migrations: real() });
    expect(reopened.schemaVersion).toBe(latest);
  });

  it('applies pending migrations in one transaction: a failing one leaves the file at the version before, without its first statement', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir, 'w.fwb', real());
    const error = await rejection(
      Workbook.open(path, {
        user: 'test',
        migrations: [...real(), extra('CREATE TABLE half_done (x TEXT); INSERT INTO no_such_table VALUES (1);')],
      }),
    );
    expect(error.message).toMatch(/no_such_table/);

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(current());
    expect(raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    expect(raw.prepare('SELECT name FROM source').pluck().all()).toEqual(['Fixture source']);
    raw.close();
    // still opens with the migrations it knows
    const workbook = await openWorkbook(path, { migrations: real() });
    expect(workbook.schemaVersion).toBe(current());
  });

  it('refuses to migrate a file whose index no longer matches its table (integrity_check, not quick_check, finds it), leaving no backup', async () => {
    const dir = newDir();
    const path = join(dir, 'old.fwb');
    copyFileSync(fixture('v1', 'history.fwb'), path);
    // the index of short names, declared over the names instead: its entries no longer match the rows
    execFileSync('sqlite3', [
      path,
      "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX source_short_name ON source (name COLLATE NOCASE)' WHERE name = 'source_short_name';",
    ]);
    const damaged = new Database(path, { readonly: true });
    expect(damaged.pragma('quick_check', { simple: true })).toBe('ok');
    damaged.close();
    const before = sha256File(path);

    const error = await rejection(Workbook.open(path, { user: 'test', create: false }));
    expect(error).toMatchObject({ code: 'corrupt' });
    expect(error.message).toMatch(/integrity_check failed before migration \(row 1 missing from index source_short_name.*not migrated/);
    expect(sha256File(path)).toBe(before);
    expect(existsSync(`${path}.backups`) ? readdirSync(`${path}.backups`) : []).toEqual([]);
  });

  it('refuses a migration that would leave a row referring to nothing, though foreign keys are off while it runs', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir, 'w.fwb', real());
    const dangling = extra(
      "CREATE TABLE test_parent (id TEXT PRIMARY KEY); CREATE TABLE test_child (parent_id TEXT REFERENCES test_parent (id)); INSERT INTO test_child VALUES ('nobody');",
    );
    const error = await rejection(Workbook.open(path, { user: 'test', migrations: [...real(), dangling] }));
    expect(error.message).toMatch(/test_child row 1 refers to a missing test_parent .*not migrated/);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(current());
    expect(raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'test_child'").pluck().get()).toBe(0);
    raw.close();

    // a migration that keeps every reference whole goes in, and the connection has its foreign keys and cache back
    const whole = extra('CREATE TABLE test_parent (id TEXT PRIMARY KEY); CREATE TABLE test_child (parent_id TEXT REFERENCES test_parent (id));');
    const workbook = await openWorkbook(path, { migrations: [...real(), whole] });
    expect(workbook.schemaVersion).toBe(current() + 1);
    expect(workbook.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(workbook.db.pragma('cache_size', { simple: true })).toBe(-65536);
    expect(() => workbook.db.prepare("INSERT INTO test_child VALUES ('nobody')").run()).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('does not back up or migrate a file that is already at the latest version', async () => {
    const dir = newDir();
    const path = await closedWorkbookFile(dir);
    const workbook = await openWorkbook(path);
    expect(workbook.migrationBackupPath).toBeNull();
    expect(listing(dir).filter((f) => f.endsWith('.backups'))).toEqual([]);
  });
});

describe('integrity of a large workbook, checked in the background', () => {
  it('answers at once with integrity "checking", then "ok" once the worker has read every page', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'large.fwb');
      const first = await openSession(path, { user: 'test', demo: true });
      first.workbook.close();
      const session = await openSession(path, { user: 'test', checkAtOpenMaxBytes: 0 });
      expect((await session.api.getWorkbookInfo({})).integrity).toBe('checking');
      expect(await session.workbook.integrityChecked).toBe('ok');
      expect((await session.api.getWorkbookInfo({})).integrity).toBe('ok');
      session.workbook.close();
    } finally {
      cleanup();
    }
  });

  it('reports what quick_check found when a page of a large file is damaged', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'damaged.fwb');
      const first = await openSession(path, { user: 'test', demo: true });
      first.workbook.db.pragma('wal_checkpoint(TRUNCATE)');
      first.workbook.close();
      const bytes = readFileSync(path);
      const pageSize = bytes.readUInt16BE(16);
      // scribble over a page in the middle of the file (figure data), not the header or schema
      const page = Math.floor(bytes.length / pageSize / 2);
      bytes.fill(0xa5, page * pageSize + 8, (page + 1) * pageSize);
      writeFileSync(path, bytes);
      const session = await openSession(path, { user: 'test', checkAtOpenMaxBytes: 0 });
      const status = await session.workbook.integrityChecked;
      expect(status).toMatchObject({ damaged: expect.any(String) });
      expect((await session.api.getWorkbookInfo({})).integrity).toEqual(status);
      session.workbook.close();
    } finally {
      cleanup();
    }
  });
});
