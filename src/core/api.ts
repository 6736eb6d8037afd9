// WorkbenchApi over the store: one handler per call in API_CALLS. Every call's input is validated against the
// contract's schema before it reaches the store; every call runs under the workbook's lock, in order.
import { createHash } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import {
  API_CALL_NAMES,
  API_CALLS,
  CALL_KINDS,
  type ApiCallName,
  type ApiOutput,
  type ApiParsedInput,
  type CallOptions,
  type CompareResult,
  type ExportResult,
  type RecordedMoment,
  UNDO_FIGURES_LISTED,
  type WorkbenchApi,
} from '../shared/api';
import type { Entity } from '../shared/domain';
import { WorkbenchError, type Problem } from '../shared/errors';
import { zodProblems } from '../shared/schemas';
import { type Row, rowRefusal } from './store/changeWriter';
import { dismissWarning, reopenWarning } from './checks/dismiss';
import { figureWarnings, listWarnings } from './checks/read';
import { checkWorkbook } from './store/check';
import { Comparisons } from './store/compare';
import { createVagueRule, deleteVagueRule, listVagueRules, updateVagueRule } from './store/vagueRules';
import { compareCsv, type CsvSink, writeFiguresCsv } from './csv/exportCsv';
import { type LogHead, writeManifest } from './csv/exportManifest';
import { importCsv } from './csv/importCsv';
import { backupNow, listBackups, restoreBackup } from './store/backups';
import { backupTo } from './store/database';
import { attachDocument, getDocument, readDocument } from './store/documents';
import { createEntity, mergeEntities, updateEntity } from './store/entities';
import { figureCountsBy, figureIds, getFigureView, insertFigure, invalid, listFigures, retractFigure, updateFigure, validateNewFigure } from './store/figures';
import { entityHistory, getChange, revertFigure, transactionTouched, undoChange, undoTransaction } from './store/history';
import { Lookups } from './store/lookups';
import { type FigureTables, HEAD_TABLES, RECORDED_TABLES } from './store/figureTables';
import { type RecordedRead, RecordedStates } from './store/recorded';
import { thenBesideNow } from './store/recordedCompare';
import type { Workbook } from './store/workbook';
import { listConflicts, resolveConflict } from './sync/conflicts';
import { findDuplicates } from './sync/duplicates';
import { mergeWorkbook } from './sync/mergeWorkbook';
import { readServerUrl, type ServerUrl } from './sync/server/connection';
import { readSyncStates, type SyncState, syncWithServer } from './sync/serverSync';
import { awaitServerPushes } from './sync/watch';
import { fileError } from './fsErrors';

type Handlers = {
  [K in ApiCallName]: (input: ApiParsedInput<K>, options: CallOptions) => ApiOutput<K> | Promise<ApiOutput<K>>;
};

/** The calls that change the workbook: refused at once on one opened for reading only. */
const CHANGES_THE_WORKBOOK: ReadonlySet<ApiCallName> = new Set([
  ...API_CALL_NAMES.filter((name) => CALL_KINDS[name] === 'write'),
  'importCsv',
  'restoreBackup',
  'mergeWorkbook',
  'syncWorkbook',
]);

/**
 * Calls whose handler takes the workbook's lock itself, for each step: a sync waits on the server between its local
 * reads and writes, and must not hold every other call for that long (nor can it take the lock inside it: that would
 * deadlock). Each of its writes is still one transaction under the lock, so it never interleaves with another's.
 */
const LOCKS_ITSELF: ReadonlySet<ApiCallName> = new Set(['syncWorkbook', 'watchSyncServer']);

export function createApi(workbook: Workbook): WorkbenchApi {
  const handlers = createHandlers(workbook);
  const api = {} as Record<ApiCallName, (input: unknown, options?: CallOptions) => Promise<unknown>>;
  for (const name of Object.keys(API_CALLS) as ApiCallName[]) {
    api[name] = async (input: unknown, options: CallOptions = {}) => {
      if (workbook.readOnly && CHANGES_THE_WORKBOOK.has(name)) throw openedReadOnly(workbook.path, workbook.readOnlyBecause!);
      const parsed = API_CALLS[name].input.safeParse(input);
      if (!parsed.success) throw invalid(zodProblems(parsed.error));
      const handler = handlers[name] as (input: unknown, options: CallOptions) => unknown;
      try {
        if (LOCKS_ITSELF.has(name)) return await handler(parsed.data, options);
        return await workbook.lock.run(() => handler(parsed.data, options));
      } catch (error) {
        throw asWorkbenchError(error, workbook.path);
      }
    };
  }
  return api as unknown as WorkbenchApi;
}

function createHandlers(workbook: Workbook): Handlers {
  const db = workbook.db;
  const lookups = new Lookups(db);
  const comparisons = new Comparisons(db, lookups);
  const recorded = new RecordedStates(db);
  let recordedComparisons: Comparisons | null = null;
  /** The tables of the workbook as recorded on a moment, and the compare over them; the head's without one. */
  const readAt = (
    recordedOn: string | undefined,
    scope: { metric?: string; location?: string } | null = null,
  ): { read: RecordedRead | null; tables: FigureTables; comparisons: Comparisons } => {
    if (!recordedOn) return { read: null, tables: HEAD_TABLES, comparisons };
    const read = recorded.at(recordedOn, scope && comparisons.scopeOf(scope));
    if (read.tables === HEAD_TABLES) return { read, tables: HEAD_TABLES, comparisons };
    recordedComparisons ??= new Comparisons(db, lookups, RECORDED_TABLES);
    return { read, tables: RECORDED_TABLES, comparisons: recordedComparisons };
  };
  const withMoment = <T extends object>(value: T, read: RecordedRead | null): T => (read ? { ...value, recorded: read.moment } : value);
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const figureWrite = (id: string, txn: string) => ({ value: getFigureView(db, id), txn });
  const as = <T>(row: Row) => row as unknown as T;

  return {
    getWorkbookInfo: () => ({
      path: workbook.path,
      schema_version: workbook.schemaVersion,
      integrity: workbook.integrity,
      counts: {
        // one pass over a small covering index (figure_citation holds the status) for both figure counts
        ...(db
          .prepare(
            "SELECT count(*) - count(*) FILTER (WHERE status = 'retracted') AS figures, count(*) FILTER (WHERE status = 'retracted') AS retracted FROM figure",
          )
          .get() as { figures: number; retracted: number }),
        sources: count('SELECT count(*) FROM source'),
        citations: count('SELECT count(*) FROM citation'),
        metrics: count('SELECT count(*) FROM metric'),
        locations: count('SELECT count(*) FROM location'),
      },
      last_change_at: (db.prepare('SELECT at FROM change_log ORDER BY id DESC LIMIT 1').pluck().get() as string | null) ?? null,
    }),

    listMetrics: () => db.prepare('SELECT * FROM metric ORDER BY category, code').all() as never,
    createMetric: (input) => mapValue(workbook.transact({}, (tx) => createEntity(tx, 'metric', input))),
    updateMetric: ({ id, patch, why }) => mapValue(workbook.transact({ why }, (tx) => updateEntity(tx, 'metric', id, patch as Row))),
    mergeMetrics: ({ keep_id, merge_ids, why }) =>
      mapValue(workbook.transact({ why: why ?? 'merge of duplicate metrics' }, (tx) => mergeEntities(tx, 'metric', keep_id, merge_ids))),

    listLocations: () => db.prepare('SELECT * FROM location ORDER BY name COLLATE NOCASE').all() as never,
    createLocation: (input) => mapValue(workbook.transact({}, (tx) => createEntity(tx, 'location', input))),
    updateLocation: ({ id, patch, why }) => mapValue(workbook.transact({ why }, (tx) => updateEntity(tx, 'location', id, patch as Row))),
    mergeLocations: ({ keep_id, merge_ids, why }) =>
      mapValue(workbook.transact({ why: why ?? 'merge of duplicate locations' }, (tx) => mergeEntities(tx, 'location', keep_id, merge_ids))),

    listSources: () =>
      db
        .prepare(
          `SELECT s.*, coalesce(n.figures, 0) AS figures, coalesce(r.relays, 0) AS relays
             FROM source s
             LEFT JOIN (${figureCountsBy('source_id')}) n
                    ON n.source_id = s.id
             LEFT JOIN (SELECT relayed_via_id, count(*) AS relays FROM figure
                         WHERE status <> 'retracted' AND relayed_via_id IS NOT NULL GROUP BY relayed_via_id) r
                    ON r.relayed_via_id = s.id
            ORDER BY s.name COLLATE NOCASE`,
        )
        .all() as never,
    createSource: (input) => mapValue(workbook.transact({}, (tx) => createEntity(tx, 'source', input))),
    updateSource: ({ id, patch, why }) => mapValue(workbook.transact({ why }, (tx) => updateEntity(tx, 'source', id, patch as Row))),
    mergeSources: ({ keep_id, merge_ids, why }) =>
      mapValue(workbook.transact({ why: why ?? 'merge of duplicate sources' }, (tx) => mergeEntities(tx, 'source', keep_id, merge_ids))),

    listCitations: () =>
      db
        .prepare(
          `SELECT c.*, coalesce(n.figures, 0) AS figures, d.sha256 AS document_sha256
             FROM citation c
             LEFT JOIN (${figureCountsBy('citation_id')}) n
                    ON n.citation_id = c.id
             LEFT JOIN document d ON d.citation_id = c.id
            ORDER BY coalesce(c.published, '') DESC, c.title COLLATE NOCASE`,
        )
        .all() as never,
    createCitation: (input) => mapValue(workbook.transact({}, (tx) => createEntity(tx, 'citation', input))),
    updateCitation: ({ id, patch, why }) => mapValue(workbook.transact({ why }, (tx) => updateEntity(tx, 'citation', id, patch as Row))),
    mergeCitations: ({ keep_id, merge_ids, why }) =>
      mapValue(workbook.transact({ why: why ?? 'merge of duplicate citations' }, (tx) => mergeEntities(tx, 'citation', keep_id, merge_ids))),
    getDocument: ({ citation_id }) => getDocument(db, citation_id),
    attachDocument: async ({ why, ...given }) => {
      const input = await readDocument(given);
      return mapValue(workbook.transact({ why: why ?? 'the text of the document' }, (tx) => attachDocument(tx, input)));
    },

    listVagueRules: () => listVagueRules(db),
    createVagueRule: (input) => mapValue(workbook.transact({}, (tx) => createVagueRule(tx, input))),
    updateVagueRule: ({ id, patch, why }) => mapValue(workbook.transact({ why }, (tx) => updateVagueRule(tx, id, patch as Row))),
    deleteVagueRule: ({ id, why }) => mapValue(workbook.transact({ why }, (tx) => deleteVagueRule(tx, id))),

    listFigures: (filter) => {
      const { read, tables } = readAt(filter.recorded_on);
      return withMoment(listFigures(db, filter, tables), read);
    },
    figureIds: (filter) => figureIds(db, filter, readAt(filter.recorded_on).tables),
    getFigure: ({ id }) => getFigureView(db, id),
    createFigure: (input) => {
      const { figure, problems } = validateNewFigure(input);
      if (!figure) throw invalid(problems);
      const { value, txn } = workbook.transact({}, (tx) => insertFigure(tx, figure));
      return figureWrite(String(value.id), txn);
    },
    createFigures: ({ figures, why }) => {
      const problems: Problem[] = [];
      const { value, txn } = workbook.transact({ why }, (tx) => {
        const ids: string[] = [];
        figures.forEach((input, index) => {
          const row = index + 1;
          const checked = validateNewFigure(input, row);
          if (!checked.figure) return void problems.push(...checked.problems);
          try {
            ids.push(String(insertFigure(tx, checked.figure).id));
          } catch (error) {
            const e = rowRefusal(error);
            problems.push(...(e.problems ?? [{ reason: e.message }]).map((p) => ({ ...p, row })));
          }
        });
        if (problems.length) throw invalid(problems); // rolls back every row: all or nothing
        return ids;
      });
      return { value: value.map((id) => getFigureView(db, id)), txn };
    },
    updateFigure: ({ id, patch, why }) => {
      const { txn } = workbook.transact({ why }, (tx) => updateFigure(tx, id, patch));
      return figureWrite(id, txn);
    },
    updateFigures: ({ updates, why }) => {
      const problems: Problem[] = [];
      const { txn } = workbook.transact({ why }, (tx) => {
        updates.forEach(({ id, patch }, index) => {
          try {
            updateFigure(tx, id, patch);
          } catch (error) {
            const e = rowRefusal(error);
            const place = e.problems ?? [{ ...e.place, reason: e.message }];
            problems.push(...place.map((p) => ({ ...p, row: index + 1 })));
          }
        });
        if (problems.length) throw invalid(problems); // rolls back every figure: all or nothing
      });
      return { value: updates.map(({ id }) => getFigureView(db, id)), txn };
    },
    retractFigure: ({ id, reason }) => {
      const { txn } = workbook.transact({ why: reason }, (tx) => retractFigure(tx, id, reason));
      return figureWrite(id, txn);
    },
    revertFigure: ({ id, change_id, why }) => {
      const { txn } = workbook.transact({ why: why ?? `revert to change #${change_id}` }, (tx) => revertFigure(tx, id, change_id));
      return figureWrite(id, txn);
    },

    history: ({ entity, id }) => entityHistory(db, entity as Entity, id),
    undo: (input) => {
      const { value, txn } = workbook.transact({ why: input.why }, (tx) =>
        'txn' in input ? undoTransaction(tx, input.txn) : undoChange(tx, getChange(db, input.change_id)),
      );
      return { txn, reverted: value, ...transactionTouched(db, txn, UNDO_FIGURES_LISTED) };
    },

    compare: (query) => compareAt(query),
    comparePeriod: (query) => {
      const { read, comparisons: at } = readAt(query.recorded_on, query);
      return withMoment(at.period(query), read);
    },
    series: (query) => {
      const { read, comparisons: at } = readAt(query.recorded_on, query);
      return withMoment(at.series(query), read);
    },
    latestContestedDate: () => comparisons.latestContestedDate(),

    listImportBatches: () => db.prepare('SELECT * FROM import_batch ORDER BY at DESC, id DESC').all() as never,
    importCsv: (request, options) =>
      importCsv(workbook, request.file, {
        mapping: request.mapping,
        dryRun: request.dry_run,
        mode: request.mode,
        errorsPath: request.errors_path ?? ('path' in request.file && request.mode === 'partial' ? `${request.file.path}.errors.csv` : undefined),
        signal: options.signal,
        onProgress: options.onProgress,
      }),
    exportCsv: async ({ filter, options: format, to }, options) => {
      if (format.manifest && to === 'text') {
        throw new WorkbenchError('validation', 'a manifest is written beside an exported file; export to a file to have one', {
          place: { field: 'manifest', value: 'true' },
        });
      }
      let head: LogHead | null = null;
      let moment: RecordedMoment | null = null;
      // as recorded on a moment: rebuilt inside the export's read transaction, so the rebuild and the rows it reads
      // are the same state of the file
      const tablesAt = () => {
        const { read, tables } = readAt(filter.recorded_on);
        moment = read?.moment ?? null;
        return tables;
      };
      const run = { ...options, onLogHead: (h: LogHead) => (head = h), tables: tablesAt };
      const result = await writeCsv(to, (sink) => writeFiguresCsv(db, filter, format, sink, run), options.sink);
      if (format.manifest && result.path && head) {
        writeManifest(result.path, {
          ...(head as LogHead),
          ...(moment ? { recorded_on: moment } : {}),
          sha256: result.sha256,
          bytes: result.bytes,
          rows: result.rows,
          schema_version: workbook.schemaVersion,
          exported_at: new Date().toISOString(),
          filter,
        });
      }
      return result;
    },
    exportCompareCsv: ({ query, options: format, to }) => {
      const result = compareAt(query);
      const text = compareCsv(result, format);
      return writeCsv(to, async (sink) => {
        await sink(Buffer.from(text, 'utf8'));
        // each claim and its relays, a row each; not a count of CRLFs: a quoted excerpt may hold one
        return result.rows.reduce((n, row) => n + 1 + row.relays.length, 0);
      });
    },
    backup: async ({ to }) => {
      await backupTo(db, to);
      return { path: to, bytes: statSync(to).size };
    },
    listBackups: () => listBackups(workbook.path),
    backupNow: ({ keep }) => backupNow(workbook, { keep }),
    restoreBackup: ({ name, keep }) => restoreBackup(workbook, name, { keep }),
    check: () => checkWorkbook(db),

    mergeWorkbook: ({ from }) => mergeWorkbook(workbook, from),
    listConflicts: ({ all }) => listConflicts(db, !all),
    resolveConflict: ({ id, pick, fields, why }) =>
      workbook.transact({ why: why ?? `conflict settled: ${pick}` }, (tx) => resolveConflict(tx, id, pick, fields as Row | undefined)),
    listDuplicates: () => findDuplicates(db),
    listSyncServers: () => readSyncStates(db),
    syncWorkbook: ({ server, password }, options) => {
      return syncWithServer(workbook, serverTarget(server, password), {
        signal: options.signal,
        onProgress: (p) =>
          options.onProgress?.({ done: p.done, total: null, phase: p.phase === 'pull' ? 'pulling' : p.step === 'committed' ? 'pushed' : 'pushing' }),
      });
    },

    watchSyncServer: ({ server, password }, options) =>
      awaitServerPushes(workbook, serverTarget(server, password), {
        signal: options.signal,
        onListening: () => options.onProgress?.({ done: 0, total: null, phase: 'listening' }),
      }),

    listWarnings: (query) => {
      workbook.findPendingWarnings();
      return listWarnings(db, query);
    },
    figureWarnings: ({ figure_ids }) => {
      workbook.findPendingWarnings();
      return figureWarnings(db, figure_ids);
    },
    dismissWarning: ({ kind, figure_ids, reason }) => {
      workbook.findPendingWarnings(); // the warning dismissed is one found
      return mapValue(workbook.transact({ why: reason }, (tx) => dismissWarning(tx, kind, figure_ids, reason)));
    },
    reopenWarning: ({ dismissal_id, why }) => mapValue(workbook.transact({ why: why ?? 'warning opened again' }, (tx) => reopenWarning(tx, dismissal_id))),
  };

  /** The server a sync or a watch reaches: the one given, else the one synced with before. */
  function serverTarget(server: string | undefined, password: string | undefined): ServerUrl {
    const url = server ?? onlyServer(readSyncStates(db));
    // a password typed for this call wins over PGPASSWORD and ~/.pgpass, as one written into the URL does
    return { ...readServerUrl(url), ...(password === undefined ? {} : { password }) };
  }

  /** A compare; as recorded on a moment, that compare beside the same one now. */
  function compareAt(query: ApiParsedInput<'compare'>): CompareResult {
    const { read, comparisons: at } = readAt(query.recorded_on, query);
    const then = at.compare(query);
    return read ? thenBesideNow(db, then, comparisons.compare(query), read.moment) : then;
  }

  function mapValue<T>(result: { value: Row; txn: string }): { value: T; txn: string } {
    return { value: as<T>(result.value), txn: result.txn };
  }
}

/**
 * Runs a CSV writer into a file (through a temporary file renamed at the end, so a failed or cancelled export
 * never leaves half a file) or into a string.
 */
async function writeCsv(to: { path: string } | 'text', produce: (sink: CsvSink) => Promise<number>, stream?: CallOptions['sink']): Promise<ExportResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  if (to === 'text' && stream) {
    const rows = await produce((chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
      return stream(chunk);
    });
    return { rows, bytes, sha256: hash.digest('hex'), path: null, text: null };
  }
  if (to === 'text') {
    const parts: Buffer[] = [];
    const rows = await produce((chunk) => {
      parts.push(Buffer.from(chunk)); // a copy: the writer reuses the chunk's memory
      hash.update(chunk);
      bytes += chunk.length;
    });
    return { rows, bytes, sha256: hash.digest('hex'), path: null, text: Buffer.concat(parts).toString('utf8') };
  }
  const temporary = `${to.path}.partial-${process.pid}`;
  // the errors name the path asked for, never the temporary file beside it
  const cannot = (error: unknown) => fileError(to.path, error, 'write the export');
  let fd: number;
  try {
    // a folder is refused before anything is written beside it
    if (statSync(to.path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    fd = openSync(temporary, 'w');
  } catch (error) {
    throw cannot(error);
  }
  try {
    const rows = await produce((chunk) => {
      try {
        writeSync(fd, chunk);
      } catch (error) {
        throw cannot(error);
      }
      hash.update(chunk);
      bytes += chunk.length;
    });
    try {
      closeSync(fd);
      renameSync(temporary, to.path);
    } catch (error) {
      throw cannot(error);
    }
    return { rows, bytes, sha256: hash.digest('hex'), path: to.path, text: null };
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}

function openedReadOnly(path: string, why: string): WorkbenchError {
  return new WorkbenchError(
    'io',
    `${path}: opened read-only; nothing was changed (${why}). To change it, copy it to a folder you can write to and open the copy.`,
  );
}

/** SQLite's own refusals (a CHECK, a UNIQUE) still reach the user as one of our errors, never a stack trace. */
function asWorkbenchError(error: unknown, path: string): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const e = error as { code?: string; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) {
    return new WorkbenchError('conflict', `the workbook refused the change: ${e.message}`);
  }
  // SQLite rolls the transaction back: every write is one transaction, so none of it is in the file
  if (e?.code === 'SQLITE_FULL') {
    return new WorkbenchError('io', `${path}: the disk is full; the workbook is unchanged (nothing of this change was saved). Free some space and try again.`);
  }
  if (e?.code === 'ENOSPC') return new WorkbenchError('io', `the disk is full: ${e.message}`);
  if (e?.code === 'SQLITE_READONLY') return openedReadOnly(path, `SQLite may not write it: ${e.message}`);
  if (e?.code === 'SQLITE_BUSY') return new WorkbenchError('io', `the workbook is locked by another program: ${e.message}`);
  // damage met after open (quick_check passed, or a large file is still being checked in the background)
  if (e?.code === 'SQLITE_CORRUPT' || e?.code === 'SQLITE_NOTADB' || e?.code?.startsWith('SQLITE_CORRUPT_')) {
    return new WorkbenchError('corrupt', `the workbook file is damaged (${e.message}); open its latest backup`);
  }
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_IOERR')) return new WorkbenchError('io', `the disk failed to read or write: ${e.message}`);
  // Node's file-system errors (ENAMETOOLONG, EACCES, EISDIR, EROFS …): the file system said no, not a bug
  if (typeof (e as { syscall?: unknown })?.syscall === 'string' && typeof e?.code === 'string') {
    return new WorkbenchError('io', e.message ?? String(e.code));
  }
  return WorkbenchError.from(error);
}

/** The server a sync without one goes to: the one this workbook synced with before. */
function onlyServer(known: SyncState[]): string {
  if (known.length === 1) return known[0]!.url;
  const why = known.length === 0 ? 'this workbook has not been synced yet' : `this workbook syncs with ${known.length} servers`;
  throw new WorkbenchError('validation', `${why}: give the server's URL (postgresql://host/database)`, { place: { field: 'server' } });
}
