// A workbook: one open SQLite file, its single write path, and the lock that keeps writes in order.
import { userInfo } from 'node:os';
import type Database from 'better-sqlite3';
import { BUILT_IN_METRICS, METRIC_SHAPES } from '../../shared/domain';
import { seedVagueRules } from './vagueMigration';
import { refreshWarnings } from '../checks/refresh';
import { ChangeWriter, type ChangeContext, type Transaction } from './changeWriter';
import { openDatabase, type OpenOptions } from './database';
import { type IntegrityStatus, quickCheckInBackground } from './integrityCheck';
import { SerialLock } from './lock';
import { newId } from './ids';

export interface WorkbookOptions extends OpenOptions {
  /** check a large file on a worker thread after open (default true; the CLI, short-lived, says false) */
  backgroundCheck?: boolean;
  /** who the change log names as the author of changes (default: the OS user) */
  user?: string;
}

export class Workbook {
  readonly writer: ChangeWriter;
  readonly lock = new SerialLock();
  /** what quick_check said: at open for a small file, from a background check for a large one */
  integrity: IntegrityStatus = 'ok';
  /** settles when the integrity check has run */
  readonly integrityChecked: Promise<IntegrityStatus>;

  private constructor(
    readonly db: Database.Database,
    readonly path: string,
    readonly schemaVersion: number,
    readonly user: string,
    /** the copy made before a migration at open, if any */
    readonly migrationBackupPath: string | null,
    checkedAtOpen: boolean,
    nativeBinding: string | undefined,
    backgroundCheck: boolean,
    /** why every write is refused (opened for reading only), or null */
    readonly readOnlyBecause: string | null = null,
  ) {
    this.writer = new ChangeWriter(db);
    // the warnings change with the figures, in the same transaction
    this.writer.beforeCommit = (tx) => refreshWarnings(db, tx.touched);
    if (checkedAtOpen) {
      this.integrityChecked = Promise.resolve('ok');
    } else if (!backgroundCheck) {
      this.integrity = 'unchecked';
      this.integrityChecked = Promise.resolve('unchecked');
    } else {
      this.integrity = 'checking';
      this.integrityChecked = quickCheckInBackground(path, nativeBinding).then((status) => (this.integrity = status));
    }
  }

  static async open(path: string, options: WorkbookOptions = {}): Promise<Workbook> {
    const user = options.user ?? defaultUser();
    const opened = await openDatabase(path, {
      ...options,
      initialise: (db) => {
        seedBuiltIns(new ChangeWriter(db), user);
        // (a file made at an older schema, as the migration tests make one, has no rule table yet: 0005 seeds it)
        if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'vague_rule'").get()) seedVagueRules(new ChangeWriter(db), user);
        options.initialise?.(db);
      },
    });
    // a copy read into memory (a read-only disk) is checked at open or not at all: the worker opens the file itself
    const background = (options.backgroundCheck ?? true) && opened.db.name === opened.path;
    return new Workbook(
      opened.db,
      opened.path,
      opened.schemaVersion,
      user,
      opened.backupPath,
      opened.checkedAtOpen,
      options.nativeBinding,
      background,
      opened.readOnly,
    );
  }

  get readOnly(): boolean {
    return this.readOnlyBecause !== null;
  }

  /** One transaction through the change log. */
  transact<T>(context: Partial<ChangeContext>, work: (tx: Transaction) => T): { value: T; txn: string } {
    return this.writer.transact({ by: this.user, ...context }, work);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function seedBuiltIns(writer: ChangeWriter, user: string): void {
  writer.transact({ by: user, why: 'built-in metrics of a new workbook' }, (tx) => {
    for (const metric of BUILT_IN_METRICS) {
      const shape = METRIC_SHAPES[metric.code];
      const partOf = shape?.part_of.length ? JSON.stringify(shape.part_of) : null;
      tx.insert('metric', { id: newId(), ...metric, kind: shape?.kind ?? null, part_of: partOf, note: null });
    }
  });
}

function defaultUser(): string {
  try {
    return userInfo().username || 'analyst';
  } catch {
    return 'analyst';
  }
}
