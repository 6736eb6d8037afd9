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
  const keys = sortedKeys(Object.keys(state));
  let out = '{';
  for (const key of keys) {
    const value = state[key];
    if (value === null || value === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return `${out}}`;
}

// Rows of one table share their keys; sorting them once per shape, not once per row, matters on a million rows.
const sortedByShape = new Map<string, string[]>();
function sortedKeys(keys: string[]): string[] {
  const shape = keys.join(',');
  let sorted = sortedByShape.get(shape);
  if (!sorted) {
    sorted = [...keys].sort();
    if (sortedByShape.size < 64) sortedByShape.set(shape, sorted);
  }
  return sorted;
}

export function stateHash(state: Row | null): Buffer {
  return createHash('sha256').update(canonicalState(state)).digest();
}

/** The state an import produced: every figure of its batch, in rowid order, one canonical line each. */
export class BatchStateHash {
  private readonly hash: Hash = createHash('sha256');
  add(state: Row): void {
    this.hash.update(canonicalState(state));
    this.hash.update('\n');
  }
  digest(): Buffer {
    return this.hash.digest();
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
