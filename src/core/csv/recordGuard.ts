// Watches the raw bytes of a CSV on their way to papaparse and says when one record grows past a limit.
//
// Why: papaparse, fed a stream, parses each chunk together with the unfinished record left from the chunks before
// it, from that record's start. A record that spans n chunks is therefore parsed n times over (and its text joined n
// times): a single huge field, or a quote that is never closed, costs time and memory quadratic in its size. No
// record a workbook can use comes near the limit (a cell holds at most LIMITS.text characters), so refusing there
// keeps the cost linear.
//
// It follows papaparse's quoting closely enough to know where records end: a quote opens a quoted field only at the
// start of a field, and closes it only when spaces and then a delimiter, a line break or the end follow; a doubled
// quote inside is a quote. It looks only at quotes and line breaks (native indexOf), not at every byte.

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const BOM = [0xef, 0xbb, 0xbf];

/** Bytes one record may span. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export class RecordGuard {
  private readonly delimiter: number;
  /** bytes seen before the current chunk */
  private offset = 0;
  /** where the record being read started (a file offset): the bytes before it hold whole records */
  recordStart = 0;
  private inQuotes = false;
  /** in quotes, a quote (and maybe spaces) ended the last chunk: the next bytes say whether it closed the field */
  private pendingClose: { spaces: boolean } | null = null;
  /** the byte before the current chunk (a line break at the start of the file: a field starts there) */
  private previous = LF;
  /** bytes of a BOM matched at the start of the file; -1 when it does not start with one */
  private bom = 0;

  constructor(
    delimiter: string,
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** bytes followed so far */
  get bytes(): number {
    return this.offset;
  }

  /**
   * Follows one chunk. Returns null, or the file offset at which the record being read passed the limit (the
   * caller stops reading there).
   */
  push(chunk: Buffer): number | null {
    let i = 0;
    if (this.bom >= 0 && this.bom < BOM.length) {
      // a BOM, maybe split between chunks: the file's first field starts after it
      while (this.bom < BOM.length && i < chunk.length && chunk[i] === BOM[this.bom]) {
        this.bom += 1;
        i += 1;
      }
      if (this.bom < BOM.length && i < chunk.length) this.bom = -1;
    }
    /** a quote here looks at the byte before this chunk (or the BOM), not at chunk[first - 1] */
    const first = i;
    if (this.pendingClose) i = this.resolvePending(chunk, i);
    // outside quotes from `segment` on: the last line break before a field opens quotes (or the chunk ends) starts a record
    let segment = i;
    while (i < chunk.length) {
      if (!this.inQuotes) {
        const quote = chunk.indexOf(QUOTE, i);
        if (quote === -1) break;
        const before = quote > first ? chunk[quote - 1]! : this.previous;
        if (before === this.delimiter || before === LF || before === CR) {
          this.noteLineBreak(chunk, segment, quote);
          this.inQuotes = true;
        }
        i = quote + 1;
        continue;
      }
      const quote = chunk.indexOf(QUOTE, i);
      if (quote === -1) {
        i = chunk.length;
        break;
      }
      const after = this.closingAt(chunk, quote + 1, false);
      if (after === 'pending') {
        i = chunk.length;
        break;
      }
      i = after;
      segment = after;
    }
    if (!this.inQuotes) this.noteLineBreak(chunk, segment, chunk.length);
    if (chunk.length > first) this.previous = chunk[chunk.length - 1]!;
    this.offset += chunk.length;
    return this.offset - this.recordStart > this.maxRecordBytes ? this.recordStart + this.maxRecordBytes : null;
  }

  /**
   * After a quote inside a quoted field, from `at`: where scanning goes on. The field closes (outside quotes from
   * there) when spaces then a delimiter or a line break follow; a second quote right after is an escaped quote;
   * anything else leaves the field open, as papaparse does. 'pending' when the chunk ends before it is known.
   */
  private closingAt(chunk: Buffer, at: number, spaces: boolean): number | 'pending' {
    let k = at;
    if (!spaces && k < chunk.length && chunk[k] === QUOTE) return k + 1; // "" inside quotes
    while (k < chunk.length && chunk[k] === SPACE) k += 1;
    if (k >= chunk.length) {
      this.pendingClose = { spaces: spaces || k > at };
      return 'pending';
    }
    const next = chunk[k]!;
    if (next === this.delimiter || next === LF || next === CR) this.inQuotes = false;
    return k;
  }

  private resolvePending(chunk: Buffer, at: number): number {
    const { spaces } = this.pendingClose!;
    this.pendingClose = null;
    const after = this.closingAt(chunk, at, spaces);
    return after === 'pending' ? chunk.length : after;
  }

  /** Outside quotes over chunk[from, to): a line break there ends a record. */
  private noteLineBreak(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    // within the segment only: segments do not overlap, so the whole file is searched once
    const segment = chunk.subarray(from, to);
    let last = Math.max(segment.lastIndexOf(LF), segment.lastIndexOf(CR));
    // not between the CR and LF of a CRLF: papaparse guesses the file's line break from the first text it is given
    if (last >= 0 && from + last === chunk.length - 1 && segment[last] === CR) {
      const earlier = segment.subarray(0, last);
      last = Math.max(earlier.lastIndexOf(LF), earlier.lastIndexOf(CR));
    }
    if (last >= 0) this.recordStart = this.offset + from + last + 1;
  }
}
