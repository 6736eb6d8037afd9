// The main process wired to a fake `electron`: the real window options, IPC for every call, no navigation, no
// network, menus with accelerators, the demo workbook on first start and the last workbook after that. The workbook
// is in the core's process (the fake utilityProcess forks the real one): main itself never loads better-sqlite3.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_CALL_NAMES, type Progress } from '../../src/shared/api';
import type { AppEvent } from '../../src/shared/bridge';
import { CANCEL_CHANNEL, type Envelope, ipcChannel, SAVE_PATH_CHANNEL } from '../../src/shared/transport';
import { fake, stopCores, untilWindow } from '../support/fakeElectron';

const userData = mkdtempSync(join(tmpdir(), 'fw-electron-'));
fake.userData = userData;
vi.mock('electron', async () => (await import('../support/fakeElectron')).electronModule);
vi.mock('better-sqlite3', () => {
  throw new Error('the main process must not load better-sqlite3: the workbook lives in the core process');
});

const APP_PAGE = `file://${join(process.cwd(), 'src/renderer/index.html')}`;
type Listener = (event: unknown, ...args: unknown[]) => Promise<unknown>;
/** Calls an IPC handler as the app's page (or another page) would. */
function invoke<T>(channel: string, args: unknown[], options: { url?: string; sent?: AppEvent[] } = {}): Promise<T> {
  const event = { senderFrame: { url: options.url ?? APP_PAGE }, sender: { send: (_channel: string, e: AppEvent) => options.sent?.push(e) } };
  return (fake.ipc.get(channel) as Listener)(event, ...args) as Promise<T>;
}

describe('main process', () => {
  beforeAll(async () => {
    await import('../../src/main/index');
    await untilWindow();
  }, 60_000);
  afterAll(() => {
    stopCores();
    rmSync(userData, { recursive: true, force: true });
  });

  it('starts the core as a utilityProcess from core.js beside its own bundle', () => {
    expect(fake.forked.map((f) => f.modulePath)).toEqual([resolve('src/main/core.js')]);
  });

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
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
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
    expect(fake.errorBoxes).toEqual([]);
    const demo = join(userData, 'demo.fwb');
    expect(existsSync(demo)).toBe(true);
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')).recent).toEqual([demo]);
    expect(fake.windows[0]!.title).toBe('demo.fwb — Figures Workbench');
  });

  it("serves the window's calls from the core process: a read, and a write the workbook logs", async () => {
    const info = await invoke<Envelope<{ path: string; counts: { sources: number } }>>(ipcChannel('getWorkbookInfo'), [{}]);
    expect(info).toMatchObject({ ok: true, value: { path: join(userData, 'demo.fwb') } });
    const created = await invoke<Envelope<{ value: { id: string }; txn: string }>>(ipcChannel('createSource'), [{ name: 'Through main' }]);
    expect(created.ok).toBe(true);
    const id = (created as { value: { value: { id: string } } }).value.value.id;
    const history = await invoke<Envelope<Array<{ op: string }>>>(ipcChannel('history'), [{ entity: 'source', id }]);
    expect(history).toMatchObject({ ok: true, value: [{ op: 'insert' }] });
    const refused = await invoke<Envelope<unknown>>(ipcChannel('createFigure'), [{ value: 'lots' }]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', problems: expect.any(Array) } });
  });

  it('exports by a path from the native save dialog, with progress as app events to the window', async () => {
    const target = join(userData, 'figures.csv');
    fake.savePath = target;
    expect(await invoke(SAVE_PATH_CHANNEL, ['figures-2024.csv'])).toBe(target);
    expect(fake.saveDialogs.at(-1)).toMatchObject({ defaultPath: 'figures-2024.csv' });
    expect(await invoke(SAVE_PATH_CHANNEL, ['../../etc/passwd'])).toBe(target);
    expect(fake.saveDialogs.at(-1)).toMatchObject({ defaultPath: 'export.csv' });
    expect(await invoke(SAVE_PATH_CHANNEL, ['x.csv'], { url: 'https://example.org/' })).toBeNull();
    fake.savePath = undefined;
    expect(await invoke(SAVE_PATH_CHANNEL, ['x.csv'])).toBeNull();

    const sent: AppEvent[] = [];
    const exported = await invoke<Envelope<{ rows: number; path: string }>>(ipcChannel('exportCsv'), [{ filter: {}, to: { path: target } }, 'task-export'], {
      sent,
    });
    expect(exported).toMatchObject({ ok: true, value: { path: target } });
    const rows = (exported as { value: { rows: number } }).value.rows;
    expect(rows).toBeGreaterThan(1000);
    expect(readFileSync(target, 'utf8').trimEnd().split('\r\n')).toHaveLength(rows + 1);
    const progress = sent.filter((e): e is { kind: 'progress'; task: string; progress: Progress } => e.kind === 'progress' && e.task === 'task-export');
    expect(progress.length).toBeGreaterThan(0);
  });

  it('imports a file by path in the core, and a cancel from the window stops it with nothing written', async () => {
    const csv = join(userData, 'many.csv');
    const rows = Array.from({ length: 20_000 }, (_, i) => `injured,${i},2024-01-01,Source ${i % 7},Report`);
    writeFileSync(csv, `metric,value,as_of,source,citation_title\n${rows.join('\n')}\n`);
    const count = async () => (await invoke<{ value: { counts: { figures: number } } }>(ipcChannel('getWorkbookInfo'), [{}])).value.counts.figures;
    const before = await count();
    const pending = invoke<Envelope<unknown>>(ipcChannel('importCsv'), [{ file: { path: csv } }, 'task-import']);
    await invoke(CANCEL_CHANNEL, ['task-import']);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await count()).toBe(before);
  });

  it('when the core process dies, says so, and every call then fails at once with that news', async () => {
    const { child } = fake.forked[0]!;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.errorBoxes.at(-1)).toMatchObject({ title: 'The workbook stopped', message: expect.stringMatching(/core process stopped/) });
    const started = Date.now();
    const result = await invoke<Envelope<unknown>>(ipcChannel('listMetrics'), [{}]);
    expect(result).toMatchObject({ ok: false, error: { code: 'io', message: expect.stringMatching(/core process stopped/) } });
    expect(Date.now() - started).toBeLessThan(100);
  });
});
