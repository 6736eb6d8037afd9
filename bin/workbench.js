#!/usr/bin/env node
// The `workbench` command. Runs the bundled CLI (out/main/cli.js, made by `npm run build` and `npm test`) when it
// is at least as new as the sources; otherwise runs the TypeScript directly through tsx, so it also works straight
// from a fresh clone after `npm install`. Never a stale bundle.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'main', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const bundleIsFresh =
  existsSync(bundle) &&
  statSync(bundle).mtimeMs >=
    Math.max(
      newestSource(join(root, 'src', 'cli')),
      newestSource(join(root, 'src', 'main')),
      newestSource(join(root, 'src', 'core')),
      newestSource(join(root, 'src', 'shared')),
    );

if (bundleIsFresh) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
