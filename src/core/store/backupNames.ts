// The names of a workbook's backups: `<file>.backups/<file name>.<UTC stamp to the millisecond>[-n].<label>.bak`,
// e.g. `gaza.fwb.backups/gaza.fwb.20241119T101530123Z.manual.bak`. The name carries when and why, so listing needs
// no index file that could disagree with the folder.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

/** What a backup is for: `manual` (on demand), `before-v2` (before migrating to schema 2), `before-restore`. */
export type BackupLabel = string;

const NAME = /^(.+)\.(\d{8}T\d{9}Z|\d{8}T\d{6}Z)(?:-(\d+))?\.([a-z0-9][a-z0-9-]*)\.bak$/;

export function backupsDir(workbookPath: string): string {
  return `${workbookPath}.backups`;
}

/** A free path for a new backup of `workbookPath` (a second backup in the same millisecond gets -2, -3 …). */
export function newBackupPath(workbookPath: string, label: BackupLabel, dir = backupsDir(workbookPath), now = new Date()): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(label)) throw new Error(`not a backup label: ${label}`);
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  for (let n = 1; ; n += 1) {
    const candidate = join(dir, `${basename(workbookPath)}.${stamp}${n > 1 ? `-${n}` : ''}.${label}.bak`);
    if (!existsSync(candidate)) return candidate;
  }
}

export interface BackupName {
  workbook: string;
  /** ISO 8601 UTC */
  at: string;
  sequence: number;
  label: BackupLabel;
}

/** Reads a backup's file name; null for anything else in the folder (a `.partial-<pid>` copy, a stray file). */
export function parseBackupName(name: string): BackupName | null {
  const match = NAME.exec(name);
  if (!match) return null;
  const [, workbook, stamp, sequence, label] = match as unknown as [string, string, string, string | undefined, string];
  const ms = stamp.length === 19 ? stamp.slice(15, 18) : '000';
  const at = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${ms}Z`;
  if (Number.isNaN(Date.parse(at))) return null;
  return { workbook, at, sequence: sequence ? Number(sequence) : 1, label };
}
