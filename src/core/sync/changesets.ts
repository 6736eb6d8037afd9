// A workbook's change log as portable changesets, and their application to another workbook: the primitive of
// merging two files and of syncing with a team's server. A changeset is one transaction of the log with the full
// state before and after each change, rebuilt from the reverse deltas, so whoever receives it needs no history of
// its own. Applied, it keeps its transaction id, time, author and reason; a transaction already in the log is left
// alone, which makes applying idempotent.
import type Database from 'better-sqlite3';
import type { AliasView, ApplyReport } from '../../shared/api';
import type { ChangeOp, Entity } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import type { Row, Transaction } from '../store/changeWriter';
import { isReferred, type ReferenceEntity, repointReferrers } from '../store/entities';
import { entriesOf, headState, type LogRow, stateColumns, walkBack } from '../store/logStates';
import type { Workbook } from '../store/workbook';
import { conflictId, type ConflictRow } from './conflicts';
import { findDuplicates } from './duplicates';

/** One change of a changeset: the entity's whole state before and after it (null: did not exist, or deleted). */
export interface ChangeEntry {
  entity: Entity;
  id: string;
  op: ChangeOp;
  before: Row | null;
  after: Row | null;
  /** a figure inserted by the transaction's import: the log's one 'import' entry, expanded to its figures */
  imported?: boolean;
}

/** One transaction of a workbook's log. */
export interface Changeset {
  txn: string;
  at: string;
  by: string;
  why: string | null;
  /** the import batch its changes came from, when they came from a file */
  import_batch_id: string | null;
  /** the change_log id of its last entry in the workbook it was read from: where a later read resumes (`after`) */
  position: number;
  entries: ChangeEntry[];
}

export interface ReadChangesetsOptions {
  /** only the transactions after this change_log id (a `position` read before) */
  after?: number;
  /** transactions the other side holds already (a Set of txn ids will do): left out, their states not rebuilt */
  known?: { has(txn: string): boolean };
}

/** Where a read stopped inside a transaction cut into parts: where its next part starts. */
export interface PartCursor {
  /** the change_log id of the transaction's first entry */
  start: number;
  /** the change_log id of the entry the next part goes on from */
  entry: number;
  /** within an import entry: the rowid of the last figure read (0: none yet) */
  rowid: number;
  /** the number of the next part */
  part: number;
}

/** A part of a changeset: the whole of it (part 0, last) unless it has more entries than a part may hold. */
export interface ChangesetPart extends Changeset {
  /** numbered from 0 */
  part: number;
  /** the changeset's last part */
  last: boolean;
  /** where the next part starts; null for the last. (`position` of a part not last is before its transaction.) */
  next: PartCursor | null;
}

export interface ReadPartsOptions extends ReadChangesetsOptions {
  /** the most entries a part holds */
  maxEntries: number;
  /** go on with the parts of a transaction a read before stopped inside */
  resume?: PartCursor | null;
}

/** How many change_log entries are read at a time: the log is paged, never held whole. */
const PAGE = 2_000;

/**
 * Every transaction of the workbook's log, in log order, as changesets, but those `known` and those up to `after`.
 * Lazy: a changeset's states are rebuilt when it is reached, and only for the transactions not known.
 */
export function* readChangesets(db: Database.Database, options: ReadChangesetsOptions = {}): Generator<Changeset> {
  for (const { part: _, last: __, next: ___, ...changeset } of readChangesetParts(db, { ...options, maxEntries: Number.POSITIVE_INFINITY })) {
    yield changeset;
  }
}

/**
 * The changesets of readChangesets, each cut into parts of at most `maxEntries` entries, so that a transaction of a
 * million figures is never held whole. An import's figures are read in one pass over its batch, by rowid, so a
 * read can stop anywhere and another (`resume`, with the part's `next`) go on where it stopped.
 */
export function* readChangesetParts(db: Database.Database, options: ReadPartsOptions): Generator<ChangesetPart> {
  const states = new StateCache(db);
  const page = db.prepare('SELECT * FROM change_log WHERE id > ? ORDER BY id LIMIT ?');
  let resume = options.resume ?? null;
  let cursor = resume ? resume.start - 1 : (options.after ?? 0);
  let group: LogRow[] = [];
  for (;;) {
    const rows = page.all(cursor, PAGE) as LogRow[];
    for (const row of rows) {
      if (group.length > 0 && group[0]!.txn !== row.txn) {
        yield* toParts(group, states, options, resume);
        resume = null;
        group = [];
      }
      group.push(row);
    }
    if (rows.length < PAGE) break;
    cursor = rows.at(-1)!.id;
  }
  if (group.length > 0) yield* toParts(group, states, options, resume);
}

/** Every transaction id of the workbook's log. */
export function knownTxns(db: Database.Database): Set<string> {
  return new Set(db.prepare('SELECT DISTINCT txn FROM change_log').pluck().all() as string[]);
}

function* toParts(rows: LogRow[], states: StateCache, options: ReadPartsOptions, resume: PartCursor | null): Generator<ChangesetPart> {
  const first = rows[0]!;
  if (options.known?.has(first.txn)) {
    for (const row of rows) states.passed(row);
    return;
  }
  if (resume && resume.start !== first.id) {
    throw new WorkbenchError('corrupt', `change_log entry #${resume.start} does not start a transaction any more: the log is damaged`);
  }
  let part = resume?.part ?? 0;
  let entries: ChangeEntry[] = [];
  const cut = (next: PartCursor | null): ChangesetPart => ({
    txn: first.txn,
    at: first.at,
    by: first.by,
    why: first.why,
    import_batch_id: rows.find((r) => r.import_batch_id !== null)?.import_batch_id ?? null,
    position: next ? first.id - 1 : rows.at(-1)!.id,
    entries,
    part,
    last: next === null,
    next,
  });
  for (const row of rows) {
    if (resume && row.id < resume.entry) {
      states.passed(row);
      continue;
    }
    if (row.op === 'import') {
      const from = resume && row.id === resume.entry ? resume.rowid : 0;
      for (const { id, rowid, after } of states.figuresOfImport(row, from)) {
        if (entries.length >= options.maxEntries) {
          yield cut({ start: first.id, entry: row.id, rowid: rowid - 1, part: part + 1 });
          part += 1;
          entries = [];
        }
        entries.push({ entity: 'figure', id, op: 'insert', before: null, after, imported: true });
      }
    } else {
      if (entries.length >= options.maxEntries) {
        yield cut({ start: first.id, entry: row.id, rowid: 0, part: part + 1 });
        part += 1;
        entries = [];
      }
      const state = states.at(row.entity, row.entity_id, row.id);
      entries.push({ entity: row.entity, id: row.entity_id, op: row.op, before: state.before, after: state.after });
    }
    states.passed(row);
  }
  yield cut(null);
}

/**
 * The states every entry of an entity produced, rebuilt once per entity by walking back from its row, and let go
 * once its last entry has been read.
 */
class StateCache {
  private readonly byEntity = new Map<string, { last: number; states: Map<number, { before: Row | null; after: Row | null }> }>();
  private figuresOfBatch: Database.Statement | null = null;

  constructor(private readonly db: Database.Database) {}

  /**
   * The figures an import entry inserted, in rowid order, each with its state right after the import. Read in one
   * pass over the batch: a figure with no entry of its own since is as the import left it, its row as it is now;
   * only the few changed since are rebuilt from their entries (a million rebuilt one by one take minutes).
   */
  *figuresOfImport(entry: LogRow, afterRowid = 0): Generator<{ id: string; rowid: number; after: Row | null }> {
    const columns = stateColumns(this.db, 'figure');
    this.figuresOfBatch ??= this.db.prepare(
      `SELECT ${columns.map((c) => `f.${c}`).join(', ')}, f.rowid AS rowid_of_figure,
              EXISTS (SELECT 1 FROM change_log c WHERE c.entity_id = f.id AND c.entity = 'figure') AS changed_since
         FROM figure f WHERE f.import_batch_id = ? AND f.rowid > ? ORDER BY f.rowid`,
    );
    const rows = this.figuresOfBatch.iterate(entry.entity_id, afterRowid) as IterableIterator<Row & { rowid_of_figure: number; changed_since: number }>;
    for (const { rowid_of_figure: rowid, changed_since, ...after } of rows) {
      const id = String(after.id);
      yield { id, rowid, after: changed_since ? this.at('figure', id, entry.id).after : after };
    }
  }

  at(entity: Entity, id: string, changeId: number): { before: Row | null; after: Row | null } {
    const key = `${entity}:${id}`;
    let cached = this.byEntity.get(key);
    if (!cached) {
      const rows = entriesOf(this.db, entity, id);
      const walked = walkBack(rows, headState(this.db, entity, id));
      cached = { last: rows.at(-1)?.id ?? 0, states: new Map(rows.map((row, i) => [row.id, walked[i]!])) };
      this.byEntity.set(key, cached);
    }
    const state = cached.states.get(changeId);
    if (!state) throw new WorkbenchError('corrupt', `change_log entry #${changeId} is not among the entries of ${entity} ${id}: the log is damaged`);
    if (changeId >= cached.last) this.byEntity.delete(key);
    return state;
  }

  /** An entry was read (or skipped): an entity whose last entry it was is let go. */
  passed(row: LogRow): void {
    const cached = this.byEntity.get(`${row.entity}:${row.entity_id}`);
    if (cached && row.id >= cached.last) this.byEntity.delete(`${row.entity}:${row.entity_id}`);
  }
}

// ---- applying ----

export type { AliasView, ApplyReport };

export interface ApplyOptions {
  /** what the changesets came from, for the reason of the merge's own transaction ("merge of other.fwb") */
  label?: string;
}

/** The other entities each entity names by id: translated through the aliases. */
const REFERENCES: Partial<Record<Entity, string[]>> = {
  figure: ['metric_id', 'source_id', 'relayed_via_id', 'citation_id', 'location_id'],
  location: ['parent_id'],
  document: ['citation_id'],
  conflict: ['entity_id'],
  alias: ['target_id'],
};

/** The keys the workbook holds unique besides the id (its unique indexes): one entity each, whatever its id. */
const UNIQUE_KEYS: Partial<Record<Entity, { columns: string[]; nocase: boolean }>> = {
  metric: { columns: ['code'], nocase: false },
  source: { columns: ['name'], nocase: true },
  location: { columns: ['name'], nocase: true },
  vague_rule: { columns: ['word'], nocase: true },
  document: { columns: ['citation_id'], nocase: false },
  dismissal: { columns: ['kind', 'figure_ids'], nocase: false },
};

const STAMPS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

function isReferenceEntity(entity: Entity): entity is ReferenceEntity {
  return entity === 'source' || entity === 'citation' || entity === 'metric' || entity === 'location';
}

/** Two states hold the same data: every field but the stamps (who wrote it and when) equal. */
export function sameData(a: Row | null, b: Row | null): boolean {
  if (a === null || b === null) return a === b;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (STAMPS.has(key)) continue;
    if ((a[key] ?? null) !== (b[key] ?? null)) return false;
  }
  return true;
}

interface PendingConflict {
  entity: Entity;
  entityId: string;
  base: Row | null;
  ours: { txn: string; at: string; state: Row | null };
  theirs: { txn: string; at: string; state: Row | null };
  /** every transaction of the other side whose version it took in, oldest first */
  theirsTxns: string[];
  /** an open conflict recorded before whose side `side` this apply brings a newer version of */
  existing?: { id: string; side: 'a' | 'b'; at: string; txns: string[] };
}

/**
 * Applies another workbook's changesets, all or nothing, each through the one write path with its own txn id,
 * time, author and reason. A transaction already in the log is skipped. Per change: where this workbook holds the
 * state it started from, it is applied; where it holds the state it produced, nothing is done; otherwise the entity
 * changed here too, and that is a conflict: the row here is kept, and both versions are recorded (`conflict`).
 * The aliases and conflicts found are written last, in one transaction of this workbook's user.
 */
export function applyChangesets(workbook: Workbook, changesets: Iterable<Changeset>, options: ApplyOptions = {}): ApplyReport {
  const db = workbook.db;
  const report: ApplyReport = { applied: 0, skipped: 0, unchanged: 0, changes: 0, conflicts: 0, conflict_ids: [], aliases: [], duplicates: [] };
  const inLog = db.prepare('SELECT 1 FROM change_log WHERE txn = ? LIMIT 1').pluck();
  const aliases = new Map<string, string>();
  for (const row of db.prepare('SELECT id, target_id FROM alias').all() as Array<{ id: string; target_id: string }>) aliases.set(row.id, row.target_id);
  const pending = new Map<string, PendingConflict>();
  const newAliases: AliasView[] = [];
  const inserted: Array<{ entity: Entity; id: string }> = [];

  const conflictIds = db.prepare('SELECT id FROM conflict ORDER BY id').pluck();
  const run = db.transaction(() => {
    const recordedBefore = new Set(conflictIds.all() as string[]);
    for (const changeset of changesets) {
      if (inLog.get(changeset.txn) !== undefined) {
        report.skipped += 1;
        continue;
      }
      const context = { by: changeset.by, why: changeset.why, importBatchId: changeset.import_batch_id, txn: changeset.txn, at: changeset.at };
      const { value: changed } = workbook.writer.transact(context, (tx) => {
        const apply = new ChangesetApply(tx, changeset, aliases, pending, newAliases, inserted);
        return apply.run();
      });
      report.changes += changed;
      if (changed > 0) report.applied += 1;
      else report.unchanged += 1;
    }
    const found = [...pending.values()];
    const toRecord = found
      .filter((p) => !p.existing)
      .map(conflictRow)
      .filter((row) => !db.prepare('SELECT 1 FROM conflict WHERE id = ?').get(row.id));
    const newer = found.filter((p) => p.existing);
    if (toRecord.length > 0 || newer.length > 0 || newAliases.length > 0) {
      workbook.transact({ why: `merge of ${options.label ?? 'another workbook'}: what it found` }, (tx) => {
        for (const alias of newAliases) tx.insert('alias', { id: alias.id, entity: alias.entity, target_id: alias.target_id, matched: alias.matched });
        for (const row of toRecord) tx.insert('conflict', row as unknown as Row);
        for (const { existing, theirs, theirsTxns } of newer) {
          const { id, side, at, txns } = existing!;
          const state = theirs.state ? canonicalJson(theirs.state) : null;
          const taken = JSON.stringify([...new Set([...txns, ...theirsTxns])].sort());
          tx.update('conflict', id, { [`${side}_txn`]: theirs.txn, [side]: state, at: [at, theirs.at].sort()[1], txns: taken });
        }
      });
    }
    // new here (found by this apply, or recorded by the other side and come with its changes), or given a newer version
    report.conflict_ids = [
      ...(conflictIds.all() as string[]).filter((id) => !recordedBefore.has(id)),
      ...newer.map((p) => p.existing!.id).filter((id) => recordedBefore.has(id)),
    ];
    report.conflicts = report.conflict_ids.length;
    report.aliases = newAliases;
    const isNew = new Set(inserted.map(({ entity, id }) => `${entity}:${id}`));
    report.duplicates = findDuplicates(db).filter((d) => d.ids.some((id) => isNew.has(`${d.entity}:${id}`)));
  });
  run.immediate();
  return report;
}

/** The row recording a conflict: its sides ordered by transaction, so both workbooks record the same row. */
function conflictRow(p: PendingConflict): ConflictRow {
  const [a, b] = p.ours.txn < p.theirs.txn ? [p.ours, p.theirs] : [p.theirs, p.ours];
  return {
    id: conflictId(p.entity, p.entityId, a.txn, b.txn),
    entity: p.entity,
    entity_id: p.entityId,
    base: p.base ? canonicalJson(p.base) : null,
    a_txn: a.txn,
    a: a.state ? canonicalJson(a.state) : null,
    b_txn: b.txn,
    b: b.state ? canonicalJson(b.state) : null,
    at: [a.at, b.at].sort()[1]!,
    txns: JSON.stringify([...new Set([p.ours.txn, ...p.theirsTxns])].sort()),
    resolved_by_txn: null,
    resolution: null,
  };
}

/** A state as JSON with its keys sorted: the same state is the same text in either workbook. */
function canonicalJson(state: Row): string {
  const sorted: Row = {};
  for (const key of Object.keys(state).sort()) sorted[key] = state[key] ?? null;
  return JSON.stringify(sorted);
}

/** The application of one changeset, inside its transaction. */
class ChangesetApply {
  private changed = 0;
  /** the batch whose imported figures are being inserted, logged as one entry when they end */
  private importing: string | null = null;
  /** the entities this changeset merges into others (the aliases it makes): other id → the one kept */
  private readonly mergedInto = new Map<string, string>();
  /** entities whose open conflict (held here too) this changeset resolves: their change applies over either version */
  private readonly resolving = new Map<string, { entity: Entity; id: string; versions: Array<Row | null>; pick: unknown }>();

  constructor(
    private readonly tx: Transaction,
    private readonly changeset: Changeset,
    private readonly aliases: Map<string, string>,
    private readonly pending: Map<string, PendingConflict>,
    private readonly newAliases: AliasView[],
    private readonly inserted: Array<{ entity: Entity; id: string }>,
  ) {}

  run(): number {
    for (const entry of this.changeset.entries) {
      if (entry.entity === 'alias' && entry.op === 'insert' && entry.after) this.mergedInto.set(entry.id, String(entry.after.target_id));
    }
    for (const entry of this.changeset.entries) {
      if (entry.entity !== 'conflict' || !entry.after?.resolution) continue;
      const local = this.tx.get('conflict', entry.id);
      if (!local || local.resolution !== null) continue;
      const versions = [local.a, local.b].map((text) => (typeof text === 'string' ? (JSON.parse(text) as Row) : null));
      const id = this.translate(String(local.entity_id));
      this.resolving.set(`${local.entity}:${id}`, { entity: local.entity as Entity, id, versions, pick: entry.after.resolution });
    }
    for (const entry of this.changeset.entries) {
      if (!entry.imported) this.endImport();
      this.applyEntry(this.translated(entry));
    }
    this.endImport();
    for (const resolved of this.resolving.values()) this.takeVersion(resolved);
    return this.changed;
  }

  /**
   * A conflict settled on the other side by picking the version this workbook already held there needs no change
   * of the entity in that workbook, so its transaction carries none: here, the version picked is put in place.
   */
  private takeVersion(resolved: { entity: Entity; id: string; versions: Array<Row | null>; pick: unknown }): void {
    const side = resolved.pick === 'a' ? 0 : resolved.pick === 'b' ? 1 : -1;
    if (side < 0) return;
    const chosen = resolved.versions[side] ?? null;
    const current = this.tx.get(resolved.entity, resolved.id) ?? null;
    if (sameData(current, chosen)) return;
    if (chosen === null) this.tx.delete(resolved.entity, resolved.id);
    else if (current === null) this.tx.insert(resolved.entity, chosen);
    else this.tx.putState(resolved.entity, resolved.id, chosen);
    this.changed += 1;
  }

  private translate(id: string): string {
    return this.aliases.get(id) ?? id;
  }

  /** The entry with the other workbook's ids of aliased entities replaced by this one's. */
  private translated(entry: ChangeEntry): ChangeEntry {
    if (this.aliases.size === 0) return entry;
    const columns = REFERENCES[entry.entity] ?? [];
    const row = (state: Row | null): Row | null => {
      if (!state) return null;
      const out: Row = { ...state, id: this.translate(String(state.id)) };
      for (const column of columns) if (typeof out[column] === 'string') out[column] = this.translate(out[column] as string);
      return out;
    };
    return { ...entry, id: this.translate(entry.id), before: row(entry.before), after: row(entry.after) };
  }

  private applyEntry(entry: ChangeEntry): void {
    const { tx } = this;
    if (entry.entity === 'alias' && entry.after) {
      // another workbook's alias of an entity this one holds under that very id, or one known already: nothing to do
      if (this.aliases.has(entry.id) || tx.get(entry.after.entity as Entity, entry.id)) return;
      this.aliases.set(entry.id, String(entry.after.target_id));
    }
    const local = tx.get(entry.entity, entry.id) ?? null;
    if (sameData(local, entry.after)) return;
    if (local === null && entry.before === null && entry.after) {
      if (this.aliased(entry)) return;
      if (entry.imported) {
        if (this.importing !== entry.after.import_batch_id) this.endImport();
        this.importing = String(entry.after.import_batch_id);
        tx.insertLoggedLater('figure', entry.after);
      } else {
        tx.insert(entry.entity, entry.after);
      }
      this.inserted.push({ entity: entry.entity, id: entry.id });
      this.changed += 1;
      return;
    }
    const resolved = this.resolving.get(`${entry.entity}:${entry.id}`);
    if (sameData(local, entry.before) || resolved?.versions.some((version) => sameData(local, version))) {
      this.fastForward(entry, local);
      return;
    }
    // a record of a merge settled differently here: this workbook's stands (its entity holds its own conflict)
    if (entry.entity === 'conflict' || entry.entity === 'alias') return;
    this.conflict(entry, local);
  }

  /** This workbook holds the state the change started from: it is made the state the change produced. */
  private fastForward(entry: ChangeEntry, local: Row | null): void {
    const { tx } = this;
    if (entry.after === null && isReferenceEntity(entry.entity) && isReferred(tx, entry.entity, entry.id)) {
      // figures made here since still name what the other side deleted: where it merged it into another (an alias
      // in the same transaction), they are repointed there, as its merge did with its own; otherwise keep it
      const target = this.mergedInto.get(entry.id);
      // (merged both ways round, here into the one it deletes: this workbook's merge stands)
      if (target === undefined || this.translate(target) === entry.id) {
        this.conflict(entry, local);
        return;
      }
      repointReferrers(tx, entry.entity, entry.id, this.translate(target));
    }
    if (entry.after === null) tx.delete(entry.entity, entry.id);
    else if (local === null) tx.insert(entry.entity, entry.after);
    else tx.putState(entry.entity, entry.id, entry.after, entry.op === 'retract' ? 'retract' : 'update');
    this.changed += 1;
  }

  /**
   * A new entity that this workbook holds under another id by a unique key (the same metric code, source name …):
   * the other's id becomes an alias of this one's, and where their data differ, that is a conflict.
   */
  private aliased(entry: ChangeEntry): boolean {
    const key = UNIQUE_KEYS[entry.entity];
    const after = entry.after!;
    if (!key || key.columns.some((c) => after[c] === null || after[c] === undefined)) return false;
    const where = key.columns.map((c) => `${c} = ?${key.nocase ? ' COLLATE NOCASE' : ''}`).join(' AND ');
    const localId = this.tx
      .query(`SELECT id FROM ${entry.entity} WHERE ${where} AND id <> ?`)
      .pluck()
      .get(...key.columns.map((c) => after[c]), entry.id) as string | undefined;
    if (!localId) return false;
    const matched = key.columns.map((c) => `${c}=${String(after[c])}`).join(', ');
    this.aliases.set(entry.id, localId);
    this.newAliases.push({ entity: entry.entity, id: entry.id, target_id: localId, matched });
    const local = this.tx.require(entry.entity, localId);
    const theirs = { ...after, id: localId };
    if (!sameData(local, theirs)) this.conflict({ ...entry, id: localId, before: null, after: theirs }, local);
    return true;
  }

  private conflict(entry: ChangeEntry, local: Row | null): void {
    const key = `${entry.entity}:${entry.id}`;
    const theirs = { txn: this.changeset.txn, at: this.changeset.at, state: entry.after };
    const known = this.pending.get(key);
    if (known) {
      known.theirs = theirs;
      known.theirsTxns.push(theirs.txn);
      return;
    }
    const last = entriesOf(this.tx.db, entry.entity, entry.id).at(-1);
    const ours = { txn: last?.txn ?? this.changeset.txn, at: last?.at ?? this.changeset.at, state: local };
    if (ours.txn === theirs.txn) return; // the row here came from this very transaction: nothing to keep apart
    const recorded = this.tx.query('SELECT * FROM conflict WHERE entity_id = ? AND entity = ?').all(entry.id, entry.entity) as ConflictRow[];
    // a change that only conflicted stays out of the log, so a later merge meets it again: it is recorded already
    if (recorded.some((c) => (JSON.parse(c.txns) as string[]).includes(theirs.txn))) return;
    // the other side changed its version of an open conflict again: that conflict takes the newer version
    for (const c of recorded) {
      if (c.resolution !== null) continue;
      const [a, b] = [c.a, c.b].map((text) => (text === null ? null : (JSON.parse(text) as Row)));
      const side =
        sameData(local, a ?? null) && sameData(entry.before, b ?? null) ? 'b' : sameData(local, b ?? null) && sameData(entry.before, a ?? null) ? 'a' : null;
      if (side) {
        this.pending.set(key, {
          entity: entry.entity,
          entityId: entry.id,
          base: entry.before,
          ours,
          theirs,
          theirsTxns: [theirs.txn],
          existing: { id: c.id, side, at: c.at, txns: JSON.parse(c.txns) as string[] },
        });
        return;
      }
    }
    this.pending.set(key, { entity: entry.entity, entityId: entry.id, base: entry.before, ours, theirs, theirsTxns: [theirs.txn] });
  }

  private endImport(): void {
    if (this.importing === null) return;
    this.tx.logImport(this.importing);
    this.importing = null;
  }
}
