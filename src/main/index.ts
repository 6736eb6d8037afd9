// Electron main process: app lifecycle and the window. Everything else (the store, the API) is plain Node.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, session as electronSession, shell } from 'electron';
import type { WorkbenchApi } from '../shared/api';
import { registerIpc } from './ipc';
import { electronBindingPath, hasElectronBinding } from './nativeBinding';
import { openSession, type Session } from './session';
import { CONTENT_SECURITY_POLICY, isTrustedUrl, windowOptions } from './window';

let current: Session | null = null;
let mainWindow: BrowserWindow | null = null;

const projectRoot = app.getAppPath();
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? `file://${join(__dirname, '../renderer/index.html')}`;

function api(): WorkbenchApi {
  if (!current) throw new Error('no workbook is open');
  return current.api;
}

async function openWorkbook(path: string, demo: boolean): Promise<void> {
  const nativeBinding = hasElectronBinding(projectRoot) ? electronBindingPath(projectRoot) : undefined;
  const next = await openSession(path, { demo, nativeBinding });
  current?.workbook.close();
  current = next;
  mainWindow?.setTitle(`Figures Workbench — ${path}`);
}

function createWindow(): void {
  mainWindow = new BrowserWindow(windowOptions(join(__dirname, '../preload/index.cjs')));
  const contents = mainWindow.webContents;
  // No navigation away from the app, no new windows: links to sources open in the user's browser instead.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  if (process.env.ELECTRON_RENDERER_URL) void mainWindow.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void mainWindow.loadFile(join(__dirname, '../renderer/index.html'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.whenReady().then(async () => {
    // The app makes no network request: refuse anything that is not our own file or dev server.
    electronSession.defaultSession.webRequest.onBeforeRequest((details, callback) => {
      const allowed = details.url.startsWith('file://') || details.url.startsWith('devtools://') || isTrustedUrl(details.url, rendererUrl);
      callback({ cancel: !allowed });
    });
    electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
    registerIpc(ipcMain, api, (url) => isTrustedUrl(url, rendererUrl));
    await openWorkbook(join(app.getPath('userData'), 'demo.fwb'), true);
    createWindow();
  });
  app.on('window-all-closed', () => {
    current?.workbook.close();
    app.quit();
  });
}
