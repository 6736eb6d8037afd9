// A workbook's backups in `<file>.backups/`: made on demand (the newest N kept), before every migration (always
// kept: the only way back to an older schema), listed newest first, restored into the open workbook in one SQLite
// transaction — and, when a workbook will not open at all, the newest sound backup found and put in its place with
// the damaged file kept beside it. Plain Node: the core's process, the HTTP host and the CLI share it.
import { copyFileSync, constants, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { WorkbenchError } from '../../shared/errors';
import { backupsDir, newBackupPath, parseBackupName } from './backupNames';
import { APPLICATION_ID, assertSqliteFile, backupTo, fsyncPath } from './database';

/** How many on-demand backups are kept when the caller does not say. */
export const DEFAULT_KEEP = 10;

export interface BackupEntry {
  /** the file name in the backups folder; what restoreBackup takes */
  name: string;
  path: string;
  /** when it was made, ISO 8601 UTC (from its name) */
  at: string;
  bytes: number;
  /** manual, before-restore, before-v<N> (before a migration) */
  label: string;
}

interface Open {
  db: Database.Database;
  path: string;
  schemaVersion: number;
  /** the warnings' upkeep of the writes before, done first so that a backup holds them found */
  findPendingWarnings?(): void;
}

/** The backups of the workbook at `workbookPath`, newest first. Temporary and unrelated files are not listed. */
export function listBackups(workbookPath: string, dir = backupsDir(workbookPath)): BackupEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new WorkbenchError('io', `${dir}: cannot list backups (${(error as Error).message})`);
  }
  const own = basename(workbookPath);
  const entries: Array<BackupEntry & { sequence: number }> = [];
  for (const name of names) {
    const parsed = parseBackupName(name);
    if (!parsed || parsed.workbook !== own) continue;
    const path = join(dir, name);
    let bytes: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) continue;
      bytes = stat.size;
    } catch {
      continue; // removed meanwhile
    }
    entries.push({ name, path, at: parsed.at, bytes, label: parsed.label, sequence: parsed.sequence });
  }
  entries.sort((a, b) => (a.at === b.at ? b.sequence - a.sequence : a.at < b.at ? 1 : -1));
  return entries.map(({ sequence: _sequence, ...entry }) => entry);
}

/** Migration backups are never rotated away; the others beyond the newest `keep` are deleted, oldest first. */
export function rotateBackups(workbookPath: string, keep: number, options: { dir?: string; except?: string[] } = {}): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new WorkbenchError('validation', `keep must be a whole number of at least 1 (got ${keep})`);
  const except = new Set(options.except ?? []);
  const rotating = listBackups(workbookPath, options.dir).filter((b) => !b.label.startsWith('before-v'));
  const removed: string[] = [];
  for (const backup of rotating.slice(keep)) {
    if (except.has(backup.name)) continue;
    rmSync(backup.path, { force: true });
    removed.push(backup.name);
  }
  if (removed.length) fsyncPath(dirname(rotating[0]!.path));
  return removed;
}

/** A backup of the open workbook now, into its backups folder; then the on-demand backups are rotated to `keep`. */
export async function backupNow(
  workbook: Open,
  options: { keep?: number; label?: string; dir?: string } = {},
): Promise<{ backup: BackupEntry; removed: string[] }> {
  workbook.findPendingWarnings?.();
  const dir = options.dir ?? backupsDir(workbook.path);
  removeStaleCopies(dir);
  const target = newBackupPath(workbook.path, options.label ?? 'manual', dir);
  await backupTo(workbook.db, target);
  const backup = entryFor(target);
  const removed = rotateBackups(workbook.path, options.keep ?? DEFAULT_KEEP, { dir, except: [backup.name] });
  return { backup, removed };
}

/**
 * Makes the open workbook what the backup `name` holds. The backup is checked first (our file, the same schema,
 * integrity_check ok); the workbook as it is now is backed up (label before-restore, so the restore itself can be
 * undone); then SQLite's backup API copies the backup into the workbook through the workbook's own WAL, in one
 * transaction: a crash midway leaves the workbook as it was. The open connection sees the restored data at once.
 */
export async function restoreBackup(
  workbook: Open,
  name: string,
  options: { keep?: number; dir?: string } = {},
): Promise<{ restored: BackupEntry; safety: BackupEntry; removed: string[] }> {
  const dir = options.dir ?? backupsDir(workbook.path);
  const restored = listBackups(workbook.path, dir).find((b) => b.name === name);
  if (!restored) {
    throw new WorkbenchError('not_found', `no backup named ${name} in ${dir}`, { place: { field: 'name', value: name } });
  }
  const { db } = workbook;
  if (db.inTransaction) throw new WorkbenchError('conflict', 'a write is under way; restore after it finishes');

  withAttached(db, restored.path, (schema) => {
    const problem = attachedProblem(db, schema, workbook.schemaVersion);
    if (problem) throw new WorkbenchError(problem.code, `${restored.name}: ${problem.reason}; not restored`);
  });

  const { backup: safety } = await backupNow(workbook, { label: 'before-restore', dir, keep: Number.MAX_SAFE_INTEGER });
  try {
    // better-sqlite3 copies from an attached schema (its typings miss the option)
    await withAttachedAsync(db, restored.path, (schema) => db.backup(workbook.path, { attached: schema } as unknown as Database.BackupOptions));
  } catch (error) {
    throw new WorkbenchError('io', `restoring ${restored.name} failed; the workbook is as it was (${(error as Error).message})`);
  }
  // The copy committed through a connection of its own; fold it into the file with this connection's synchronous=FULL.
  db.pragma('wal_checkpoint(FULL)');
  const check = db.pragma('quick_check', { simple: true }) as string;
  if (check !== 'ok') {
    throw new WorkbenchError('corrupt', `after restoring ${restored.name} the workbook fails quick_check (${check}); the state before is in ${safety.name}`);
  }
  const removed = rotateBackups(workbook.path, options.keep ?? DEFAULT_KEEP, { dir, except: [restored.name, safety.name] });
  return { restored, safety, removed };
}

export interface VerifiedBackup extends BackupEntry {
  schema_version: number;
}

/**
 * The newest backup of `workbookPath` that is sound (an SQLite file, ours, integrity_check ok), or null. For the
 * app's "this workbook cannot be opened — open the latest backup?" after an open fails with code `corrupt`.
 */
export function latestBackup(workbookPath: string, options: { dir?: string; nativeBinding?: string } = {}): VerifiedBackup | null {
  for (const backup of listBackups(workbookPath, options.dir)) {
    const verified = verifyBackup(backup.path, options);
    if (verified.ok) return { ...backup, schema_version: verified.schemaVersion };
  }
  return null;
}

export function verifyBackup(path: string, options: { nativeBinding?: string } = {}): { ok: true; schemaVersion: number } | { ok: false; reason: string } {
  let db: Database.Database | null = null;
  try {
    assertSqliteFile(path);
    db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
    const problem = attachedProblem(db, 'main', null);
    if (problem) return { ok: false, reason: problem.reason };
    return { ok: true, schemaVersion: db.pragma('user_version', { simple: true }) as number };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    db?.close();
  }
}

/**
 * Puts a backup in place of a workbook file that cannot be opened; nothing may have the workbook open. The damaged
 * file (and its -wal) is kept beside it as `<file>.damaged-<stamp>`; the stale -wal and -shm are moved away first,
 * because SQLite would replay a leftover -wal into the restored file. The backup is copied under a temporary name
 * and renamed into place, so a crash midway leaves either the damaged file's name free or the whole backup there.
 */
export function recoverFromBackup(
  workbookPath: string,
  backup: BackupEntry | null = latestBackup(workbookPath),
  options: { nativeBinding?: string } = {},
): { restored: BackupEntry; damaged: string | null } {
  if (!backup) throw new WorkbenchError('not_found', `${workbookPath}: no sound backup to recover from`);
  const verified = verifyBackup(backup.path, options);
  if (!verified.ok) throw new WorkbenchError('corrupt', `${backup.name}: not a sound backup (${verified.reason})`);

  const staging = `${workbookPath}.restoring-${process.pid}`;
  rmSync(staging, { force: true });
  try {
    copyFileSync(backup.path, staging, constants.COPYFILE_EXCL);
    fsyncPath(staging);
  } catch (error) {
    rmSync(staging, { force: true });
    throw new WorkbenchError('io', `${workbookPath}: cannot copy the backup beside it (${(error as Error).message})`);
  }
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const damagedBase = `${workbookPath}.damaged-${stamp}`;
  let damaged: string | null = null;
  try {
    // the -wal first: a -wal left behind while the main file is swapped would be replayed into the backup
    if (existsSync(`${workbookPath}-wal`)) renameSync(`${workbookPath}-wal`, `${damagedBase}-wal`);
    rmSync(`${workbookPath}-shm`, { force: true }); // only an index of the -wal; rebuilt on open
    if (existsSync(workbookPath)) {
      renameSync(workbookPath, damagedBase);
      damaged = damagedBase;
    }
    renameSync(staging, workbookPath);
    fsyncPath(dirname(workbookPath));
  } catch (error) {
    rmSync(staging, { force: true });
    throw new WorkbenchError('io', `${workbookPath}: cannot put the backup in place (${(error as Error).message})`);
  }
  return { restored: backup, damaged };
}

/**
 * Removes the temporary copies (`….bak.partial-<pid>`, with any -journal) that a backup killed midway left in the
 * folder, when that process is gone. A copy of a live process is left alone: it may be a backup under way.
 */
export function removeStaleCopies(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = /\.bak\.partial-(\d+)(?:-journal|-wal|-shm)?$/.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function entryFor(path: string): BackupEntry {
  const name = basename(path);
  const parsed = parseBackupName(name);
  if (!parsed) throw new WorkbenchError('internal', `${name}: not a backup name`);
  return { name, path, at: parsed.at, bytes: statSync(path).size, label: parsed.label };
}

/** What is wrong with the database `schema` of this connection as a backup of a workbook (null: nothing). */
function attachedProblem(
  db: Database.Database,
  schema: string,
  expectVersion: number | null,
): { code: 'corrupt' | 'newer_version' | 'conflict'; reason: string } | null {
  let applicationId: number;
  let integrity: string[];
  let version: number;
  try {
    applicationId = db.pragma(`${schema}.application_id`, { simple: true }) as number;
    if (applicationId !== APPLICATION_ID) return { code: 'corrupt', reason: 'not a Figures Workbench workbook' };
    integrity = (db.pragma(`${schema}.integrity_check`) as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    version = db.pragma(`${schema}.user_version`, { simple: true }) as number;
  } catch (error) {
    // SQLite refuses to read a badly damaged file at all (SQLITE_CORRUPT, SQLITE_NOTADB)
    return { code: 'corrupt', reason: `damaged (${(error as Error).message})` };
  }
  if (integrity.join() !== 'ok') return { code: 'corrupt', reason: `damaged (integrity_check: ${integrity.slice(0, 3).join('; ')})` };
  if (expectVersion !== null && version > expectVersion) {
    return { code: 'newer_version', reason: `from a newer Figures Workbench (schema ${version}; this workbook is at ${expectVersion})` };
  }
  if (expectVersion !== null && version !== expectVersion) {
    return {
      code: 'conflict',
      reason: `from schema ${version}, this workbook is at ${expectVersion}; open the backup as a workbook instead (it is migrated on open)`,
    };
  }
  return null;
}

function withAttached<T>(db: Database.Database, path: string, work: (schema: string) => T): T {
  db.prepare('ATTACH DATABASE ? AS fw_restore').run(path);
  try {
    return work('fw_restore');
  } finally {
    db.exec('DETACH DATABASE fw_restore');
  }
}

async function withAttachedAsync<T>(db: Database.Database, path: string, work: (schema: string) => Promise<T>): Promise<T> {
  db.prepare('ATTACH DATABASE ? AS fw_restore').run(path);
  try {
    return await work('fw_restore');
  } finally {
    db.exec('DETACH DATABASE fw_restore');
  }
}
