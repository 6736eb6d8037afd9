// Reaching the team's PostgreSQL server: its URL read and shown without the password, a password found where
// PostgreSQL's own clients look for it, and the server's refusals said plainly.
import { userInfo } from 'node:os';
import pg from 'pg';
import pgpass from 'pgpass';
import { WorkbenchError } from '../../../shared/errors';

export interface ServerUrl {
  /** as the user may see it: user, host, port and database, never the password */
  shown: string;
  /** which server, without the user: what a workbook records of it */
  identity: string;
  /** what pg connects with, the password apart */
  connection: { host: string; port?: number; user?: string; database: string; ssl?: boolean | { rejectUnauthorized: boolean } };
  /** a password written into the URL, if any (discouraged: it shows in the shell's history) */
  password?: string;
}

/** Asked for a password when none is found elsewhere; undefined: there is no one to ask (no terminal). */
export type AskPassword = (prompt: string) => Promise<string | undefined>;

/**
 * Reads `postgresql://[user[:password]@]host[:port]/database[?host=/socket/dir][&sslmode=…]`, refusing anything
 * else. User and port default as in libpq (PGUSER or the OS user; 5432).
 */
export function readServerUrl(text: string): ServerUrl {
  let url: URL;
  try {
    // libpq takes `postgresql://user@/db?host=/dir` (a Unix socket, no host name); a WHATWG URL wants a host
    // after a user, so one is put there, and the socket directory wins below, as in libpq
    url = new URL(text.replace(/^(postgres(?:ql)?:\/\/[^/?#@]*@)(?=[/:])/, '$1localhost'));
  } catch {
    throw badUrl(text, 'not a URL');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') throw badUrl(text, `expected postgresql://, got ${url.protocol}//`);
  const socketDir = url.searchParams.get('host');
  const host = socketDir || decodeURIComponent(url.hostname);
  if (!host) throw badUrl(text, 'no host');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) throw badUrl(text, 'no database name after the host (postgresql://host/DATABASE)');
  if (url.port && !/^\d+$/.test(url.port)) throw badUrl(text, `port ${url.port} is not a number`);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const sslmode = url.searchParams.get('sslmode');
  const ssl = sslmode === null ? undefined : SSL_MODES[sslmode];
  if (sslmode !== null && ssl === undefined) throw badUrl(text, `sslmode ${sslmode}: expected ${Object.keys(SSL_MODES).join(', ')}`);
  const user = url.username ? `${url.username}@` : '';
  // the socket directory and sslmode are part of where the server is: a URL shown is one a later sync can reach it by
  const query = [socketDir ? `host=${encodeURIComponent(socketDir)}` : null, sslmode === null ? null : `sslmode=${sslmode}`].filter(Boolean).join('&');
  const where = `${socketDir ? '' : url.hostname}${url.port ? `:${url.port}` : ''}/${url.pathname.replace(/^\//, '')}${query ? `?${query}` : ''}`;
  return {
    shown: `postgresql://${user}${where}`,
    identity: `postgresql://${where}`,
    connection: {
      host,
      ...(url.port ? { port: Number(url.port) } : {}),
      ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
      database,
      ...(ssl === undefined ? {} : { ssl }),
    },
    ...(password === undefined ? {} : { password }),
  };
}

/** libpq's sslmode values as pg takes them (require: encrypted, the certificate not checked, as in libpq). */
const SSL_MODES: Record<string, boolean | { rejectUnauthorized: boolean }> = {
  disable: false,
  require: { rejectUnauthorized: false },
  'verify-ca': true,
  'verify-full': true,
};

function badUrl(text: string, why: string): WorkbenchError {
  // the text may hold a password: show only what is safe
  return new WorkbenchError('validation', `bad server URL ${JSON.stringify(redact(text))}: ${why}`, { place: { field: 'server' } });
}

/** A URL-like text with whatever sits between "//user:" and "@" blanked. */
export function redact(text: string): string {
  return text.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
}

/**
 * A connected client. The password, as libpq finds it: in the URL, then PGPASSWORD, then ~/.pgpass (PGPASSFILE),
 * then `ask` (a prompt). pg would read ~/.pgpass itself, with a deprecation warning; asking pgpass here is what
 * pg's own notice recommends.
 */
export async function connectServer(server: ServerUrl, options: { ask?: AskPassword; applicationName?: string } = {}): Promise<pg.Client> {
  // libpq's defaults, made explicit so that ~/.pgpass is looked up for the very user and port pg connects with
  const params = {
    ...server.connection,
    port: server.connection.port ?? Number(process.env.PGPORT || 5432),
    user: server.connection.user ?? (process.env.PGUSER || userInfo().username),
  };
  // The fields one by one, not the URL: pg lets a URL's empty password override a password function.
  const client = new pg.Client({
    ...params,
    application_name: options.applicationName ?? 'figures-workbench',
    connectionTimeoutMillis: 15_000,
    // a server gone silent (the network cut without a word) is found by TCP keepalive, not waited for forever
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    password: () => findPassword(server, params, options.ask),
  });
  // a server gone later (restarted, the network cut) is reported by the query that meets it, not as a crash
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw serverError(error, server, 'connect to');
  }
  return client;
}

async function findPassword(server: ServerUrl, params: { host: string; port: number; database: string; user: string }, ask?: AskPassword): Promise<string> {
  if (server.password !== undefined) return server.password;
  const fromEnv = process.env.PGPASSWORD;
  if (fromEnv) return fromEnv;
  const fromFile = await new Promise<string | undefined>((resolve) => pgpass(params, resolve));
  if (fromFile !== undefined) return fromFile;
  const asked = ask ? await ask(`Password for ${params.user} at ${server.identity}: `) : undefined;
  if (asked !== undefined) return asked;
  throw new WorkbenchError('denied', `${server.shown} asks for a password: give it at the prompt, in PGPASSWORD or in ~/.pgpass`);
}

/** What went wrong talking to the server, in words; the password never appears (pg's errors do not hold it). */
export function serverError(error: unknown, server: ServerUrl, doing: string): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const e = error as { code?: string; message?: string; routine?: string };
  const message = e.message ?? String(error);
  const at = server.shown;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new WorkbenchError('io', `could not ${doing} ${at}: connection refused (is the server running, on that port?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new WorkbenchError('io', `could not ${doing} ${at}: no such host`);
    case 'ENOENT':
      return new WorkbenchError('io', `could not ${doing} ${at}: no server socket there`);
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EPIPE':
      return new WorkbenchError('io', `lost the connection to ${at} (${e.code}); nothing was lost: sync again`);
    case '28P01':
      return new WorkbenchError('denied', `${at} refused the password for this user`);
    case '28000':
      return new WorkbenchError('denied', `${at} does not let this user in: ${message}`);
    case '3D000':
      return new WorkbenchError('not_found', `${at}: ${message}`);
    case '42501':
      return new WorkbenchError('denied', `${at} refused: ${message} (the user needs the workbench_editor role to push)`);
    case '57P01':
    case '57P02':
    case '57P03':
      return new WorkbenchError('io', `${at} is shutting down or starting up (${message}); nothing was lost: sync again`);
  }
  if (/timeout/i.test(message)) return new WorkbenchError('io', `could not ${doing} ${at}: timed out`);
  if (/Connection terminated|not queryable|connection error/i.test(message))
    return new WorkbenchError('io', `lost the connection to ${at}; nothing was lost: sync again`);
  if (/SASL|password/i.test(message)) return new WorkbenchError('denied', `${at} asks for a password: give it at the prompt, in PGPASSWORD or in ~/.pgpass`);
  return WorkbenchError.from(error);
}
