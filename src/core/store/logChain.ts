// The hash chain of change_log. Each entry's hash covers the previous entry's hash, the entry's own content and
// the hash of the state it produced, so an entry or a row altered outside the app shows at the first entry that
// no longer matches (check.ts).
import { createHash, type Hash } from 'node:crypto';

export type Row = Record<string, unknown>;

/** The columns of a change_log entry that its hash covers, in the order they are hashed. */
export interface EntryContent {
  id: number;
  txn: string;
  at: string;
  by: string;
  why: string | null;
  entity: string;
  entity_id: string;
  op: string;
  delta: string | null;
  import_batch_id: string | null;
  undoes: number | null;
}

/**
 * A row as hashed: its non-null fields, keys sorted. Nulls are left out so that a column added later (null in old
 * rows) does not change the hash of a state recorded before it existed.
 */
export function canonicalState(state: Row | null): string {
  if (!state) return '';
  const shape = shapeOf(Object.keys(state));
  let out = '{';
  for (let i = 0; i < shape.sorted.length; i += 1) {
    const value = state[shape.sorted[i]!];
    if (value === null || value === undefined) continue;
    // a finite number's JSON is its String(), and that is the cheaper of the two on a million rows
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
    out += out.length > 1 ? `,${shape.quoted[i]}${text}` : `${shape.quoted[i]}${text}`;
  }
  return `${out}}`;
}

interface Shape {
  keys: string[];
  sorted: string[];
  /** each sorted key as JSON, with its colon */
  quoted: string[];
}

// Rows of one table share their keys: a row's keys are sorted and quoted once per shape, not once per row, and
// the last shape is recognised without building a string.
const shapes = new Map<string, Shape>();
let lastShape: Shape | null = null;
function shapeOf(keys: string[]): Shape {
  const last = lastShape;
  if (last && last.keys.length === keys.length && last.keys.every((key, i) => key === keys[i])) return last;
  const id = keys.join(',');
  let shape = shapes.get(id);
  if (!shape) {
    const sorted = [...keys].sort();
    shape = { keys, sorted, quoted: sorted.map((key) => `${JSON.stringify(key)}:`) };
    if (shapes.size < 64) shapes.set(id, shape);
  }
  lastShape = shape;
  return shape;
}

export function stateHash(state: Row | null): Buffer {
  return createHash('sha256').update(canonicalState(state)).digest();
}

/** The state an import produced: every figure of its batch, in rowid order, one canonical line each. */
export class BatchStateHash {
  private readonly hash: Hash = createHash('sha256');
  /** lines not yet hashed: one update per ~64K characters instead of two per row (the digest is the same) */
  private pending = '';
  private order: { columns: readonly string[]; sorted: number[]; quoted: string[] } | null = null;

  add(state: Row): void {
    this.line(canonicalState(state));
  }

  /** The same line as add({ [columns[i]]: values[i] }), without building the row. */
  addValues(columns: readonly string[], values: readonly unknown[]): void {
    if (this.order?.columns !== columns) {
      const sorted = columns.map((_, i) => i).sort((a, b) => (columns[a]! < columns[b]! ? -1 : columns[a]! > columns[b]! ? 1 : 0));
      this.order = { columns, sorted, quoted: sorted.map((i) => `${JSON.stringify(columns[i])}:`) };
    }
    const { sorted, quoted } = this.order;
    let out = '{';
    for (let k = 0; k < sorted.length; k += 1) {
      const value = values[sorted[k]!];
      if (value === null || value === undefined) continue;
      const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
      out += out.length > 1 ? `,${quoted[k]}${text}` : `${quoted[k]}${text}`;
    }
    this.line(`${out}}`);
  }

  digest(): Buffer {
    if (this.pending) this.hash.update(this.pending);
    this.pending = '';
    return this.hash.digest();
  }

  private line(text: string): void {
    this.pending += `${text}\n`;
    if (this.pending.length >= 65_536) {
      this.hash.update(this.pending);
      this.pending = '';
    }
  }
}

export function entryHash(previous: Buffer | null, entry: EntryContent, state: Buffer): Buffer {
  const content = JSON.stringify([
    entry.id,
    entry.txn,
    entry.at,
    entry.by,
    entry.why,
    entry.entity,
    entry.entity_id,
    entry.op,
    entry.delta,
    entry.import_batch_id,
    entry.undoes,
  ]);
  const hash = createHash('sha256');
  if (previous) hash.update(previous);
  return hash.update(content).update(state).digest();
}
