// Records as RFC 4180 CSV text: comma-separated, CRLF after every record, a cell quoted when it holds a comma, a
// quote, a CR or LF (even a lone one: Excel, pandas and Python's csv split the record there otherwise), a byte-order
// mark, or leading/trailing spaces.
//
// Written here rather than with Papa.unparse (papaparse still reads every CSV we import): on a large export
// Papa.unparse spends most of its time on per-cell work for options we never use. The output is byte for byte
// Papa.unparse's with our options; tests/unit/csv.records.test.ts holds it to that.

export const RECORD_DELIMITER = '\r\n';

const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;
const QUOTE = /"/g;

function field(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/** One record, with its CRLF. */
export function csvLine(record: readonly string[]): string {
  let line = '';
  for (let i = 0; i < record.length; i += 1) {
    if (i > 0) line += ',';
    line += field(record[i]!);
  }
  return line + RECORD_DELIMITER;
}

export function csvRecords(records: readonly (readonly string[])[]): string {
  let csv = '';
  for (const record of records) csv += csvLine(record);
  return csv;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Collects lines as UTF-8 bytes in one buffer of about 1 MiB, handed out each time it fills. Encoding line by line
 * into a buffer is cheaper than encoding one large joined string (V8 turns a chunk that holds any non-Latin-1 text
 * into UTF-16 first).
 *
 * The buffer is reused: a chunk handed out is valid until the next call to add or take, so the caller writes it
 * (or copies it) before going on. A fresh buffer per chunk leaves the garbage ones to V8, which collects external
 * memory late: a large export's peak memory would grow with its size.
 */
export class Utf8Chunks {
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  /** A line that did not fit beside the chunk just handed out; it starts the next one. */
  private pending: string | null = null;

  /** Adds a line; returns the bytes to write now when the line did not fit beside the ones before it. */
  add(line: string): Buffer | null {
    this.settle();
    if (this.used + line.length * 3 <= CHUNK_BYTES) {
      this.used += this.chunk.write(line, this.used);
      return null;
    }
    if (line.length * 3 > CHUNK_BYTES) {
      const large = Buffer.from(line, 'utf8');
      if (this.used === 0) return large;
      const joined = Buffer.concat([this.chunk.subarray(0, this.used), large]);
      this.used = 0;
      return joined;
    }
    this.pending = line;
    return this.handOut();
  }

  /** The bytes collected so far (null when none); the next line starts a new chunk. */
  take(): Buffer | null {
    this.settle();
    return this.used === 0 ? null : this.handOut();
  }

  private handOut(): Buffer {
    const full = this.chunk.subarray(0, this.used);
    this.used = 0;
    return full;
  }

  private settle(): void {
    if (this.pending === null) return;
    this.used = this.chunk.write(this.pending, 0);
    this.pending = null;
  }
}
