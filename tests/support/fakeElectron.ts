// A fake `electron` module for unit tests of the main process: records what main does with it.
// Use: vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);
// Its utilityProcess forks the real core (src/core/process.ts under tsx) with child_process.fork: main talks to a
// real core process in these tests, as it does in the app.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CORE_SOURCE_ENTRY, spawnCore } from '../../src/core/forkCore';

type Handler = (...args: unknown[]) => unknown;

export interface FakeWindow {
  options: Record<string, unknown>;
  /** webContents' event handlers */
  handlers: Map<string, Handler>;
  /** the window's own event handlers (close, closed) */
  windowHandlers: Map<string, Handler>;
  /** app events main sent to the page */
  sent: unknown[];
  /** true once close() went through (its close event was not prevented) */
  closed: boolean;
  /** the window's close button */
  close(): void;
  openHandler?: (details: { url: string }) => unknown;
  loaded?: string;
  title?: string;
}

export const fake = {
  windows: [] as FakeWindow[],
  ipc: new Map<string, unknown>(),
  beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
  headers: null as null | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  permission: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
  menu: null as null | Array<{ label?: string; submenu?: Array<{ label?: string; accelerator?: string }> }>,
  external: [] as string[],
  errorBoxes: [] as Array<{ title: string; message: string }>,
  messageBoxes: [] as Array<{ message: string; detail?: string }>,
  /** the button the fake user presses in a message box */
  messageBoxAnswer: 0,
  quit: 0,
  lock: true,
  userData: '',
  /** what main asked utilityProcess.fork to start, and the child started for it */
  forked: [] as Array<{ modulePath: string; options?: Record<string, unknown>; child: ChildProcess }>,
  /** save dialogs shown, and the path the fake user picks (undefined: cancels) */
  saveDialogs: [] as Array<Record<string, unknown>>,
  /** open dialogs shown (the fake user cancels them) */
  openDialogs: 0,
  savePath: undefined as string | undefined,
};

/** Ends the core processes the fake started (a test's afterAll). */
export function stopCores(): void {
  for (const { child } of fake.forked) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

const utilityProcess = {
  fork(modulePath: string, _args?: string[], options?: Record<string, unknown>) {
    // Main runs from src/main here, where the built out/main/core.js is not beside it: the source entry instead.
    const child = spawnCore(existsSync(modulePath) ? modulePath : CORE_SOURCE_ENTRY);
    fake.forked.push({ modulePath, options, child });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message: unknown) => {
        if (child.connected) child.send(message as object);
      },
      // Electron's child: 'message' gives the message itself, 'exit' the exit code alone
      on(event: string, listener: (...args: unknown[]) => void) {
        if (event === 'message') child.on('message', listener);
        else if (event === 'exit') child.on('exit', (code) => listener(code ?? 1));
        else if (event === 'spawn') child.on('spawn', listener);
        return this;
      },
      kill: () => child.kill(),
    };
  },
};

class BrowserWindow {
  readonly entry: FakeWindow;
  readonly webContents;
  constructor(options: Record<string, unknown>) {
    const entry: FakeWindow = { options, handlers: new Map(), windowHandlers: new Map(), sent: [], closed: false, close: () => this.close() };
    this.entry = entry;
    fake.windows.push(entry);
    this.webContents = {
      on: (name: string, handler: Handler) => entry.handlers.set(name, handler),
      setWindowOpenHandler: (handler: (d: { url: string }) => unknown) => (entry.openHandler = handler),
      send: (_channel: string, event: unknown) => void entry.sent.push(event),
      isDestroyed: () => entry.closed,
    };
  }
  once() {}
  on(name: string, handler: Handler) {
    this.entry.windowHandlers.set(name, handler);
    return this;
  }
  /** as Electron's: emits close, which a handler may prevent, then closes */
  close() {
    let prevented = false;
    this.entry.windowHandlers.get('close')?.({ preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.entry.closed = true;
    this.entry.windowHandlers.get('closed')?.();
  }
  show() {}
  setTitle(title: string) {
    this.entry.title = title;
  }
  loadFile(path: string) {
    this.entry.loaded = path;
    return Promise.resolve();
  }
  loadURL(url: string) {
    this.entry.loaded = url;
    return Promise.resolve();
  }
  isMinimized() {
    return false;
  }
  focus() {}
}

export const electronModule = {
  app: {
    getPath: () => fake.userData,
    setPath: () => {},
    getAppPath: () => process.cwd(),
    requestSingleInstanceLock: () => fake.lock,
    whenReady: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    on: () => {},
    quit: () => {
      fake.quit += 1;
    },
  },
  BrowserWindow,
  utilityProcess,
  ipcMain: {
    handle: (channel: string, listener: unknown) => fake.ipc.set(channel, listener),
    removeHandler: (channel: string) => fake.ipc.delete(channel),
  },
  Menu: {
    buildFromTemplate: (template: unknown) => template,
    setApplicationMenu: (menu: unknown) => (fake.menu = menu as typeof fake.menu),
  },
  dialog: {
    showErrorBox: (title: string, message: string) => void fake.errorBoxes.push({ title, message }),
    showMessageBox: async (options: { message: string; detail?: string }) => {
      fake.messageBoxes.push({ message: options.message, detail: options.detail });
      return { response: fake.messageBoxAnswer };
    },
    showOpenDialog: async () => {
      fake.openDialogs += 1;
      return { canceled: true, filePaths: [] };
    },
    showSaveDialog: async (_window: unknown, options: Record<string, unknown>) => {
      fake.saveDialogs.push(options);
      return fake.savePath === undefined ? { canceled: true } : { canceled: false, filePath: fake.savePath };
    },
  },
  shell: {
    openExternal: async (url: string) => void fake.external.push(url),
  },
  session: {
    defaultSession: {
      webRequest: {
        onBeforeRequest: (handler: typeof fake.beforeRequest) => (fake.beforeRequest = handler),
        onHeadersReceived: (handler: typeof fake.headers) => (fake.headers = handler),
      },
      setPermissionRequestHandler: (handler: typeof fake.permission) => (fake.permission = handler),
    },
  },
};

/** Waits until main has opened its window (it opens the workbook first). */
export async function untilWindow(): Promise<void> {
  for (let i = 0; i < 400 && fake.windows.length === 0; i += 1) await new Promise((r) => setTimeout(r, 25));
}
