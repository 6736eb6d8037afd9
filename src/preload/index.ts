// Exposes window.workbench — the WorkbenchApi calls over IPC, task progress and cancel, the app's events, and the
// paths of files (a File's own, a save dialog's) — and nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent, webUtils } from 'electron';
import { API_CALL_NAMES } from '../shared/api';
import type { AppEvent, BridgeApi, TaskHandle } from '../shared/bridge';
import {
  APP_EVENT_CHANNEL,
  CANCEL_CHANNEL,
  type Envelope,
  ipcChannel,
  LEAVE_ANSWER_CHANNEL,
  OPEN_WORKBOOK_CHANNEL,
  SAVE_PATH_CHANNEL,
  unwrap,
} from '../shared/transport';

const calls = Object.fromEntries(
  API_CALL_NAMES.map((name) => [
    name,
    async (input: unknown, task?: TaskHandle) => unwrap((await ipcRenderer.invoke(ipcChannel(name), input, task?.id ?? null)) as Envelope<unknown>),
  ]),
);

const bridge = {
  ...calls,
  cancelTask: async (id: string) => {
    await ipcRenderer.invoke(CANCEL_CHANNEL, id);
  },
  answerLeave: async (request: string, leave: boolean) => {
    await ipcRenderer.invoke(LEAVE_ANSWER_CHANNEL, request, leave);
  },
  pathForFile: (file: File) => {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return ''; // not a File from the page: no path, and the page falls back to reading it
    }
  },
  chooseSavePath: async (suggestedName: string) => {
    const chosen: unknown = await ipcRenderer.invoke(SAVE_PATH_CHANNEL, suggestedName);
    return typeof chosen === 'string' && chosen ? chosen : null;
  },
  chooseWorkbookPath: async () => {
    const chosen: unknown = await ipcRenderer.invoke(OPEN_WORKBOOK_CHANNEL);
    return typeof chosen === 'string' && chosen ? chosen : null;
  },
  onAppEvent: (listener: (event: AppEvent) => void) => {
    const handler = (_event: IpcRendererEvent, appEvent: AppEvent) => listener(appEvent);
    ipcRenderer.on(APP_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(APP_EVENT_CHANNEL, handler);
  },
} as unknown as BridgeApi;

contextBridge.exposeInMainWorld('workbench', bridge);
