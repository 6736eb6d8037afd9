// Exposes window.workbench — the WorkbenchApi over IPC — and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { API_CALL_NAMES, type WorkbenchApi } from '../shared/api';
import { type Envelope, ipcChannel, unwrap } from '../shared/transport';

const api = Object.fromEntries(
  API_CALL_NAMES.map((name) => [
    name,
    async (input: unknown) => unwrap((await ipcRenderer.invoke(ipcChannel(name), input)) as Envelope<unknown>),
  ]),
) as unknown as WorkbenchApi;

contextBridge.exposeInMainWorld('workbench', api);
