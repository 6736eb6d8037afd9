// The app's own small state between runs: the recent workbooks (the first is reopened on start). Plain JSON in
// Electron's userData folder; a damaged file is set aside, never a reason not to start.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const Settings = z.object({ recent: z.array(z.string()).default([]) });
export type Settings = z.infer<typeof Settings>;

const MAX_RECENT = 10;

export class SettingsFile {
  constructor(readonly path: string) {}

  static in(dir: string): SettingsFile {
    return new SettingsFile(join(dir, 'settings.json'));
  }

  read(): Settings {
    if (!existsSync(this.path)) return { recent: [] };
    try {
      return Settings.parse(JSON.parse(readFileSync(this.path, 'utf8')));
    } catch {
      renameSync(this.path, `${this.path}.damaged-${Date.now()}`);
      return { recent: [] };
    }
  }

  /** Puts a workbook first in the recent list. */
  opened(workbookPath: string): Settings {
    const settings = this.read();
    settings.recent = [workbookPath, ...settings.recent.filter((p) => p !== workbookPath)].slice(0, MAX_RECENT);
    this.write(settings);
    return settings;
  }

  /** The workbook to open on start: the last one that still exists. */
  lastWorkbook(): string | null {
    return this.read().recent.find((p) => existsSync(p)) ?? null;
  }

  private write(settings: Settings): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(settings, null, 2));
    renameSync(temporary, this.path); // whole or not at all
  }
}
