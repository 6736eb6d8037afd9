// Serves WorkbenchApi over IPC: one handler per call in API_CALLS, each checking that the sender is the app's own
// page, each returning an envelope so the renderer gets the same typed error the store raised.
import { API_CALL_NAMES, type WorkbenchApi } from '../shared/api';
import { WorkbenchError } from '../shared/errors';
import { type Envelope, ipcChannel, wrap } from '../shared/transport';

/** The part of Electron's ipcMain this needs (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, input: unknown) => Promise<Envelope<unknown>>): void;
  removeHandler(channel: string): void;
}

export function registerIpc(ipcMain: IpcMainLike, getApi: () => WorkbenchApi, isTrustedSender: (url: string) => boolean): () => void {
  for (const name of API_CALL_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, input) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) {
        return { ok: false, error: new WorkbenchError('validation', `refused: ${name} called from an untrusted page (${url || 'unknown'})`).toData() };
      }
      const api = getApi();
      return wrap(() => (api[name] as (input: unknown) => Promise<unknown>)(input));
    });
  }
  return () => {
    for (const name of API_CALL_NAMES) ipcMain.removeHandler(ipcChannel(name));
  };
}
