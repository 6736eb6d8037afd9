// Finds the numbered migration files (migrations/0001_init.sql …) and applies the pending ones.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { findUp } from '../paths';
import { finishChecksMigration } from '../checks/metricShapes';
import { allowLoggedEntity } from './loggedEntities';
import { convertChangeLogV1 } from './logMigration';
import { addVagueRules } from './vagueMigration';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** what SQL alone cannot do, run right after the file's SQL in the same transaction */
  run?: (db: Database.Database) => void;
  /** run after every pending file's SQL (so it may read the newest schema), in the same transaction */
  finish?: (db: Database.Database) => void;
}

/** The migrations that need code besides their SQL, by version. */
const CODE_STEPS: Record<number, (db: Database.Database) => void> = {
  2: convertChangeLogV1,
  5: addVagueRules,
  6: (db) => allowLoggedEntity(db, 'document'),
  10: (db) => allowLoggedEntity(db, 'conflict', 'alias'),
};

/** The migrations whose code must see the whole newest schema: run once every pending file is applied. */
const FINISH_STEPS: Record<number, (db: Database.Database) => void> = {
  4: finishChecksMigration,
};

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * The folder holding the migrations, found upward from this module (src/core/store, or the bundled out/main).
 */
export function findMigrationsDir(start = dirname(fileURLToPath(import.meta.url))): string {
  return join(findUp(start, 'migrations/0001_init.sql'), 'migrations');
}

export function loadMigrations(dir = findMigrationsDir()): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => FILE_PATTERN.test(name))
    .sort()
    .map((name) => ({
      version: Number(FILE_PATTERN.exec(name)![1]),
      name,
      sql: readFileSync(join(dir, name), 'utf8'),
      run: CODE_STEPS[Number(FILE_PATTERN.exec(name)![1])],
      finish: FINISH_STEPS[Number(FILE_PATTERN.exec(name)![1])],
    }));
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) throw new Error(`migration ${m.name} is out of sequence: expected ${index + 1}`);
  });
  return migrations;
}

export function latestVersion(migrations: Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Applies every migration newer than the file, and `then`, in one transaction; the version lands in user_version. */
export function applyMigrations(db: Database.Database, migrations: Migration[], then: (fromVersion: number) => void): number {
  const fromVersion = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > fromVersion);
  if (pending.length === 0) return fromVersion;
  const run = db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.sql);
      migration.run?.(db);
    }
    for (const migration of pending) migration.finish?.(db);
    const broken = db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
    if (broken.length > 0) {
      const { table, rowid, parent } = broken[0]!;
      throw new Error(`after the migration, ${table} row ${rowid} refers to a missing ${parent} (${broken.length} such rows); not migrated`);
    }
    // PRAGMA takes no parameters; the version is an integer we computed.
    db.pragma(`user_version = ${latestVersion(migrations)}`);
    then(fromVersion);
  });
  // SQLite's procedure for schema changes (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys
  // off while the tables change, then foreign_key_check before the commit. With them on, dropping an old table
  // deletes it row by row first, looking up every row among the rows that refer to it. The pragma is a no-op
  // inside a transaction, hence here, outside it; a larger page cache keeps the index builds and the conversion
  // of a large log in memory.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  db.pragma(`cache_size = ${MIGRATION_CACHE_SIZE}`);
  try {
    run.immediate();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return latestVersion(migrations);
}

/** The page cache while migrating, in KiB (negative: a size, not a number of pages), given back afterwards. */
const MIGRATION_CACHE_SIZE = -262_144;
