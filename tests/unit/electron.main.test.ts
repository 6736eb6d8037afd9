// The main process wired to a fake `electron`: the real window options, IPC for every call, no navigation, no
// network, menus with accelerators, the demo workbook on first start and the last workbook after that.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { ipcChannel } from '../../src/shared/transport';

const userData = mkdtempSync(join(tmpdir(), 'fw-electron-'));
const fake = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; handlers: Map<string, (...a: unknown[]) => unknown>; openHandler?: (d: { url: string }) => unknown; loaded?: string; title?: string }>,
  ipc: new Map<string, unknown>(),
  beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
  headers: null as null | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  permission: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
  menu: null as null | Array<{ label?: string; submenu?: Array<{ label?: string; accelerator?: string }> }>,
  external: [] as string[],
  quit: 0,
  lock: true,
  ready: null as null | Promise<void>,
  userData: '',
}));
fake.userData = userData;

vi.mock('electron', () => {
  class BrowserWindow {
    readonly entry;
    readonly webContents;
    constructor(options: Record<string, unknown>) {
      this.entry = { options, handlers: new Map(), openHandler: undefined as undefined | ((d: { url: string }) => unknown), loaded: undefined as string | undefined, title: undefined as string | undefined };
      fake.windows.push(this.entry);
      const entry = this.entry;
      this.webContents = {
        on: (name: string, handler: (...a: unknown[]) => unknown) => entry.handlers.set(name, handler),
        setWindowOpenHandler: (handler: (d: { url: string }) => unknown) => (entry.openHandler = handler),
        send: () => {},
      };
    }
    once() {}
    on() {}
    show() {}
    setTitle(title: string) { this.entry.title = title; }
    loadFile(path: string) { this.entry.loaded = path; return Promise.resolve(); }
    loadURL(url: string) { this.entry.loaded = url; return Promise.resolve(); }
    isMinimized() { return false; }
    focus() {}
  }
  let resolveReady: () => void;
  fake.ready = new Promise((r) => (resolveReady = r));
  return {
    app: {
      getPath: () => fake.userData,
      setPath: () => {},
      getAppPath: () => process.cwd(),
      requestSingleInstanceLock: () => fake.lock,
      whenReady: () => { setTimeout(() => resolveReady(), 0); return fake.ready!.then(() => undefined); },
      on: () => {},
      quit: () => { fake.quit += 1; },
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, listener: unknown) => fake.ipc.set(channel, listener), removeHandler: (c: string) => fake.ipc.delete(c) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (fake.menu = m as typeof fake.menu) },
    dialog: { showErrorBox: (title: string, message: string) => { throw new Error(`${title}: ${message}`); }, showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }) },
    shell: { openExternal: async (url: string) => { fake.external.push(url); } },
    session: {
      defaultSession: {
        webRequest: {
          onBeforeRequest: (h: typeof fake.beforeRequest) => (fake.beforeRequest = h),
          onHeadersReceived: (h: typeof fake.headers) => (fake.headers = h),
        },
        setPermissionRequestHandler: (h: typeof fake.permission) => (fake.permission = h),
      },
    },
  };
});

async function untilWindow(): Promise<void> {
  for (let i = 0; i < 400 && fake.windows.length === 0; i += 1) await new Promise((r) => setTimeout(r, 25));
}

describe('main process', () => {
  beforeAll(async () => {
    await import('../../src/main/index');
    await untilWindow();
  }, 60_000);
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it('opens one window with the secure options, loading the built page', () => {
    expect(fake.windows).toHaveLength(1);
    const prefs = fake.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs.preload).toBe(resolve('src/preload/index.cjs'));
    expect(fake.windows[0]!.loaded).toMatch(/renderer[\\/]index\.html$/);
  });

  it('registers an IPC handler for every API call', () => {
    for (const name of API_CALL_NAMES) expect(fake.ipc.has(ipcChannel(name)), name).toBe(true);
  });

  it('refuses navigation and new windows; web links go to the system browser', () => {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    fake.windows[0]!.handlers.get('will-navigate')!(event, 'https://example.org/');
    expect(event.defaultPrevented).toBe(true);
    expect(fake.windows[0]!.openHandler!({ url: 'https://www.ochaopt.org/' })).toEqual({ action: 'deny' });
    expect(fake.windows[0]!.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.external).toEqual(['https://www.ochaopt.org/']);
  });

  it('cancels every request that leaves the app, adds the CSP header, and denies permissions', () => {
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      fake.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict('https://example.org/track.js')).toBe(true);
    expect(verdict('http://127.0.0.1:9999/')).toBe(true);
    expect(verdict('file:///app/out/renderer/index.html')).toBe(false);
    let headers: Record<string, string[]> = {};
    fake.headers!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']?.[0]).toMatch(/^default-src 'none'; script-src 'self'/);
    let granted: boolean | undefined;
    fake.permission!(null, 'geolocation', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('sets the menus with their accelerators', () => {
    const items = fake.menu!.flatMap((m) => m.submenu ?? []);
    const accelerator = (label: string) => items.find((i) => i.label?.replace('&', '').startsWith(label))?.accelerator;
    expect(accelerator('New Workbook')).toBe('CmdOrCtrl+N');
    expect(accelerator('Open Workbook')).toBe('CmdOrCtrl+O');
    expect(accelerator('Import CSV')).toBe('CmdOrCtrl+I');
    expect(accelerator('Export CSV')).toBe('CmdOrCtrl+E');
    expect(accelerator('Export Chart PNG')).toBe('CmdOrCtrl+Shift+E');
    expect(accelerator('Undo')).toBe('CmdOrCtrl+Z');
    expect(accelerator('Find')).toBe('CmdOrCtrl+F');
    expect(items.some((i) => i.label === 'Open &Recent')).toBe(true);
  });

  it('on first start creates and opens the demo workbook, and remembers it to reopen next time', () => {
    const demo = join(userData, 'demo.fwb');
    expect(existsSync(demo)).toBe(true);
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')).recent).toEqual([demo]);
    expect(fake.windows[0]!.title).toBe('demo.fwb — Figures Workbench');
  });
});
