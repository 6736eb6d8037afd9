// `workbench server …` and `workbench sync`: the team's PostgreSQL server. A password is never an argument: it comes
// from the URL if put there, PGPASSWORD, ~/.pgpass or a prompt (src/core/sync/server/connection.ts).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { openSession } from '../core/session';
import { connectServer, readServerUrl, serverError } from '../core/sync/server/connection';
import { initServerSchema } from '../core/sync/server/schema';
import { addServerUser, SERVER_ROLES, type ServerRole } from '../core/sync/server/users';
import { readSyncStates, type SyncReport, syncWithServer } from '../core/sync/serverSync';
import { askHidden, readNewPassword } from './password';
import { UsageError } from './usage';

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>, count: number, names: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== count) throw new UsageError(`expected ${names}`);
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
}

export async function serverCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'init') {
    const { positionals } = parse(rest, {}, 1, 'server init URL');
    const server = readServerUrl(positionals[0]!);
    const client = await connectServer(server, { ask: askHidden });
    try {
      const { from, to } = await initServerSchema(client).catch((error) => {
        throw serverError(error, server, 'set up');
      });
      const what =
        from === to ? `already at server schema ${to}; nothing changed` : from === 0 ? `created server schema ${to}` : `upgraded server schema ${from} → ${to}`;
      process.stdout.write(`${server.shown}: ${what}; roles workbench_editor (push and pull), workbench_viewer (pull)\n`);
      return 0;
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (sub === 'add-user') {
    const { values, positionals } = parse(rest, { role: { type: 'string' } }, 2, 'server add-user URL NAME --role editor|viewer');
    const role = values.role;
    if (typeof role !== 'string' || !(SERVER_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role: expected ${SERVER_ROLES.join(' or ')}`);
    const server = readServerUrl(positionals[0]!);
    const name = positionals[1]!;
    const password = await readNewPassword(`New password for ${name}: `);
    const client = await connectServer(server, { ask: askHidden });
    try {
      const { created } = await addServerUser(client, name, role as ServerRole, password).catch((error) => {
        throw serverError(error, server, 'add a user to');
      });
      process.stdout.write(`${server.shown}: ${created ? 'created' : 'updated'} user ${name} as ${role}\n`);
      return 0;
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new UsageError(sub ? `unknown server command "${sub}"` : 'expected init or add-user');
}

export async function syncCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { server: { type: 'string' }, json: { type: 'boolean' } }, 1, 'FILE');
  const file = positionals[0]!;
  const session = await openSession(file, { create: false, backgroundCheck: false });
  try {
    let url = values.server as string | undefined;
    if (url === undefined) {
      const known = readSyncStates(session.workbook.db);
      if (known.length !== 1)
        throw new UsageError(
          known.length === 0 ? `--server URL: ${file} has not been synced yet` : `--server URL: ${file} syncs with ${known.length} servers; say which`,
        );
      url = known[0]!.url;
    }
    const report = await syncWithServer(session.workbook, readServerUrl(url), { ask: askHidden });
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printSync(file, report, session.workbook.db);
    return 0;
  } finally {
    session.workbook.close();
  }
}

function printSync(file: string, report: SyncReport, db: import('better-sqlite3').Database): void {
  const by = Object.entries(report.pulled_by)
    .map(([who, n]) => `${who} ${n}`)
    .join(', ');
  process.stdout.write(
    `synced ${file} with ${report.server}: pulled ${report.pulled} transactions${by ? ` (${by})` : ''}, ${report.changes} changes; ` +
      `pushed ${report.pushed}; ${report.conflicts} conflicts; server seq ${report.last_seq}\n`,
  );
  if (report.push_refused) process.stderr.write(`not pushed: ${report.unpushed} transactions of ${file}: ${report.push_refused}\n`);
  const conflict = db.prepare('SELECT entity, entity_id FROM conflict WHERE id = ?');
  for (const id of report.conflict_ids) {
    const row = conflict.get(id) as { entity: string; entity_id: string } | undefined;
    if (row) process.stdout.write(`  conflict ${id}: ${row.entity} ${row.entity_id} changed here and on the server; both versions kept, this one shown\n`);
  }
}
