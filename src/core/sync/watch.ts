// Being told when others pushed: LISTEN on the server's workbench_changeset channel (its trigger NOTIFYs at each
// push's commit), so the app can offer to sync. A cut connection (the server restarted, the network gone) is
// reconnected, waiting longer each time; pushes made meanwhile are found by the next sync, not by this.
import type pg from 'pg';
import type { ServerPushes } from '../../shared/api';
import { WorkbenchError } from '../../shared/errors';
import type { Workbook } from '../store/workbook';
import { type AskPassword, connectServer, type ServerUrl, serverError } from './server/connection';
import { readServerInfo, type ServerInfo } from './server/schema';

export interface Pushed {
  /** the highest seq the push added */
  seq: number;
  /** the server login that pushed */
  pushed_by: string;
}

export interface ServerWatch {
  /** resolves once listening again after a reconnect (and at once while connected) */
  readonly listening: () => Promise<void>;
  /** a query on the listening connection (one login for the watch and its looks); refused while it is cut */
  query<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface WatchOptions {
  ask?: AskPassword;
  /** told when the connection is lost, and each failed reconnect */
  onError?: (error: WorkbenchError) => void;
  /** the first wait before a reconnect, doubled up to 30 s */
  retryMs?: number;
  /** told each time it listens, the first time and after each reconnect (pushes made meanwhile were not told) */
  onListening?: (info: ServerInfo) => void;
}

const CHANNEL = 'workbench_changeset';

/** Listens until closed; the first connection's failure (bad URL, wrong password, no such server) is thrown. */
export async function watchServer(server: ServerUrl, onPushed: (pushed: Pushed) => void, options: WatchOptions = {}): Promise<ServerWatch> {
  let closed = false;
  let client: pg.Client | null = null;
  let ready: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const listen = async (): Promise<void> => {
    const next = await connectServer(server, { ask: options.ask, applicationName: 'figures-workbench watch' });
    let info: ServerInfo;
    try {
      info = await readServerInfo(next, server.shown);
      next.on('notification', (message) => {
        if (message.channel !== CHANNEL || !message.payload) return;
        try {
          const pushed = JSON.parse(message.payload) as Pushed;
          onPushed({ seq: Number(pushed.seq), pushed_by: String(pushed.pushed_by) });
        } catch {
          // a payload not of our trigger's making: nothing to tell
        }
      });
      next.on('error', () => lost(next));
      next.on('end', () => lost(next));
      await next.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) await next.end().catch(() => {});
    else {
      client = next;
      options.onListening?.(info);
    }
  };

  const lost = (which: pg.Client) => {
    if (closed || client !== which) return;
    client = null;
    options.onError?.(new WorkbenchError('io', `lost the connection to ${server.shown}; listening again when it is back`));
    ready = new Promise<void>((resolve) => retry(options.retryMs ?? 500, resolve));
  };

  const retry = (wait: number, resolve: () => void) => {
    timer = setTimeout(() => {
      timer = null;
      if (closed) return resolve();
      listen().then(resolve, (error: unknown) => {
        options.onError?.(WorkbenchError.from(error));
        retry(Math.min(wait * 2, 30_000), resolve);
      });
    }, wait);
  };

  await listen();
  return {
    listening: () => ready,
    query: async <T extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
      if (!client) throw new WorkbenchError('io', `lost the connection to ${server.shown}; listening again when it is back`);
      try {
        return (await client.query<T>(sql, params)).rows;
      } catch (error) {
        throw serverError(error, server, 'read from');
      }
    },
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}

export interface AwaitPushesOptions {
  ask?: AskPassword;
  signal?: AbortSignal;
  /** told each time it listens (again) */
  onListening?: () => void;
  /** the first wait before a reconnect */
  retryMs?: number;
}

/** The most of the server's waiting transactions one look reads: enough to say "some are waiting", and who by. */
const LOOK_LIMIT = 10_000;

/**
 * Waits until the server holds transactions from others that this workbook has not pulled: at once if some are
 * waiting already, else at the next push of another (or of this same analyst from another desktop). A push told of
 * is looked up, not trusted: this workbook's own push (told before its sync records it) is in its log already, and
 * is no news. Ends in a 'cancelled' error when the signal aborts.
 */
export async function awaitServerPushes(workbook: Workbook, server: ServerUrl, options: AwaitPushesOptions = {}): Promise<ServerPushes> {
  const { signal } = options;
  const stopped = () => new WorkbenchError('cancelled', `stopped watching ${server.shown}`);
  if (signal?.aborted) throw stopped();
  let looking = false;
  let again = false;
  let settle!: { resolve: (pushes: ServerPushes) => void; reject: (error: unknown) => void };
  const done = new Promise<ServerPushes>((resolve, reject) => (settle = { resolve, reject }));

  // The server's id, as the listening connection read it (again after a reconnect), and the watch once it returned.
  let serverId: string | null = null;
  let watch: ServerWatch | null = null;

  // One look at a time; a push told during a look is looked for by one more.
  const look = async (): Promise<void> => {
    if (!watch || serverId === null) return;
    if (looking) return void (again = true);
    looking = true;
    try {
      do {
        again = false;
        const pushes = await othersWaiting(workbook, watch, serverId, server.shown);
        if (pushes) return settle.resolve(pushes);
      } while (again);
    } catch (error) {
      // the server refused a look it allowed a moment ago: said; else the watch goes on (a reconnect looks again)
      if (WorkbenchError.from(error).code === 'denied') settle.reject(error);
    } finally {
      looking = false;
    }
  };

  watch = await watchServer(server, () => void look(), {
    ask: options.ask,
    retryMs: options.retryMs,
    onListening: (info) => {
      serverId = info.id;
      options.onListening?.();
      void look();
    },
  });
  void look(); // the first listen came before the watch was returned: pushes waiting already
  const onAbort = () => settle.reject(stopped());
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await done;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await watch?.close();
  }
}

/** The transactions on the server after the last pulled that this workbook's log lacks, by who made them; null: none. */
async function othersWaiting(workbook: Workbook, watch: ServerWatch, serverId: string, shown: string): Promise<ServerPushes | null> {
  const lastSeq = await workbook.lock.run(
    () => (workbook.db.prepare('SELECT last_seq FROM sync_server WHERE id = ?').pluck().get(serverId) as number | undefined) ?? 0,
  );
  const rows = await watch.query<{ txn: string; by: string; seq: string }>(
    'SELECT txn, by, seq FROM workbench.changeset WHERE seq > $1 AND part = 0 ORDER BY seq LIMIT $2',
    [lastSeq, LOOK_LIMIT],
  );
  if (rows.length === 0) return null;
  return await workbook.lock.run(() => {
    const inLog = workbook.db.prepare('SELECT 1 FROM change_log WHERE txn = ? LIMIT 1').pluck();
    const by: Record<string, number> = {};
    let transactions = 0;
    for (const row of rows) {
      if (inLog.get(row.txn) !== undefined) continue;
      transactions += 1;
      by[row.by] = (by[row.by] ?? 0) + 1;
    }
    return transactions === 0 ? null : { server: shown, transactions, more: rows.length === LOOK_LIMIT, by, seq: Number(rows.at(-1)!.seq) };
  });
}
