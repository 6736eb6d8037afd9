// What the import's worker thread (csvWorker.ts) and the writing thread (readInWorker.ts) say to each other.
import type { WorkbenchErrorData } from '../../shared/errors';
import type { VagueRules } from '../../shared/cells';
import type { MappingParsed } from '../../shared/mapping';
import type { ReadCsvResult } from './readCsv';
import type { RecordOutcome } from './rowOutcomes';

export interface CsvWorkerData {
  source: { path: string };
  mapping: MappingParsed | undefined;
  /** the rule table of vague quantities (a Map: structured clone carries it) */
  vague: VagueRules;
  keepCells: boolean;
  chunkBytes: number | undefined;
  /** a SharedArrayBuffer of Int32s: [IN_FLIGHT] batches posted and not yet written, [STOP] set when the writer stops */
  flow: SharedArrayBuffer;
}

export type WorkerMessage =
  | { kind: 'batch'; outcomes: RecordOutcome[]; bytes: number; total: number }
  | { kind: 'done'; result: ReadCsvResult; bytes: number; total: number }
  /** `error` when it was a WorkbenchError (said to the user as it is); otherwise a bug, with its message and stack */
  | { kind: 'failed'; error: WorkbenchErrorData | null; message: string; stack: string | undefined };

export const IN_FLIGHT = 0;
export const STOP = 1;
/** Records per message: few enough that a batch is written soon after it is read, many enough to post rarely. */
export const BATCH_RECORDS = 2000;
/** Batches read ahead of the writer at most. */
export const MAX_IN_FLIGHT = 4;
