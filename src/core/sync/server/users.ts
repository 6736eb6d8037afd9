// A team member's login on the server: a PostgreSQL role in workbench_editor or workbench_viewer, so the server
// itself decides who may push.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { WorkbenchError } from '../../../shared/errors';

export const SERVER_ROLES = ['editor', 'viewer'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

const GROUP: Record<ServerRole, string> = { editor: 'workbench_editor', viewer: 'workbench_viewer' };

/** Creates the login (or gives an existing one the new password and exactly this role). */
export async function addServerUser(client: pg.Client, name: string, role: ServerRole, password: string): Promise<{ created: boolean }> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new WorkbenchError('validation', `user name ${JSON.stringify(name)}: lower-case letters, digits and _ (up to 63), not starting with a digit`, {
      place: { field: 'name' },
    });
  }
  if (password.length === 0) throw new WorkbenchError('validation', 'an empty password is refused', { place: { field: 'password' } });
  const user = client.escapeIdentifier(name);
  // The server is sent the SCRAM secret, never the password, so it cannot show up in its logs (psql's \password
  // does the same).
  const secret = client.escapeLiteral(scramSecret(password));
  await client.query('BEGIN');
  try {
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1;
    if (exists) await client.query(`ALTER ROLE ${user} LOGIN PASSWORD ${secret}`);
    else await client.query(`CREATE ROLE ${user} LOGIN PASSWORD ${secret}`);
    for (const other of SERVER_ROLES) if (other !== role) await client.query(`REVOKE ${GROUP[other]} FROM ${user}`);
    await client.query(`GRANT ${GROUP[role]} TO ${user}`);
    await client.query('COMMIT');
    return { created: !exists };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * The SCRAM-SHA-256 secret PostgreSQL stores for a password (RFC 5802/7677, as libpq's PQencryptPasswordConn
 * makes it): `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. The password is used as given: pg, the
 * client the app logs in with, applies no SASLprep either.
 */
export function scramSecret(password: string, iterations = 4096, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
