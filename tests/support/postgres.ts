// A real, throwaway PostgreSQL server for the sync tests: initdb into a temp dir, pg_ctl start on a loopback port
// (and a Unix socket in that dir), stopped and removed at the end. As root (CI runs as root) the server's tools run
// as the `postgres` user, since initdb refuses root; the data dir is made theirs.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The superuser the harness creates; it logs in without a password (trust), the test roles with scram-sha-256. */
export const SUPERUSER = 'fw_admin';
export const DATABASE = 'workbench';

export interface TestPostgres {
  port: number;
  /** the directory of the server's Unix socket */
  socketDir: string;
  /** `postgresql://fw_admin@127.0.0.1:PORT/workbench`: the superuser, no password needed */
  adminUrl: string;
  /** a URL for `role` with `password` (scram-sha-256 checked by the server) */
  url(role: string, password?: string): string;
  /** pg_ctl restart -m fast: every connection is cut, the server comes back on the same port */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where Debian's packages put the server's binaries; null (with the reason) when none is installed. */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return { bin: join(root, versions[0]!, 'bin') };
  return { missing: `no PostgreSQL server binaries in ${root}/*/bin (apt-get install postgresql; .ci/run does)` };
}

/** The reason to skip the PostgreSQL tests, printed, or null when a server can be started. */
export function postgresSkipReason(): string | null {
  const found = findPostgresBin();
  if ('missing' in found) {
    process.stdout.write(`skipping the PostgreSQL sync tests: ${found.missing}\n`);
    return found.missing;
  }
  return null;
}

export async function startPostgres(): Promise<TestPostgres> {
  const found = findPostgresBin();
  if ('missing' in found) throw new Error(found.missing);
  const { bin } = found;
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'fw-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (asRoot) {
    const ids = await run('id', ['-u', 'postgres']).then((uid) => run('id', ['-g', 'postgres']).then((gid) => [Number(uid), Number(gid)]));
    chownSync(dir, ids[0]!, ids[1]!);
  }
  const tool = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args], dir) : run(join(bin, name), args, dir);

  await tool('initdb', ['-D', data, '-U', SUPERUSER, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  // The superuser over trust (the harness and `server init`), everyone else by password as a team's server would.
  writeFileSync(
    join(data, 'pg_hba.conf'),
    [
      `local all ${SUPERUSER} trust`,
      `host  all ${SUPERUSER} 127.0.0.1/32 trust`,
      'local all all scram-sha-256',
      'host  all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  if (asRoot) await run('chown', ['postgres:postgres', join(data, 'pg_hba.conf')]);

  const port = await freePort();
  // fsync off: a throwaway server; a restart (not a power cut) is what the tests put it through.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  const start = () => tool('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  await start();
  const base = `127.0.0.1:${port}/${DATABASE}`;
  await tool('createdb', ['-h', dir, '-p', String(port), '-U', SUPERUSER, DATABASE]);
  let stopped = false;
  return {
    port,
    socketDir: dir,
    adminUrl: `postgresql://${SUPERUSER}@${base}`,
    url: (role, password) => `postgresql://${encodeURIComponent(role)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@${base}`,
    restart: async () => {
      await tool('pg_ctl', ['-D', data, '-l', log, '-o', options, '-m', 'fast', '-w', '-t', '60', 'restart']);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function run(command: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** A loopback port free right now (the server takes it a moment later; nothing else on a test machine races it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
