import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The nearest folder at or above `start` that holds `relative`. Code runs from src/ (tests, CLI) and from the
 * bundled out/ (Electron), at different depths, so project files are found by looking upward.
 */
export function findUp(start: string, relative: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, relative))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${relative} not found above ${start}`);
    dir = parent;
  }
}
