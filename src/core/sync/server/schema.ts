// The server's schema, as boring as the workbook's: numbered files in migrations/server/, all pending ones applied in
// one transaction, the version kept in workbench.server, a server newer than this app refused.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { WorkbenchError } from '../../../shared/errors';
import { findMigrationsDir } from '../../store/migrations';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export function loadServerMigrations(dir = join(findMigrationsDir(), 'server')): ServerMigration[] {
  const migrations = readdirSync(dir)
    .filter((name) => FILE_PATTERN.test(name))
    .sort()
    .map((name) => ({ version: Number(FILE_PATTERN.exec(name)![1]), name, sql: readFileSync(join(dir, name), 'utf8') }));
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) throw new Error(`server migration ${m.name} is out of sequence: expected ${index + 1}`);
  });
  return migrations;
}

/** The server schema this app syncs with: the last file's number. */
export function serverSchemaVersion(): number {
  return loadServerMigrations().at(-1)?.version ?? 0;
}

export interface ServerInfo {
  /** made at the first init: a workbook knows the server by it, so a server made anew at the same URL is new */
  id: string;
  schemaVersion: number;
}

/**
 * Creates or upgrades the server's schema (the roles included) in one transaction. Needs a role that may create
 * schemas in the database and create roles (a superuser, or the database owner with CREATEROLE).
 */
export async function initServerSchema(client: pg.Client, migrations = loadServerMigrations()): Promise<{ from: number; to: number; id: string }> {
  const latest = migrations.at(-1)?.version ?? 0;
  await client.query('BEGIN');
  try {
    // two inits at once: the second waits and then finds the work done
    await client.query("SELECT pg_advisory_xact_lock(hashtext('workbench.init'))");
    await client.query('CREATE SCHEMA IF NOT EXISTS workbench');
    await client.query(
      'CREATE TABLE IF NOT EXISTS workbench.server (id text PRIMARY KEY, schema_version integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
    );
    await client.query('INSERT INTO workbench.server (id, schema_version) SELECT gen_random_uuid()::text, 0 WHERE NOT EXISTS (SELECT FROM workbench.server)');
    const { rows } = await client.query<{ id: string; schema_version: number }>('SELECT id, schema_version FROM workbench.server');
    const { id, schema_version: from } = rows[0]!;
    if (from > latest) throw newerServer(from, latest);
    for (const migration of migrations.filter((m) => m.version > from)) await client.query(migration.sql);
    await client.query('UPDATE workbench.server SET schema_version = $1', [latest]);
    await client.query('COMMIT');
    return { from, to: latest, id };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** The server's id and version, refusing one this app cannot sync with (not initialised, older, newer). */
export async function readServerInfo(client: pg.Client, shown: string): Promise<ServerInfo> {
  let row: { id: string; schema_version: number } | undefined;
  try {
    row = (await client.query<{ id: string; schema_version: number }>('SELECT id, schema_version FROM workbench.server')).rows[0];
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42P01: no such table, 3F000: no such schema
    if (code === '42P01' || code === '3F000') throw notInitialised(shown);
    throw error;
  }
  if (!row) throw notInitialised(shown);
  const latest = serverSchemaVersion();
  if (row.schema_version > latest) throw newerServer(row.schema_version, latest, shown);
  if (row.schema_version < latest) {
    throw new WorkbenchError(
      'conflict',
      `${shown} is at server schema ${row.schema_version}, this Figures Workbench needs ${latest}: run \`workbench server init\` on it (as its owner)`,
    );
  }
  return { id: row.id, schemaVersion: row.schema_version };
}

function notInitialised(shown: string): WorkbenchError {
  return new WorkbenchError('not_found', `${shown} holds no Figures Workbench schema: run \`workbench server init ${shown}\` first`);
}

function newerServer(version: number, latest: number, shown?: string): WorkbenchError {
  return new WorkbenchError(
    'newer_version',
    `${shown ?? 'the server'} is at server schema ${version}, newer than this Figures Workbench knows (${latest}): update Figures Workbench; nothing was changed`,
  );
}
