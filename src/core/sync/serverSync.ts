// Syncing a workbook with the team's PostgreSQL server: pull the others' transactions since the last sync and apply
// them, then push this workbook's transactions the server lacks, in one server transaction. Each step can be cut
// anywhere (either side killed, the server restarted, the network gone) without losing anything: a pull is recorded
// only after its apply committed here, and applying is idempotent; a push is recorded here only after the server
// committed it, and the server takes a transaction it holds already as done (ON CONFLICT (txn) DO NOTHING).
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { SyncReport, SyncState } from '../../shared/api';
import { WorkbenchError } from '../../shared/errors';
import type { Row } from '../store/changeWriter';
import type { Workbook } from '../store/workbook';
import { type ApplyReport, applyChangesets, type Changeset, type ChangesetPart, type PartCursor, readChangesetParts } from './changesets';
import { type AskPassword, connectServer, type ServerUrl, serverError } from './server/connection';
import { readServerInfo } from './server/schema';

// the report and the record of a server are the contract's (File ▸ Sync… shows them)
export type { SyncReport, SyncState };

export interface SyncProgress {
  phase: 'pull' | 'push';
  /** transactions pulled and applied, or sent, so far */
  done: number;
  /** 'sent': a part of the push is on the server, not committed yet; 'committed': the server committed the push */
  step?: 'applied' | 'sent' | 'committed';
}

export interface SyncOptions {
  ask?: AskPassword;
  /** told after each step; a promise returned is waited for before the next (a caller's own pacing) */
  onProgress?: (progress: SyncProgress) => void | Promise<void>;
  /** changesets (or parts) per pull page and per push statement */
  page?: number;
  /** the most entries a pushed part holds: a bigger transaction is pushed in parts (server schema 2) */
  partEntries?: number;
  /** stops between steps: what was pulled and applied stays, a push not committed is rolled back on the server */
  signal?: AbortSignal;
}

function stopIfCancelled(signal: AbortSignal | undefined, report: SyncReport): void {
  if (!signal?.aborted) return;
  const kept = report.pulled > 0 ? `; what was pulled (${report.pulled} transaction${report.pulled === 1 ? '' : 's'}) is kept` : '';
  throw new WorkbenchError('cancelled', `sync cancelled: nothing more pushed or pulled${kept}, and the next sync goes on from there`);
}

const PAGE = 200;
/** entries per pushed part, and per push statement: a few MiB of JSON, whatever the transactions' sizes */
const PART_ENTRIES = 5_000;
/** the entries' bytes a pull page holds, about */
const PULL_BYTES = 32 * 2 ** 20;
/** how long a push may leave its server transaction idle (reading the next part here) before the server ends it */
const PUSH_IDLE_LIMIT_MS = 60_000;

export async function syncWithServer(workbook: Workbook, server: ServerUrl, options: SyncOptions = {}): Promise<SyncReport> {
  if (workbook.readOnly) throw new WorkbenchError('conflict', `not synced: ${workbook.readOnlyBecause}`);
  const client = await connectServer(server, { ask: options.ask });
  try {
    const { id } = await readServerInfo(client, server.shown).catch((error) => {
      throw serverError(error, server, 'read');
    });
    const state = new LocalSyncState(workbook.db, id);
    await workbook.lock.run(() => state.ensure(server.identity));
    const report: SyncReport = {
      server: server.shown,
      synced_at: '',
      pushed: 0,
      push_refused: null,
      unpushed: 0,
      pulled: 0,
      changes: 0,
      pulled_by: {},
      conflicts: 0,
      conflict_ids: [],
      last_seq: 0,
    };
    await pull(client, workbook, state, server, report, options);
    await push(client, workbook, state, server, report, options);
    report.synced_at = new Date().toISOString();
    report.last_seq = state.lastSeq();
    await workbook.lock.run(() => state.finish(report));
    return report;
  } finally {
    await client.end().catch(() => {});
  }
}

interface ServerRow {
  seq: string;
  txn: string;
  at: string;
  by: string;
  why: string | null;
  import_batch_id: string | null;
  part: number;
  last: boolean;
  entries: string;
}

async function pull(client: pg.Client, workbook: Workbook, state: LocalSyncState, server: ServerUrl, report: SyncReport, options: SyncOptions): Promise<void> {
  const page = options.page ?? PAGE;
  // the parts read of a changeset whose last part is not read yet: it is applied once it is whole
  let open: Changeset | null = null;
  let read = state.lastSeq();
  for (;;) {
    stopIfCancelled(options.signal, report);
    let rows: ServerRow[];
    try {
      // entries as text: the very JSON pushed, parsed here (pg would parse json itself, but text keeps it exact)
      rows = (
        await client.query<ServerRow>(
          // a page of at most `page` rows, and of about PULL_BYTES of entries (a big transaction's parts are large)
          `SELECT seq, txn, at, by, why, import_batch_id, part, last, entries
             FROM (SELECT seq, txn, at, by, why, import_batch_id, part, last, entries::text AS entries,
                          sum(octet_length(entries::text)) OVER (ORDER BY seq) - octet_length(entries::text) AS before
                     FROM workbench.changeset WHERE seq > $1 ORDER BY seq LIMIT $2) AS page
            WHERE before < $3 ORDER BY seq`,
          [read, page, PULL_BYTES],
        )
      ).rows;
    } catch (error) {
      throw serverError(error, server, 'pull from');
    }
    if (rows.length === 0) {
      if (open) throw new WorkbenchError('corrupt', `the server holds transaction ${open.txn} without its last part: not pulled`);
      return;
    }
    read = Number(rows.at(-1)!.seq);
    const changesets: Changeset[] = [];
    let wholeThrough = 0;
    for (const row of rows) {
      const entries = JSON.parse(row.entries) as Changeset['entries'];
      if (open && open.txn !== row.txn) throw new WorkbenchError('corrupt', `the server holds transaction ${open.txn} without its last part: not pulled`);
      if (!open && row.part !== 0)
        throw new WorkbenchError('corrupt', `the server holds part ${row.part} of transaction ${row.txn} without its first: not pulled`);
      if (open) for (const entry of entries) open.entries.push(entry);
      else open = toChangeset(row, entries);
      if (row.last) {
        changesets.push(open);
        open = null;
        wholeThrough = Number(row.seq);
      }
    }
    if (changesets.length === 0) continue; // a page of one changeset's parts: read on
    const { applied, fresh } = await workbook.lock.run(() => {
      const inLog = workbook.db.prepare('SELECT 1 FROM change_log WHERE txn = ? LIMIT 1').pluck();
      const fresh = changesets.filter((c) => inLog.get(c.txn) === undefined);
      const applied: ApplyReport = applyChangesets(workbook, changesets, { label: server.shown });
      // after the apply's commit: killed in between, the next pull applies the page again and finds it done; a
      // changeset whose last part is still to come is read again from its first
      state.pulled(
        changesets.map((c) => c.txn),
        wholeThrough,
      );
      return { applied, fresh };
    });
    report.pulled += applied.applied + applied.unchanged;
    report.changes += applied.changes;
    report.conflicts += applied.conflicts;
    report.conflict_ids.push(...applied.conflict_ids);
    for (const changeset of fresh) report.pulled_by[changeset.by] = (report.pulled_by[changeset.by] ?? 0) + 1;
    await options.onProgress?.({ phase: 'pull', done: report.pulled, step: 'applied' });
  }
}

function toChangeset(row: ServerRow, entries: Changeset['entries']): Changeset {
  return {
    txn: row.txn,
    at: row.at,
    by: row.by,
    why: row.why,
    import_batch_id: row.import_batch_id,
    position: 0,
    entries,
  };
}

async function push(client: pg.Client, workbook: Workbook, state: LocalSyncState, server: ServerUrl, report: SyncReport, options: SyncOptions): Promise<void> {
  const page = options.page ?? PAGE;
  const partEntries = options.partEntries ?? PART_ENTRIES;
  let after = state.pushedThrough();
  let resume: PartCursor | null = null;
  const sent: string[] = [];
  // the changesets whose first part this push stored: their later parts go on, whatever the server held before
  const begun = new Set<string>();
  let taken = 0;
  let began = false;
  let ownThrough = 0;
  try {
    for (;;) {
      // read under the workbook's lock, so an import's open transaction is never read half-done; a fresh reader
      // each time, since the log may have grown while the page was on its way
      stopIfCancelled(options.signal, report);
      const chunk = await workbook.lock.run(() => takeParts(workbook.db, after, resume, state, page, partEntries));
      if (chunk.parts.length === 0) {
        after = chunk.through;
        break;
      }
      if (!began) {
        // A push holds the server's push lock until it commits: a client cut off without a word (the network gone)
        // must not hold everyone else's pushes for as long as TCP takes to notice. Its push is rolled back, and
        // the next sync sends it again.
        await client.query(`SET idle_in_transaction_session_timeout = ${PUSH_IDLE_LIMIT_MS}`);
        await client.query('BEGIN');
        began = true;
      }
      const { parts } = chunk;
      // A changeset the server holds already is left as it is there, every part of it (another workbook may have
      // cut it elsewhere): a part is stored for a transaction the server has no row of (the statement's snapshot
      // does not see its own rows), or where this push stored its first part in an earlier statement.
      const inserted = await client.query<{ txn: string; part: number; last: boolean }>(
        `INSERT INTO workbench.changeset (txn, at, by, why, import_batch_id, part, last, entries)
         SELECT txn, at, by, why, import_batch_id, part, last, entries
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::json[], $9::bool[])
                WITH ORDINALITY AS pushed (txn, at, by, why, import_batch_id, part, last, entries, goes_on, n)
          WHERE pushed.goes_on OR NOT EXISTS (SELECT FROM workbench.changeset held WHERE held.txn = pushed.txn)
          ORDER BY n
         ON CONFLICT (txn, part) DO NOTHING
         RETURNING txn, part, last`,
        [
          parts.map((c) => c.txn),
          parts.map((c) => c.at),
          parts.map((c) => c.by),
          parts.map((c) => c.why),
          parts.map((c) => c.import_batch_id),
          parts.map((c) => c.part),
          parts.map((c) => c.last),
          parts.map((c) => JSON.stringify(c.entries)),
          parts.map((c) => c.part > 0 && begun.has(c.txn)),
        ],
      );
      for (const row of inserted.rows) {
        if (row.part === 0) begun.add(row.txn);
        if (row.last) taken += 1;
      }
      sent.push(...parts.filter((c) => c.last).map((c) => c.txn));
      after = chunk.through;
      resume = chunk.resume;
      await options.onProgress?.({ phase: 'push', done: sent.length, step: 'sent' });
    }
    if (began) {
      // The rows after the last pulled up to this push's are its own, unless another push committed in between
      // (pushes wait for each other's commit, so none can come after ours yet): a pull skips what is its own, so
      // the next one starts after them rather than reading back what this workbook just sent (a whole import).
      const seen = await client.query<{ foreign_seq: string | null; top: string | null }>(
        'SELECT min(seq) FILTER (WHERE txn <> ALL ($2::text[])) AS foreign_seq, max(seq) AS top FROM workbench.changeset WHERE seq > $1',
        [state.lastSeq(), sent],
      );
      const { foreign_seq, top } = seen.rows[0]!;
      ownThrough = foreign_seq !== null ? Number(foreign_seq) - 1 : top !== null ? Number(top) : 0;
      stopIfCancelled(options.signal, report);
      await client.query('COMMIT');
    }
  } catch (error) {
    if (began) await client.query('ROLLBACK').catch(() => {});
    const refused = serverError(error, server, 'push to');
    // The server decides who may push (a viewer's login has no INSERT grant): what was pulled stays, and the
    // report says what the server did not take. Anything else stops the sync.
    if (refused.code !== 'denied') throw refused;
    report.push_refused = refused.message;
    report.unpushed = await workbook.lock.run(() => state.unpushed());
    return;
  }
  if (sent.length > 0) await options.onProgress?.({ phase: 'push', done: sent.length, step: 'committed' });
  // after the server's commit: killed in between, the next push sends these again and the server keeps its copy
  await workbook.lock.run(() => state.pushed(sent, after, ownThrough));
  report.pushed = taken;
}

/**
 * Up to `page` parts (and about `partEntries` entries) after the log position `after`, or from inside the
 * transaction `resume` names, that the server lacks; how far the read got, and where inside a transaction it stopped.
 */
function takeParts(
  db: Database.Database,
  after: number,
  resume: PartCursor | null,
  state: LocalSyncState,
  page: number,
  partEntries: number,
): { parts: ChangesetPart[]; through: number; resume: PartCursor | null } {
  const parts: ChangesetPart[] = [];
  let through = after;
  let next = resume;
  let entries = 0;
  const known = state.knownTxns();
  for (const part of readChangesetParts(db, { after, known, maxEntries: partEntries, resume })) {
    parts.push(part);
    entries += part.entries.length;
    if (part.last) through = part.position;
    next = part.next;
    if (parts.length >= page || entries >= partEntries) return { parts, through, resume: next };
  }
  // everything after `after` is known (or there is nothing): the whole log is covered
  through = (db.prepare('SELECT max(id) FROM change_log').pluck().get() as number | null) ?? after;
  return { parts, through, resume: null };
}

/** The workbook's record of one server: unlogged bookkeeping (migration 0008), written only by the sync. */
class LocalSyncState {
  private knownLookup: { has(txn: string): boolean } | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly serverId: string,
  ) {}

  ensure(url: string): void {
    this.db.prepare('INSERT INTO sync_server (id, url) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET url = excluded.url').run(this.serverId, url);
  }

  lastSeq(): number {
    return this.db.prepare('SELECT last_seq FROM sync_server WHERE id = ?').pluck().get(this.serverId) as number;
  }

  pushedThrough(): number {
    return this.db.prepare('SELECT pushed_through FROM sync_server WHERE id = ?').pluck().get(this.serverId) as number;
  }

  /** Looked up by the primary key as a push reads the log: a workbook synced for long knows millions. */
  knownTxns(): { has(txn: string): boolean } {
    if (!this.knownLookup) {
      const lookup = this.db.prepare('SELECT 1 FROM sync_txn WHERE server_id = ? AND txn = ?').pluck();
      this.knownLookup = { has: (txn) => lookup.get(this.serverId, txn) !== undefined };
    }
    return this.knownLookup;
  }

  pulled(txns: string[], lastSeq: number): void {
    this.db.transaction(() => {
      this.remember(txns);
      this.db.prepare('UPDATE sync_server SET last_seq = max(last_seq, ?) WHERE id = ?').run(lastSeq, this.serverId);
    })();
  }

  /** `ownThrough`: the server's seqs up to it are ours or pulled, so a pull may start after them */
  pushed(txns: string[], through: number, ownThrough: number): void {
    this.db.transaction(() => {
      this.remember(txns);
      this.db
        .prepare('UPDATE sync_server SET pushed_through = max(pushed_through, ?), last_seq = max(last_seq, ?) WHERE id = ?')
        .run(through, ownThrough, this.serverId);
    })();
  }

  /** This workbook's transactions the server lacks. */
  unpushed(): number {
    return this.db
      .prepare('SELECT count(DISTINCT txn) FROM change_log WHERE id > ? AND txn NOT IN (SELECT txn FROM sync_txn WHERE server_id = ?)')
      .pluck()
      .get(this.pushedThrough(), this.serverId) as number;
  }

  finish(report: SyncReport): void {
    this.db.prepare('UPDATE sync_server SET last_sync_at = ?, last_report = ? WHERE id = ?').run(report.synced_at, JSON.stringify(report), this.serverId);
  }

  private remember(txns: string[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO sync_txn (server_id, txn) VALUES (?, ?)');
    for (const txn of txns) {
      insert.run(this.serverId, txn);
    }
  }
}

/** Every server this workbook has synced with, and what its last sync did (File ▸ Sync… shows it). */
export function readSyncStates(db: Database.Database): SyncState[] {
  const rows = db.prepare('SELECT id, url, last_seq, last_sync_at, last_report FROM sync_server ORDER BY last_sync_at DESC').all() as Array<
    Row & { id: string; url: string; last_seq: number; last_sync_at: string | null; last_report: string | null }
  >;
  return rows.map((r) => ({
    server_id: r.id,
    url: r.url,
    last_seq: r.last_seq,
    last_sync_at: r.last_sync_at,
    last_report: r.last_report ? (JSON.parse(r.last_report) as SyncReport) : null,
  }));
}
