// Being told when others pushed: LISTEN on the server's workbench_changeset channel (its trigger NOTIFYs at each
// push's commit), so the app can offer to sync. A cut connection (the server restarted, the network gone) is
// reconnected, waiting longer each time; pushes made meanwhile are found by the next sync, not by this.
import type pg from 'pg';
import { WorkbenchError } from '../../shared/errors';
import { type AskPassword, connectServer, type ServerUrl } from './server/connection';
import { readServerInfo } from './server/schema';

export interface Pushed {
  /** the highest seq the push added */
  seq: number;
  /** the server login that pushed */
  pushed_by: string;
}

export interface ServerWatch {
  /** resolves once listening again after a reconnect (and at once while connected) */
  readonly listening: () => Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  ask?: AskPassword;
  /** told when the connection is lost, and each failed reconnect */
  onError?: (error: WorkbenchError) => void;
  /** the first wait before a reconnect, doubled up to 30 s */
  retryMs?: number;
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
    try {
      await readServerInfo(next, server.shown);
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
    else client = next;
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
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
