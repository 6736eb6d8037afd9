// A real workbook file in a fresh temp dir, opened through the same session code the app uses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession, type Session } from '../../src/main/session';

export interface TempSession extends Session {
  dir: string;
  path: string;
  changeCount: () => number;
  close: () => void;
}

export async function openTempSession(options: { demo?: boolean } = {}): Promise<TempSession> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-test-'));
  const path = join(dir, 'workbook.fwb');
  const session = await openSession(path, { user: 'test', demo: options.demo });
  return {
    ...session,
    dir,
    path,
    changeCount: () => session.workbook.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number,
    close: () => {
      session.workbook.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
