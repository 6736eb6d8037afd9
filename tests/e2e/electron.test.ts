// The real desktop app through Playwright's Electron driver. It needs Electron's binary, which is downloaded from
// GitHub on first run: where that is impossible (our build machines) the test is skipped and says why.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

function electronBinary(): string | null {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const sqliteForElectron = existsSync(resolve('node_modules/.electron-better-sqlite3/build/Release/better_sqlite3.node'));
const skipReason = !binary
  ? 'the Electron binary is not installed (it is downloaded from GitHub on first run, and this machine cannot reach GitHub)'
  : !sqliteForElectron
    ? 'better-sqlite3 for Electron is not installed (npm install could not download it)'
    : null;
if (skipReason) console.warn(`SKIPPED Electron end-to-end test: ${skipReason}. The same UI is tested in Chromium through the HTTP host.`);

describe('desktop app (Electron)', () => {
  it.skipIf(skipReason !== null)('starts on the demo workbook with a sandboxed page that can reach only window.workbench', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'fw-electron-e2e-'));
    const app = await electron.launch({ executablePath: binary!, args: [resolve('.')], env: { ...process.env, FIGURES_USER_DATA: userData } });
    try {
      const page = await app.firstWindow();
      await page.waitForFunction(() => (globalThis as unknown as { workbench?: unknown }).workbench !== undefined);
      expect(await page.title()).toMatch(/Figures Workbench/);
      const info = await page.evaluate(() =>
        (globalThis as unknown as { workbench: { getWorkbookInfo(i: object): Promise<{ counts: { figures: number } }> } }).workbench.getWorkbookInfo({}),
      );
      expect(info.counts.figures).toBeGreaterThan(2000);
      const globals = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
      }));
      expect(globals).toEqual({ require: 'undefined', process: 'undefined' });
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
