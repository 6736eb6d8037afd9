// Serves WorkbenchApi over IPC: one handler per call in API_CALLS, each checking that the sender is the app's own
// page and returning an envelope, so the renderer gets the same typed error the store raised. A long task named
// by an id reports progress as AppEvents to its sender and can be cancelled by that id.
import { API_CALL_NAMES, type CallOptions, type WorkbenchApi } from '../shared/api';
import type { AppEvent } from '../shared/bridge';
import { WorkbenchError } from '../shared/errors';
import { APP_EVENT_CHANNEL, CANCEL_CHANNEL, type Envelope, ipcChannel, OPEN_WORKBOOK_CHANNEL, SAVE_PATH_CHANNEL, wrap } from '../shared/transport';

export interface IpcEventLike {
  senderFrame: { url: string } | null;
  sender: { send(channel: string, event: AppEvent): void };
}

/** The part of Electron's ipcMain this needs (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<Envelope<unknown> | string | null | undefined>): void;
  removeHandler(channel: string): void;
}

export function registerIpc(ipcMain: IpcMainLike, getApi: () => WorkbenchApi, isTrustedSender: (url: string) => boolean): () => void {
  const tasks = new Map<string, AbortController>();
  const refuse = (what: string, url: string) =>
    ({ ok: false, error: new WorkbenchError('validation', `refused: ${what} called from an untrusted page (${url || 'unknown'})`).toData() }) as const;

  for (const name of API_CALL_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, input, taskId) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) return refuse(name, url);
      const api = getApi();
      const options: CallOptions = {};
      if (typeof taskId === 'string' && taskId) {
        const controller = new AbortController();
        tasks.set(taskId, controller);
        options.signal = controller.signal;
        options.onProgress = (progress) => event.sender.send(APP_EVENT_CHANNEL, { kind: 'progress', task: taskId, progress });
      }
      try {
        return await wrap(() => (api[name] as (input: unknown, options: CallOptions) => Promise<unknown>)(input, options));
      } finally {
        if (typeof taskId === 'string') tasks.delete(taskId);
      }
    });
  }
  ipcMain.handle(CANCEL_CHANNEL, async (event, taskId) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '')) return;
    if (typeof taskId === 'string') tasks.get(taskId)?.abort();
  });
  return () => {
    for (const name of API_CALL_NAMES) ipcMain.removeHandler(ipcChannel(name));
    ipcMain.removeHandler(CANCEL_CHANNEL);
  };
}

/** A name the save dialog may suggest: a plain file name, never a path. */
const SUGGESTED_NAME = /^[^/\\\0]{1,255}$/;

/**
 * The window's native save dialog (an export written by path): `choose` shows it and answers the path, or null when
 * the user cancels. Only the app's own page may ask; a name that is not a plain file name is not suggested.
 */
export function registerSaveDialog(
  ipcMain: IpcMainLike,
  choose: (suggestedName: string) => Promise<string | null>,
  isTrustedSender: (url: string) => boolean,
): () => void {
  ipcMain.handle(SAVE_PATH_CHANNEL, async (event, suggested) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '')) return null;
    const name = typeof suggested === 'string' && SUGGESTED_NAME.test(suggested) && suggested !== '..' ? suggested : 'export.csv';
    return choose(name);
  });
  return () => ipcMain.removeHandler(SAVE_PATH_CHANNEL);
}

/** The open dialog of a workbook to merge from: only the window's own page may ask. */
export function registerWorkbookDialog(ipcMain: IpcMainLike, choose: () => Promise<string | null>, isTrustedSender: (url: string) => boolean): () => void {
  ipcMain.handle(OPEN_WORKBOOK_CHANNEL, async (event) => (isTrustedSender(event.senderFrame?.url ?? '') ? choose() : null));
  return () => ipcMain.removeHandler(OPEN_WORKBOOK_CHANNEL);
}
