// `workbench server init`, `server add-user` and `sync` as a user runs them, against a real PostgreSQL: clear
// messages for a bad URL, a server that is not there, a wrong password and a newer server, each leaving the
// workbook as it was; never a password printed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type Run } from '../support/cli';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../support/postgres';
import { addClaim, exportText, openAnalyst } from '../support/team';
import { tempDir, workbookState } from '../support/tempWorkbook';

const skip = postgresSkipReason();

function workbench(args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: '/nonexistent/pgpass', ...options.env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

// each case is a process of its own (through tsx when the bundle is not built)
describe.skipIf(skip !== null)('workbench server and sync (a real PostgreSQL)', { timeout: 120_000 }, () => {
  let server: TestPostgres;
  let temp: ReturnType<typeof tempDir>;
  let book: string;
  const noPassword = { PGPASSWORD: undefined };

  beforeAll(async () => {
    server = await startPostgres();
    temp = tempDir('fw-cli-sync-');
    book = join(temp.dir, 'alice.fwb');
    const alice = await openAnalyst(temp.dir, 'alice');
    await addClaim(alice.api, 'alice', 42);
    alice.close();
  });
  afterAll(async () => {
    temp?.cleanup();
    await server?.stop();
  });

  it('sets up the server and its users, then syncs two workbooks, the password from PGPASSWORD', async () => {
    const init = await workbench(['server', 'init', server.adminUrl]);
    expect(init, init.stderr).toMatchObject({ code: 0 });
    expect(init.stdout).toBe(`${server.adminUrl}: created server schema 2; roles workbench_editor (push and pull), workbench_viewer (pull)\n`);
    expect((await workbench(['server', 'init', server.adminUrl])).stdout).toMatch(/already at server schema 2; nothing changed/);

    for (const [name, role] of [
      ['alice', 'editor'],
      ['bob', 'editor'],
    ]) {
      const added = await workbench(['server', 'add-user', server.adminUrl, name!, '--role', role!], { input: `${name} secret\n` });
      expect(added, added.stderr).toMatchObject({ code: 0, stdout: `${server.adminUrl}: created user ${name} as ${role}\n` });
    }
    const badRole = await workbench(['server', 'add-user', server.adminUrl, 'eve', '--role', 'admin']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role: expected editor or viewer/);

    const pushed = await workbench(['sync', book, '--server', server.url('alice')], { env: { PGPASSWORD: 'alice secret' } });
    expect(pushed, pushed.stderr).toMatchObject({ code: 0 });
    expect(pushed.stdout).toMatch(
      new RegExp(`^synced .*alice\\.fwb with ${literal(server.url('alice'))}: pulled 0 transactions, 0 changes; pushed \\d+; 0 conflicts; server seq \\d+\\n$`),
    );

    const bobBook = join(temp.dir, 'bob.fwb');
    expect((await workbench(['init', bobBook])).code).toBe(0);
    const pulled = await workbench(['sync', bobBook, '--server', server.url('bob')], { env: { PGPASSWORD: 'bob secret' } });
    expect(pulled.stdout).toMatch(/pulled \d+ transactions \(alice \d+\), \d+ changes/);
    // the second time, the server named last time is used: only the password is asked again
    const again = await workbench(['sync', bobBook], { env: { PGUSER: 'bob', PGPASSWORD: 'bob secret' } });
    expect(again, again.stderr).toMatchObject({ code: 0 });
    expect(again.stdout).toMatch(/pulled 0 transactions, 0 changes; pushed 0; 0 conflicts/);

    const [a, b] = [await openAnalyst(temp.dir, 'alice'), await openAnalyst(temp.dir, 'bob')];
    try {
      expect(await exportText(b.api)).toBe(await exportText(a.api));
      // the workbook records the server by host, port and database: no user, no password
      const recorded = b.workbook.db.prepare('SELECT url, last_report FROM sync_server').all();
      expect(JSON.stringify(recorded)).not.toMatch(/secret/);
      expect(recorded).toEqual([expect.objectContaining({ url: `postgresql://127.0.0.1:${server.port}/workbench` })]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('says what is wrong with a bad URL, an absent server, a wrong or missing password and a newer server, changing nothing', async () => {
    const alice = await openAnalyst(temp.dir, 'alice');
    const before = workbookState({ db: alice.workbook.db, path: book });
    try {
      const cases: Array<[string[], Record<string, string | undefined>, RegExp, number]> = [
        [
          ['--server', 'http://alice:hunter2@127.0.0.1/workbench'],
          noPassword,
          /bad server URL "http:\/\/alice:\*\*\*@127\.0\.0\.1\/workbench": expected postgresql:\/\//,
          1,
        ],
        [['--server', 'postgresql://alice:hunter2@127.0.0.1'], noPassword, /no database name/, 1],
        [
          ['--server', 'postgresql://alice:hunter2@127.0.0.1:1/workbench'],
          noPassword,
          /could not connect to postgresql:\/\/alice@127\.0\.0\.1:1\/workbench: connection refused/,
          1,
        ],
        [['--server', server.url('alice', 'hunter2')], noPassword, /refused the password for this user/, 1],
        [['--server', server.url('alice')], noPassword, /asks for a password: give it at the prompt, in PGPASSWORD or in ~\/\.pgpass/, 1],
        [['--server', server.url('alice').replace(/\/workbench$/, '/nowhere')], { PGPASSWORD: 'alice secret' }, /database "nowhere" does not exist/, 1],
      ];
      for (const [args, env, message, code] of cases) {
        const run = await workbench(['sync', book, ...args], { env });
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(code);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/hunter2|secret|internal error/);
        expect(run.stdout).toBe('');
      }

      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      await admin.query('UPDATE workbench.server SET schema_version = schema_version + 1');
      try {
        const newer = await workbench(['sync', book, '--server', server.url('alice')], { env: { PGPASSWORD: 'alice secret' } });
        expect(newer.code).toBe(1);
        expect(newer.stderr).toMatch(/is at server schema 3, newer than this Figures Workbench knows \(2\): update Figures Workbench; nothing was changed/);
      } finally {
        await admin.query('UPDATE workbench.server SET schema_version = schema_version - 1');
        await admin.end();
      }
      expect(workbookState({ db: alice.workbook.db, path: book })).toEqual(before);
    } finally {
      alice.close();
    }
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
