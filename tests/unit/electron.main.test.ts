// The main process wired to a fake `electron`: the real window options, IPC for every call, no navigation, no
// network, menus with accelerators, the demo workbook on first start and the last workbook after that.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { ipcChannel } from '../../src/shared/transport';
import { fake, untilWindow } from '../support/fakeElectron';

const userData = mkdtempSync(join(tmpdir(), 'fw-electron-'));
fake.userData = userData;
vi.mock('electron', async () => (await import('../support/fakeElectron')).electronModule);

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
    expect(fake.errorBoxes).toEqual([]);
    const demo = join(userData, 'demo.fwb');
    expect(existsSync(demo)).toBe(true);
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')).recent).toEqual([demo]);
    expect(fake.windows[0]!.title).toBe('demo.fwb — Figures Workbench');
  });
});
