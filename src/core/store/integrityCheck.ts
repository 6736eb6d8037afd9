// PRAGMA quick_check reads every page, so it takes longer the larger the file. A large workbook is checked on a
// worker thread over its own read-only connection, so opening it answers at once while the check runs beside.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Files up to this size are checked before open returns; larger ones in the background. */
export const CHECK_AT_OPEN_MAX_BYTES = 64 * 1024 * 1024;

/** 'unchecked': a large file opened by a short-lived command, which leaves the full check to `workbench check`. */
export type IntegrityStatus = 'ok' | 'checking' | 'unchecked' | { damaged: string };

// not named `require`: the bundled ESM (electron-vite) declares its own `require` shim in the same scope
const requireHere = createRequire(import.meta.url);

/** Runs quick_check on a worker thread; resolves with 'ok' or what SQLite found. Never rejects. */
export function quickCheckInBackground(path: string, nativeBinding?: string): Promise<IntegrityStatus> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.module);
     let result;
     try {
       const db = new Database(workerData.path, { readonly: true, nativeBinding: workerData.nativeBinding });
       result = db.pragma('quick_check', { simple: true });
       db.close();
     } catch (error) {
       result = String(error && error.message || error);
     }
     parentPort.postMessage(result);`,
    { eval: true, workerData: { path, nativeBinding, module: requireHere.resolve('better-sqlite3') } },
  );
  worker.unref(); // a short-lived process (the CLI) does not wait for it
  return new Promise((resolve) => {
    worker.once('message', (result: string) => resolve(result === 'ok' ? 'ok' : { damaged: result }));
    worker.once('error', (error) => resolve({ damaged: `the check could not run: ${error.message}` }));
  }).finally(() => void worker.terminate()) as Promise<IntegrityStatus>;
}
