// The worker thread of an import (started by readInWorker.ts): reads, decodes and checks the file's rows and posts
// them to the writing thread in batches. It never opens the workbook.
import { parentPort, workerData } from 'node:worker_threads';
import { WorkbenchError } from '../../shared/errors';
import { type RecordOutcome, readRowOutcomes } from './rowOutcomes';
import { BATCH_RECORDS, type CsvWorkerData, IN_FLIGHT, MAX_IN_FLIGHT, STOP, type WorkerMessage } from './csvWorkerProtocol';

const data = workerData as CsvWorkerData;
const port = parentPort!;
const flow = new Int32Array(data.flow);
let batch: RecordOutcome[] = [];
let bytes = 0;
let total = 0;

const post = (message: WorkerMessage) => port.postMessage(message);

function flush(): void {
  if (batch.length === 0) return;
  // the writing thread is the slower one: wait while it has MAX_IN_FLIGHT batches to write, so that a large file
  // is not read into memory faster than it is written
  while (Atomics.load(flow, STOP) === 0 && Atomics.load(flow, IN_FLIGHT) >= MAX_IN_FLIGHT) {
    Atomics.wait(flow, IN_FLIGHT, MAX_IN_FLIGHT, 1000);
  }
  if (Atomics.load(flow, STOP) !== 0) throw new Stopped();
  Atomics.add(flow, IN_FLIGHT, 1);
  post({ kind: 'batch', outcomes: batch, bytes, total });
  batch = [];
}

/** The writing thread has stopped (a failure, a cancel): reading on would be for nothing. */
class Stopped extends Error {}

readRowOutcomes(
  data.source,
  { mapping: data.mapping, vague: data.vague, keepCells: data.keepCells, chunkBytes: data.chunkBytes },
  (outcome) => {
    batch.push(outcome);
    if (batch.length >= BATCH_RECORDS || outcome.kind === 'header') flush();
  },
  (done, size) => {
    bytes = done;
    total = size;
  },
).then(
  (result) => {
    try {
      flush();
    } catch (error) {
      if (error instanceof Stopped) return;
      throw error;
    }
    post({ kind: 'done', result, bytes, total });
  },
  (error: unknown) => {
    if (error instanceof Stopped) return;
    post({
      kind: 'failed',
      error: error instanceof WorkbenchError ? error.toData() : null,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  },
);
