// The sidecar manifest of an export, OUT.csv.json: which workbook state the CSV was made from (the change log's
// position and the hash of its entry there), so a reader can ask "is this the state this report came from?". A
// comment row would not be CSV; the manifest sits beside the file instead. Described in README (CSV format).
import { basename } from 'node:path';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { RecordedMoment } from '../../shared/api';
import { fileError } from '../fsErrors';

export interface LogHead {
  /** the id of the last change_log entry when the export read the workbook (0: an empty log) */
  log_position: number;
  /** that entry's hash, hex; it covers every entry before it */
  head_hash: string | null;
}

export function readLogHead(db: Database.Database): LogHead {
  const head = db.prepare('SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: Buffer } | undefined;
  return { log_position: head?.id ?? 0, head_hash: head ? head.hash.toString('hex') : null };
}

export interface ExportManifest extends LogHead {
  format: 'figures-workbench-export/1';
  file: string;
  sha256: string;
  bytes: number;
  rows: number;
  schema_version: number;
  exported_at: string;
  filter: unknown;
  /** an export as recorded on a moment: the rows are the workbook right after the entry at this log position, rebuilt
   * from the change log (log_position above is the head it was rebuilt from) */
  recorded_on?: RecordedMoment;
}

export function manifestPath(csvPath: string): string {
  return `${csvPath}.json`;
}

/** Writes the manifest beside the CSV, whole or not at all (a temporary file renamed). */
export function writeManifest(csvPath: string, manifest: Omit<ExportManifest, 'format' | 'file'>): string {
  const path = manifestPath(csvPath);
  const temporary = `${path}.partial-${process.pid}`;
  const body: ExportManifest = { format: 'figures-workbench-export/1', file: basename(csvPath), ...manifest };
  try {
    writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw fileError(path, error, 'write the export manifest');
  }
  return path;
}
