// Real workbooks in temp dirs for the unit tests: a real SQLite file opened through the same session the app uses,
// and the means to prove a refused change left that file exactly as it was.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import type { WorkbenchApi } from '../../src/shared/api';
import { WorkbenchError } from '../../src/shared/errors';
import { openSession } from '../../src/core/session';
import { refreshWarnings } from '../../src/core/checks/refresh';
import type { Workbook } from '../../src/core/store/workbook';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** A fresh directory under the OS temp dir; `cleanup` removes it and everything in it. */
export function tempDir(prefix = 'fw-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TempWorkbook {
  dir: string;
  path: string;
  workbook: Workbook;
  api: WorkbenchApi;
  db: Database.Database;
  /** closes the workbook and removes its directory */
  cleanup: () => void;
}

/** Opens a new workbook file `<tmp>/<name>` as user "test" (with the demo data when asked). */
export async function tempWorkbook(options: { demo?: boolean; name?: string } = {}): Promise<TempWorkbook> {
  const { dir, cleanup } = tempDir();
  const path = join(dir, options.name ?? 'test.fwb');
  const session = await openSession(path, { user: 'test', demo: options.demo ?? false });
  return {
    dir,
    path,
    workbook: session.workbook,
    api: session.api,
    db: session.workbook.db,
    cleanup: () => {
      session.workbook.close();
      cleanup();
    },
  };
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Every row of every table (change_log and import_batch included), in rowid order; the warnings, derived from the
 * figures like an index, by what they say (their row ids depend on the order they were found in).
 */
export function dumpTables(db: Database.Database): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) dump[table] = db.prepare(DERIVED[table] ?? `SELECT * FROM ${table} ORDER BY rowid`).all();
  return dump;
}

const DERIVED: Record<string, string> = {
  // the warnings' upkeep still to do after a write (src/core/checks/pending.ts): work, not data
  check_pending: 'SELECT NULL WHERE false',
  warning: 'SELECT kind, figure_ids, facts, valid_until FROM warning ORDER BY kind, figure_ids',
  warning_figure:
    'SELECT wf.figure_id, w.kind, w.figure_ids FROM warning_figure wf JOIN warning w ON w.id = wf.warning_id ORDER BY wf.figure_id, w.kind, w.figure_ids',
};

export interface WorkbookState {
  /** sha256 of the .fwb file after the WAL was checkpointed into it */
  sha256: string;
  changeLog: number;
  tables: Record<string, unknown[]>;
}

/** The whole state of an open workbook: its file bytes (WAL folded in first), change_log size and table contents. */
export function workbookState(t: Pick<TempWorkbook, 'db' | 'path'> & { workbook?: Workbook }): WorkbookState {
  // at rest: the warnings' upkeep of the writes before (which runs once they have committed) done
  t.workbook?.findPendingWarnings();
  const [checkpoint] = t.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  if (checkpoint?.busy) throw new Error('wal_checkpoint was blocked; the state would not be the file bytes');
  return {
    sha256: sha256File(t.path),
    changeLog: t.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number,
    tables: dumpTables(t.db),
  };
}

export function changeLogCount(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
}

/** Awaits a call that must fail, and returns its WorkbenchError (a plain Error or a success fails the test). */
export async function rejection(promise: Promise<unknown>): Promise<WorkbenchError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    if (!(error instanceof WorkbenchError)) {
      throw new Error(`expected a WorkbenchError, got ${String(error)}`, { cause: error });
    }
    return error;
  }
  throw new Error(`expected the call to fail, but it returned ${JSON.stringify(result)?.slice(0, 300)}`);
}

/** Synchronous variant for code that throws directly. */
export function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the work to throw, but it returned');
}

/** A small, known set of entities to hang figures on. */
export async function seedBasics(api: WorkbenchApi) {
  const metrics = await api.listMetrics({});
  const metric = (code: string) => {
    const found = metrics.find((m) => m.code === code);
    if (!found) throw new Error(`no built-in metric ${code}`);
    return found.id;
  };
  const sourceA = (await api.createSource({ name: 'Source Alpha', short_name: 'SA', kind: 'ngo' })).value;
  const sourceB = (await api.createSource({ name: 'Source Beta', kind: 'un_agency' })).value;
  const citation = (await api.createCitation({ title: 'Situation report 1', publisher: 'Alpha Press', url: 'https://example.org/report-1' })).value;
  const gaza = (await api.createLocation({ name: 'Gaza Strip', kind: 'territory' })).value;
  const rafah = (await api.createLocation({ name: 'Rafah', kind: 'city', parent_id: gaza.id })).value;
  return { metric, sourceA, sourceB, citation, gaza, rafah };
}

/** The stored warnings are those a search of the whole workbook finds: the upkeep after each write missed nothing. */
export function expectWarningsAsFoundAfresh(t: Pick<TempWorkbook, 'db' | 'workbook'>, expect: (value: unknown) => { toEqual(other: unknown): void }): void {
  t.workbook.findPendingWarnings();
  const kept = dumpTables(t.db);
  t.db.transaction(() => refreshWarnings(t.db, 'all'))();
  const afresh = dumpTables(t.db);
  expect(kept.warning).toEqual(afresh.warning);
  expect(kept.warning_figure).toEqual(afresh.warning_figure);
}
