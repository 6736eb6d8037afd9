// Streams the records of a CSV file through papaparse: strict UTF-8 (BOM or not), CRLF or LF, quoted newlines.
// Each record reaches `onRecord` synchronously, in order, with its spreadsheet row number (the header is row 1).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import Papa from 'papaparse';
import { WorkbenchError } from '../../shared/errors';
import { LIMITS } from '../../shared/schemas';
import { fileError } from '../fsErrors';
import { MAX_RECORD_BYTES, RecordGuard } from './recordGuard';

export type CsvSource = { path: string } | { name: string; text: string };

export interface CsvRecord {
  row: number;
  cells: string[];
  /** papaparse's complaint about this record, if any (an unterminated quote, typically at a truncated end) */
  parseError: string | null;
  /** the index of the field the complaint is about: where the broken quote opened */
  parseErrorField: number | null;
  /** the index of the first field holding a NUL character (a binary or damaged file), if any */
  nulField: number | null;
}

export interface ReadCsvOptions {
  delimiter?: string;
  signal?: AbortSignal;
  /** bytes read so far and the file's size */
  onBytes?: (done: number, total: number) => void;
  /** how much of the file is read at a time (tests make it small, to split records between reads) */
  chunkBytes?: number;
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
  /** the offset of the first byte that is not UTF-8, or where a record passed MAX_RECORD_BYTES, once found */
  invalidAt: number | null = null;
  /** whether a NUL byte was seen: only then are the records searched for it */
  sawNul = false;
  private readonly guard: RecordGuard;
  /** line breaks in the bytes decoded so far, to say where a bad byte is */
  private lines = 0;
  /** the last bytes of the previous chunk: a character may straddle two chunks */
  private tail = Buffer.alloc(0);
  /** bytes read but not yet decoded: the unfinished record at the end of what was read */
  private held: Buffer[] = [];
  /** a record that ran past MAX_RECORD_BYTES: where (a file offset), where it started, and its text up to there */
  cut: { at: number; start: number; text: string } | null = null;

  constructor(
    private readonly onBytes: (done: number) => void,
    delimiter: string,
    /** the text has ended early (a record too long): stop reading the file */
    private readonly onCut: () => void,
  ) {
    super({ readableObjectMode: true });
    this.guard = new RecordGuard(delimiter);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.cut) {
      done();
      return;
    }
    this.hash.update(chunk);
    if (!this.sawNul && chunk.indexOf(0) !== -1) this.sawNul = true;
    const chunkStart = this.guard.bytes;
    const tooLongAt = this.guard.push(chunk);
    if (tooLongAt !== null) {
      // Ends the text here: papaparse reads the whole records before this one, and readCsv then names its row and
      // column from them (no second reading). A byte that is not UTF-8 before it is the first thing wrong: said instead.
      const start = this.bytes;
      const before = this.decodeHeld();
      if (before instanceof WorkbenchError) {
        done(before);
        return;
      }
      this.cut = { at: tooLongAt, start, text: before };
      this.onCut();
      this.push(null);
      done();
      return;
    }
    // Only whole records go on to papaparse, which would otherwise parse an unfinished one again with every chunk
    // (see recordGuard.ts); the start of the next record waits here until it ends.
    const split = this.guard.recordStart - chunkStart;
    if (split <= 0) {
      this.held.push(chunk);
      done();
      return;
    }
    this.held.push(chunk.subarray(0, split));
    const text = this.decodeHeld();
    if (text instanceof WorkbenchError) {
      done(text);
      return;
    }
    this.held.push(chunk.subarray(split));
    done(null, text);
  }

  override _flush(done: TransformCallback): void {
    if (this.cut) {
      done();
      return;
    }
    const text = this.decodeHeld();
    if (text instanceof WorkbenchError) {
      done(text);
      return;
    }
    try {
      done(null, text + this.decoder.decode());
    } catch {
      done(this.locate(Buffer.alloc(0), true));
    }
  }

  /** Decodes the bytes held back, in order; the error that names the first byte that is not UTF-8, if any. */
  private decodeHeld(): string | WorkbenchError {
    let text = '';
    for (const piece of this.held) {
      if (piece.length === 0) continue;
      try {
        text += this.decoder.decode(piece, { stream: true });
      } catch {
        this.held = [];
        return this.locate(piece, false);
      }
      this.bytes += piece.length;
      this.lines += countLineBreaks(piece);
      this.tail = Buffer.from(piece.subarray(Math.max(0, piece.length - 3)));
    }
    this.held = [];
    this.onBytes(this.bytes);
    return text;
  }

  /** The exact byte and line of the first byte that is not UTF-8. */
  private locate(chunk: Buffer, atEnd: boolean): WorkbenchError {
    const bytes = Buffer.concat([this.tail, chunk]);
    const index = Math.max(0, firstInvalidUtf8(bytes, atEnd));
    const offset = this.bytes - this.tail.length + index;
    const line = this.lines - countLineBreaks(this.tail) + countLineBreaks(bytes.subarray(0, index)) + 1;
    const utf16 = this.bytes === 0 && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
    this.invalidAt = offset;
    const what = utf16
      ? 'the file is UTF-16, not UTF-8'
      : `the file is not UTF-8: byte ${offset} (line ${line}) is 0x${(bytes[index] ?? 0).toString(16).padStart(2, '0')}`;
    return new WorkbenchError('validation', `${what}; save it as "CSV UTF-8" and import again`, {
      place: { row: line, value: `byte ${offset}` },
    });
  }
}

function countLineBreaks(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) count += 1;
  return count;
}

/** Index of the first byte that cannot start or continue a UTF-8 character (RFC 3629); -1 if none. */
function firstInvalidUtf8(bytes: Uint8Array, atEnd: boolean): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0; // overlong
      if (lead === 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k += 1) {
      if (i + k >= bytes.length) return atEnd ? i : -1;
      const next = bytes[i + k]!;
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

const READ_CHUNK_BYTES = 1024 * 1024;

export function readCsv(source: CsvSource, onRecord: (record: CsvRecord) => void, options: ReadCsvOptions = {}): Promise<ReadCsvResult> {
  const fileName = csvSourceName(source);
  let row = 0;
  let header: string[] | null = null;
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
      reject(error); // as it is: an SQLite failure from onRecord is named by the API, not turned into a bug here
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
      header ??= results.data;
      const error = results.errors[0];
      try {
        onRecord({
          row,
          cells: results.data,
          parseError: error ? `${error.message} (${error.code})` : null,
          parseErrorField: error ? brokenField(results.data) : null,
          nulField: sawNul() ? nulIndex(results.data) : null,
        });
      } catch (e) {
        fail(e);
        parser.abort();
      }
    };

    let sawNul = () => false;
    if ('text' in source) {
      const hasNul = source.text.includes('\0');
      sawNul = () => hasNul;
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
      const stat = statSync(source.path);
      if (stat.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
      size = stat.size;
    } catch (error) {
      fail(fileError(source.path, error, 'read the CSV'));
      return;
    }
    const decoder = new StrictUtf8(
      (done) => options.onBytes?.(done, size),
      config.delimiter,
      () => {
        file.unpipe(decoder);
        file.destroy();
      },
    );
    sawNul = () => decoder.sawNul;
    const file = createReadStream(source.path, { highWaterMark: options.chunkBytes ?? READ_CHUNK_BYTES });
    cleanup = () => file.destroy();
    file.on('error', (error) => fail(fileError(source.path, error, 'read the CSV')));
    // A byte that is not UTF-8 is named by its row and column too: the file is read again up to it (error path only).
    const failDecoding = (error: unknown) => {
      if (failed || decoder.invalidAt === null || !(error instanceof WorkbenchError)) return fail(error);

      const at = decoder.invalidAt;
      failed = true;
      cleanup();
      locateByte(source.path, at, config.delimiter).then(
        (where) => {
          const place = { row: where.row, column: where.column, value: `byte ${at}` };
          reject(new WorkbenchError('validation', error.message, { place, problems: [{ ...place, reason: error.message }] }));
        },
        () => reject(error),
      );
    };
    decoder.on('error', failDecoding);
    Papa.parse<string[]>(file.pipe(decoder) as unknown as File, {
      ...config,
      step,
      complete: () => {
        if (failed) return;
        if (decoder.cut) return fail(tooLong(decoder.cut, row + 1, header, config.delimiter));
        resolve({ fileName, sha256: decoder.hash.digest('hex'), bytes: decoder.bytes, records: row });
      },
      error: failDecoding,
    });
  });
}

/** The refusal of a record that ran past MAX_RECORD_BYTES, at its row and the column it had reached. */
function tooLong(cut: { at: number; start: number; text: string }, row: number, header: string[] | null, delimiter: string): WorkbenchError {
  // its text up to the limit is one record, an open quote at its end: its last field is the one being read
  const fields = Papa.parse<string[]>(cut.text, { delimiter }).data[0] ?? [''];
  const field = Math.max(0, fields.length - 1);
  const name = row > 1 ? header?.[field]?.trim() : undefined;
  const place = { row, column: name ? name.slice(0, 200) : `#${field + 1}`, value: `byte ${cut.at}` };
  const reason =
    `the row runs past ${MAX_RECORD_BYTES / 1024 / 1024} MiB (it starts at byte ${cut.start}), far more than a row of figures holds ` +
    `(a cell holds at most ${LIMITS.text.toLocaleString('en-US')} characters): is a quote left open, or is this not a CSV file?`;
  return new WorkbenchError('validation', reason, { place, problems: [{ ...place, reason }] });
}

function nulIndex(cells: string[]): number | null {
  const index = cells.findIndex((cell) => cell.includes('\0'));
  return index >= 0 ? index : null;
}

/**
 * Which field a quote error is about: papaparse keeps the stray quote in the field it broke (`"x"y` → `x"y`); an
 * unterminated quote runs to the end of the record, so without a stray quote it is the last field.
 */
function brokenField(cells: string[]): number {
  const index = cells.findIndex((cell) => cell.includes('"'));
  return index >= 0 ? index : Math.max(0, cells.length - 1);
}

/**
 * The spreadsheet row and the column of the byte at `offset`: the bytes before it (valid UTF-8) are parsed again,
 * with a stand-in character where the bad byte is; the record holding it is the last one, the field its last.
 */
function locateByte(path: string, offset: number, delimiter: string): Promise<{ row: number; column: string }> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let header: string[] | null = null;
    let last: string[] = [];
    const decoder = new TextDecoder('utf-8');
    const text = new Transform({
      readableObjectMode: true,
      transform: (chunk: Buffer, _encoding, done) => done(null, decoder.decode(chunk, { stream: true })),
      flush: (done) => done(null, `${decoder.decode()}\uFFFD`),
    });
    const prefix = offset > 0 ? createReadStream(path, { start: 0, end: offset - 1, highWaterMark: READ_CHUNK_BYTES }) : Readable.from([] as Buffer[]);
    prefix.on('error', reject);
    Papa.parse<string[]>(prefix.pipe(text) as unknown as File, {
      delimiter,
      skipEmptyLines: true,
      step: (results) => {
        rows += 1;
        header ??= results.data;
        last = results.data;
      },
      complete: () => {
        const field = Math.max(0, last.length - 1);
        const name = rows > 1 ? header?.[field]?.trim() : undefined;
        resolve({ row: Math.max(1, rows), column: name ? name.slice(0, 200) : `#${field + 1}` });
      },
      error: reject,
    });
  });
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
