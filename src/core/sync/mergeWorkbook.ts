// Merging another workbook file into this one: every transaction of its log that this one lacks, applied as a
// changeset (changesets.ts). The other file is only read: one made by an older version is upgraded in a copy.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import type { MergeReport } from '../../shared/api';
import { WorkbenchError } from '../../shared/errors';
import { APPLICATION_ID, openDatabase, type OpenedDatabase } from '../store/database';
import { latestVersion, loadMigrations } from '../store/migrations';
import type { Workbook } from '../store/workbook';
import { applyChangesets, knownTxns, readChangesets } from './changesets';

export async function mergeWorkbook(into: Workbook, fromPath: string): Promise<MergeReport> {
  assertTwoFiles(into.path, fromPath);
  const { opened, cleanup } = await openOther(fromPath);
  try {
    const known = knownTxns(into.db);
    // the transactions this workbook holds are left out as they are read (their states are never rebuilt)
    let held = 0;
    for (const txn of knownTxns(opened.db)) if (known.has(txn)) held += 1;
    const report = applyChangesets(into, readChangesets(opened.db, { known }), { label: basename(fromPath) });
    return { from: fromPath, ...report, skipped: report.skipped + held };
  } finally {
    opened.db.close();
    cleanup();
  }
}

/** The same file under two names (a link, a relative path) would merge a workbook into itself. */
function assertTwoFiles(intoPath: string, fromPath: string): void {
  const into = statSync(intoPath, { throwIfNoEntry: false });
  const from = statSync(fromPath, { throwIfNoEntry: false });
  if (!from) throw new WorkbenchError('not_found', `${fromPath}: no such workbook file`);
  if (from.isDirectory()) throw new WorkbenchError('validation', `${fromPath}: a folder, not a workbook file`);
  if (into && into.dev === from.dev && into.ino === from.ino) {
    throw new WorkbenchError('validation', `${fromPath}: it is the workbook merged into; give another workbook to merge from`);
  }
}

/** The other file, read only; one of an older schema is copied and the copy upgraded, the file left as it is. */
async function openOther(path: string): Promise<{ opened: OpenedDatabase; cleanup: () => void }> {
  const nothing = () => {};
  if (!isOlderWorkbook(path)) return { opened: await openDatabase(path, { create: false, readOnly: true }), cleanup: nothing };
  const dir = mkdtempSync(join(tmpdir(), 'fw-merge-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const copy = join(dir, basename(path));
    const source = new Database(path, { readonly: true, fileMustExist: true });
    try {
      await source.backup(copy);
    } finally {
      source.close();
    }
    return { opened: await openDatabase(copy, { create: false, backupDir: join(dir, 'backups') }), cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** A workbook (ours, by its application id) of a schema older than this version's; anything else is for openDatabase to judge. */
function isOlderWorkbook(path: string): boolean {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    return applicationId === APPLICATION_ID && version > 0 && version < latestVersion(loadMigrations());
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
