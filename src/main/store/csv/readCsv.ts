// Streams the records of a CSV file through papaparse: strict UTF-8 (BOM or not), CRLF or LF, quoted newlines.
// Each record reaches `onRecord` synchronously, in order, with its spreadsheet row number (the header is row 1).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import Papa from 'papaparse';
import { WorkbenchError } from '../../../shared/errors';

export type CsvSource = { path: string } | { name: string; text: string };

export interface CsvRecord {
  row: number;
  cells: string[];
  /** papaparse's complaint about this record, if any (an unterminated quote, typically at a truncated end) */
  parseError: string | null;
}

export interface ReadCsvOptions {
  delimiter?: string;
  signal?: AbortSignal;
  /** bytes read so far and the file's size */
  onBytes?: (done: number, total: number) => void;
}

export interface ReadCsvResult {
  fileName: string;
  sha256: string;
  bytes: number;
  records: number;
}

export function csvSourceName(source: CsvSource): string {
  return 'path' in source ? basename(source.path) : source.name;
}

/** Decodes UTF-8 strictly (a Latin-1 or UTF-16 file is refused, not misread), hashing the raw bytes on the way. */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly onBytes: (done: number) => void) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.hash.update(chunk);
      const text = this.decoder.decode(chunk, { stream: true });
      this.bytes += chunk.length;
      this.onBytes(this.bytes);
      done(null, text);
    } catch {
      done(notUtf8(this.bytes));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      done(null, this.decoder.decode());
    } catch {
      done(notUtf8(this.bytes));
    }
  }
}

function notUtf8(offset: number): WorkbenchError {
  return new WorkbenchError(
    'validation',
    `the file is not UTF-8 (invalid bytes near byte ${offset}); save it as "CSV UTF-8" and import again`,
    { place: { row: undefined, column: undefined } },
  );
}

export function readCsv(
  source: CsvSource,
  onRecord: (record: CsvRecord) => void,
  options: ReadCsvOptions = {},
): Promise<ReadCsvResult> {
  const fileName = csvSourceName(source);
  let row = 0;
  const config = {
    delimiter: options.delimiter ?? ',',
    skipEmptyLines: true as const,
  };
  return new Promise<ReadCsvResult>((resolve, reject) => {
    let failed = false;
    let cleanup = () => {};
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      cleanup();
      reject(error instanceof WorkbenchError ? error : WorkbenchError.from(error));
    };
    const step = (results: Papa.ParseStepResult<string[]>, parser: Papa.Parser) => {
      if (failed) return;
      // fail() before abort(): abort() calls complete() at once, which must not resolve a failed read.
      if (options.signal?.aborted) {
        fail(new WorkbenchError('cancelled', 'import cancelled; nothing was written'));
        parser.abort();
        return;
      }
      row += 1;
      const error = results.errors[0];
      try {
        onRecord({ row, cells: results.data, parseError: error ? `${error.message} (${error.code})` : null });
      } catch (e) {
        fail(e);
        parser.abort();
      }
    };

    if ('text' in source) {
      const bytes = Buffer.from(source.text, 'utf8');
      const text = source.text.startsWith('\uFEFF') ? source.text.slice(1) : source.text;
      Papa.parse<string[]>(text, {
        ...config,
        step,
        complete: () => {
          options.onBytes?.(bytes.length, bytes.length);
          if (!failed) resolve({ fileName, sha256: sha256(bytes), bytes: bytes.length, records: row });
        },
      });
      return;
    }

    let size: number;
    try {
      size = statSync(source.path).size;
    } catch (error) {
      fail(new WorkbenchError('io', `${source.path}: cannot read (${(error as Error).message})`));
      return;
    }
    const decoder = new StrictUtf8((done) => options.onBytes?.(done, size));
    const file = createReadStream(source.path);
    cleanup = () => file.destroy();
    file.on('error', (error) => fail(new WorkbenchError('io', `${source.path}: cannot read (${error.message})`)));
    decoder.on('error', fail);
    Papa.parse<string[]>(file.pipe(decoder) as unknown as File, {
      ...config,
      step,
      complete: () => {
        if (!failed) resolve({ fileName, sha256: decoder.hash.digest('hex'), bytes: decoder.bytes, records: row });
      },
      error: fail,
    });
  });
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
