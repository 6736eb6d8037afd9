// postinstall: better-sqlite3 for Electron's ABI, beside (not instead of) the one npm built for Node.
// Node's binary (node_modules/better-sqlite3/build) serves tests and the CLI; Electron's lands in
// node_modules/.electron-better-sqlite3/build/Release and main passes it as `nativeBinding`. Neither overwrites
// the other, so `npm test` and `npm start` both work after one `npm install`, in either order.
// Where prebuilt binaries cannot be downloaded (no internet but the npm registry), this says so and exits 0:
// tests, the CLI and `npm run dev:web` do not need it; `npm start` explains what is missing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const target = join(root, 'node_modules', '.electron-better-sqlite3');
const binary = join(target, 'build', 'Release', 'better_sqlite3.node');

function say(message) {
  process.stdout.write(`[electron-sqlite] ${message}\n`);
}

if (process.env.FIGURES_SKIP_ELECTRON_SQLITE) {
  say('skipped (FIGURES_SKIP_ELECTRON_SQLITE is set)');
  process.exit(0);
}

let electronVersion;
let sqliteVersion;
try {
  electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  sqliteVersion = JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')).version;
} catch {
  say('electron or better-sqlite3 is not installed (a production install?); nothing to do');
  process.exit(0);
}

const stamp = join(target, 'versions.json');
const wanted = JSON.stringify({ electron: electronVersion, 'better-sqlite3': sqliteVersion, arch: process.arch });
if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
  say(`present for Electron ${electronVersion}`);
  process.exit(0);
}

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
// prebuild-install reads the package's name, version and binary host from package.json in its working directory.
copyFileSync(require.resolve('better-sqlite3/package.json'), join(target, 'package.json'));
const prebuildInstall = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
const result = spawnSync(
  process.execPath,
  [prebuildInstall, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform],
  { cwd: target, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 },
);
if (result.status === 0 && existsSync(binary)) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(stamp, wanted);
  say(`installed better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}`);
} else {
  rmSync(target, { recursive: true, force: true });
  const reason = (result.stderr || result.stdout || result.error?.message || 'unknown').trim().split('\n').pop();
  say(`could not download better-sqlite3 for Electron ${electronVersion} (${reason}).`);
  say('Tests, the CLI and `npm run dev:web` work without it; `npm start` needs it: run `npm install` again with internet access.');
}
