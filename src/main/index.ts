// Electron main process: app lifecycle, the window, menus and file dialogs. Everything else (the store, the API)
// is plain Node and tested without Electron.
import { basename, join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session as electronSession, shell } from 'electron';
import type { WorkbenchApi } from '../shared/api';
import type { AppEvent } from '../shared/bridge';
import { WorkbenchError } from '../shared/errors';
import { APP_EVENT_CHANNEL } from '../shared/transport';
import { registerIpc } from './ipc';
import { menuTemplate } from './menu';
import { electronBindingPath, hasElectronBinding } from './nativeBinding';
import { openSession, type Session } from '../core/session';
import { latestBackup, recoverFromBackup } from '../core/store/backups';
import { SettingsFile } from './settings';
import { CONTENT_SECURITY_POLICY, isTrustedUrl, windowOptions } from './window';

const WORKBOOK_FILTERS = [{ name: 'Figures Workbench workbook', extensions: ['fwb', 'sqlite', 'db'] }];

// Tests (and careful users) can keep the app's state elsewhere: FIGURES_USER_DATA=/some/dir.
if (process.env.FIGURES_USER_DATA) app.setPath('userData', process.env.FIGURES_USER_DATA);

let current: Session | null = null;
let mainWindow: BrowserWindow | null = null;
const settings = SettingsFile.in(app.getPath('userData'));
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? `file://${join(__dirname, '../renderer/index.html')}`;

function api(): WorkbenchApi {
  if (!current) throw new WorkbenchError('not_found', 'no workbook is open');
  return current.api;
}

function send(event: AppEvent): void {
  mainWindow?.webContents.send(APP_EVENT_CHANNEL, event);
}

async function openWorkbook(path: string, demo = false): Promise<void> {
  const projectRoot = app.getAppPath();
  const nativeBinding = hasElectronBinding(projectRoot) ? electronBindingPath(projectRoot) : undefined;
  let next: Session;
  try {
    next = await openSession(path, { demo, nativeBinding });
  } catch (error) {
    const e = WorkbenchError.from(error);
    const recovered = e.code === 'corrupt' ? await offerLatestBackup(path, e.message, nativeBinding) : false;
    if (!recovered) {
      dialog.showErrorBox('Cannot open the workbook', e.message);
      return;
    }
    next = await openSession(path, { nativeBinding });
  }
  current?.workbook.close();
  current = next;
  void next.workbook.integrityChecked.then((status) => {
    if (typeof status === 'object' && current === next) {
      dialog.showErrorBox('The workbook is damaged', `${path}: ${status.damaged}\n\nSave a copy of what can be read, then restore a backup (File ▸ Open).`);
    }
  });
  settings.opened(path);
  showTitle();
  buildMenu();
  send({ kind: 'workbook-opened', path });
}

/** A damaged file: offer its newest sound backup in its place (the damaged file is kept beside it). */
async function offerLatestBackup(path: string, problem: string, nativeBinding: string | undefined): Promise<boolean> {
  const backup = latestBackup(path, { nativeBinding });
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
    recoverFromBackup(path, backup, { nativeBinding });
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
    defaultPath: `${basename(current.workbook.path, '.fwb')}-copy.fwb`,
    filters: WORKBOOK_FILTERS,
  });
  if (result.canceled || !result.filePath) return;
  try {
    await api().backup({ to: result.filePath });
  } catch (error) {
    dialog.showErrorBox('Backup failed', WorkbenchError.from(error).message);
  }
}

function showTitle(): void {
  if (current) mainWindow?.setTitle(`${basename(current.workbook.path)} — Figures Workbench`);
}

function buildMenu(): void {
  const template = menuTemplate(
    {
      newWorkbook: () => void chooseWorkbook('new'),
      openWorkbook: (path) => void (path ? openWorkbook(path) : chooseWorkbook('open')),
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
  showTitle();
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
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
    registerIpc(ipcMain, api, (url) => isTrustedUrl(url, rendererUrl));
    // The last workbook reopens; the very first start opens the demo workbook.
    const last = settings.lastWorkbook();
    await openWorkbook(last ?? join(app.getPath('userData'), 'demo.fwb'), last === null);
    createWindow();
  });
  app.on('window-all-closed', () => {
    current?.workbook.close();
    current = null;
    app.quit();
  });
}
