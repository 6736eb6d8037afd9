// better-sqlite3 is a native addon, compiled for one ABI. Node (tests, CLI) uses the binary npm built in
// node_modules/better-sqlite3; Electron needs one built for its own ABI, which `npm install` fetches into
// ELECTRON_BINDING_DIR (scripts/install-electron-sqlite.mjs). Two binaries side by side: neither install undoes
// the other, so `npm test` and `npm start` both work after one `npm install`, in either order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ELECTRON_BINDING_DIR = join('node_modules', '.electron-better-sqlite3');

export function electronBindingPath(projectRoot: string): string {
  return join(projectRoot, ELECTRON_BINDING_DIR, 'build', 'Release', 'better_sqlite3.node');
}

export function hasElectronBinding(projectRoot: string): boolean {
  return existsSync(electronBindingPath(projectRoot));
}
