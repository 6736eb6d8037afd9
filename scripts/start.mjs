// `npm start`: build, then run the desktop app. Where the Electron binary (downloaded from GitHub on first run) or
// better-sqlite3 for Electron cannot be had, say so plainly and point to what works instead — no stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const sqliteForElectron = join(root, 'node_modules', '.electron-better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

const WHAT_WORKS = [
  'What works on this machine without it:',
  '  npm test                                  the whole test suite (store, CLI, the UI in Chromium)',
  '  npm run dev:web -- --workbook demo.fwb    the full UI in your browser, on the real workbook',
  '  npx workbench --help                      the command line (import, export, compare, check, backup)',
].join('\n');

function stop(message) {
  process.stderr.write(`\nFigures Workbench cannot start the desktop app here.\n${message}\n\n${WHAT_WORKS}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

let binary = electronBinary();
if (!binary) {
  process.stdout.write(`Downloading the Electron ${electronVersion} binary (first start only)…\n`);
  run(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
  binary = electronBinary();
  if (!binary) {
    stop(
      `The Electron ${electronVersion} binary is not installed, and downloading it from GitHub failed (no internet access?).\nWith internet access, run \`npm start\` again (or \`npx install-electron\`).`,
    );
  }
}
if (!existsSync(sqliteForElectron)) {
  run(process.execPath, [join(root, 'scripts', 'install-electron-sqlite.mjs')]);
  if (!existsSync(sqliteForElectron)) {
    stop('better-sqlite3 built for Electron is missing, and downloading it failed.\nWith internet access, run `npm install` again.');
  }
}
const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const build = run(process.execPath, [electronVite, 'build']);
if (build.status !== 0) process.exit(build.status ?? 1);
const app = run(binary, [root, ...process.argv.slice(2)]);
process.exit(app.status ?? 0);
