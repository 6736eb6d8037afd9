#!/usr/bin/env node
// The `workbench` command. Runs the bundled CLI (out/main/cli.js, made by `npm run build` and `npm test`) when none
// of the source files it was built from (out/main/sources.json, written by the build) is newer; otherwise runs the
// TypeScript directly through tsx, so it also works straight from a fresh clone after `npm install`. Never a stale
// bundle, and no walk of the source folders: a new source file only enters the bundle through an edited one.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'main', 'cli.js');

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const sources = JSON.parse(readFileSync(join(root, 'out', 'main', 'sources.json'), 'utf8'));
    // a source that is gone (renamed, deleted) also means the bundle is not what the sources say
    return sources.every((source) => statSync(join(root, source), { throwIfNoEntry: false })?.mtimeMs <= built);
  } catch {
    return false; // no bundle, or no list of its sources: an older or partial build
  }
}

if (bundleIsFresh()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
