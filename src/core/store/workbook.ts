// A workbook: one open SQLite file, its single write path, and the lock that keeps writes in order.
import { userInfo } from 'node:os';
import type Database from 'better-sqlite3';
import { BUILT_IN_METRICS, METRIC_SHAPES } from '../../shared/domain';
import { seedVagueRules } from './vagueMigration';
import { flushPending, hasPending, recordPending } from '../checks/pending';
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
    // the warnings are found again after the write commits; what it touched is recorded with it
    // (a file opened at an older schema, as the migration tests open one, keeps no warnings)
    this.keepsWarnings = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'check_pending'").get() !== undefined;
    if (this.keepsWarnings) this.writer.beforeCommit = (tx) => recordPending(db, tx.touched);
    // a write acknowledged before a crash, or a command-line write, left its warnings to find
    if (this.keepsWarnings && !readOnlyBecause && hasPending(db)) this.keepWarnings();
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

  /** One transaction through the change log; the warnings it may have changed are found once it has committed. */
  transact<T>(context: Partial<ChangeContext>, work: (tx: Transaction) => T): { value: T; txn: string } {
    const done = this.writer.transact({ by: this.user, ...context }, work);
    this.keepWarnings();
    return done;
  }

  /**
   * Finds the warnings of the writes that committed since the last time, now. Whatever reads warnings calls this
   * first; a read-only workbook keeps what it holds.
   */
  findPendingWarnings(): void {
    if (this.keepsWarnings && this.db.open && !this.readOnly && !this.db.inTransaction && hasPending(this.db)) flushPending(this.db);
  }

  private readonly keepsWarnings: boolean;
  private warningsScheduled = false;

  /** After the calls queued now, on the lock: a burst of writes is checked once, and never inside a write. */
  private keepWarnings(): void {
    if (this.warningsScheduled) return;
    this.warningsScheduled = true;
    setImmediate(() =>
      this.lock
        .run(() => {
          this.warningsScheduled = false;
          this.findPendingWarnings();
        })
        // the rows stay pending (the upkeep's own transaction rolled back): the next read of warnings tries again
        .catch(() => undefined),
    );
  }

  /** Finds what is pending (so the file is left complete), then closes. */
  close(): void {
    if (!this.db.open) return;
    try {
      this.findPendingWarnings();
    } finally {
      this.db.close();
    }
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
