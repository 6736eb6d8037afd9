// A block of cells, as a spreadsheet selects one: from an anchor cell to the focused cell, grown with Shift+arrow
// keys or a Shift+click. Ctrl+C copies it (figuresGrid.ts); ag-grid's own range selection is not in its free build.

export interface CellRef {
  rowIndex: number;
  column: string;
}

export interface CellBlock {
  firstRow: number;
  lastRow: number;
  /** the block's columns, in the order the grid shows them */
  columns: string[];
}

/** The block between two cells; `columns` are the grid's displayed columns in order. Null if a cell's column is not one. */
export function blockBetween(anchor: CellRef, focus: CellRef, columns: readonly string[]): CellBlock | null {
  const a = columns.indexOf(anchor.column);
  const b = columns.indexOf(focus.column);
  if (a < 0 || b < 0) return null;
  return {
    firstRow: Math.min(anchor.rowIndex, focus.rowIndex),
    lastRow: Math.max(anchor.rowIndex, focus.rowIndex),
    columns: columns.slice(Math.min(a, b), Math.max(a, b) + 1),
  };
}

export function inBlock(block: CellBlock | null, rowIndex: number, column: string): boolean {
  return !!block && rowIndex >= block.firstRow && rowIndex <= block.lastRow && block.columns.includes(column);
}

export type ArrowKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

export const isArrowKey = (key: string): key is ArrowKey => key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';

/** Where Shift+arrow takes the focus: one cell on, stopping at the first and last row and column. */
export function stepFrom(focus: CellRef, key: ArrowKey, columns: readonly string[], rows: number): CellRef {
  const at = Math.max(0, columns.indexOf(focus.column));
  const column = key === 'ArrowLeft' ? columns[Math.max(0, at - 1)] : key === 'ArrowRight' ? columns[Math.min(columns.length - 1, at + 1)] : focus.column;
  const rowIndex = key === 'ArrowUp' ? Math.max(0, focus.rowIndex - 1) : key === 'ArrowDown' ? Math.min(rows - 1, focus.rowIndex + 1) : focus.rowIndex;
  return { rowIndex, column: column ?? focus.column };
}
