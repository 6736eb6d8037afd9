// The `workbench` command starts quickly: --help loads no workbook code, and bin/workbench.js decides between the
// bundle and the TypeScript from the bundle's own list of sources, without walking the source folders.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** Every module the bundled file reaches through static imports (what is loaded before any code runs). */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const text = readFileSync(file, 'utf8');
  // static imports only: `import … from "x"` and `import "x"` at the start of a line, never `import("x")`
  for (const match of text.matchAll(/^import\s+(?:[^'"()]*?\s+from\s+)?["']([^"']+)["']/gm)) {
    const spec = match[1]!;
    if (!spec.startsWith('.')) {
      seen.add(spec);
      continue;
    }
    const path = resolve(dirname(file), spec);
    if (seen.has(path)) continue;
    seen.add(path);
    staticImports(path, seen);
  }
  return seen;
}

describe('workbench start-up', () => {
  it('the built CLI loads neither SQLite, zod nor papaparse before a command asks for them', () => {
    const loaded = [...staticImports(resolve('out/main/cli.js'))];
    expect(loaded.some((spec) => spec.endsWith('.js'))).toBe(true); // it did follow the chunks
    for (const heavy of ['better-sqlite3', 'zod', 'papaparse', 'uuid']) expect(loaded, heavy).not.toContain(heavy);
  });

  it('the built CLI does load them for a command (the list above is read from the real bundle)', () => {
    const commands = readFileSync(resolve('out/main/cli.js'), 'utf8').match(/import\(["'](\.\/chunks\/commands-[^"']+)["']\)/);
    expect(commands, 'cli.js imports its commands on demand').not.toBeNull();
    const loaded = [...staticImports(resolve('out/main', commands![1]!))];
    expect(loaded).toContain('better-sqlite3');
  });
});

describe('bin/workbench.js', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A checkout in miniature: the real bin, a "bundle" and "sources" that each say which of them ran. */
  function checkout() {
    root = mkdtempSync(join(tmpdir(), 'fw-bin-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(resolve('bin/workbench.js'), join(root, 'bin', 'workbench.js'));
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), '{"type": "module"}\n');
    mkdirSync(join(root, 'src', 'cli'), { recursive: true });
    writeFileSync(join(root, 'src', 'cli', 'main.ts'), "const from: string = 'sources';\nprocess.stdout.write(from);\n");
    writeFileSync(join(root, 'src', 'cli', 'format.ts'), 'export {};\n');
    mkdirSync(join(root, 'out', 'main'), { recursive: true });
    writeFileSync(join(root, 'out', 'main', 'cli.js'), "process.stdout.write('bundle');\n");
    writeFileSync(join(root, 'out', 'main', 'sources.json'), JSON.stringify(['src/cli/main.ts', 'src/cli/format.ts']));
    const past = new Date(Date.now() - 60_000);
    for (const file of ['src/cli/main.ts', 'src/cli/format.ts']) utimesSync(join(root, file), past, past);
    return root;
  }
  const run = () => execFileSync(process.execPath, [join(root, 'bin', 'workbench.js')], { encoding: 'utf8' });
  const touch = (file: string) => utimesSync(join(root, file), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));

  it('runs the bundle when none of its sources is newer', () => {
    checkout();
    expect(run()).toBe('bundle');
  });

  it('runs the TypeScript when a source of the bundle was edited after the build', () => {
    checkout();
    touch('src/cli/format.ts');
    expect(run()).toBe('sources');
  });

  it('runs the TypeScript when a source of the bundle is gone, or the build left no list of sources', () => {
    checkout();
    rmSync(join(root, 'src', 'cli', 'format.ts'));
    expect(run()).toBe('sources');
    rmSync(join(root, 'out', 'main', 'sources.json'));
    writeFileSync(join(root, 'src', 'cli', 'format.ts'), 'export {};\n');
    expect(run()).toBe('sources');
  });

  it('the real build lists the CLI, the core and the shared contract among its sources', () => {
    const sources: string[] = JSON.parse(readFileSync(resolve('out/main/sources.json'), 'utf8'));
    for (const file of ['src/cli/main.ts', 'src/cli/commands.ts', 'src/core/store/logMigration.ts', 'src/shared/fields.ts']) {
      expect(sources).toContain(file);
    }
  });
});
