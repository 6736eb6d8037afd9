// The layout is the architecture: the core and the contract import nothing from Electron, the shell, the UI, the
// host or the CLI, so that every transport serves the same core and the core runs in plain Node.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports: its bare package name, or the src folder a relative import lands in. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    if (!spec.startsWith('.')) return spec;
    return relative(SRC, resolve(file, '..', spec)).split('/')[0]!;
  });
}

describe('the layout', () => {
  it.each([
    ['core', ['electron', 'main', 'renderer', 'host', 'cli', 'preload']],
    ['shared', ['electron', 'main', 'renderer', 'host', 'cli', 'preload', 'core', 'better-sqlite3']],
  ])('src/%s imports nothing from %j', (folder, forbidden) => {
    const found = sources(join(SRC, folder)).flatMap((file) =>
      importsOf(file)
        .filter((i) => forbidden.includes(i))
        .map((i) => `${relative(SRC, file)} → ${i}`),
    );
    expect(found).toEqual([]);
  });

  it('src/main reaches the workbook only through the core process, never better-sqlite3 or the store', () => {
    const found = sources(join(SRC, 'main')).flatMap((file) =>
      importsOf(file)
        .filter((i) => i === 'better-sqlite3' || i === 'core')
        .map((i) => `${relative(SRC, file)} → ${i}`),
    );
    expect(found).toEqual([]);
  });
});
