// Undo and redo backed by the workbook's change log, not the grid's memory: every write returns its transaction,
// undo reverses that transaction (api.undo), and redo is the undo of the undo. Sorting, filtering or reloading the
// grid cannot lose it, and every step is itself in the change log.
import type { UndoResult, WorkbenchApi } from '../../shared/api';

interface Step {
  txn: string;
  label: string;
}

/** An undo or redo done: what it was, and what it changed (for the views to read again). */
export interface Reversal {
  label: string;
  result: UndoResult;
}

export class UndoHistory {
  private readonly done: Step[] = [];
  private readonly undone: Step[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly api: WorkbenchApi) {}

  /** A write the analyst made: it can be undone; whatever was undone before can no longer be redone. */
  record(txn: string, label: string): void {
    this.done.push({ txn, label });
    this.undone.length = 0;
    this.changed();
  }

  get undoLabel(): string | null {
    return this.done.at(-1)?.label ?? null;
  }
  get redoLabel(): string | null {
    return this.undone.at(-1)?.label ?? null;
  }

  /** Undoes the last write; null when there is nothing to undo. */
  async undo(): Promise<Reversal | null> {
    const step = this.done.pop();
    if (!step) return null;
    try {
      const result = await this.api.undo({ txn: step.txn, why: `undo: ${step.label}` });
      this.undone.push({ txn: result.txn, label: step.label });
      return { label: step.label, result };
    } catch (error) {
      this.done.push(step);
      throw error;
    } finally {
      this.changed();
    }
  }

  async redo(): Promise<Reversal | null> {
    const step = this.undone.pop();
    if (!step) return null;
    try {
      const result = await this.api.undo({ txn: step.txn, why: `redo: ${step.label}` });
      this.done.push({ txn: result.txn, label: step.label });
      return { label: step.label, result };
    } catch (error) {
      this.undone.push(step);
      throw error;
    } finally {
      this.changed();
    }
  }

  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
