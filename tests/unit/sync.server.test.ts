// The team's PostgreSQL server, real and started by the test: its schema, its roles and what they may do, and the
// messages for a server that cannot be reached, a wrong password and a bad URL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectServer, readServerUrl, redact } from '../../src/core/sync/server/connection';
import { initServerSchema, readServerInfo, serverSchemaVersion } from '../../src/core/sync/server/schema';
import { addServerUser, scramSecret } from '../../src/core/sync/server/users';
import { WorkbenchError } from '../../src/shared/errors';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../support/postgres';

const skip = postgresSkipReason();

async function refusal(promise: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WorkbenchError) return error;
    throw new Error(`expected a WorkbenchError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a refusal');
}

async function asUser(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const CHANGESET = { txn: '0190aaaa-0000-7000-8000-000000000001', at: '2026-01-01T00:00:00.000Z', by: 'alice', why: 'typed', entries: '[]' };
const insert = (client: pg.Client, row = CHANGESET) =>
  client.query('INSERT INTO workbench.changeset (txn, at, by, why, entries) VALUES ($1, $2, $3, $4, $5)', [row.txn, row.at, row.by, row.why, row.entries]);

describe.skipIf(skip !== null)('the team server (a real PostgreSQL)', () => {
  let server: TestPostgres;
  let admin: pg.Client;

  beforeAll(async () => {
    server = await startPostgres();
    admin = await connectServer(readServerUrl(server.adminUrl));
    await initServerSchema(admin);
    await addServerUser(admin, 'alice', 'editor', 'alice secret');
    await addServerUser(admin, 'victor', 'viewer', 'victor secret');
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  it('creates its schema once: a second init changes nothing and keeps the server id', async () => {
    const first = await readServerInfo(admin, 'test');
    expect(first.schemaVersion).toBe(serverSchemaVersion());
    const again = await initServerSchema(admin);
    expect(again).toEqual({ from: serverSchemaVersion(), to: serverSchemaVersion(), id: first.id });
    const roles = await admin.query("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'workbench_%' ORDER BY rolname");
    expect(roles.rows).toEqual([
      { rolname: 'workbench_editor', rolcanlogin: false },
      { rolname: 'workbench_viewer', rolcanlogin: false },
    ]);
  });

  it('lets an editor push, records who pushed, and keeps history append-only even for its owner', async () => {
    await asUser(server.url('alice', 'alice secret'), async (client) => {
      await insert(client);
      const forged = await client
        .query("INSERT INTO workbench.changeset (txn, at, by, entries, pushed_by) VALUES ('x', 'y', 'z', '[]', 'victor')")
        .catch((e: { code: string }) => e.code);
      expect(forged).toBe('42501');
      expect(await client.query("UPDATE workbench.changeset SET why = 'edited'").catch((e: { code: string }) => e.code)).toBe('42501');
      expect(await client.query('DELETE FROM workbench.changeset').catch((e: { code: string }) => e.code)).toBe('42501');
    });
    const { rows } = await admin.query('SELECT txn, by, pushed_by FROM workbench.changeset');
    expect(rows).toEqual([{ txn: CHANGESET.txn, by: 'alice', pushed_by: 'alice' }]);
    await expect(admin.query('DELETE FROM workbench.changeset')).rejects.toThrow(/append-only/);
    await expect(admin.query('TRUNCATE workbench.changeset')).rejects.toThrow(/append-only/);
  });

  it("refuses a viewer's push in the server itself, and lets the viewer read", async () => {
    await asUser(server.url('victor', 'victor secret'), async (client) => {
      const code = await insert(client, { ...CHANGESET, txn: 'viewer-txn' }).catch((e: { code: string }) => e.code);
      expect(code).toBe('42501');
      expect((await client.query('SELECT count(*)::int AS n FROM workbench.changeset')).rows).toEqual([{ n: 1 }]);
    });
  });

  it('gives an existing user a new password and exactly the role asked for', async () => {
    expect(await addServerUser(admin, 'walter', 'editor', 'first')).toEqual({ created: true });
    expect(await addServerUser(admin, 'walter', 'viewer', 'second')).toEqual({ created: false });
    const groups = await admin.query(
      "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = 'walter'",
    );
    expect(groups.rows).toEqual([{ rolname: 'workbench_viewer' }]);
    expect((await refusal(connectServer(readServerUrl(server.url('walter', 'first'))))).code).toBe('denied');
    await asUser(server.url('walter', 'second'), async (client) => {
      expect(await insert(client, { ...CHANGESET, txn: 'walter-txn' }).catch((e: { code: string }) => e.code)).toBe('42501');
    });
    for (const [name, password, why] of [
      ['Robert; DROP ROLE alice', 'x', /lower-case letters/],
      ['bob', '', /empty password/],
    ] as const) {
      const bad = await refusal(addServerUser(admin, name, 'editor', password));
      expect(bad.code).toBe('validation');
      expect(bad.message).toMatch(why);
    }
  });

  it('tells a listener the seq and the login of a push when it commits', async () => {
    const listener = await connectServer(readServerUrl(server.url('victor', 'victor secret')));
    await listener.query('LISTEN workbench_changeset');
    const heard = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.payload ?? '')));
    await asUser(server.url('alice', 'alice secret'), (client) => insert(client, { ...CHANGESET, txn: 'notified-txn' }));
    const payload = JSON.parse(await heard) as { seq: number; pushed_by: string };
    expect(payload.pushed_by).toBe('alice');
    const { rows } = await admin.query("SELECT seq::int FROM workbench.changeset WHERE txn = 'notified-txn'");
    expect(payload.seq).toBe(rows[0].seq);
    await listener.end();
  });

  it('says a wrong password, a missing password, a refused connection and a bad URL plainly, never the password', async () => {
    const wrong = await refusal(connectServer(readServerUrl(server.url('alice', 'not her secret'))));
    expect(wrong.code).toBe('denied');
    expect(wrong.message).toMatch(/refused the password/);
    expect(wrong.message).not.toMatch(/not her secret/);

    const saved = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/pgpass';
    try {
      const none = await refusal(connectServer(readServerUrl(server.url('alice'))));
      expect(none.code).toBe('denied');
      expect(none.message).toMatch(/asks for a password: give it at the prompt, in PGPASSWORD or in ~\/\.pgpass/);
      const asked = await connectServer(readServerUrl(server.url('alice')), { ask: async () => 'alice secret' });
      await asked.end();
      process.env.PGPASSWORD = 'alice secret';
      const fromEnv = await connectServer(readServerUrl(server.url('alice')));
      await fromEnv.end();
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
      delete process.env.PGPASSFILE;
    }

    const closed = await refusal(connectServer(readServerUrl('postgresql://alice:pw@127.0.0.1:1/workbench')));
    expect(closed.code).toBe('io');
    expect(closed.message).toBe('could not connect to postgresql://alice@127.0.0.1:1/workbench: connection refused (is the server running, on that port?)');

    for (const [url, why] of [
      ['http://alice:pw@host/db', /expected postgresql:\/\//],
      ['postgresql://alice:pw@host', /no database name/],
      ['not a url', /not a URL/],
    ] as const) {
      const bad = (() => {
        try {
          readServerUrl(url);
        } catch (error) {
          return error as WorkbenchError;
        }
        throw new Error(`accepted ${url}`);
      })();
      expect(bad.code).toBe('validation');
      expect(bad.message).toMatch(why);
      expect(bad.message).not.toMatch(/:pw@/);
    }
    expect(redact('postgresql://alice:s3cret@host/db')).toBe('postgresql://alice:***@host/db');
  });

  it('connects over the Unix socket as libpq URLs name it, showing the socket and never a password', async () => {
    const socket = `postgresql://fw_admin@:${server.port}/workbench?host=${encodeURIComponent(server.socketDir)}`;
    const read = readServerUrl(socket);
    expect(read.shown).toBe(socket);
    expect(read.identity).toBe(`postgresql://:${server.port}/workbench?host=${encodeURIComponent(server.socketDir)}`);
    const client = await connectServer(read);
    expect((await client.query("SELECT coalesce(inet_server_addr()::text, 'socket') AS via")).rows).toEqual([{ via: 'socket' }]);
    await client.end();
    const withPassword = readServerUrl(`postgresql://alice:s3cret@localhost:5432/workbench?host=${encodeURIComponent(server.socketDir)}`);
    expect(withPassword).toMatchObject({ shown: `postgresql://alice@:5432/workbench?host=${encodeURIComponent(server.socketDir)}`, password: 's3cret' });
    expect(withPassword.connection.host).toBe(server.socketDir);
    // sslmode is where the server is, not a secret: the URL shown (what a later sync reconnects by) keeps it
    const tls = readServerUrl('postgresql://alice:s3cret@db.example.org/team?sslmode=verify-full');
    expect(tls.shown).toBe('postgresql://alice@db.example.org/team?sslmode=verify-full');
    expect(readServerUrl(tls.shown)).toEqual({ ...tls, password: undefined });
  });

  it('reads the password from ~/.pgpass as PostgreSQL clients do', async () => {
    const { mkdtempSync, writeFileSync, chmodSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'fw-pgpass-'));
    const file = join(dir, 'pgpass');
    writeFileSync(file, `127.0.0.1:${server.port}:workbench:alice:alice secret\n`);
    chmodSync(file, 0o600);
    const saved = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = file;
    try {
      const client = await connectServer(readServerUrl(server.url('alice')));
      expect((await client.query('SELECT current_user AS who')).rows).toEqual([{ who: 'alice' }]);
      await client.end();
    } finally {
      if (saved !== undefined) process.env.PGPASSWORD = saved;
      delete process.env.PGPASSFILE;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a server with a newer schema, changing nothing', async () => {
    await admin.query('UPDATE workbench.server SET schema_version = schema_version + 1');
    try {
      const newer = await refusal(readServerInfo(admin, 'the server'));
      expect(newer.code).toBe('newer_version');
      expect(newer.message).toMatch(/newer than this Figures Workbench knows/);
      const init = await refusal(initServerSchema(admin));
      expect(init.code).toBe('newer_version');
    } finally {
      await admin.query('UPDATE workbench.server SET schema_version = schema_version - 1');
    }
  });

  it('stores a SCRAM secret for a new user, never the password, and logs the user in with it', async () => {
    const { rows } = await admin.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'");
    expect(rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(scramSecret('alice secret')).not.toBe(scramSecret('alice secret')); // salted
    const who = await asUser(server.url('alice', 'alice secret'), async (client) => (await client.query('SELECT current_user AS who')).rows[0]);
    expect(who).toEqual({ who: 'alice' });
  });
});
