// Electron main process: app lifecycle, the window, menus and file dialogs. The workbook and its API run in the
// core's own process (a utilityProcess, src/core/process.ts): main never opens the SQLite file on its thread, and
// only passes the window's calls to the core and the core's answers back.
import { basename, join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session as electronSession, shell, utilityProcess } from 'electron';
import type { AppEvent, LeaveAction } from '../shared/bridge';
import type { OpenedWorkbook } from '../shared/coreProtocol';
import { WorkbenchError } from '../shared/errors';
import { APP_EVENT_CHANNEL } from '../shared/transport';
import { startCore } from './coreProcess';
import { registerIpc, registerSaveDialog, registerWorkbookDialog } from './ipc';
import { type LeaveQuestion, registerLeave } from './leave';
import { menuTemplate } from './menu';
import { electronBindingPath, hasElectronBinding } from './nativeBinding';
import { SettingsFile } from './settings';
import { CONTENT_SECURITY_POLICY, isTrustedUrl, windowOptions } from './window';

const WORKBOOK_FILTERS = [{ name: 'Figures Workbench workbook', extensions: ['fwb', 'sqlite', 'db'] }];

// Tests (and careful users) can keep the app's state elsewhere: FIGURES_USER_DATA=/some/dir.
if (process.env.FIGURES_USER_DATA) app.setPath('userData', process.env.FIGURES_USER_DATA);

/** the workbook the core has open, as it said when it opened it */
let current: OpenedWorkbook | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;
/** the page has loaded: from then on it may hold typed work, and is asked before the window leaves the workbook */
let pageLoaded = false;
/** the window agreed to close: its close event goes through */
let closing = false;
let leave: LeaveQuestion | null = null;
const settings = SettingsFile.in(app.getPath('userData'));
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? `file://${join(__dirname, '../renderer/index.html')}`;
const core = startCore(utilityProcess, join(__dirname, 'core.js'));

core.client.onEvent((event) => {
  if (event.kind === 'integrity' && typeof event.status === 'object' && current?.path === event.path) {
    dialog.showErrorBox(
      'The workbook is damaged',
      `${event.path}: ${event.status.damaged}\n\nSave a copy of what can be read, then restore a backup (File ▸ Open).`,
    );
  }
});
core.child.on('exit', () => {
  if (quitting) return;
  const message = core.client.stopped()?.message ?? 'the workbook process stopped';
  dialog.showErrorBox('The workbook stopped', message);
  send({ kind: 'error', message });
});

function nativeBinding(): string | undefined {
  const projectRoot = app.getAppPath();
  return hasElectronBinding(projectRoot) ? electronBindingPath(projectRoot) : undefined;
}

function send(event: AppEvent): void {
  mainWindow?.webContents.send(APP_EVENT_CHANNEL, event);
}

/** Runs `then` once the page says nothing typed would be lost (or the analyst agreed to drop it). */
async function leaveThen(action: LeaveAction, then: () => Promise<void>): Promise<void> {
  if (await (leave?.ask(action) ?? true)) await then();
}

async function openWorkbook(path: string, demo = false): Promise<void> {
  const binding = nativeBinding();
  let opened: OpenedWorkbook;
  try {
    opened = await core.client.control('open', { path, demo, nativeBinding: binding });
  } catch (error) {
    const e = WorkbenchError.from(error);
    const recovered = e.code === 'corrupt' ? await offerLatestBackup(path, e.message, binding) : false;
    if (!recovered) {
      dialog.showErrorBox('Cannot open the workbook', e.message);
      return;
    }
    try {
      opened = await core.client.control('open', { path, nativeBinding: binding });
    } catch (again) {
      dialog.showErrorBox('Cannot open the workbook', WorkbenchError.from(again).message);
      return;
    }
  }
  // the core closed the previous workbook: the other file's integrity news no longer applies
  current = opened;
  settings.opened(path);
  showTitle();
  buildMenu();
  send({ kind: 'workbook-opened', path });
}

/** A damaged file: offer its newest sound backup in its place (the damaged file is kept beside it). */
async function offerLatestBackup(path: string, problem: string, nativeBinding: string | undefined): Promise<boolean> {
  let backup;
  try {
    backup = await core.client.control('latestBackup', { path, nativeBinding });
  } catch {
    return false;
  }
  if (!backup) return false;
  const answer = await dialog.showMessageBox({
    type: 'warning',
    title: 'The workbook cannot be opened',
    message: `${basename(path)} is damaged.`,
    detail: `${problem}\n\nThe latest sound backup is from ${backup.at} (${backup.name}). Open it in place of the damaged file? The damaged file is kept beside it.`,
    buttons: ['Open the latest backup', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
  });
  if (answer.response !== 0) return false;
  try {
    await core.client.control('recoverFromBackup', { path, name: backup.name, nativeBinding });
    return true;
  } catch (error) {
    dialog.showErrorBox('The backup could not be restored', WorkbenchError.from(error).message);
    return false;
  }
}

async function chooseWorkbook(kind: 'new' | 'open'): Promise<void> {
  if (!mainWindow) return;
  if (kind === 'open') {
    const result = await dialog.showOpenDialog(mainWindow, { properties: ['openFile'], filters: WORKBOOK_FILTERS });
    if (!result.canceled && result.filePaths[0]) await openWorkbook(result.filePaths[0]);
  } else {
    const result = await dialog.showSaveDialog(mainWindow, { title: 'New workbook', defaultPath: 'figures.fwb', filters: WORKBOOK_FILTERS });
    if (!result.canceled && result.filePath) await openWorkbook(result.filePath);
  }
}

async function backup(): Promise<void> {
  if (!mainWindow || !current) return;
  const result = await dialog.showSaveDialog(mainWindow, {
    title: 'Save a copy of the workbook',
    defaultPath: `${basename(current.path, '.fwb')}-copy.fwb`,
    filters: WORKBOOK_FILTERS,
  });
  if (result.canceled || !result.filePath) return;
  try {
    await core.client.api.backup({ to: result.filePath });
  } catch (error) {
    dialog.showErrorBox('Backup failed', WorkbenchError.from(error).message);
  }
}

/** The save dialog of an export the window writes by path. */
async function chooseSavePath(suggestedName: string): Promise<string | null> {
  if (!mainWindow) return null;
  const result = await dialog.showSaveDialog(mainWindow, { defaultPath: suggestedName, filters: [{ name: 'CSV', extensions: ['csv'] }] });
  return result.canceled || !result.filePath ? null : result.filePath;
}

/** The open dialog of File ▸ Merge a Workbook…: another workbook file, read by the core. */
async function chooseWorkbookPath(): Promise<string | null> {
  if (!mainWindow) return null;
  const result = await dialog.showOpenDialog(mainWindow, { properties: ['openFile'], filters: WORKBOOK_FILTERS });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

function showTitle(): void {
  if (current) mainWindow?.setTitle(`${basename(current.path)} — Figures Workbench`);
}

function buildMenu(): void {
  const template = menuTemplate(
    {
      newWorkbook: () => void leaveThen('new', () => chooseWorkbook('new')),
      openWorkbook: (path) => void leaveThen('open', () => (path ? openWorkbook(path) : chooseWorkbook('open'))),
      backup: () => void backup(),
      send: (command) => send({ kind: 'menu', command }),
    },
    settings.read().recent,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  mainWindow = new BrowserWindow(windowOptions(join(__dirname, '../preload/index.cjs')));
  const contents = mainWindow.webContents;
  // No navigation away from the app and no new windows; a link to a source opens in the user's browser.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('did-finish-load', () => (pageLoaded = true));
  contents.on('render-process-gone', () => (pageLoaded = false));
  showTitle();
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('close', (event) => {
    if (closing) return;
    event.preventDefault();
    void leaveThen('close', async () => {
      closing = true;
      mainWindow?.close();
    });
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
    pageLoaded = false;
  });
  if (process.env.ELECTRON_RENDERER_URL) void mainWindow.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void mainWindow.loadFile(join(__dirname, '../renderer/index.html'));
}

function lockDownSession(): void {
  // The app makes no network request: anything but our own page and its files is cancelled.
  electronSession.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const own = details.url.startsWith('file://') || details.url.startsWith('devtools://') || isTrustedUrl(details.url, rendererUrl);
    callback({ cancel: !own });
  });
  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  electronSession.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  void app.whenReady().then(async () => {
    lockDownSession();
    const trusted = (url: string) => isTrustedUrl(url, rendererUrl);
    registerIpc(ipcMain, () => core.client.api, trusted);
    registerSaveDialog(ipcMain, chooseSavePath, trusted);
    registerWorkbookDialog(ipcMain, chooseWorkbookPath, trusted);
    leave = registerLeave(
      ipcMain,
      (event) => {
        if (!mainWindow || !pageLoaded || mainWindow.webContents.isDestroyed()) return false;
        send(event);
        return true;
      },
      trusted,
    );
    // The last workbook reopens; the very first start opens the demo workbook.
    const last = settings.lastWorkbook();
    await openWorkbook(last ?? join(app.getPath('userData'), 'demo.fwb'), last === null);
    createWindow();
  });
  app.on('window-all-closed', () => {
    quitting = true;
    current = null;
    // The core closes the workbook after the calls already queued on it, then goes.
    void core.client
      .control('close', {})
      .catch(() => undefined)
      .finally(() => {
        core.child.kill();
        app.quit();
      });
  });
}
