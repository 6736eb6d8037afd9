// Opens a workbook file: checks it is ours and sound, sets the pragmas, backs it up and migrates it.
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { WorkbenchError } from '../../shared/errors';
import { fsReason } from '../fsErrors';
import { backupsDir, newBackupPath } from './backupNames';
import { CHECK_AT_OPEN_MAX_BYTES } from './integrityCheck';
import { applyMigrations, latestVersion, loadMigrations, type Migration } from './migrations';

/** PRAGMA application_id of every workbook: "FWKB". Marks the file as ours for `file(1)` and for us. */
export const APPLICATION_ID = 0x46574b42;
const SQLITE_HEADER = 'SQLite format 3\0';

export interface OpenOptions {
  /** create the file when it does not exist (default: true) */
  create?: boolean;
  /** where backups before a migration go (default: <file>.backups/ beside the file) */
  backupDir?: string;
  migrations?: Migration[];
  /** better-sqlite3's compiled addon, when it must not be the one next to its JS (Electron's ABI) */
  nativeBinding?: string;
  /** files larger than this are checked in the background instead of at open (default CHECK_AT_OPEN_MAX_BYTES) */
  checkAtOpenMaxBytes?: number;
  /** runs inside the migration transaction when a new file is initialised */
  initialise?: (db: Database.Database) => void;
  /**
   * true: open for reading only (every write is refused). 'if-not-writable': so when the file or its folder may not
   * be written (a read-only disk, no permission), for the commands that only read: export, check, compare.
   */
  readOnly?: boolean | 'if-not-writable';
}

export interface OpenedDatabase {
  db: Database.Database;
  path: string;
  schemaVersion: number;
  /** whether quick_check ran at open; a large file is checked in the background instead (integrityCheck.ts) */
  checkedAtOpen: boolean;
  /** the copy made before migrating, when one was made */
  backupPath: string | null;
  /** why it was opened for reading only, when it was */
  readOnly: string | null;
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const migrations = options.migrations ?? loadMigrations();
  const exists = existsSync(path);
  if (!exists && options.create === false) {
    throw new WorkbenchError('not_found', `${path}: no such workbook file`);
  }
  let readOnly: string | null = options.readOnly === true ? 'opened for reading only' : null;
  if (exists) {
    assertSqliteFile(path);
    if (!readOnly) {
      const why = notWritable(path);
      if (why && options.readOnly === 'if-not-writable') readOnly = why === 'EROFS' ? 'a read-only disk' : 'no permission to write the file or its folder';
      else if (why) throw readOnlyError(path, why);
    }
  } else if (readOnly) {
    throw new WorkbenchError('not_found', `${path}: no such workbook file`);
  }

  let db: Database.Database;
  try {
    db = readOnly ? openForReading(path, options.nativeBinding) : new Database(path, { nativeBinding: options.nativeBinding });
  } catch (error) {
    throw asOpenError(path, error);
  }
  try {
    // Reading only, before anything writes: a file we must refuse is left exactly as it was.
    const version = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (applicationId !== APPLICATION_ID && (applicationId !== 0 || tables.n > 0)) {
      throw new WorkbenchError('corrupt', `${path}: an SQLite file, but not a Figures Workbench workbook`);
    }
    if (version > latestVersion(migrations)) {
      throw new WorkbenchError(
        'newer_version',
        `${path}: written by a newer Figures Workbench (schema ${version}; this version knows up to ${latestVersion(migrations)}). Update the app to open it.`,
      );
    }
    const checkedAtOpen = !exists || statSync(path).size <= (options.checkAtOpenMaxBytes ?? CHECK_AT_OPEN_MAX_BYTES);
    if (checkedAtOpen) {
      const check = db.pragma('quick_check', { simple: true }) as string;
      if (check !== 'ok') throw new WorkbenchError('corrupt', `${path}: the file is damaged (quick_check: ${check})`);
    }

    const pending = migrations.some((m) => m.version > version);
    if (readOnly) {
      if (version === 0) throw new WorkbenchError('corrupt', `${path}: an empty file, not a workbook`);
      if (pending) {
        throw new WorkbenchError(
          'io',
          `${path}: made by an older Figures Workbench and must be upgraded before it is read, but it is read-only (${readOnly}). ` +
            'Copy it to a folder you can write to and open the copy.',
        );
      }
      setReadingPragmas(db);
      return { db, path, schemaVersion: version, backupPath: null, checkedAtOpen, readOnly };
    }

    // journal_mode = WAL writes the file's header: after the backup and its check, so a file refused there is left
    // as it was
    setReadingPragmas(db);

    let backupPath: string | null = null;
    if (pending && version > 0) {
      // The backup is the file page for page, so the integrity_check of the backup is the file's: made on the copy,
      // the check and the copy read a large file once each, instead of the check twice (the file's, the copy's).
      try {
        backupPath = await backupDatabase(db, path, options.backupDir, `before-v${latestVersion(migrations)}`, 'integrity_check');
      } catch (error) {
        if (!(error instanceof DamagedCopy)) throw error;
        throw new WorkbenchError('corrupt', `${path}: integrity_check failed before migration (${error.result}); not migrated`);
      }
    }
    setPragmas(db);
    const schemaVersion = applyMigrations(db, migrations, (fromVersion) => {
      if (fromVersion === 0) {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        options.initialise?.(db);
      }
    });
    if (schemaVersion > version && version > 0) compactAfterMigration(db, version);
    return { db, path, schemaVersion, backupPath, checkedAtOpen, readOnly: null };
  } catch (error) {
    db.close();
    throw asOpenError(path, error);
  }
}

/**
 * A migration that rewrote a large part of the file (schema 2 turned the full-JSON log into deltas) leaves that
 * space as free pages: the file keeps its old size. VACUUM gives it back. It runs after the migration's commit
 * (VACUUM cannot run in a transaction) and after the backup; it is itself atomic, so a kill during it leaves the
 * migrated file as it was. The checkpoint moves the rewritten pages into the file and truncates it and the -wal.
 */
function compactAfterMigration(db: Database.Database, fromVersion: number): void {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  // a schema-1 log was converted: its space is free whatever share of the file the newer tables now take
  const convertedLog = fromVersion < 2 && free > 0;
  if (!convertedLog && (free === 0 || (free * MIGRATION_VACUUM_FREE_SHARE < pages && pages > SMALL_FILE_PAGES))) return;
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** VACUUM after a migration when at least 1/this of the file's pages are free, or any are in a small file. */
const MIGRATION_VACUUM_FREE_SHARE = 4;
/** A file this small is rewritten by VACUUM in an instant (pages of 4 KiB: 40 MiB). */
const SMALL_FILE_PAGES = 10_000;

function setPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  setReadingPragmas(db);
}

/** What a connection that only reads needs too (journal_mode is the file's, and setting it is a write). */
function setReadingPragmas(db: Database.Database): void {
  // FULL, not NORMAL: in WAL mode NORMAL can lose the last committed edit on power loss; a data-entry app must not.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache (the default is 2 MiB): a large import keeps its index pages in memory instead of
  // spilling them to the WAL mid-transaction.
  db.pragma('cache_size = -65536');
}

/**
 * Refuses, without opening it, a file that is not a whole SQLite database: one that does not start with SQLite's
 * header, or that is shorter than its header says (cut short: SQLite itself would read the missing tail as zeros and
 * open it). An empty file is a new workbook. With a -wal beside it the main file may legitimately be short (a
 * checkpoint was interrupted; SQLite replays the -wal), so the length is then not judged.
 */
export function assertSqliteFile(path: string): void {
  let size: number;
  const header = Buffer.alloc(100);
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new WorkbenchError('io', `${path}: not a file`);
    size = stat.size;
    if (size === 0) return;
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw asOpenError(path, error);
  }
  if (size < 512 || header.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) {
    throw new WorkbenchError('corrupt', `${path}: not a Figures Workbench workbook (not an SQLite file)`);
  }
  if (hasWal(path)) return;
  const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return; // SQLite refuses it itself (not a database)
  // the page count at offset 28 is valid when the change counter (24) equals version-valid-for (92)
  const pages = header.readUInt32BE(24) === header.readUInt32BE(92) ? header.readUInt32BE(28) : 0;
  if (size % pageSize !== 0 || pages * pageSize > size) {
    throw new WorkbenchError(
      'corrupt',
      `${path}: the file is damaged: cut short (${size} bytes; ${pages ? `its header says ${pages * pageSize}` : `not a whole number of ${pageSize}-byte pages`})`,
    );
  }
}

function hasWal(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * A workbook is written beside itself too (its -wal and -shm), so the file and its folder must be writable: the
 * code that says why not (EACCES, EPERM, EROFS), or null. Said plainly by the caller, before SQLite's "attempt to
 * write a readonly database" or "unable to open database file".
 */
function notWritable(path: string): string | null {
  for (const target of [path, dirname(path)]) {
    try {
      accessSync(target, fsConstants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return code;
      throw asOpenError(path, error);
    }
  }
  return null;
}

/**
 * A connection that only reads. SQLite opens a WAL file read-only only when its -shm can be had; on a read-only disk
 * after a clean close there is none, and it cannot be made (and our build of SQLite takes no "immutable" URI). The
 * file is then read into memory as it is, marked as a rollback-journal file so SQLite looks for no -wal: it holds
 * everything, since a -wal with changes in it would have been found above and refused.
 */
function openForReading(path: string, nativeBinding: string | undefined): Database.Database {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
    db.pragma('user_version'); // SQLite opens the -wal and -shm at the first read, not at open
    return db;
  } catch (error) {
    db?.close();
    if ((error as { code?: string }).code !== 'SQLITE_CANTOPEN') throw error;
  }
  if (hasWal(path)) {
    throw new WorkbenchError('io', `${path}: read-only, with changes in ${path}-wal not yet in the file; open it where it can be written, so they are kept`);
  }
  const image = readFileSync(path);
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
  return new Database(image, { readonly: true, nativeBinding });
}

function readOnlyError(path: string, why: string): WorkbenchError {
  return new WorkbenchError(
    'io',
    `${path}: the workbook is read-only (${why === 'EROFS' ? 'a read-only disk' : why === 'SQLITE_READONLY' ? 'SQLite may not write it' : 'no permission to write the file or its folder'}); ` +
      'Figures Workbench writes beside the file as you work. Copy it to a folder you can write to and open the copy.',
  );
}

/** A copy of the open database through SQLite's online backup API; safe while the workbook is in use. */
export async function backupDatabase(
  db: Database.Database,
  path: string,
  backupDir: string | undefined,
  label: string,
  check: CopyCheck = 'quick_check',
): Promise<string> {
  const target = newBackupPath(path, label, backupDir ?? backupsDir(path));
  await backupTo(db, target, check);
  return target;
}

/** quick_check: the copy is sound; integrity_check also proves every index matches its table (and reads longer). */
export type CopyCheck = 'quick_check' | 'integrity_check';

/** The copy failed its check: the file it was copied from, page for page, is damaged the same way. */
export class DamagedCopy extends WorkbenchError {
  constructor(readonly result: string) {
    super('io', `the copy failed its check (${result}); no backup was written`);
  }
}

/**
 * A consistent copy of the open database at `target`, there whole or not at all. SQLite's online backup API writes
 * a temporary file beside the target; the copy is switched to a rollback journal (one self-contained file, so
 * reading it later creates no -wal/-shm beside it), checked (`check`), flushed to disk, and only then given
 * its name. A crash or a kill midway leaves at most a `<target>.partial-<pid>` file, never a half-written file under
 * a backup's name. Not inside a transaction (ATTACH is refused there); callers hold the workbook's lock.
 */
export async function backupTo(db: Database.Database, target: string, check: CopyCheck = 'quick_check'): Promise<void> {
  let folder: boolean;
  try {
    folder = statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch (error) {
    throw new WorkbenchError('io', `backup to ${target} failed: ${fsReason(error)}`);
  }
  if (folder) throw new WorkbenchError('io', `${target}: cannot back up there: it is a folder; give the backup a file name`);
  if (existsSync(target)) throw new WorkbenchError('conflict', `${target}: a file is already there; not overwritten`);
  const partial = `${target}.partial-${process.pid}`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    removeCopy(partial);
    await db.backup(partial);
    finishCopy(db, partial, check);
    fsyncPath(partial);
    publish(partial, target);
    fsyncPath(dirname(target));
  } catch (error) {
    removeCopy(partial);
    if (error instanceof WorkbenchError) throw error;
    throw new WorkbenchError('io', `backup to ${target} failed: ${fsReason(error)}`);
  }
}

/** Rollback-journal mode and a structural check of the copy, through the same connection (no second binding). */
function finishCopy(db: Database.Database, copy: string, check: CopyCheck): void {
  db.prepare('ATTACH DATABASE ? AS fw_backup_copy').run(copy);
  try {
    db.pragma('fw_backup_copy.journal_mode = DELETE');
    // PRAGMA takes no parameters; `check` is one of two names
    const result = db.pragma(`fw_backup_copy.${check}`, { simple: true }) as string;
    if (result !== 'ok') throw new DamagedCopy(result);
  } finally {
    db.exec('DETACH DATABASE fw_backup_copy');
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(copy + suffix, { force: true });
}

/** Gives the finished copy its name without ever replacing a file already there (a hard link refuses to). */
function publish(partial: string, target: string): void {
  try {
    linkSync(partial, target);
    unlinkSync(partial);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new WorkbenchError('conflict', `${target}: a file is already there; not overwritten`);
    // file systems without hard links (FAT, some network shares): check, then rename
    if (existsSync(target)) throw new WorkbenchError('conflict', `${target}: a file is already there; not overwritten`);
  }
  renameSync(partial, target);
}

/** Best effort, never throws: it runs on the way out of a failure that must be reported as it was. */
function removeCopy(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      rmSync(path + suffix, { force: true });
    } catch {
      // e.g. ENAMETOOLONG: then there is no such file either
    }
  }
}

/** fsync a file, or a directory so that a rename in it survives power loss (not possible on every platform). */
export function fsyncPath(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // directories cannot be fsynced on Windows; the rename is still atomic
  } finally {
    closeSync(fd);
  }
}

/** Opening writes a 32 KiB -shm beside the file; on a full disk SQLite says only "disk I/O error". */
function diskIsFull(path: string): boolean {
  try {
    const fs = statfsSync(dirname(path));
    return fs.bavail * fs.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

function asOpenError(path: string, error: unknown): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const err = error as NodeJS.ErrnoException & { code?: string };
  const message = err?.message ?? String(error);
  if (err?.code === 'SQLITE_NOTADB' || /not a database|malformed/i.test(message)) {
    return new WorkbenchError('corrupt', `${path}: the file is damaged or not a workbook (${message})`);
  }
  if (err?.code === 'SQLITE_BUSY' || /locked/i.test(message)) {
    return new WorkbenchError('io', `${path}: the file is locked by another program (${message})`);
  }
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_READONLY')) return readOnlyError(path, 'SQLITE_READONLY');
  if (err?.code === 'SQLITE_FULL' || err?.code === 'ENOSPC' || (err?.code?.startsWith('SQLITE_IOERR') && diskIsFull(path))) {
    return new WorkbenchError('io', `${path}: the disk is full; free some space and open it again (${message})`);
  }
  if (err?.code === 'SQLITE_CANTOPEN' || err?.code === 'EACCES' || err?.code === 'ENOENT' || err?.code === 'SQLITE_READONLY') {
    return new WorkbenchError('io', `${path}: cannot open (${message})`);
  }
  return new WorkbenchError('io', `${path}: ${message}`);
}
