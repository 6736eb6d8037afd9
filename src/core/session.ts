// Which workbook is open, and opening another: plain Node, shared by the core's process (the desktop app), the
// HTTP host and the CLI.
import { existsSync } from 'node:fs';
import type { WorkbenchApi } from '../shared/api';
import { createApi } from './api';
import { createDemo } from './demo';
import { Workbook, type WorkbookOptions } from './store/workbook';

export interface Session {
  workbook: Workbook;
  api: WorkbenchApi;
}

/** Opens (or creates) a workbook; a new file at `path` gets the demo data when `demo` is set. */
export async function openSession(path: string, options: WorkbookOptions & { demo?: boolean } = {}): Promise<Session> {
  const isNew = !existsSync(path);
  const workbook = await Workbook.open(path, options);
  const api = createApi(workbook);
  if (isNew && options.demo) {
    try {
      await createDemo(api);
    } catch (error) {
      workbook.close();
      throw error;
    }
  }
  return { workbook, api };
}
