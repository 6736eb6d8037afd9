// "As recorded on": the workbook as it stood after a past entry of the change log, for every read (the grid's pages,
// compare, series, export). Set-based, from the reverse deltas: only the figures with entries after that entry are
// rebuilt (into temporary tables of this connection); every other figure is the head, read where it lies. A
// temporary view is the union of the two, so a read names `temp.recorded_figure` where it would name `figure` and
// keeps its indexes (SQLite takes the query's terms into both halves). Sources, citations, metrics and locations are
// few: they are rebuilt whole, into tables.
//
// A row's state after entry P: absent if its first entry after P inserted it (or an import after P did); else each
// column is the "before" of the first entry after P that logged it (an update's [before, after], a delete's whole
// row), and the head's value where no entry after P touched it. The same walk as logStates.walkBack, done for all
// rows at once.
import type Database from 'better-sqlite3';
import type { RecordedMoment } from '../../shared/api';
import { EFFECTIVE_DATE_SQL } from './figures';
import { type FigureTables, HEAD_TABLES, RECORDED_TABLES } from './figureTables';
import { stateColumns } from './logStates';

/** The tables a figure names, rebuilt whole (they are small); the figures themselves only where they changed. */
const NAMED = ['metric', 'source', 'citation', 'location'] as const;

/** In KiB, as PRAGMA cache_size takes a negative number. */
const TEMP_CACHE_SIZE = -262_144;

/** The figures a read can meet: of these metrics, at this location (or anywhere). */
export interface RecordedScope {
  metric_ids: string[] | null;
  location_id: string | null;
}

/** What a read as recorded on a moment draws on: the moment, and the tables that hold the workbook as it was then. */
export interface RecordedRead {
  moment: RecordedMoment;
  tables: FigureTables;
}

export class RecordedStates {
  /** the log position the temporary tables hold, the head they were rebuilt from, and for which scope (null: all) */
  private built: { position: number; head: string; scope: string | null } | null = null;
  private created = false;

  constructor(private readonly db: Database.Database) {}

  /**
   * The log position of a moment: the last entry written at or before it (0: before the first). The entries' times
   * rise with their ids (each is the time of its transaction), so the position is found by halving the log, a few
   * look-ups by id however long the log; were a clock ever set back, it is the entry after which the log passes
   * the moment.
   */
  moment(recordedOn: string): RecordedMoment {
    const atOrBefore = this.db.prepare('SELECT id, at, hash FROM change_log WHERE id <= ? ORDER BY id DESC LIMIT 1');
    let found: { id: number; at: string; hash: Buffer } | undefined;
    let low = 1;
    let high = (this.db.prepare('SELECT coalesce(max(id), 0) FROM change_log').pluck().get() as number) ?? 0;
    while (low <= high) {
      const middle = Math.floor((low + high) / 2);
      const entry = atOrBefore.get(middle) as typeof found;
      if (!entry) break;
      if (entry.at <= recordedOn) {
        found = entry;
        low = middle + 1;
      } else {
        high = entry.id - 1;
      }
    }
    return { recorded_on: recordedOn, log_position: found?.id ?? 0, hash: found ? found.hash.toString('hex') : null };
  }

  /**
   * The tables to read for the workbook as recorded on a moment; the head itself when nothing was logged since. With
   * a scope, only the figures a read of that scope can meet are rebuilt (a compare of one metric at one place meets
   * a few of the figures edited since); the tables are then right for reads within it, and only those.
   */
  at(recordedOn: string, wanted: RecordedScope | null = null): RecordedRead {
    // a scope of every metric everywhere is the whole workbook, rebuilt the plain way
    const scope = wanted && (wanted.metric_ids || wanted.location_id) ? wanted : null;
    const moment = this.moment(recordedOn);
    // the head by its hash, not its id alone: a restored backup can reach the same id by another history
    const last = this.db.prepare('SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: Buffer } | undefined;
    if (moment.log_position === (last?.id ?? 0)) return { moment, tables: HEAD_TABLES };
    const head = `${last!.id}:${last!.hash.toString('hex')}`;
    const scopeKey = scope ? JSON.stringify([scope.metric_ids && [...scope.metric_ids].sort(), scope.location_id]) : null;
    const built = this.built;
    const fits = built?.position === moment.log_position && built.head === head && (built.scope === null || built.scope === scopeKey);
    if (!fits) {
      this.rebuild(moment.log_position, scope);
      this.built = { position: moment.log_position, head, scope: scopeKey };
    }
    return { moment, tables: RECORDED_TABLES };
  }

  private rebuild(position: number, scope: RecordedScope | null): void {
    this.createTables();
    const db = this.db;
    // Temporary tables only: the workbook file is not written, even when it is open for reading only.
    db.transaction(() => {
      for (const table of ['recorded_changed', 'recorded_before', 'recorded_batches', 'recorded_figure_state', ...NAMED.map((e) => `recorded_${e}`)]) {
        db.exec(`DELETE FROM temp.${table}`);
      }
      // In log order, so the first entry after the position wins each row (and each column below).
      if (!scope) {
        db.prepare(
          `INSERT OR IGNORE INTO temp.recorded_changed (entity, id, first_op)
           SELECT entity, entity_id, op FROM change_log WHERE id > ? AND op <> 'import' ORDER BY id`,
        ).run(position);
      } else {
        // One pass over the entries since: every row but figures, and the figures moved since (a metric or location
        // edited after the position: they may have been in the scope then). Then the scope's figures by where they
        // are now. A figure's first entry is looked up by its id: a move need not be its first.
        const firstOp = (id: string) =>
          `(SELECT f.op FROM change_log f WHERE f.entity_id = ${id} AND f.entity = 'figure' AND f.id > @position ORDER BY f.id LIMIT 1)`;
        const params = { position, metric_ids: JSON.stringify(scope.metric_ids ?? []), location_id: scope.location_id };
        db.prepare(
          `INSERT OR IGNORE INTO temp.recorded_changed (entity, id, first_op)
           SELECT l.entity, l.entity_id, CASE WHEN l.entity = 'figure' THEN ${firstOp('l.entity_id')} ELSE l.op END
             FROM change_log l
            WHERE l.id > @position AND l.op <> 'import'
              AND (l.entity <> 'figure' OR (l.op IN ('update', 'retract') AND (instr(l.delta, '"metric_id"') > 0 OR instr(l.delta, '"location_id"') > 0)))
            ORDER BY l.id`,
        ).run(params);
        const where = [scope.metric_ids && 'h.metric_id IN (SELECT value FROM json_each(@metric_ids))', scope.location_id && 'h.location_id = @location_id'];
        db.prepare(
          `INSERT OR IGNORE INTO temp.recorded_changed (entity, id, first_op)
           SELECT 'figure', id, first_op FROM (SELECT h.id, ${firstOp('h.id')} AS first_op FROM main.figure h WHERE ${where.filter(Boolean).join(' AND ')})
            WHERE first_op IS NOT NULL`,
        ).run(params);
      }
      // the imports since: each logs its import_batch's insert with its figures
      db.exec("INSERT INTO temp.recorded_batches (id) SELECT id FROM temp.recorded_changed WHERE entity = 'import_batch' AND first_op = 'insert'");
      // scoped: from the few rows changed, each one's entries by its id (CROSS JOIN keeps SQLite from reading every
      // entry since instead)
      const before = "j.key, l.entity_id, CASE l.op WHEN 'delete' THEN j.value ELSE j.value ->> 0 END";
      db.prepare(
        scope
          ? `INSERT OR IGNORE INTO temp.recorded_before (entity, field, id, before)
             SELECT l.entity, ${before}
               FROM temp.recorded_changed c
              CROSS JOIN change_log l ON l.entity_id = c.id AND l.entity = c.entity AND l.id > @position, json_each(l.delta) j
              WHERE l.op IN ('update', 'retract', 'delete')
              ORDER BY l.id`
          : `INSERT OR IGNORE INTO temp.recorded_before (entity, field, id, before)
             SELECT l.entity, ${before}
               FROM change_log l, json_each(l.delta) j
              WHERE l.id > @position AND l.op IN ('update', 'retract', 'delete')
              ORDER BY l.id`,
      ).run({ position });
      for (const entity of ['figure', ...NAMED] as const) {
        const columns = stateColumns(db, entity);
        const target = `temp.${entity === 'figure' ? 'recorded_figure_state' : `recorded_${entity}`}`;
        // the rows that were there: the head's where it still is, else an id whose columns the entries give below
        // (a deleted row's delete logged all of them)
        db.prepare(
          `INSERT INTO ${target} (${columns.join(', ')})
           SELECT ${columns.map((c) => `h.${c}`).join(', ')}
             FROM temp.recorded_changed c JOIN main.${entity} h ON h.id = c.id
            WHERE c.entity = ? AND c.first_op <> 'insert'`,
        ).run(entity);
        db.prepare(
          `INSERT INTO ${target} (id)
           SELECT c.id FROM temp.recorded_changed c
            WHERE c.entity = ? AND c.first_op <> 'insert' AND NOT EXISTS (SELECT 1 FROM main.${entity} h WHERE h.id = c.id)`,
        ).run(entity);
        // then each column an entry after the position logged, set to its first "before": a few columns, each one
        // statement over its own rows
        const logged = db.prepare('SELECT DISTINCT field FROM temp.recorded_before WHERE entity = ?').pluck().all(entity) as string[];
        for (const field of logged.filter((f) => columns.includes(f))) {
          db.prepare(
            `UPDATE ${target} AS r SET ${field} = b.before
               FROM temp.recorded_before b
              WHERE b.entity = ? AND b.field = ? AND b.id = r.id`,
          ).run(entity, field);
        }
        // the rows of sources, citations, metrics and locations are few: the unchanged ones are copied whole
        if (entity !== 'figure') {
          db.exec(
            `INSERT INTO ${target} (${columns.join(', ')})
             SELECT ${columns.join(', ')} FROM main.${entity} h
              WHERE NOT EXISTS (SELECT 1 FROM temp.recorded_changed c WHERE c.entity = '${entity}' AND c.id = h.id)`,
          );
        }
      }
      // a figure an import inserted after the position was not there yet, whatever was done to it since
      db.exec('DELETE FROM temp.recorded_figure_state WHERE import_batch_id IN (SELECT id FROM temp.recorded_batches)');
    })();
  }

  /** The temporary tables and views, once per connection: their columns are the tables' own, read at run time. */
  private createTables(): void {
    if (this.created) return;
    const db = this.db;
    // the rebuilt rows stay in memory rather than spill to a temporary file: SQLite's default cache for the temp
    // schema is 2 MiB, a few thousand figures
    db.pragma(`temp.cache_size = ${TEMP_CACHE_SIZE}`);
    db.exec(`
      CREATE TEMP TABLE recorded_changed (entity TEXT NOT NULL, id TEXT NOT NULL, first_op TEXT NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID;
      CREATE TEMP TABLE recorded_before (entity TEXT NOT NULL, field TEXT NOT NULL, id TEXT NOT NULL, before ANY, PRIMARY KEY (entity, field, id)) WITHOUT ROWID;
      CREATE TEMP TABLE recorded_batches (id TEXT PRIMARY KEY) WITHOUT ROWID;`);
    const declared = (entity: string) => {
      const types = db.prepare('SELECT name, type FROM pragma_table_xinfo(?) WHERE hidden = 0').all(entity) as Array<{ name: string; type: string }>;
      return types.map((c) => `${c.name} ${c.type}${c.name === 'id' ? ' PRIMARY KEY' : ''}`);
    };
    for (const entity of NAMED) db.exec(`CREATE TEMP TABLE recorded_${entity} (${declared(entity).join(', ')})`);
    const columns = stateColumns(db, 'figure');
    const read = [...columns, 'effective_date'].join(', ');
    // The figure's generated date, stored here so that the indexes below serve compare and the grid's order. The
    // union is for reads with a WHERE, which SQLite takes into both halves; a join on it with an ORDER BY would be
    // read whole, hence the look-up by id, a join and no union.
    db.exec(`
      CREATE TEMP TABLE recorded_figure_state (${[...declared('figure'), `effective_date TEXT GENERATED ALWAYS AS (${EFFECTIVE_DATE_SQL}) STORED`].join(', ')});
      CREATE INDEX temp.recorded_figure_compare ON recorded_figure_state (metric_id, location_id, effective_date);
      CREATE INDEX temp.recorded_figure_date ON recorded_figure_state (effective_date, id);
      CREATE TEMP VIEW recorded_figure AS
        SELECT ${read} FROM main.figure h
         WHERE NOT EXISTS (SELECT 1 FROM temp.recorded_changed c WHERE c.entity = 'figure' AND c.id = h.id)
           AND (h.import_batch_id IS NULL OR h.import_batch_id NOT IN (SELECT id FROM temp.recorded_batches))
        UNION ALL
        SELECT ${read} FROM temp.recorded_figure_state;
      CREATE TEMP VIEW recorded_figure_by_id AS
        SELECT ${[...columns, 'effective_date'].map((c) => (c === 'id' ? 'h.id' : `CASE WHEN s.id IS NULL THEN h.${c} ELSE s.${c} END AS ${c}`)).join(', ')}
          FROM main.figure h LEFT JOIN temp.recorded_figure_state s ON s.id = h.id;`);
    this.created = true;
  }
}
