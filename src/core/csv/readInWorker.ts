// The reading half of an import, for the writing half on this thread: a file is read on a worker thread
// (csvWorker.ts), so that parsing and checking rows overlap SQLite's writes on the other core; text, and a file
// too small to pay for a thread's start, is read right here by the same code (rowOutcomes.ts).
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Progress } from '../../shared/api';
import { WorkbenchError } from '../../shared/errors';
import type { VagueRules } from '../../shared/cells';
import type { MappingParsed } from '../../shared/mapping';
import { findUp } from '../paths';
import { type CsvWorkerData, IN_FLIGHT, STOP, type WorkerMessage } from './csvWorkerProtocol';
import type { CsvSource, ReadCsvResult } from './readCsv';
import { type RecordOutcome, readRowOutcomes } from './rowOutcomes';

export interface ReadOutcomesOptions {
  mapping?: MappingParsed;
  vague: VagueRules;
  keepCells: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** true: a worker thread whatever the size; false: this thread; default: a worker for a file of WORKER_MIN_BYTES or more */
  worker?: boolean;
  chunkBytes?: number;
}

/** Below this, a file is read on the writing thread: a worker's start costs more than the overlap saves. */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;

export function cancelledError(): WorkbenchError {
  return new WorkbenchError('cancelled', 'import cancelled; nothing was written');
}

/**
 * Hands every record's outcome, in file order, to `write` (synchronously: it runs the SQL); resolves with what was
 * read once the whole file was. A failure of `write`, of the reading, or a cancel stops both halves and rejects.
 */
export function readOutcomes(source: CsvSource, options: ReadOutcomesOptions, write: (outcome: RecordOutcome) => void): Promise<ReadCsvResult> {
  const inWorker = 'path' in source && (options.worker ?? (statSync(source.path, { throwIfNoEntry: false })?.size ?? 0) >= WORKER_MIN_BYTES);
  const writeChecked = (outcome: RecordOutcome) => {
    if (options.signal?.aborted) throw cancelledError();
    write(outcome);
  };
  const onBytes = (done: number, total: number) => options.onProgress?.({ done, total, phase: 'import' });
  if (!inWorker) return readRowOutcomes(source, options, writeChecked, onBytes);
  return readInWorker(source as { path: string }, options, writeChecked, onBytes);
}

function readInWorker(
  source: { path: string },
  options: ReadOutcomesOptions,
  write: (outcome: RecordOutcome) => void,
  onBytes: (done: number, total: number) => void,
): Promise<ReadCsvResult> {
  const flow = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const data: CsvWorkerData = {
    source: { path: source.path },
    mapping: options.mapping,
    vague: options.vague,
    keepCells: options.keepCells,
    chunkBytes: options.chunkBytes,
    flow: flow.buffer as SharedArrayBuffer,
  };
  return new Promise<ReadCsvResult>((resolve, reject) => {
    const worker = startWorker(data);
    let settled = false;
    const finish = (error: unknown, result?: ReadCsvResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      Atomics.store(flow, STOP, 1);
      Atomics.notify(flow, IN_FLIGHT);
      void worker.terminate();
      if (error === null) resolve(result!);
      else reject(error);
    };
    const onAbort = () => finish(cancelledError());
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      if (message.kind === 'failed') {
        const error = message.error ? WorkbenchError.fromData(message.error) : Object.assign(new Error(message.message), { stack: message.stack });
        return finish(error);
      }
      try {
        if (message.kind === 'batch') for (const outcome of message.outcomes) write(outcome);
      } catch (error) {
        return finish(error); // as it is: an SQLite failure is named by the API
      }
      onBytes(message.bytes, message.total);
      if (message.kind === 'done') return finish(null, message.result);
      Atomics.sub(flow, IN_FLIGHT, 1);
      Atomics.notify(flow, IN_FLIGHT);
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`the import's reading thread stopped (exit code ${code}) before the end of the file`)));
  });
}

/**
 * The worker runs from the bundle's csvWorker.js (electron.vite.config.ts builds it beside cli.js and core.js, and
 * this module may sit in a chunk below them), or from its TypeScript source through tsx (tests, the CLI from a clone).
 */
function startWorker(workerData: CsvWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return new Worker(new URL('../tsWorker.mjs', here), { workerData, argv: [new URL('./csvWorker.ts', here).href] });
  }
  const dir = findUp(dirname(fileURLToPath(here)), BUILT_WORKER);
  return new Worker(pathToFileURL(join(dir, BUILT_WORKER)), { workerData });
}

const BUILT_WORKER = 'csvWorker.js';
