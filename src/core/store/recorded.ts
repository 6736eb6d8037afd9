// "As recorded on": the workbook as it stood after a past entry of the change log, for every read (the grid's pages,
// compare, series, export). Set-based, from the reverse deltas: only the rows with entries after that entry are
// rebuilt (into temporary tables of this connection); every other row is the head, read where it lies. A temporary
// view per table joins the two, so a read names `temp.recorded_figure` where it would name `figure` and keeps its
// indexes (SQLite pushes the query's terms into both halves of the view).
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

const REBUILT = ['figure', 'metric', 'source', 'citation', 'location'] as const;

/** What a read as recorded on a moment draws on: the moment, and the tables that hold the workbook as it was then. */
export interface RecordedRead {
  moment: RecordedMoment;
  tables: FigureTables;
}

export class RecordedStates {
  /** the log position the temporary tables hold, and the head they were rebuilt from */
  private built: { position: number; head: number } | null = null;
  private created = false;

  constructor(private readonly db: Database.Database) {}

  /**
   * The log position of a moment: the last entry written at or before it (0: before the first). Entries are read
   * back from the newest, so a recent moment costs only the entries since.
   */
  moment(recordedOn: string): RecordedMoment {
    const entry = this.db.prepare('SELECT id, hash FROM change_log WHERE at <= ? ORDER BY id DESC LIMIT 1').get(recordedOn) as
      | { id: number; hash: Buffer }
      | undefined;
    return { recorded_on: recordedOn, log_position: entry?.id ?? 0, hash: entry ? entry.hash.toString('hex') : null };
  }

  /** The tables to read for the workbook as recorded on a moment; the head itself when nothing was logged since. */
  at(recordedOn: string): RecordedRead {
    const moment = this.moment(recordedOn);
    const head = (this.db.prepare('SELECT coalesce(max(id), 0) FROM change_log').pluck().get() as number) ?? 0;
    if (moment.log_position === head) return { moment, tables: HEAD_TABLES };
    if (this.built?.position !== moment.log_position || this.built.head !== head) {
      this.rebuild(moment.log_position);
      this.built = { position: moment.log_position, head };
    }
    return { moment, tables: RECORDED_TABLES };
  }

  private rebuild(position: number): void {
    this.createTables();
    const db = this.db;
    // Temporary tables only: the workbook file is not written, even when it is open for reading only.
    db.transaction(() => {
      for (const table of ['recorded_changed', 'recorded_before', 'recorded_batches', ...REBUILT.map((e) => `recorded_${e}_state`)]) {
        db.exec(`DELETE FROM temp.${table}`);
      }
      // In log order, so the first entry after the position wins each row (and each column below).
      db.prepare(
        `INSERT OR IGNORE INTO temp.recorded_changed (entity, id, first_op)
         SELECT entity, entity_id, op FROM change_log WHERE id > ? AND op <> 'import' ORDER BY id`,
      ).run(position);
      db.prepare(
        `INSERT OR IGNORE INTO temp.recorded_before (entity, id, field, before)
         SELECT l.entity, l.entity_id, j.key, CASE l.op WHEN 'delete' THEN j.value ELSE j.value ->> 0 END
           FROM change_log l, json_each(l.delta) j
          WHERE l.id > ? AND l.op IN ('update', 'retract', 'delete')
          ORDER BY l.id`,
      ).run(position);
      db.prepare(`INSERT OR IGNORE INTO temp.recorded_batches (id) SELECT entity_id FROM change_log WHERE id > ? AND op = 'import'`).run(position);
      for (const entity of REBUILT) {
        const columns = stateColumns(db, entity);
        const pivot = columns.map((c) => `max(field = '${c}') AS "has ${c}", max(CASE WHEN field = '${c}' THEN before END) AS "${c}"`).join(', ');
        db.exec(
          `INSERT INTO temp.recorded_${entity}_state (${columns.join(', ')})
           SELECT ${columns.map((c) => `CASE WHEN b."has ${c}" THEN b."${c}" ELSE h.${c} END`).join(', ')}
             FROM (SELECT id, ${pivot} FROM temp.recorded_before WHERE entity = '${entity}' GROUP BY id) b
             JOIN temp.recorded_changed c ON c.entity = '${entity}' AND c.id = b.id AND c.first_op <> 'insert'
             LEFT JOIN main.${entity} h ON h.id = b.id`,
        );
      }
      // a figure an import inserted after the position was not there yet, whatever was done to it since
      db.exec('DELETE FROM temp.recorded_figure_state WHERE import_batch_id IN (SELECT id FROM temp.recorded_batches)');
    })();
  }

  /** The temporary tables and views, once per connection: their columns are the tables' own, read at run time. */
  private createTables(): void {
    if (this.created) return;
    const db = this.db;
    db.exec(`
      CREATE TEMP TABLE recorded_changed (entity TEXT NOT NULL, id TEXT NOT NULL, first_op TEXT NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID;
      CREATE TEMP TABLE recorded_before (entity TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, before ANY, PRIMARY KEY (entity, id, field)) WITHOUT ROWID;
      CREATE TEMP TABLE recorded_batches (id TEXT PRIMARY KEY) WITHOUT ROWID;`);
    for (const entity of REBUILT) {
      const columns = stateColumns(db, entity);
      const types = new Map(
        (db.prepare('SELECT name, type FROM pragma_table_xinfo(?)').all(entity) as Array<{ name: string; type: string }>).map((c) => [c.name, c.type]),
      );
      const declared = columns.map((c) => `${c} ${types.get(c) ?? ''}${c === 'id' ? ' PRIMARY KEY' : ''}`);
      const isFigure = entity === 'figure';
      // the figure's generated date, stored here so that the indexes below can serve compare and the grid's order
      if (isFigure) declared.push(`effective_date TEXT GENERATED ALWAYS AS (${EFFECTIVE_DATE_SQL}) STORED`);
      const read = [...columns, ...(isFigure ? ['effective_date'] : [])].join(', ');
      const notBatch = isFigure ? 'AND (h.import_batch_id IS NULL OR h.import_batch_id NOT IN (SELECT id FROM temp.recorded_batches))' : '';
      db.exec(`
        CREATE TEMP TABLE recorded_${entity}_state (${declared.join(', ')});
        CREATE TEMP VIEW recorded_${entity} AS
          SELECT ${read} FROM main.${entity} h
           WHERE NOT EXISTS (SELECT 1 FROM temp.recorded_changed c WHERE c.entity = '${entity}' AND c.id = h.id) ${notBatch}
          UNION ALL
          SELECT ${read} FROM temp.recorded_${entity}_state;`);
    }
    db.exec(`
      CREATE INDEX temp.recorded_figure_compare ON recorded_figure_state (metric_id, location_id, effective_date);
      CREATE INDEX temp.recorded_figure_date ON recorded_figure_state (effective_date, id);`);
    this.created = true;
  }
}
